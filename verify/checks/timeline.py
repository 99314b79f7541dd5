"""Timeline consistency between milestones: whether every timed event of a life cycle can fall in its place.

A procedure's ``milestones`` time events relative to each other ("within 15 working days of the
strategy discussion", "at least 2 working days before the conference"). Each limit is a rule of a
simple temporal network (:mod:`cpsim.verify.checks.stn`) between two events, in working days:

- an upper time (``within``, the top of a range) counts the most working days it can hold
  (:meth:`~cpsim.model.procedure.classes.Duration.working_days_at_most`), so a clash found never
  rests on a short reading of a calendar unit;
- a lower time (``at_least``, the bottom of a range) counts only when it has one length in working
  days; in a calendar unit (weeks, months) it is left out, so no clash is reported because of it;
- ``after`` and ``before`` always order the two events, and ``needs`` puts the needed event first.

The checks:

- TIMELINE_CONFLICT: limits that cannot all be met together, as a minimal set (drop any one and the
  rest can be met); a warning when one of them may be missed by the source's own words (``otherwise``).
- NEEDS_LATER_EVENT: a milestone needs an event that is due later than the milestone itself (a
  meeting that needs a record not yet due); NEEDS_UNTIMED_EVENT when the event needed has no time.
- REPEAT_EXCEEDS_MAXIMUM: a repeating milestone whose interval is longer than a maximum interval set
  for its ``topic`` elsewhere in the procedure.
- MILESTONE_UNSPECIFIED: a milestone, limit or repeat whose time the source leaves unspecified.
- MILESTONE_UNKNOWN_EVENT: a limit or need names no milestone or stage.
- TIMELINE_DUE: for each event others are due from (an origin, or an event the source does not
  time), how late each of them may fall if every event falls on its own due date.

A finding's ``stages`` holds milestone ids (and the stage a milestone is, where it names one).

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> check_timeline(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml"))
[]
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby

from cpsim.model.procedure.classes import Citation, Duration, Procedure
from cpsim.model.procedure.milestones import Limit, Milestone
from cpsim.model.types import Unit
from cpsim.verify.checks.deadlines import days
from cpsim.verify.checks.stn import Rule, conflict
from cpsim.verify.checks.wording import the
from cpsim.verify.findings import Finding, cite

__all__ = ["check_timeline", "due_dates"]

_EPS = 1e-9


@dataclass(frozen=True)
class _Made:
    """A rule of the network with what it was made from, for the message."""

    milestone: Milestone
    text: str
    otherwise: str | None
    source: Citation | None


class _Timeline:
    """The events of one procedure, numbered as points of the network, with names for messages."""

    def __init__(self, procedure: Procedure) -> None:
        self.procedure = procedure
        self.milestones = {m.id: m for m in procedure.milestones}
        self.titles = {s.id: s.title for s in procedure.stages} | {m.id: m.title for m in procedure.milestones}
        self.points = {e: i for i, e in enumerate(self.titles)}

    def name(self, event: str) -> str:
        """The event mid-sentence, e.g. 'the initial child protection conference'."""
        return f"the {the(self.titles[event])}"

    def ids(self, *events: str) -> tuple[str, ...]:
        """Event ids for a finding, each milestone followed by the stage it is (where it names one)."""
        out: list[str] = []
        for e in events:
            m = self.milestones.get(e)
            out += [e] if m is None or m.stage is None else [e, m.stage]
        return tuple(dict.fromkeys(out))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower(d: Duration | None) -> float:
    """Working days a lower time surely holds: exact ones only, else 0."""
    if d is None:
        return 0.0
    return Duration(amount=d.amount, unit=d.unit).exact_working_days() or 0.0


def _ends(lim: Limit) -> tuple[float, float | None]:
    """The least and most working days between the limit's event and the milestone."""
    if lim.within is not None:
        return 0.0, lim.within.working_days_at_most()
    if lim.at_least is not None:
        return _lower(lim.at_least), None
    if lim.between is not None:
        return _lower(lim.between), lim.between.working_days_at_most()
    return 0.0, None


def _readings(milestones: list[Milestone]) -> str:
    """A sentence on how the calendar units among ``milestones``' limits are counted ('' when none are)."""
    units = {d.unit for m in milestones for lim in m.timing if (d := lim.duration) is not None and not d.unit.exact}
    said = [f"{u.reading}" for u in sorted(units) if u.reading]
    return f" Calendar units are counted at the most working days they can hold: {'; '.join(said)}." if said else ""


def _clause(source: Citation | None) -> str:
    return f" (§{source.ref}: “{source.quote}”)" if source is not None else ""


