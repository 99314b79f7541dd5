"""Due days on the working-day calendar: a timescale counted from one day to the last day it allows.

Working days count on the clock (day ``k`` + 15). Weeks, months and calendar days count on the
calendar (:meth:`cpsim.model.procedure.classes.Duration.due`: months keep the day of the month or
take the month's last day) and the due day is the last working day on or before that date, so a
review due on Good Friday must be held by the Thursday before.

Examples
--------
>>> import datetime as dt
>>> from cpsim.model.procedure.classes import Duration
>>> from cpsim.simulate.engine.calendar import WorkingCalendar, closed_days
>>> days = DayClock(WorkingCalendar(dt.date(2026, 1, 2), 200))
>>> days.date(days.due(0, Duration(amount=3, unit="months"))).isoformat()   # 2 April 2026: Thursday before Easter
'2026-04-02'
>>> days.date(days.due(0, Duration(amount=15, unit="working-days"))).isoformat()
'2026-01-23'
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable

import numpy as np

from cpsim.model.procedure.classes import Duration
from cpsim.model.types import Unit
from cpsim.simulate.engine.calendar import WorkingCalendar, closed_days

__all__ = ["DayClock", "poisson_days"]


def poisson_days(
    rate: float, factor: Callable[[int], float], cal: WorkingCalendar, horizon: int, rng: np.random.Generator
) -> list[float]:
    """Times of a Poisson process in working time: each day ``rate x factor(month)`` on average, spread uniformly.

    >>> cal = WorkingCalendar(dt.date(2026, 1, 5), 20)
    >>> times = poisson_days(2.0, lambda m: 1.0, cal, 20, np.random.default_rng(1))
    >>> times == sorted(times) and all(0 <= t < 20 for t in times)
    True
    """
    factors = np.array([factor(cal.dates[k].month) for k in range(horizon)])
    counts = rng.poisson(rate * factors)
    days = np.repeat(np.arange(horizon, dtype=float), counts)
    times: list[float] = np.sort(days + rng.random(len(days))).tolist()
    return times


class DayClock:
    """Working-day indices and dates of one calendar, with the last working day on or before any date.

    Days before the calendar's first working day have negative indices (-1 is the working day
    before it), back ``years_before`` years, for plans already open when a run starts.
    """

    def __init__(
        self,
        cal: WorkingCalendar,
        *,
        nation: str = "england-and-wales",
        closures: Iterable[tuple[dt.date, dt.date]] = (),
        years_before: int = 3,
    ) -> None:
        self.cal = cal
        self.first, self.last = cal.dates[0], cal.dates[-1]
        earliest = self.first - dt.timedelta(days=366 * years_before)
        closed = closed_days(earliest, self.first, nation, closures)
        back = [d for d in (earliest + dt.timedelta(days=i) for i in range((self.first - earliest).days))]
        self.before = tuple(d for d in reversed(back) if d.weekday() < 5 and d not in closed)
        self.earliest = earliest
        self._on_or_before: dict[dt.date, int] = {}
        working = {d: -1 - i for i, d in enumerate(self.before)}
        k = -len(self.before) - 1
        for i in range((self.first - earliest).days):
            day = earliest + dt.timedelta(days=i)
            k = working.get(day, k)
            self._on_or_before[day] = k
        day, k = self.first, 0
        while day <= self.last:
            if k + 1 < len(cal.dates) and cal.dates[k + 1] <= day:
                k += 1
            self._on_or_before[day] = k
            day += dt.timedelta(days=1)

    def __len__(self) -> int:
        return len(self.cal)

    def date(self, day: int) -> dt.date:
        """The date of working day ``day`` (negative: before the calendar's first working day)."""
        return self.cal.dates[day] if day >= 0 else self.before[-day - 1]

    def iso(self, day: int) -> str:
        """The date of working day ``day`` as an ISO string (outside the calendar: empty)."""
        if -len(self.before) <= day < len(self.cal):
            return self.date(day).isoformat()
        return ""

    def on_or_before(self, date: dt.date) -> int:
        """The last working day on or before ``date`` (past the calendar's end: one past its last day).

        >>> days = DayClock(WorkingCalendar(dt.date(2026, 1, 5), 10))
        >>> days.on_or_before(dt.date(2026, 1, 3)), days.date(-1).isoformat()   # Saturday: Friday 2 January
        (-1, '2026-01-02')
        """
        if date > self.last:
            return len(self.cal)
        if date < self.earliest:
            raise ValueError(f"{date} is more than the calendar's years before its start ({self.earliest})")
        return self._on_or_before[date]

    def due(self, day: int, within: Duration) -> int:
        """The last working day ``within`` allows from working day ``day``."""
        if within.unit is Unit.WORKING_DAYS:
            return day + math.floor(within.amount)
        if within.unit in (Unit.SAME_DAY, Unit.IMMEDIATELY):
            return day
        if day >= len(self.cal):
            return day
        return self.on_or_before(within.due(self.date(day)))

    def plus_days(self, day: int, days: float) -> int:
        """The last working day on or before ``days`` calendar days after working day ``day``."""
        if day >= len(self.cal):
            return day
        return self.on_or_before(self.date(day) + dt.timedelta(days=math.floor(days)))
