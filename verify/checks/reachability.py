"""Reachability: stages and transitions that no route from the start can reach.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> check_reachability(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml"))
[]
"""

from __future__ import annotations

from cpsim.model.procedure.classes import Procedure
from cpsim.verify.checks.walks import reachable_from
from cpsim.verify.findings import Finding, cite

__all__ = ["check_reachability"]


def check_reachability(procedure: Procedure) -> list[Finding]:
    """Findings UNREACHABLE_STAGE (warning) and UNREACHABLE_TRANSITION (warning)."""
    live = reachable_from(procedure, procedure.start.id)
    out: list[Finding] = []
    for stage in procedure.stages:
        if stage.id in live:
            continue
        msg = (
            f"No route from {procedure.start.title} leads to {stage.title}: it can never happen. "
            "Add the transition that leads to it, or remove it."
        )
        out.append(Finding("UNREACHABLE_STAGE", "warning", procedure.id, (stage.id,), (), msg, cite(stage.source)))
    for t in procedure.transitions:
        if t.from_ in live:
            continue
        a, b = procedure.stage(t.from_).title, procedure.stage(t.to).title
        msg = f"The move from {a} to {b} ('{t.on}') can never be taken: no route reaches {a}."
        out.append(Finding("UNREACHABLE_TRANSITION", "warning", procedure.id, (t.from_, t.to), (), msg, cite(t.source)))
    return out