def _rules(tl: _Timeline) -> Iterator[tuple[Rule, _Made]]:
    for m in tl.procedure.milestones:
        for lim in m.timing:
            if lim.event not in tl.points:
                continue
            lo, hi = _ends(lim)
            words = lim.phrase(tl.name(lim.event))
            made = _Made(m, f"{tl.name(m.id)} {words}{_clause(lim.source)}", lim.otherwise, lim.source)
            a, b = (tl.points[lim.event], tl.points[m.id]) if lim.after else (tl.points[m.id], tl.points[lim.event])
            yield Rule(a, b, lo, hi, made.text, cite(lim.source)), made
        for need in m.needs:
            if need.event in tl.points:
                text = f"{tl.name(m.id)} needs {tl.name(need.event)} first{_clause(need.source)}"
                made = _Made(m, text, None, need.source)
                yield Rule(tl.points[need.event], tl.points[m.id], 0.0, None, text, cite(need.source)), made


def _conflicts(tl: _Timeline) -> list[Finding]:
    pairs = list(_rules(tl))
    made = {id(r): mk for r, mk in pairs}
    rules = [r for r, _ in pairs]
    out = []
    while (clash := conflict(rules)) is not None:
        parts = [made[id(r)] for r in clash]
        soft = [p for p in parts if p.otherwise is not None]
        msg = "These limits cannot all be met together: " + "; ".join(p.text for p in parts) + "."
        if soft:
            msg += f" The source allows {tl.name(soft[0].milestone.id)} to be late: “{soft[0].otherwise}”."
        else:
            msg += " Whatever the dates, at least one of them is missed."
        msg += _readings([p.milestone for p in parts])
        events = tl.ids(*(p.milestone.id for p in parts))
        out.append(
            Finding(
                "TIMELINE_CONFLICT",
                "warning" if soft else "violation",
                tl.procedure.id,
                events,
                (),
                msg,
                cite(parts[0].source),
            )
        )
        rules = [r for r in rules if all(r is not c for c in clash)]
    return out


def due_dates(procedure: Procedure) -> dict[str, dict[str, float]]:
    """For each event, the most working days after each other event by which it is due.

    ``due[x][r]`` is how late ``x`` may fall after ``r`` when every event between them falls on its
    own due date: the shortest chain of upper limits from ``r`` to ``x`` (an event ``within`` N
    after another is due N after it; one at least N ``before`` another is due N before it). Every
    event is due 0 after itself.

    >>> from cpsim.model import PROCEDURES_DIR, load_procedure
    >>> due_dates(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml"))["raise"]
    {'raise': 0.0}
    """
    tl = _Timeline(procedure)
    edges: list[tuple[str, str, float]] = []  # (from, to, w): due(to) <= due(from) + w
    for m in procedure.milestones:
        for lim in m.timing:
            if lim.event not in tl.points:
                continue
            lo, hi = _ends(lim)
            if lim.after is not None and hi is not None:
                edges.append((lim.event, m.id, hi))
            elif lim.before is not None:
                edges.append((lim.event, m.id, -lo))
    due: dict[str, dict[str, float]] = {e: {e: 0.0} for e in tl.points}
    for _ in range(len(tl.points)):
        changed = False
        for a, b, w in edges:
            for root, t in list(due[a].items()):
                if t + w < due[b].get(root, float("inf")) - _EPS:
                    due[b][root], changed = t + w, True
        if not changed:
            break
    return due


def _needs(tl: _Timeline) -> list[Finding]:
    due = due_dates(tl.procedure)
    out = []
    for m in tl.procedure.milestones:
        for need in m.needs:
            p = need.event
            if p not in tl.points:
                continue
            said = f"{_cap(tl.name(p))} must come before {tl.name(m.id)}{_clause(need.source)}"
            late = [(due[p][r] - due[m.id][r], r) for r in due[p] if r in due[m.id]]
            gap, root = max(late, key=lambda x: x[0], default=(0.0, p))
            ids = tl.ids(m.id, p)
            if gap > _EPS:
                if root == m.id:
                    when = f"it is due up to {days(due[p][root])} after {tl.name(m.id)}"
                else:
                    when = (
                        f"counting from {tl.name(root)}, it is due up to {days(due[p][root])} after it and "
                        f"{tl.name(m.id)} up to {days(due[m.id][root])}"
                    )
                msg = f"{said}, but {when}: it can be due {days(gap)} later than {tl.name(m.id)}."
                out.append(Finding("NEEDS_LATER_EVENT", "violation", tl.procedure.id, ids, (), msg, cite(need.source)))
            elif len(due[p]) == 1:
                msg = f"{said}, but the source gives it no time limit, so nothing makes sure it does."
                out.append(Finding("NEEDS_UNTIMED_EVENT", "gap", tl.procedure.id, ids, (), msg, cite(need.source)))
    return out


