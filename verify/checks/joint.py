"""Joint replies: a request stage whose reply is owed by several responders (``responders`` and ``reply``).

The reply rule says whether the stage's deadline holds for every responder (``from: all``: the
joint reply is complete when the last of them has replied) or is met by one reply from any of them
(``from: any``); a responder may have its own deadline where the source gives one per role
(:mod:`cpsim.model.procedure.joint`).

Findings, each on a stage some route reaches:

- ``JOINT_REPLY_UNSPECIFIED`` (gap): the source names several responders but not whether the reply
  is due from all of them or from any one, so neither when the rung ends nor who must act is known;
- ``JOINT_REPLY_AMBIGUOUS`` (warning): the source's words for who replies can be read more than one
  way; the finding gives the reading the file takes;
- ``JOINT_DEADLINES_CONFLICT`` (violation): the responders' deadlines cannot all be kept with the
  stage's: under ``all``, a responder's own deadline can fall later than the stage's (the joint
  reply is then not complete by the stage's deadline); under ``any``, every responder's own
  deadline falls later than the stage's;
- ``JOINT_DEADLINE_UNSPECIFIED`` (gap): under ``all``, a responder whose own deadline the source
  does not give, so nothing bounds when the joint reply is complete;
- ``JOINT_REPLY`` (info): who owes the reply, the rule, and who spends time on it;
- ``PROVISIONAL_RULE`` (info), as in :mod:`cpsim.verify.checks.provisional`, for a reply rule or a
  responder's own deadline the source says may change.

Examples
--------
>>> from pathlib import Path
>>> from cpsim.model import load_procedure
>>> proc = load_procedure(Path("tests/data/v2-joint.yaml"))
>>> [(f.code, f.severity) for f in check_joint(proc)]
[('JOINT_REPLY_AMBIGUOUS', 'warning'), ('JOINT_REPLY', 'info')]
"""

from __future__ import annotations

from cpsim.model.procedure.classes import Citation, Deadline, Procedure, Stage, _Worded
from cpsim.model.procedure.describe import mid_sentence
from cpsim.verify.checks.walks import path_to, reachable_from
from cpsim.verify.findings import Finding, cite

__all__ = ["check_joint"]


def check_joint(procedure: Procedure) -> list[Finding]:
    """The findings listed in the module docstring, for every request stage with ``responders``."""
    live = reachable_from(procedure, procedure.start.id)
    out: list[Finding] = []
    for s in procedure.stages:
        if s.responders and s.reply is not None and s.id in live:
            out += _stage_findings(procedure, s, tuple(path_to(procedure, s.id)))
    return out


def _name(procedure: Procedure, role: str) -> str:
    return "the " + mid_sentence(procedure.role(role).title)


def _stage_findings(procedure: Procedure, s: Stage, route: tuple[str, ...]) -> list[Finding]:
    assert s.reply is not None
    rule, pid = s.reply, procedure.id
    src = cite(rule.source or s.source)
    who = " and ".join(_name(procedure, r.role) for r in s.responders)
    out = []
    if not rule.is_specified:
        msg = (
            f"{s.title} asks {who} to reply, but the procedure does not say whether the reply is due from all of "
            f"them or from any one, so neither when the rung ends nor who must act is known. "
            f"The source is silent: {rule.unspecified}"
        )
        out.append(Finding("JOINT_REPLY_UNSPECIFIED", "gap", pid, (s.id,), route, msg, src))
    elif rule.ambiguous:
        words = f", “{rule.as_written}”," if rule.as_written else ""
        msg = (
            f"At {s.title} the source's words for who replies{words} can be read as a reply due from each of "
            f"{who} or from any one of them. The file takes a reply {rule.phrase} — {rule.reading}"
        )
        out.append(Finding("JOINT_REPLY_AMBIGUOUS", "warning", pid, (s.id,), route, msg, src))
    out += _deadline_findings(procedure, s, route)
    out += _provisional(procedure, s)
    spend = [r.role for r in s.responders if r.spends_time]
    spenders = "all of them" if len(spend) == len(s.responders) else " and ".join(_name(procedure, r) for r in spend)
    due = s.deadline.label if s.deadline is not None else "with no deadline"
    rule_words = f"due {rule.phrase}" if rule.is_specified else "due from all or any of them (not said)"
    msg = f"{s.title}: the reply is owed jointly by {who}, {rule_words}, {due}; time is spent on it by {spenders}."
    out.append(Finding("JOINT_REPLY", "info", pid, (s.id,), (), msg, src))
    return out


def _days(d: Deadline | None) -> float | None:
    return d.duration.working_days_at_most() if d is not None and d.duration is not None else None


def _deadline_findings(procedure: Procedure, s: Stage, route: tuple[str, ...]) -> list[Finding]:
    assert s.reply is not None
    pid, stage_days = procedure.id, _days(s.deadline)
    own = [(r, r.deadline) for r in s.responders if r.deadline is not None]
    out = []
    if s.reply.from_ == "all":
        for r, d in own:
            if not d.is_specified:
                msg = (
                    f"{s.title}: the reply is due from every one of its responders, but the source gives "
                    f"{_name(procedure, r.role)} no deadline, so nothing bounds when the joint reply is complete. "
                    f"The source is silent: {d.unspecified}"
                )
                out.append(Finding("JOINT_DEADLINE_UNSPECIFIED", "gap", pid, (s.id,), route, msg, cite(s.source)))
        late = [(r, d) for r, d in own if (x := _days(d)) is not None and stage_days is not None and x > stage_days]
        limit = s.deadline.label if s.deadline is not None else ""
        for r, d in late:
            msg = (
                f"{s.title}: the reply is due from every one of its responders {limit}, "
                f"but {_name(procedure, r.role)} has {d.label.removeprefix('within ')}: if they take the time they "
                f"are given, the joint reply is not complete by the stage's deadline."
            )
            out.append(
                Finding("JOINT_DEADLINES_CONFLICT", "violation", pid, (s.id,), route, msg, cite(d.source or s.source))
            )
    elif s.reply.from_ == "any" and own and len(own) == len(s.responders) and stage_days is not None:
        times = [_days(d) for _, d in own]
        if all(x is not None and x > stage_days for x in times):
            each = "; ".join(f"{_name(procedure, r.role)} {d.label}" for r, d in own)
            msg = (
                f"{s.title}: one reply from any of its responders is due {s.deadline.label if s.deadline else ''}, "
                f"but every one of them is given longer ({each}), so the stage's deadline can pass with every "
                "responder still within their own."
            )
            out.append(Finding("JOINT_DEADLINES_CONFLICT", "violation", pid, (s.id,), route, msg, cite(s.source)))
    return out


def _provisional(procedure: Procedure, s: Stage) -> list[Finding]:
    """PROVISIONAL_RULE for the reply rule and each responder's own deadline the source says may change."""
    rules: list[tuple[str, _Worded | None]] = [(f"the joint reply rule at {s.title}", s.reply)]
    rules += [(f"{_name(procedure, r.role)}'s own deadline at {s.title}", r.deadline) for r in s.responders]
    out = []
    for what, rule in rules:
        p = rule.provisional if rule is not None else None
        if p is None:
            continue
        words = f"the source says “{p.quote}” (§{p.ref})" if isinstance(p, Citation) else f"the file notes: {p}"
        msg = f"{what[:1].upper()}{what[1:]} is provisional: {words}. Figures resting on it may change."
        out.append(
            Finding(
                "PROVISIONAL_RULE", "info", procedure.id, (s.id,), (), msg, cite(p) if isinstance(p, Citation) else None
            )
        )
    return out
