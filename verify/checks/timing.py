"""Time bounds of the moves on a route, in working days, for the deadline checks.

A *step* is one stay at a stage followed by one move out of it. Its time lies between ``lo`` and
``hi`` (None when nothing bounds it): a request stage takes up to its reply deadline (exactly the
deadline when the move is on ``no-reply``), and a move takes up to its ``within``.

Nothing without a time limit is counted as taking no time. A stage with no deadline (or one the
file declares unspecified) and a move with no ``within`` (or an unspecified one) leave the step
unbounded. The one exception is a move into an ending with no ``within``: reaching an ending is the
case ending on the outcome that leads there, not a further step anyone takes, so it adds no time.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> proc = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
>>> up = next(t for t in proc.transitions if (t.from_, t.on) == ("level1", "unsatisfied"))
>>> s = step(proc, up)
>>> s.stay_hi, s.move_hi, s.hi, unbounded(proc, s)
(1.0, None, None, 'the move from Level 1 — social worker / team manager to Level 2 — service manager has no time limit')
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from cpsim.model.behaviour import to_working_days
from cpsim.model.procedure.classes import Duration, Procedure, Stage, Target, Transition
from cpsim.model.procedure.joint import the_repliers
from cpsim.model.procedure.parallel import Duty
from cpsim.model.types import StageId, StageKind, Unit, WorkingDays, add_months
from cpsim.verify.checks.reply_time import first_deadline, joint_gap, reply_days
from cpsim.verify.checks.walks import Walk, working_days
from cpsim.verify.checks.wording import the, the_role
from cpsim.verify.findings import cite

__all__ = [
    "Clock",
    "Step",
    "clocks",
    "JoinWait",
    "WalkTime",
    "first_unbounded",
    "join_waits",
    "route_bounds",
    "started_before",
    "shortest_months",
    "stay_gap",
    "step",
    "unbounded",
    "walk_time",
    "working_days_at_least",
]


@dataclass(frozen=True)
class Clock:
    """A time target: from one stage to the first of some stop stages, within ``days`` working days.

    ``days`` is the fewest working days the target can hold on any dates (what a route must fit in
    for the target to be met whatever the dates); ``days_at_most`` the most. They differ only for a
    target in a calendar unit, whose ``label`` then gives both figures.
    """

    id: str
    title: str
    start: StageId
    stops: tuple[StageId, ...]
    days: float
    label: str
    source: dict[str, str] | None
    days_at_most: float | None = None

    @property
    def upper(self) -> float:
        """The most working days the target can hold (``days`` when it has one length)."""
        return self.days if self.days_at_most is None else self.days_at_most

    def depends_on_dates(self, worst: float) -> bool:
        """True when a route taking at most ``worst`` working days meets the target on some dates and not others."""
        return self.days + 1e-9 < worst <= self.upper + 1e-9


BANK_HOLIDAYS_PER_MONTH = 3
"""The most bank holidays England has in any 31 days (Christmas Day, Boxing Day and New Year's Day)."""

BANK_HOLIDAYS_PER_YEAR = 10
"""The most bank holidays England has in any 365 days (8 a year, with room for one-off extras)."""


def working_days_at_least(duration: Duration, hours_per_day: float = 7.5) -> WorkingDays:
    """The fewest working days ``duration`` can hold on any dates in England (the upper end for a range).

    The counterpart of :meth:`~cpsim.model.procedure.classes.Duration.working_days_at_most`:
    exact units are their one length; a calendar span counts only its whole days (a part day may
    be a weekend), of which any 7 hold at least 5 weekdays and the rest at least ``days - 2``;
    ``N`` months are the shortest ``N`` consecutive months (28 days for one month). Bank holidays
    are then taken off: at most :data:`BANK_HOLIDAYS_PER_MONTH` per 31 days begun, and at most
    :data:`BANK_HOLIDAYS_PER_YEAR` per 365 days begun. ``same-day`` can hold nothing.

    >>> [working_days_at_least(Duration(amount=n, unit=u)) for n, u in [(1, "months"), (1, "weeks"), (3, "hours")]]
    [17.0, 2.0, 0.0]
    """
    exact = duration.exact_working_days(hours_per_day)
    if exact is not None:
        return exact
    unit, amount = duration.unit, duration.up_to if duration.up_to is not None else duration.amount
    if unit is Unit.SAME_DAY or unit.exact:
        return 0.0
    per_day = {Unit.HOURS: 1 / 24, Unit.CALENDAR_DAYS: 1.0, Unit.WEEKS: 7.0}.get(unit)
    days = shortest_months(int(amount)) if per_day is None else int(amount * per_day + 1e-9)
    weeks, rest = divmod(days, 7)
    weekdays = 5 * weeks + max(0, rest - 2)
    holidays = min(BANK_HOLIDAYS_PER_MONTH * -(-days // 31), BANK_HOLIDAYS_PER_YEAR * -(-days // 365))
    return float(max(0, weekdays - holidays))


@functools.cache
def shortest_months(months: int) -> int:
    """Days in the shortest run of ``months`` consecutive calendar months (over a 400-year Gregorian cycle).

    >>> shortest_months(1), shortest_months(3), shortest_months(12)
    (28, 89, 365)
    """
    firsts = [dt.date(2000 + i // 12, i % 12 + 1, 1) for i in range(400 * 12)]
    starts = firsts + [d - dt.timedelta(days=1) for d in firsts[1:]]  # the 1st, and the last day (clipped months)
    return min((add_months(s, months) - s).days for s in starts)


@dataclass(frozen=True)
class Step:
    """Bounds on the time of one stay-and-move, and what leaves it unbounded.

    ``untimed`` marks a dialogue or decision stage with no deadline at all, and ``untimed_move`` a
    move (not into an ending) with no ``within`` at all: the file says nothing about their time,
    where an ``unspecified`` note would say the source is silent.
    """

    stage: StageId
    transition: Transition
    stay_lo: float
    stay_hi: float | None
    move_hi: float | None
    untimed: bool
    untimed_move: bool = False

    @property
    def lo(self) -> float:
        """Least time the step can take."""
        return self.stay_lo

    @property
    def hi(self) -> float | None:
        """Most time the step can take, or None when unbounded."""
        if self.stay_hi is None or self.move_hi is None:
            return None
        return self.stay_hi + self.move_hi

    @property
    def timed_hi(self) -> float:
        """Most time the parts of the step that have a time limit can take (a lower bound on the worst case)."""
        return (self.stay_hi or 0.0) + (self.move_hi or 0.0)


_STEPS: dict[tuple[int, int], tuple[Procedure, Transition, Step]] = {}
"""Steps already worked out, by procedure and transition (both immutable, held so their ids stay theirs)."""


def step(procedure: Procedure, t: Transition) -> Step:
    """The time bounds of staying at ``t.from_`` and then taking ``t``."""
    key = (id(procedure), id(t))
    hit = _STEPS.get(key)
    if hit is not None and hit[0] is procedure and hit[1] is t:
        return hit[2]
    if len(_STEPS) > 100_000:
        _STEPS.clear()
    made = _step(procedure, t)
    _STEPS[key] = (procedure, t, made)
    return made


def _step(procedure: Procedure, t: Transition) -> Step:
    stage = procedure.stage(t.from_)
    lo, hi, untimed = _stay(stage, t.on)
    move: float | None
    if t.within is not None:
        move, untimed_move = working_days(t.within), False
    elif procedure.stage(t.to).is_terminal:
        move, untimed_move = 0.0, False
    else:
        move, untimed_move = None, True
    return Step(stage.id, t, lo, hi, move, untimed, untimed_move)


def _stay(stage: Stage, outcome: str) -> tuple[float, float | None, bool]:
    """The least and most time at ``stage`` before ``outcome``, and whether the file gives it no time at all.

    A request stage's two clocks add up: the owner's time to send (``send``; nothing when the stage
    has none, as the request goes when the stage is reached), then the reply deadline, which a
    ``no-reply`` outcome waits out. A meeting takes up to its ``within``.
    """
    if stage.kind is StageKind.START:
        return 0.0, 0.0, False
    if stage.meeting is not None:
        return 0.0, working_days(stage.meeting.within), False
    send = 0.0 if stage.send is None else working_days(stage.send)
    if stage.responders:
        d, first = reply_days(stage), first_deadline(stage)
        waits = first if outcome == "no-reply" else 0.0
        return waits, None if d is None or send is None else send + d, False
    if stage.deadline is None:
        return 0.0, None, stage.kind is not StageKind.REQUEST
    d = working_days(stage.deadline)
    if d is None or send is None:
        return (d or 0.0) if outcome == "no-reply" else 0.0, None, False
    return (d if outcome == "no-reply" else 0.0), send + d, False


def stay_gap(procedure: Procedure, stage: Stage) -> str | None:
    """Why the time at ``stage`` has no upper bound, in words ("... has no reply deadline"); None when it has one.

    >>> from cpsim.model import PROCEDURES_DIR, load_procedure
    >>> proc = load_procedure(PROCEDURES_DIR / "redcar-external.yaml")
    >>> stay_gap(proc, proc.stage("level2"))
    "the IRO team manager has no time limit to send the request to the practitioner's line manager"
    """
    if stage.kind is StageKind.START:
        return None
    if stage.meeting is not None:
        return None if stage.meeting.within.is_specified else f"{stage.title} has no time limit for the meeting"
    if stage.send is not None and not stage.send.is_specified:
        return f"{the_role(procedure, stage.owner)} has no time limit to send the request to " + the_repliers(
            procedure, stage
        )
    if stage.responders:
        return joint_gap(procedure, stage)
    if stage.deadline is None or not stage.deadline.is_specified:
        return f"{stage.title} has no " + ("reply deadline" if stage.kind is StageKind.REQUEST else "time limit")
    return None


def unbounded(procedure: Procedure, s: Step, *, stay: bool = True, move: bool = True) -> str | None:
    """Why ``s`` (its stay, its move, or both) has no upper bound, in words; None when it has one."""
    if stay and s.stay_hi is None:
        return stay_gap(procedure, procedure.stage(s.stage))
    if move and s.move_hi is None:
        a, b = procedure.stage(s.transition.from_).title, procedure.stage(s.transition.to).title
        return f"the move from {a} to {b} has no time limit"
    return None


def first_unbounded(procedure: Procedure, steps: Sequence[Step]) -> str | None:
    """Why the first unbounded step of ``steps`` has no upper bound; None when every step has one."""
    return next((why for s in steps if (why := unbounded(procedure, s)) is not None), None)


def route_bounds(procedure: Procedure, walk: Walk) -> tuple[float, float | None]:
    """Best and worst time of ``walk`` (worst None when some step is unbounded), waits at joins included."""
    wt = walk_time(procedure, walk, [step(procedure, t) for t in walk])
    return wt.lo, wt.hi


@dataclass(frozen=True)
class JoinWait:
    """On a route, the case enters ``stage`` (after move ``at``) once ``duty``, started at move ``started``, is done."""

    stage: StageId
    duty: Duty
    started: int
    at: int
    on_leaving: bool


@dataclass(frozen=True)
class WalkTime:
    """A route's least time, its most (None when unbounded), the most of its timed parts, and why it is unbounded."""

    lo: float
    hi: float | None
    timed_hi: float
    why: str | None


def started_before(procedure: Procedure, walk: Walk, i: int) -> frozenset[str]:
    """Ids of the duties that start on ``walk`` before its move ``i``'s stage is reached."""
    return frozenset(d.id for d in procedure.duties for j in range(i) if _starts_at(d, walk, j))


def _starts_at(duty: Duty, walk: Walk, i: int) -> bool:
    t = walk[i]
    return t.from_ == duty.starts and (duty.on is None or t.on == duty.on)


def join_waits(procedure: Procedure, walk: Walk, running: Collection[str] = ()) -> list[JoinWait]:
    """Every wait for a duty on ``walk``: a join entered after the duty started on the walk (or is ``running``)."""
    out = []
    for duty in procedure.duties:
        if not duty.before:
            continue
        started: int | None = 0 if duty.id in running else None
        for i, t in enumerate(walk):
            if started is None and _starts_at(duty, walk, i):
                started = i
            if started is not None and t.to in duty.before:
                out.append(JoinWait(t.to, duty, started, i, duty.on is not None))
    return out


def walk_time(procedure: Procedure, walk: Walk, steps: Sequence[Step], running: Collection[str] = ()) -> WalkTime:
    """The time of ``walk``: its steps in turn, each join entered no earlier than the end of the duties it waits for.

    ``running`` names duties already under way when the walk begins, counted as starting with it.
    """
    lo: list[float] = [0.0]
    hi: list[float | None] = [0.0]
    timed: list[float] = [0.0]
    waits = join_waits(procedure, walk, running)
    why = first_unbounded(procedure, steps)
    for i, s in enumerate(steps):
        h = hi[-1]
        lo.append(lo[-1] + s.lo)
        hi.append(None if h is None or s.hi is None else h + s.hi)
        timed.append(timed[-1] + s.timed_hi)
        for w in (w for w in waits if w.at == i):
            start = steps[w.started]
            base_hi = hi[w.started]
            if w.on_leaving:
                base_hi = None if base_hi is None or start.stay_hi is None else base_hi + start.stay_hi
            took = working_days(w.duty.within)
            end = None if base_hi is None or took is None else base_hi + took
            hi[-1] = None if end is None or hi[-1] is None else max(hi[-1], end)
            timed[-1] = max(timed[-1], timed[w.started] + (took or 0.0))
            if took is None and why is None:
                why = f"the case waits at {procedure.stage(w.stage).title} for {the(w.duty.title)}, "
                why += "which has no time limit"
    return WalkTime(lo[-1], hi[-1], timed[-1], why)


def clocks(procedure: Procedure, target_days: float | None = None) -> list[Clock]:
    """The procedure's targets as clocks, plus (or replacing) one from the start when ``target_days`` is given."""
    out = [_clock(procedure, t) for t in procedure.targets]
    if target_days is not None:
        start = procedure.start.id
        ends = tuple(s.id for s in procedure.stages if s.is_terminal)
        out = [c for c in out if not (c.start == start and set(c.stops) == set(ends))]
        label = f"{target_days:g} working day" + ("" if target_days == 1 else "s")
        title = f"Any ending within {label} of the start (--target-days)"
        out.append(Clock("target-days", title, start, ends, float(target_days), label, None))
    return out


def _clock(procedure: Procedure, target: Target) -> Clock:
    lo, hi = working_days_at_least(target.within), to_working_days(target.within)
    label = target.within.label
    if lo != hi:
        label += f", between {lo:g} and {hi:g} working days depending on the dates"
    stops = procedure.target_stops(target)
    return Clock(target.id, target.title, target.from_, stops, lo, label, cite(target.source), hi if lo != hi else None)
