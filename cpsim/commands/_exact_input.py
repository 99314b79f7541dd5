"""Inputs for ``cpsim analyse`` and ``cpsim export``: a scenario, or a procedure with a behaviour file."""

from __future__ import annotations

from cpsim.model import load_procedure
from cpsim.model.behaviour import Behaviour, load_behaviour
from cpsim.model.errors import CpsimError
from cpsim.model.procedure.classes import Procedure
from cpsim.model.procedure.parallel import untimed_by_engines
from cpsim.model.scenario import load_scenario

__all__ = ["pairs"]


def pairs(
    scenario: str | None, procedure: str | None, behaviour: str | None
) -> list[tuple[Procedure, Behaviour, tuple[str, ...]]]:
    """The (procedure, behaviour, assumptions) triples named on the command line."""
    if scenario and (procedure or behaviour):
        raise CpsimError("give either a SCENARIO or --procedure with --behaviour, not both")
    if scenario:
        sc = load_scenario(scenario)
        return [(r.procedure, r.behaviour, (*sc.assumptions, *_stage_assumptions(r.behaviour))) for r in sc.routes]
    if not procedure:
        raise CpsimError("give a SCENARIO file, or --procedure FILE with --behaviour FILE")
    beh = load_behaviour(behaviour) if behaviour else Behaviour()
    proc = load_procedure(procedure)
    refused = untimed_by_engines(proc)
    if refused:
        raise CpsimError("; ".join(f"{procedure}: {what} ({fix})" for what, fix in refused))
    return [(proc, beh, _stage_assumptions(beh))]


def _stage_assumptions(behaviour: Behaviour) -> tuple[str, ...]:
    out = []
    for sid, b in behaviour.stages.items():
        if b.assumption:
            out.append(f"{sid}: {b.assumption}")
        elif b.assumed:
            out.extend(f"{sid}: assumed that {o!r} leads to {dest!r}" for o, dest in b.assumed.items())
    return tuple(out)
