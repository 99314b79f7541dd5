"""The working-day calendar: the simulation clock counts working days, and every instant has a calendar date.

Working time ``t`` (a float, in working days) is measured from the opening of the first working
day on or after the scenario's start date. Working day ``k`` (0-based) covers ``[k, k + 1)``;
weekends, bank holidays of the chosen nation (from the ``holidays`` package) and closure days
are not on the clock at all.

An instant on a day boundary is both the close of one working day and the opening of the next.
Starts (a challenge raised, a request sent) are dated at the opening of the next working day;
ends (a reply, a deadline, a resolution) at the close of the day before. So "within N working
days" of a request received at opening on day ``k`` runs to the close of day ``k + N - 1``.

Examples
--------
>>> import datetime as dt
>>> cal = WorkingCalendar(dt.date(2026, 4, 2), days=10)   # Thursday before Easter
>>> [d.isoformat() for d in cal.dates[:3]]                  # Good Friday, Easter Monday skipped
['2026-04-02', '2026-04-07', '2026-04-08']
>>> cal.moment(1.0, end=True).isoformat()                   # one working day from opening Thursday
'2026-04-02T16:30:00'
>>> cal.moment(1.0).isoformat()
'2026-04-07T09:00:00'
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

import holidays

__all__ = ["NATIONS", "WorkingCalendar", "closed_days"]

NATIONS = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}
"""Nation names used in scenario files, and their ``holidays`` subdivision of GB."""


def closed_days(
    start: dt.date, end: dt.date, nation: str, closures: Iterable[tuple[dt.date, dt.date]] = ()
) -> set[dt.date]:
    """Bank holidays of ``nation`` and the given closure ranges (both ends included) between two dates.

    >>> sorted(closed_days(dt.date(2026, 12, 20), dt.date(2026, 12, 31), "england-and-wales"))
    [datetime.date(2026, 12, 25), datetime.date(2026, 12, 26), datetime.date(2026, 12, 28)]
    """
    years = range(start.year, end.year + 1)
    bank = holidays.country_holidays("GB", subdiv=NATIONS[nation], years=years)
    out = {d for d in bank if start <= d <= end}
    for lo, hi in closures:
        day = lo
        while day <= hi:
            out.add(day)
            day += dt.timedelta(days=1)
    return out


class WorkingCalendar:
    """Working days from ``start`` on: weekdays that are not bank holidays or closures.

    Parameters
    ----------
    start
        First calendar day; the clock starts at the opening of the first working day from it.
    days
        How many working days the calendar must cover (later instants raise ``IndexError``).
    nation
        ``england-and-wales`` (default), ``scotland`` or ``northern-ireland``.
    closures
        Extra closed ranges ``(from, to)``, both ends included.
    hours_per_day, opening
        Length and opening time of a working day, for timestamps.
    """

    def __init__(
        self,
        start: dt.date,
        days: int,
        *,
        nation: str = "england-and-wales",
        closures: Iterable[tuple[dt.date, dt.date]] = (),
        hours_per_day: float = 7.5,
        opening: dt.time = dt.time(9, 0),
    ) -> None:
        closures = list(closures)
        span = dt.timedelta(days=days * 2 + 60)
        closed = closed_days(start, start + span, nation, closures)
        dates: list[dt.date] = []
        day = start
        while len(dates) < days:
            if day.weekday() < 5 and day not in closed:
                dates.append(day)
            day += dt.timedelta(days=1)
            if day > start + span:  # long closures: extend the window
                span *= 2
                closed = closed_days(start, start + span, nation, closures)
        self.dates: tuple[dt.date, ...] = tuple(dates)
        self._index = {d: i for i, d in enumerate(dates)}
        self._iso = [d.isoformat() for d in dates]
        self.hours_per_day = hours_per_day
        self.opening = opening
        self._nation, self._closures = nation, closures

    def __len__(self) -> int:
        return len(self.dates)

    def is_working(self, day: dt.date) -> bool:
        """True when ``day`` is on the clock."""
        return day in self._index

    def index(self, day: dt.date) -> int:
        """The working-day index of ``day``, or of the next working day if ``day`` is closed.

        >>> cal = WorkingCalendar(dt.date(2026, 12, 24), days=5)
        >>> cal.index(dt.date(2026, 12, 25)), cal.dates[1]
        (1, datetime.date(2026, 12, 29))
        """
        if day in self._index:
            return self._index[day]
        for i, d in enumerate(self.dates):
            if d > day:
                return i
        raise IndexError(f"{day} is after the calendar's last working day {self.dates[-1]}")

    def day_of(self, t: float, *, end: bool = False) -> int:
        """Index of the working day holding instant ``t`` (an end on a boundary belongs to the day before)."""
        k = math.floor(t)
        if end and k == t and k > 0:
            k -= 1
        return k

    def date(self, t: float, *, end: bool = False) -> dt.date:
        """Calendar date of working time ``t`` (see the module docstring for boundaries)."""
        return self.dates[self.day_of(t, end=end)]

    def iso(self, t: float, *, end: bool = False) -> str:
        """:meth:`date` as an ISO string (cached).

        >>> WorkingCalendar(dt.date(2026, 1, 5), days=3).iso(1.0, end=True)
        '2026-01-05'
        """
        return self._iso[self.day_of(t, end=end)]

    @property
    def iso_dates(self) -> list[str]:
        """Every working day's date as an ISO string, by working-day index (read it, do not change it).

        >>> WorkingCalendar(dt.date(2026, 1, 5), days=2).iso_dates
        ['2026-01-05', '2026-01-06']
        """
        return self._iso

    def moment(self, t: float, *, end: bool = False) -> dt.datetime:
        """Date and clock time of working time ``t``, to the second."""
        k = self.day_of(t, end=end)
        seconds = round((t - k) * self.hours_per_day * 3600)
        return dt.datetime.combine(self.dates[k], self.opening) + dt.timedelta(seconds=seconds)

    def time_of(self, day: dt.date) -> float:
        """Working time at the opening of ``day`` (the next working day if it is closed)."""
        return float(self.index(day))

    def signed_time(self, day: dt.date) -> float:
        """Working time at the opening of ``day``; negative (minus the working days between) before the start.

        >>> cal = WorkingCalendar(dt.date(2026, 1, 5), days=5)   # a Monday
        >>> cal.signed_time(dt.date(2026, 1, 2)), cal.signed_time(dt.date(2026, 1, 6))
        (-1.0, 1.0)
        """
        if day >= self.dates[0]:
            return self.time_of(day)
        closed = closed_days(day, self.dates[0], self._nation, self._closures)
        n, d = 0, day
        while d < self.dates[0]:
            n += d.weekday() < 5 and d not in closed
            d += dt.timedelta(days=1)
        return -float(n)

    def calendar_days(self, t0: float, t1: float) -> float:
        """Elapsed calendar time between two working-time instants, in days (for calendar-day targets)."""
        return (self.moment(t1, end=True) - self.moment(t0)).total_seconds() / 86400
