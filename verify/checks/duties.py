"""Duties: who acts and who replies at each stage, what is recorded, and where cases are handed on.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> sorted({f.code for f in check_duties(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml"))})
[]
"""

from __future__ import annotations

import re

from cpsim.model.procedure.classes import Procedure, Stage
from cpsim.model.types import StageKind
from cpsim.verify.checks.walks import path_to, reachable_from
from cpsim.verify.findings import Finding, Severity, cite

__all__ = ["RECORDING_WORDS", "check_duties"]

RECORDING_WORDS = re.compile(r"\b(case note|record|recorded|minute[sd]?|log|logged|document(?:ed)?)\b", re.IGNORECASE)
"""Words in a stage's cited quote that suggest the source sets a recording duty there."""


def check_duties(procedure: Procedure) -> list[Finding]:
    """Findings NO_OWNER, NO_RESPONDER, RECORD_MISSING and HANDOFF."""
    live = reachable_from(procedure, procedure.start.id)
    out: list[Finding] = []
    recorded = [s for s in procedure.stages if s.kind is StageKind.REQUEST and s.records]
    for stage in procedure.stages:
        if stage.id not in live:
            continue
        route = tuple(path_to(procedure, stage.id))
        if stage.is_terminal:
            if stage.refers_to:
                msg = f"Cases that reach {stage.title} are handed to another process: {stage.refers_to}."
                out.append(Finding("HANDOFF", "info", procedure.id, (stage.id,), route, msg, cite(stage.source)))
            continue
        out.extend(_people(procedure, stage, route))
        missing = _record_missing(stage, recorded)
        if missing:
            out.append(
                Finding("RECORD_MISSING", "warning", procedure.id, (stage.id,), route, missing, cite(stage.source))
            )
    return out


def _people(procedure: Procedure, stage: Stage, route: tuple[str, ...]) -> list[Finding]:
    out = []
    if stage.owner is None:
        note = stage.unspecified.get("owner")
        if note:
            msg = f"Nobody is named to act at {stage.title}. The source is silent: {note}"
            out.append(Finding("NO_OWNER", "gap", procedure.id, (stage.id,), route, msg, cite(stage.source)))
        else:
            msg = f"Nobody is named to act at {stage.title}: add 'owner', or 'unspecified: {{owner: ...}}'."
            out.append(Finding("NO_OWNER", "warning", procedure.id, (stage.id,), route, msg, cite(stage.source)))
    if stage.kind is StageKind.REQUEST and stage.responder is None:
        note = stage.unspecified.get("responder")
        sev: Severity = "gap" if note else "violation"
        tail = f" The source is silent: {note}" if note else " Add 'responder'."
        msg = f"At {stage.title} nobody is named to reply, so nobody can be held to the deadline.{tail}"
        out.append(Finding("NO_RESPONDER", sev, procedure.id, (stage.id,), route, msg, cite(stage.source)))
    return out


def _record_missing(stage: Stage, recorded: list[Stage]) -> str | None:
    if stage.records:
        return None
    if RECORDING_WORDS.search(stage.source.quote):
        return (
            f"The source quoted for {stage.title} mentions recording (“{stage.source.quote}”), "
            "but the file gives the stage no recording duty."
        )
    if stage.kind is StageKind.REQUEST and recorded:
        what = "; ".join(dict.fromkeys(r.what for s in recorded for r in s.records))
        others = ", ".join(s.title for s in recorded)
        return (
            f"{stage.title} records nothing, although {others} record: {what}. "
            "Check whether the source asks for a record here too."
        )
    return None
