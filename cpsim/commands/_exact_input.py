"""Inputs for ``cpsim analyse`` and ``cpsim export``: a scenario, or a procedure with a behaviour file."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from cpsim.model import load_procedure
from cpsim.model.behaviour import Behaviour
from cpsim.model.errors import CpsimError, FileError
from cpsim.model.files.yaml import read_yaml
from cpsim.model.procedure.classes import Procedure

__all__ = ["load_behaviour", "pairs"]


def load_behaviour(path: str | Path) -> Behaviour:
    """The behaviour in YAML file ``path`` (keys ``stages`` and ``hours_per_day``), every problem located."""
    doc = read_yaml(path)
    try:
        return Behaviour.model_validate(doc.data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p in _TAGS))
            unknown = err["type"] == "extra_forbidden"
            hint = "remove it or check its spelling" if unknown else ""
            msg = f"unknown key {loc[-1]!r}" if unknown and loc else err["msg"]
            problems.append(doc.problem(loc, msg, hint, key=unknown))
        raise FileError(problems) from None


_TAGS = {"fixed", "uniform", "triangular", "exponential", "lognormal", "gamma", "discrete"}


def pairs(
    scenario: str | None, procedure: str | None, behaviour: str | None
) -> list[tuple[Procedure, Behaviour, tuple[str, ...]]]:
    """The (procedure, behaviour, assumptions) triples named on the command line."""
    if scenario and (procedure or behaviour):
        raise CpsimError("give either a SCENARIO or --procedure with --behaviour, not both")
    if scenario:
        from cpsim.model.scenario.classes import load_scenario

        sc = load_scenario(scenario)
        return [(r.procedure, r.behaviour, (*sc.assumptions, *_stage_assumptions(r.behaviour))) for r in sc.routes]
    if not procedure:
        raise CpsimError("give a SCENARIO file, or --procedure FILE with --behaviour FILE")
    beh = load_behaviour(behaviour) if behaviour else Behaviour()
    return [(load_procedure(procedure), beh, _stage_assumptions(beh))]


def _stage_assumptions(behaviour: Behaviour) -> tuple[str, ...]:
    out = []
    for sid, b in behaviour.stages.items():
        if b.assumption:
            out.append(f"{sid}: {b.assumption}")
        elif b.assumed:
            out.extend(f"{sid}: assumed that {o!r} leads to {dest!r}" for o, dest in b.assumed.items())
    return tuple(out)