def _longer(a: Duration, b: Duration) -> bool | None:
    """Whether interval ``a`` is surely longer than ``b`` (None when the units cannot tell)."""
    week = {Unit.CALENDAR_DAYS: 1, Unit.WEEKS: 7}
    if a.unit is b.unit:
        return a.amount > b.amount
    if a.unit in week and b.unit in week:
        return a.amount * week[a.unit] > b.amount * week[b.unit]
    ea, eb = a.exact_working_days(), b.exact_working_days()
    return None if ea is None or eb is None else ea > eb


def _repeats(tl: _Timeline) -> list[Finding]:
    out = []
    topical = sorted((m for m in tl.procedure.milestones if m.topic and m.repeats), key=lambda m: str(m.topic))
    for _, group in groupby(topical, key=lambda m: m.topic):
        ms = list(group)
        for cap in (m for m in ms if m.repeats and m.repeats.at_most_every is not None):
            assert cap.repeats is not None and cap.repeats.at_most_every is not None
            limit = cap.repeats.at_most_every
            for m in ms:
                if m is cap or m.repeats is None or m.repeats.interval is None:
                    continue
                longer = _longer(m.repeats.interval, limit)
                if longer:
                    msg = (
                        f"{_cap(tl.name(m.id))} repeats every {m.repeats.interval.label}"
                        f"{_clause(m.repeats.source)}, longer than the maximum interval of {limit.label} set for "
                        f"{tl.name(cap.id)}{_clause(cap.repeats.source)}."
                    )
                    out.append(
                        Finding(
                            "REPEAT_EXCEEDS_MAXIMUM",
                            "violation",
                            tl.procedure.id,
                            tl.ids(m.id, cap.id),
                            (),
                            msg,
                            cite(m.repeats.source),
                        )
                    )
    return out


def _unspecified(tl: _Timeline) -> list[Finding]:
    out = []
    for m in tl.procedure.milestones:
        pid, ids, src = tl.procedure.id, tl.ids(m.id), cite(m.source)
        title = _cap(m.title)
        if m.unspecified is not None:
            out.append(
                Finding(
                    "MILESTONE_UNSPECIFIED",
                    "gap",
                    pid,
                    ids,
                    (),
                    f"{title}: no time is given. {m.unspecified}",
                    src,
                )
            )
        for lim in m.timing:
            if lim.unspecified is not None and lim.event in tl.points:
                side = "after" if lim.after else "before"
                msg = f"{title} ({side} {tl.name(lim.event)}): no time is given. {lim.unspecified}"
                out.append(Finding("MILESTONE_UNSPECIFIED", "gap", pid, tl.ids(m.id, lim.event), (), msg, src))
        if m.repeats is not None and m.repeats.unspecified is not None:
            msg = f"{title} (repeating): how often is not given. {m.repeats.unspecified}"
            out.append(Finding("MILESTONE_UNSPECIFIED", "gap", pid, ids, (), msg, src))
    return out


def _unknown(tl: _Timeline) -> list[Finding]:
    out = []
    for m in tl.procedure.milestones:
        for event in m.events:
            if event not in tl.points:
                msg = f"{m.title} is timed from or needs {event!r}, which is neither a milestone nor a stage here."
                out.append(
                    Finding("MILESTONE_UNKNOWN_EVENT", "violation", tl.procedure.id, (m.id,), (), msg, cite(m.source))
                )
    return out


def _when(t: float) -> str:
    return f"{days(t)} after" if t > _EPS else f"{days(-t)} before" if t < -_EPS else "by then"


def _due(tl: _Timeline) -> list[Finding]:
    """One TIMELINE_DUE per clock: an origin, or an untimed event, that other events are due from."""
    due = due_dates(tl.procedure)
    order = list(tl.milestones)
    out = []
    for m in tl.procedure.milestones:
        if not (m.origin or set(due[m.id]) == {m.id}):
            continue
        timed = sorted(((due[e][m.id], order.index(e)), e) for e in order if e != m.id and m.id in due[e])
        if not timed:
            continue
        listed = "; ".join(f"{_when(t)}: {the(tl.titles[e])}" for (t, _), e in timed)
        msg = f"Latest times counted from {tl.name(m.id)}, with every event on its own due date: {listed}."
        msg += _readings([tl.milestones[e] for _, e in timed])
        ids = tl.ids(m.id, *(e for _, e in timed))
        out.append(Finding("TIMELINE_DUE", "info", tl.procedure.id, ids, (), msg, cite(m.source)))
    return out


def check_timeline(procedure: Procedure) -> list[Finding]:
    """Findings on the milestones of ``procedure``, in the order of the module's list of checks."""
    if not procedure.milestones:
        return []
    tl = _Timeline(procedure)
    return [*_unknown(tl), *_conflicts(tl), *_needs(tl), *_repeats(tl), *_unspecified(tl), *_due(tl)]
