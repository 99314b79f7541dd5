"""Quoracy, decision rules and checklists: what they settle and what the source leaves open.

Findings:

- ``QUORUM_INQUORATE_UNSPECIFIED`` (gap): a quorum with nothing said about an inquorate meeting;
- ``DECISION_NO_TIE_BREAK`` (gap): a decision rule none of whose steps always decides (no chair's
  decision or casting vote), so a split or a tie has no way out in the source;
- ``DECISION_NORMALLY`` (gap): a step the source says applies "normally", without saying when not;
- ``RULE_UNSPECIFIED`` (gap): any other ``unspecified`` note of a quorum or decision rule, and a
  checklist question whose time or standard the source names but does not give;
- ``QUORUM``, ``DECISION_RULE``, ``CHECKLIST`` (info): each rule in plain English, cited.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> proc = load_procedure(PROCEDURES_DIR / "wakefield-conference-lifecycle.yaml")
>>> [f.code for f in check_rules(proc)]
['QUORUM_INQUORATE_UNSPECIFIED', 'QUORUM']
"""

from __future__ import annotations

from cpsim.model.procedure.classes import Procedure
from cpsim.model.procedure.rules import Checklist, DecisionRule, Method, Quorum
from cpsim.verify.findings import Finding, cite

__all__ = ["check_rules"]

_METHOD_WORDS = {
    Method.CONSENSUS: "by consensus",
    Method.SIMPLE_MAJORITY: "by a simple majority",
    Method.CASTING_VOTE: "by the chair's casting vote",
    Method.CHAIR_DECIDES: "by the chair",
    Method.MAJORITY_UPHELD: "the majority decision upheld",
}


def check_rules(procedure: Procedure) -> list[Finding]:
    """The findings listed in the module docstring, for every quorum, decision rule and checklist."""
    out: list[Finding] = []
    for q in procedure.quorums:
        out += _quorum(procedure, q)
    for d in procedure.decision_rules:
        out += _decision(procedure, d)
    for c in procedure.checklists:
        out += _checklist(procedure, c)
    return out


def _where(procedure: Procedure, names: tuple[str, ...]) -> str:
    titles = {s.id: s.title for s in procedure.stages} | {m.id: m.title for m in procedure.milestones}
    return "; ".join(titles.get(n, n) for n in names)


def _quorum(procedure: Procedure, q: Quorum) -> list[Finding]:
    pid, src, stages = procedure.id, cite(q.source), q.applies_to
    out = []
    if not q.says_inquorate:
        note = q.unspecified.get("inquorate", "the file says nothing about it")
        msg = f"{q.title}: the source does not say what happens when the meeting is not quorate. {note}"
        out.append(Finding("QUORUM_INQUORATE_UNSPECIFIED", "gap", pid, stages, (), msg, src))
    for topic, note in q.unspecified.items():
        if topic != "inquorate":
            out.append(Finding("RULE_UNSPECIFIED", "gap", pid, stages, (), f"{q.title} ({topic}): {note}", src))
    need = f"at least {q.at_least} {q.of or 'attending'}" if q.at_least else (q.of or "a quorum the source describes")
    msg = f"{q.title}: quorate with {need}"
    if q.who:
        msg += f" ({q.who})"
    if q.ensured_by:
        msg += f"; {procedure.role(q.ensured_by).title} makes sure of it"
    if q.inquorate:
        msg += f"; when it is not: {q.inquorate}"
    if q.inquorate_stage:
        msg += f" (the route's stage {procedure.stage(q.inquorate_stage).title})"
    if stages:
        msg += f". Applies to: {_where(procedure, stages)}"
    out.append(Finding("QUORUM", "info", pid, stages, (), msg + ".", src))
    return out


def _decision(procedure: Procedure, d: DecisionRule) -> list[Finding]:
    pid, stages = procedure.id, d.applies_to
    out = []
    if not d.settles_ties:
        msg = (
            f"{d.title}: no step always reaches a decision (the source gives no chair's decision or casting vote), "
            "so a split or a tie has no way out in the source."
        )
        out.append(Finding("DECISION_NO_TIE_BREAK", "gap", pid, stages, (), msg, cite(d.source)))
    for s in d.steps:
        if s.normally:
            msg = f"{d.title}: the decision is {_METHOD_WORDS[s.method]} only 'normally'; "
            msg += "the source does not say when not."
            out.append(Finding("DECISION_NORMALLY", "gap", pid, stages, (), msg, cite(s.source)))
    for topic, note in d.unspecified.items():
        out.append(Finding("RULE_UNSPECIFIED", "gap", pid, stages, (), f"{d.title} ({topic}): {note}", cite(d.source)))
    parts = [_METHOD_WORDS[s.method] + (f" {s.when}" if s.when else "") for s in d.steps]
    msg = f"{d.title}: decided " + ", then ".join(parts)
    if stages:
        msg += f". Applies to: {_where(procedure, stages)}"
    out.append(Finding("DECISION_RULE", "info", pid, stages, (), msg + ".", cite(d.source)))
    return out


def _checklist(procedure: Procedure, c: Checklist) -> list[Finding]:
    pid, stages = procedure.id, c.applies_to
    out = []
    for item in c.items:
        if item.unspecified:
            msg = f"{c.title}, “{item.question}”: {item.unspecified}"
            out.append(Finding("RULE_UNSPECIFIED", "gap", pid, stages, (), msg, cite(item.source)))
    timed = [i for i in c.items if i.in_advance is not None]
    by = f", completed by {procedure.role(c.by).title}" if c.by else ""
    msg = f"{c.title}{by}: {len(c.items)} questions"
    if timed:
        msg += "; timed: " + "; ".join(
            f"“{i.as_written or i.question}” ({i.in_advance.label} before{' ' + i.when if i.when else ''})"
            for i in timed
            if i.in_advance is not None
        )
    out.append(Finding("CHECKLIST", "info", pid, stages, (), msg + ".", cite(c.source)))
    return out
