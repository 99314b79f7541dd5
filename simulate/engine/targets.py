"""Time targets measured on one challenge's path: when the clock starts and stops, and whether it was missed.

A target's clock starts when the challenge first enters the target's ``from`` stage and stops
when it first enters one of its stop stages afterwards. Working-day and working-hour targets are
measured in working time; calendar-day and clock-hour targets in calendar time. A target is missed
when the time taken is more than the limit: exactly the limit is on time.

Examples
--------
>>> import datetime as dt
>>> from cpsim.model import load_procedure, shipped_procedure_paths
>>> from cpsim.simulate.engine.calendar import WorkingCalendar
>>> proc = load_procedure([p for p in shipped_procedure_paths() if p.stem == "redcar-internal"][0])
>>> clock = target_clocks(proc, WorkingCalendar(dt.date(2026, 1, 5), 30), 7.5)[0]
>>> clock.result([("raise", 0.0), ("level1", 0.0), ("resolved", 5.0)], 5.0, 5.0).breached
False
>>> clock.result([("raise", 0.0), ("level1", 0.0), ("resolved", 5.5)], 5.5, 5.5).breached
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cpsim.model.procedure.classes import Procedure, Target
from cpsim.model.types import Unit
from cpsim.simulate.engine.calendar import WorkingCalendar
from cpsim.simulate.engine.records import TargetResult

__all__ = ["TargetClock", "target_clocks", "target_limit"]

_new = tuple.__new__
"""Makes a :class:`TargetResult` without the named tuple's own ``__new__`` frame (once per challenge and target)."""

EPS = 1e-9


@dataclass(frozen=True)
class TargetClock:
    """One target of a procedure, ready to measure paths."""

    target: Target
    stops: frozenset[str]
    limit: float
    working: bool
    cal: WorkingCalendar

    def started(self, path: Sequence[tuple[str, float]]) -> bool:
        """True when the path entered the target's ``from`` stage."""
        return any(s == self.target.from_ for s, _ in path)

    def result(self, path: Sequence[tuple[str, float]], end: float | None, now: float) -> TargetResult:
        """The target's result for a path (``end`` None: still open at ``now``)."""
        measured = self.measure([s for s, _ in path], [t for _, t in path], end, now)
        if measured is None:
            raise ValueError(f"the path never enters {self.target.from_}, where the target's clock starts")
        return measured

    def measure(self, stages: list[str], times: list[float], end: float | None, now: float) -> TargetResult | None:
        """:meth:`result` for a path given as its stages and their entry times; None when the clock never started."""
        try:
            i = stages.index(self.target.from_)
        except ValueError:
            return None
        stops, until, stopped = self.stops, now, False
        for j in range(i, len(stages)):
            if stages[j] in stops:
                until, stopped = times[j], True
                break
        start = times[i]
        elapsed = until - start if self.working or start < 0 else self.cal.calendar_days(start, until)
        return TargetResult(self.target.id, start, elapsed if stopped else None, elapsed > self.limit + EPS)

    def spots(self, stages: Sequence[str]) -> tuple[int, int] | None:
        """Where on a path the clock starts and stops (``-1``: it does not stop); None when it never starts."""
        try:
            i = stages.index(self.target.from_)
        except ValueError:
            return None
        stops = self.stops
        return i, next((j for j in range(i, len(stages)) if stages[j] in stops), -1)

    def at(self, times: Sequence[float], start_at: int, stop_at: int, now: float) -> TargetResult:
        """:meth:`measure` given the path's entry times and the clock's :meth:`spots` on it."""
        start = times[start_at]
        until = times[stop_at] if stop_at >= 0 else now
        elapsed = until - start if self.working or start < 0 else self.cal.calendar_days(start, until)
        breached = elapsed > self.limit + EPS
        return _new(TargetResult, (self.target.id, start, elapsed if stop_at >= 0 else None, breached))


def target_limit(target: Target, hours_per_day: float) -> tuple[float, bool]:
    """The target's limit in days, and whether those are working days (else calendar days).

    >>> from cpsim.model import load_procedure, shipped_procedure_paths
    >>> proc = load_procedure([p for p in shipped_procedure_paths() if p.stem == "redcar-internal"][0])
    >>> target_limit(proc.targets[0], 7.5)
    (5.0, True)
    """
    unit, amount = target.within.unit, float(target.within.amount)
    working = unit in (Unit.WORKING_DAYS, Unit.WORKING_HOURS, Unit.IMMEDIATELY)
    limit = {
        Unit.WORKING_DAYS: amount,
        Unit.WORKING_HOURS: amount / hours_per_day,
        Unit.CALENDAR_DAYS: amount,
        Unit.HOURS: amount / 24,
        Unit.IMMEDIATELY: 0.0,
    }[unit]
    return limit, working


def target_clocks(procedure: Procedure, cal: WorkingCalendar, hours_per_day: float) -> list[TargetClock]:
    """A clock for every target of ``procedure``."""
    out = []
    for t in procedure.targets:
        limit, working = target_limit(t, hours_per_day)
        out.append(TargetClock(t, frozenset(procedure.target_stops(t)), limit, working, cal))
    return out
