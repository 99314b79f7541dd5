"""Duties that run alongside the route, the joins that wait for them, meetings and times to send.

A duty (:class:`~cpsim.model.procedure.parallel.Duty`) starts when a case reaches its ``starts``
stage (or leaves it on ``on``) and runs beside the route; a stage named in its ``before`` is a
*join*, which the case enters only once the duty, if it started, is done. So on a route the case
enters a join at the later of its own arrival and the duty's end:
:func:`cpsim.verify.checks.timing.walk_time` gives a route's least and most time with those waits,
and the deadline checks use it for every target.

Findings:

- ``DUTY_UNSPECIFIED`` (gap): a duty whose time the source does not give;
- ``SEND_UNSPECIFIED`` / ``MEETING_UNSPECIFIED`` (gap): a request stage's time to send, or a
  meeting's time, the source does not give;
- ``JOIN_WAIT_UNBOUNDED`` (gap): a join waits for a duty that has no time limit, so nothing bounds
  the wait;
- ``JOIN_UNREACHABLE`` (warning): no route from where a duty starts reaches the stage said to wait
  for it, so nothing ever waits for it there;
- ``JOIN_BYPASSED`` (warning): a route reaches a join without starting a duty that always arises,
  so on that route the case does not wait for it;
- ``DUTY_NEVER_STARTS`` (warning): no route reaches the stage where a duty starts;
- ``DUTY_HANDS_OFF`` (info): a duty can hand the matter to another document or process, where the
  file follows it no further; ``DUTY_OPEN`` (info): nothing waits for a duty and it hands nothing on.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> proc = load_procedure(PROCEDURES_DIR / "wakefield-conference-dissent.yaml")
>>> sorted({f.code for f in check_parallel(proc)})
['DUTY_HANDS_OFF', 'DUTY_UNSPECIFIED', 'JOIN_WAIT_UNBOUNDED']
"""

from __future__ import annotations

import networkx as nx

from cpsim.model.procedure.classes import Procedure
from cpsim.model.procedure.joint import the_repliers
from cpsim.model.procedure.parallel import Duty
from cpsim.model.types import StageId, StageKind
from cpsim.verify.checks.walks import digraph, path_to, reachable_from
from cpsim.verify.checks.wording import render, the, the_role
from cpsim.verify.findings import Finding, cite

__all__ = ["check_parallel"]


def check_parallel(procedure: Procedure) -> list[Finding]:
    """The findings listed in the module docstring, for every duty, meeting and time to send."""
    live = reachable_from(procedure, procedure.start.id)
    out = _clock_gaps(procedure, live)
    for duty in procedure.duties:
        out += _duty_findings(procedure, duty, live)
    return out


def _clock_gaps(procedure: Procedure, live: set[StageId]) -> list[Finding]:
    out = []
    for s in procedure.stages:
        if s.id not in live:
            continue
        if s.kind is StageKind.REQUEST and s.send is not None and not s.send.is_specified:
            msg = (
                f"{s.title}: no time for {the_role(procedure, s.owner)} to send the request to "
                f"{the_repliers(procedure, s)}; the reply deadline counts only from then. "
                f"The source is silent: {s.send.unspecified}"
            )
            out.append(
                Finding("SEND_UNSPECIFIED", "gap", procedure.id, (s.id,), (), msg, cite(s.send.source or s.source))
            )
        if s.meeting is not None and not s.meeting.within.is_specified:
            who = " and ".join(procedure.role(r).title for r in (*([s.owner] if s.owner else []), *s.meeting.with_))
            msg = f"{s.title}: no time is given for the meeting of {who}. "
            msg += f"The source is silent: {s.meeting.within.unspecified}"
            src = cite(s.meeting.within.source or s.meeting.source or s.source)
            out.append(Finding("MEETING_UNSPECIFIED", "gap", procedure.id, (s.id,), (), msg, src))
    return out


