"""Dates and times in records as instants on the simulator's working-day clock.

The clock is the simulator's (:mod:`cpsim.simulate.engine.calendar`): working day ``k`` covers
``[k, k + 1)``, weekends, bank holidays of the nation and closures are not on it, and a working
day runs ``hours_per_day`` hours from ``opening``. A time before opening counts as the opening, a
time after closing as the close; a closed day as the opening of the next working day.

Examples
--------
>>> import datetime as dt
>>> c = Clock(dt.date(2026, 4, 1), dt.date(2026, 4, 30))
>>> c.at(dt.datetime(2026, 4, 2, 12, 45)) - c.at(dt.datetime(2026, 4, 1, 12, 45))   # Wed to Thu
1.0
>>> c.day(dt.date(2026, 4, 7)) - c.day(dt.date(2026, 4, 2))    # Good Friday, Easter Monday closed
1
>>> c.end_of(dt.date(2026, 4, 3)) == c.end_of(dt.date(2026, 4, 2))
True
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right

from cpsim.simulate.engine.calendar import WorkingCalendar

__all__ = ["Clock"]


class Clock:
    """Working time of the moments between ``first`` and ``last`` (dates), on the simulator's calendar."""

    def __init__(
        self,
        first: dt.date,
        last: dt.date,
        *,
        nation: str = "england-and-wales",
        hours_per_day: float = 7.5,
        opening: dt.time = dt.time(9, 0),
    ) -> None:
        self.calendar = WorkingCalendar(
            first, (last - first).days + 30, nation=nation, hours_per_day=hours_per_day, opening=opening
        )
        self.first = first
        self.hours_per_day = hours_per_day
        self.opening = opening

    def day(self, day: dt.date) -> int:
        """The working-day index of ``day`` (of the next working day when it is closed)."""
        return self.calendar.index(day)

    def end_of(self, day: dt.date) -> float:
        """The working time at the close of ``day`` (of the last working day before it when it is closed)."""
        return float(bisect_right(self.calendar.dates, day))

    def at(self, moment: dt.date) -> float:
        """The working time of a date-time (a bare date: the opening of that day)."""
        if not isinstance(moment, dt.datetime):
            return float(self.day(moment))
        day = moment.date()
        k = self.day(day)
        if not self.calendar.is_working(day):
            return float(k)
        opened = dt.datetime.combine(day, self.opening)
        share = (moment - opened).total_seconds() / (self.hours_per_day * 3600)
        return k + min(max(share, 0.0), 1.0)

    def working_days(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The working days from ``first`` to ``last``, both included."""
        return [d for d in self.calendar.dates if first <= d <= last]
