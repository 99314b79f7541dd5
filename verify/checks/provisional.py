"""Provisional rules: every timed rule the source says may change, reported with the source's words.

A rule carries ``provisional`` when the source says it may change ("NB. This timescale is
currently subject to review."). ``PROVISIONAL_RULE`` (info) names each one and quotes those words,
so that a report built on it can say the figure may change. Stage deadlines, times to send,
meeting times, moves, duties, targets, timescales and milestone limits and repeats are covered.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> proc = load_procedure(PROCEDURES_DIR / "stoke-conference-lifecycle.yaml")
>>> [f.stages for f in check_provisional(proc)]
[('pre-birth-conference',)]
"""

from __future__ import annotations

from collections.abc import Iterator

from cpsim.model.procedure.classes import Citation, Procedure, _Worded
from cpsim.verify.findings import Finding, cite

__all__ = ["check_provisional"]


def _rules(procedure: Procedure) -> Iterator[tuple[str, tuple[str, ...], _Worded | None]]:
    """(what the rule is, the ids it concerns, the rule) for every timed rule of ``procedure``."""
    for s in procedure.stages:
        yield f"the reply deadline at {s.title}", (s.id,), s.deadline
        yield f"the time to send at {s.title}", (s.id,), s.send
        yield f"the meeting's time at {s.title}", (s.id,), s.meeting.within if s.meeting else None
    for t in procedure.transitions:
        a, b = procedure.stage(t.from_).title, procedure.stage(t.to).title
        yield f"the move from {a} to {b}", (t.from_, t.to), t.within
    for d in procedure.duties:
        yield f"the time for {d.title}", (d.starts,), d.within
    for tg in procedure.targets:
        yield f"the target “{tg.title}”", (tg.from_,), tg
    for ts in procedure.timescales:
        yield f"the timescale “{ts.rule.rstrip('.')}”", (), ts
    for m in procedure.milestones:
        for lim in m.timing:
            yield f"{m.title}, {lim.label}", (m.id,), lim
        yield f"{m.title}, its repeat", (m.id,), m.repeats


def check_provisional(procedure: Procedure) -> list[Finding]:
    """PROVISIONAL_RULE for every rule marked ``provisional``, quoting the source's words (or the file's note)."""
    out = []
    for what, ids, rule in _rules(procedure):
        if rule is None or rule.provisional is None:
            continue
        p = rule.provisional
        words = f"the source says “{p.quote}” (§{p.ref})" if isinstance(p, Citation) else f"the file notes: {p}"
        msg = f"{what[:1].upper()}{what[1:]} is provisional: {words}. Figures resting on it may change."
        src = cite(p) if isinstance(p, Citation) else None
        out.append(Finding("PROVISIONAL_RULE", "info", procedure.id, ids, (), msg, src))
    return out
