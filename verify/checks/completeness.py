"""Completeness and determinism: every outcome a stage can have leads somewhere, by rule not judgement.

An outcome with no transition is a gap when the file declares it under the stage's
``unspecified`` (the source is silent), and a defect when it does not (the file forgot it).
Each outcome of a stage has at most one transition (the loader enforces this), so the
remaining source of non-determinism is a choice the source leaves to someone's judgement. A stage
with a single outcome offers no choice, whatever its ``judgement`` note says, and is not reported.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> codes = [f.code for f in check_completeness(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml"))]
>>> sorted(set(codes))
['JUDGEMENT_CHOICE', 'UNSPECIFIED_OUTCOME']
"""

from __future__ import annotations

from cpsim.model.procedure.classes import Procedure, Stage
from cpsim.model.procedure.describe import outcome_phrase
from cpsim.model.procedure.joint import replying, the_repliers
from cpsim.model.types import StageKind
from cpsim.verify.checks.walks import moves_from, path_to, reachable_from
from cpsim.verify.findings import Finding, cite

__all__ = ["check_completeness"]


def check_completeness(procedure: Procedure) -> list[Finding]:
    """Findings UNSPECIFIED_OUTCOME (gap), MISSING_OUTCOME (violation or warning) and JUDGEMENT_CHOICE (gap)."""
    live = reachable_from(procedure, procedure.start.id)
    out: list[Finding] = []
    for stage in procedure.stages:
        if stage.is_terminal or stage.id not in live:
            continue
        handled = {t.on for t in moves_from(procedure, stage.id)}
        missing = [o for o in stage.expected_outcomes if o not in handled] if handled else []
        choice = bool(stage.judgement) and len(set(stage.expected_outcomes)) > 1
        if not (missing or choice):
            continue
        route = tuple(path_to(procedure, stage.id))
        for outcome in missing:
            out.append(_missing(procedure, stage, outcome, route))
        if choice:
            msg = (
                f"At {stage.title} the next step is left to judgement: {stage.judgement}. "
                "Two cases with the same facts may go different ways."
            )
            out.append(Finding("JUDGEMENT_CHOICE", "gap", procedure.id, (stage.id,), route, msg, cite(stage.source)))
    return out


def _missing(procedure: Procedure, stage: Stage, outcome: str, route: tuple[str, ...]) -> Finding:
    phrase = outcome_phrase(outcome)
    where = f"at {stage.title} {phrase}"
    if stage.kind is StageKind.REQUEST and replying(stage):
        where = f"at {stage.title} ({the_repliers(procedure, stage)} replying) {phrase}"
    note = stage.unspecified.get(outcome) or stage.unspecified.get("next-step")
    if note:
        msg = f"The procedure does not say what happens {where}. The source is silent: {note}"
        return Finding("UNSPECIFIED_OUTCOME", "gap", procedure.id, (stage.id,), route, msg, cite(stage.source))
    if outcome == "no-reply":
        msg = (
            f"Nothing says what happens {where}: a case would wait for the reply indefinitely. "
            "Add a 'no-reply' transition, or declare it under 'unspecified' if the source is silent."
        )
        return Finding("MISSING_OUTCOME", "warning", procedure.id, (stage.id,), route, msg, cite(stage.source))
    msg = (
        f"Nothing says what happens {where}: the file has no transition for it and does not mark it "
        "unspecified, so a case with that outcome goes nowhere."
    )
    return Finding("MISSING_OUTCOME", "violation", procedure.id, (stage.id,), route, msg, cite(stage.source))