def _duty_findings(procedure: Procedure, duty: Duty, live: set[StageId]) -> list[Finding]:
    pid, src = procedure.id, cite(duty.source)
    name = the(duty.title)
    start = procedure.stage(duty.starts).title
    if duty.starts not in live:
        msg = f"No route reaches {start}, where {name} starts, so it never arises."
        return [Finding("DUTY_NEVER_STARTS", "warning", pid, (duty.starts,), (), msg, src)]
    out = []
    if not duty.within.is_specified:
        msg = f"{_cap(duty.title)} (from {start}) has no time limit. "
        msg += f"The source is silent: {duty.within.unspecified}"
        out.append(Finding("DUTY_UNSPECIFIED", "gap", pid, (duty.starts,), (), msg, cite(duty.within.source) or src))
    for topic, note in duty.unspecified.items():
        msg = f"{_cap(duty.title)}: the file leaves '{topic}' open. The source is silent: {note}"
        out.append(Finding("DUTY_UNSPECIFIED", "gap", pid, (duty.starts,), (), msg, src))
    after = _after_start(procedure, duty)
    for stop in duty.before:
        title = procedure.stage(stop).title
        if stop not in after:
            msg = (
                f"{title} is said to wait for {name}, but no route from {start} reaches it, "
                "so nothing ever waits for the duty there."
            )
            out.append(Finding("JOIN_UNREACHABLE", "warning", pid, (duty.starts, stop), (), msg, src))
            continue
        if not duty.within.is_specified:
            msg = f"The case waits at {title} for {name}, which has no time limit: nothing bounds the wait."
            route = tuple(path_to(procedure, stop, duty.starts))
            out.append(Finding("JOIN_WAIT_UNBOUNDED", "gap", pid, (stop,), route, msg, src))
        bypass = _bypass(procedure, duty, stop)
        if bypass and not duty.conditional:
            msg = (
                f"{render(procedure, bypass)} reaches {title} without {name} having started, so on this route "
                "the case does not wait for it there."
            )
            out.append(Finding("JOIN_BYPASSED", "warning", pid, (stop,), tuple(bypass), msg, src))
    if duty.refers_to:
        msg = f"{_cap(duty.title)} can hand the matter to {duty.refers_to}; the file follows it no further."
        out.append(Finding("DUTY_HANDS_OFF", "info", pid, (duty.starts,), (), msg, src))
    elif not duty.before:
        msg = (
            f"{_cap(duty.title)} runs alongside the route from {start}; nothing in the file "
            "waits for it or says where it leads."
        )
        out.append(Finding("DUTY_OPEN", "info", pid, (duty.starts,), (), msg, src))
    return out


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _after_start(procedure: Procedure, duty: Duty) -> set[StageId]:
    """Stages the case can reach once ``duty`` has started."""
    if duty.on is None:
        return reachable_from(procedure, duty.starts) - {duty.starts} | _loops_back(procedure, duty.starts)
    nexts = [t.to for t in procedure.transitions_from(duty.starts) if t.on == duty.on]
    return set().union(*(reachable_from(procedure, n) for n in nexts)) if nexts else set()


def _loops_back(procedure: Procedure, stage: StageId) -> set[StageId]:
    """``stage`` itself when a route can come back to it."""
    return (
        {stage} if any(stage in reachable_from(procedure, t.to) for t in procedure.transitions_from(stage)) else set()
    )


def _bypass(procedure: Procedure, duty: Duty, stop: StageId) -> list[StageId]:
    """A route from the start to ``stop`` on which ``duty`` never starts (empty when there is none)."""
    kept = [t for t in procedure.transitions if not (t.from_ == duty.starts and (duty.on is None or t.on == duty.on))]
    g = digraph(procedure, kept)
    first = procedure.start.id
    if duty.on is None and first == duty.starts:
        return []
    try:
        return list(nx.shortest_path(g, first, stop))
    except nx.NetworkXNoPath:
        return []
