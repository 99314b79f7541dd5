"""Due days on the working-day calendar: a timescale counted from one day to the last day it allows.

Working days count on the clock (day ``k`` + 15). Weeks, months and calendar days count on the
calendar (:meth:`cpsim.model.procedure.classes.Duration.due`: months keep the day of the month or
take the month's last day) and the due day is the last working day on or before that date, so a
review due on Good Friday must be held by the Thursday before.

Examples
--------
>>> import datetime as dt
>>> from cpsim.model.procedure.classes import Duration
>>> from cpsim.simulate.engine.calendar import WorkingCalendar
>>> days = DayClock(WorkingCalendar(dt.date(2026, 1, 2), 200))
>>> days.date(days.due(0, Duration(amount=3, unit="months"))).isoformat()   # 2 April 2026: Thursday before Easter
'2026-04-02'
>>> days.date(days.due(0, Duration(amount=15, unit="working-days"))).isoformat()
'2026-01-23'
"""

from __future__ import annotations

import datetime as dt
import math

from cpsim.model.procedure.classes import Duration
from cpsim.model.types import Unit
from cpsim.simulate.engine.calendar import WorkingCalendar

__all__ = ["DayClock"]


class DayClock:
    """Working-day indices and dates of one calendar, with the last working day on or before any date."""

    def __init__(self, cal: WorkingCalendar) -> None:
        self.cal = cal
        self.first, self.last = cal.dates[0], cal.dates[-1]
        self._on_or_before: dict[dt.date, int] = {}
        day, k = self.first, 0
        while day <= self.last:
            if k + 1 < len(cal.dates) and cal.dates[k + 1] <= day:
                k += 1
            self._on_or_before[day] = k
            day += dt.timedelta(days=1)

    def __len__(self) -> int:
        return len(self.cal)

    def date(self, day: int) -> dt.date:
        """The date of working day ``day``."""
        return self.cal.dates[day]

    def iso(self, day: int) -> str:
        """The date of working day ``day`` as an ISO string (past the calendar: empty)."""
        return self.cal.dates[day].isoformat() if 0 <= day < len(self.cal) else ""

    def on_or_before(self, date: dt.date) -> int:
        """The last working day on or before ``date`` (past the calendar's end: one past its last day)."""
        if date > self.last:
            return len(self.cal)
        return self._on_or_before[max(date, self.first)]

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
