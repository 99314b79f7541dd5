"""The same rule compared across the procedures of different authorities: where their timescales differ.

Rules are matched by ``topic``, which a file gives to a timescale, a milestone (its limits and its
repeat) and a checklist question. For each topic that more than one authority times:

- ``ACROSS_CONFLICT`` (warning): the authorities set different times for it (Wakefield circulates
  the record of a conference within 15 working days, Stoke-on-Trent / Staffordshire its minutes
  within 10); each authority's times are listed with the clause they rest on;
- ``ACROSS_UNTIMED`` (gap): one authority names the rule but gives it no time where another does;
- ``ACROSS_AGREE`` (info): every authority that times it sets the same time.

Times are compared as written (their unit and amount): 24 hours and 1 working day are different
rules, even where they may fall on the same day.

Examples
--------
>>> from cpsim.model import load_procedure, shipped_procedure_paths
>>> found = compare_across([load_procedure(p) for p in shipped_procedure_paths()])
>>> sorted({f.code for f in found})
['ACROSS_AGREE', 'ACROSS_CONFLICT', 'ACROSS_UNTIMED']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from cpsim.model.procedure.classes import Citation, Duration, Procedure
from cpsim.verify.findings import Finding, cite

__all__ = ["TopicRule", "compare_across", "topic_rules"]


@dataclass(frozen=True)
class TopicRule:
    """One rule on a shared topic in one procedure: its time (None when the source gives none) and clause."""

    topic: str
    authority: str
    procedure: str
    what: str
    time: Duration | None
    source: Citation | None

    @property
    def said(self) -> str:
        """The time in words, with what it times and where it comes from."""
        where = f"{self.procedure} §{self.source.ref}" if self.source else self.procedure
        return f"{self.time.label if self.time else 'no time given'} ({self.what}; {where})"


def topic_rules(procedure: Procedure) -> Iterator[TopicRule]:
    """Every rule of ``procedure`` that has a topic: timescales, milestone limits and repeats, checklist questions."""
    a, pid = procedure.authority, procedure.id
    for t in procedure.timescales:
        yield TopicRule(t.topic, a, pid, t.rule.rstrip("."), t.within, t.source)
    for m in procedure.milestones:
        if m.topic is None:
            continue
        for lim in m.timing:
            yield TopicRule(m.topic, a, pid, f"{m.title}, {lim.label}", lim.duration, lim.source or m.source)
        if m.repeats is not None:
            how = "at most every" if m.repeats.is_maximum else "every"
            rep = m.repeats.interval
            what = f"{m.title}, repeating {how} {rep.label}" if rep else f"{m.title}, repeating"
            yield TopicRule(f"{m.topic} (repeat)", a, pid, what, rep, m.repeats.source or m.source)
    for c in procedure.checklists:
        for item in c.items:
            if item.topic is not None:
                what = f"{c.title}: “{item.question}”" + (f" {item.when}" if item.when else "")
                yield TopicRule(item.topic, a, pid, what, item.in_advance, item.source)


def compare_across(procedures: Iterable[Procedure]) -> list[Finding]:
    """ACROSS_CONFLICT, ACROSS_UNTIMED and ACROSS_AGREE for every topic more than one authority times."""
    by_topic: dict[str, list[TopicRule]] = {}
    for proc in procedures:
        for rule in topic_rules(proc):
            by_topic.setdefault(rule.topic, []).append(rule)
    out = []
    for topic, rules in sorted(by_topic.items()):
        authorities = sorted({r.authority for r in rules})
        if len(authorities) < 2:
            continue
        timed = {a: sorted({r.time.label for r in rules if r.authority == a and r.time}) for a in authorities}
        timing = [a for a in authorities if timed[a]]
        if len(timing) < 1:
            continue
        pids = tuple(sorted({r.procedure for r in rules}))
        first = next(r for r in rules if r.time)
        listing = "; ".join(
            f"{a}: " + ", ".join(r.said for r in rules if r.authority == a and (r.time or not timed[a]))
            for a in authorities
        )
        silent = [a for a in authorities if not timed[a]]
        if silent:
            msg = f"Topic “{topic}”: {', '.join(silent)} gives no time where another authority does. {listing}."
            out.append(Finding("ACROSS_UNTIMED", "gap", ",".join(pids), (), (), msg, cite(first.source)))
        if len({tuple(timed[a]) for a in timing}) > 1:
            msg = f"Topic “{topic}”: the authorities set different times. {listing}."
            src = cite(next(r.source for r in rules if r.time and r.authority != first.authority) or first.source)
            out.append(Finding("ACROSS_CONFLICT", "warning", ",".join(pids), (), (), msg, src))
        elif len(timing) > 1:
            msg = f"Topic “{topic}”: every authority that times it sets {', '.join(timed[timing[0]])}. {listing}."
            out.append(Finding("ACROSS_AGREE", "info", ",".join(pids), (), (), msg, cite(first.source)))
    return out
