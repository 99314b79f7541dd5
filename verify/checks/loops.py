"""Loops whose bound the source does not give: an unbounded loop the file marks as the source's silence is a gap.

A transition may carry ``repeats_unspecified: <note>``: the file's statement that the source sets
no bound on how often the move may happen (Wakefield's reconvened conference). An
``UNBOUNDED_LOOP`` through such a move is then the source's gap, not a slip in the file: it is
reported with severity ``gap`` and the note, and no longer makes ``cpsim verify`` exit 3. A loop
with no such mark stays a violation.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> from cpsim.verify import verify_procedure
>>> proc = load_procedure(PROCEDURES_DIR / "wakefield-conference-dissent.yaml")
>>> [(f.severity, f.code) for f in verify_procedure(proc) if f.code == "UNBOUNDED_LOOP"]
[('gap', 'UNBOUNDED_LOOP')]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from cpsim.model.procedure.classes import Procedure, Transition
from cpsim.verify.findings import Finding

__all__ = ["loop_marks", "source_sets_no_bound"]


def loop_marks(procedure: Procedure, loop: Sequence[str]) -> list[Transition]:
    """The moves of the loop through ``loop`` (its stages in order) marked as having no bound in the source."""
    stages = list(loop)
    pairs = set(zip(stages, [*stages[1:], stages[0]], strict=True))
    return [t for t in procedure.transitions if t.repeats_unspecified and (t.from_, t.to) in pairs]


def source_sets_no_bound(procedure: Procedure, findings: list[Finding]) -> list[Finding]:
    """``findings`` with each UNBOUNDED_LOOP through a marked move turned into a gap that quotes the mark."""
    out = []
    for f in findings:
        marks = loop_marks(procedure, f.stages) if f.code == "UNBOUNDED_LOOP" else []
        if marks:
            note = " ".join(str(t.repeats_unspecified) for t in marks)
            msg = f.message.split(" If the source sets a limit")[0]
            f = replace(f, severity="gap", message=f"{msg} The source gives no bound: {note}")
        out.append(f)
    return out
