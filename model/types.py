"""Vocabulary of the procedure format: identifiers, units, stage kinds, endings and outcomes.

Examples
--------
>>> Unit("working-days").label(3)
'3 working days'
>>> default_outcomes(StageKind.REQUEST)
('satisfied', 'unsatisfied', 'no-reply')
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from enum import StrEnum

StageId = str
RoleId = str
OutcomeId = str
WorkingDays = float

__all__ = [
    "OUTCOMES",
    "SKIP_OUTCOMES",
    "Ending",
    "OutcomeId",
    "RoleId",
    "StageId",
    "StageKind",
    "Unit",
    "WorkingDays",
    "add_months",
    "default_outcomes",
    "longest_months",
]


class Unit(StrEnum):
    """Unit of a deadline, time target or timescale, as a procedure states it.

    Every clock in cpsim runs on working days (Monday to Friday, less bank holidays and
    closures). Only working days, working hours and ``immediately`` have a fixed length on that
    clock (:attr:`exact`); every other unit counts calendar time, so how many working days it holds
    depends on the dates. :meth:`working_days_at_most` gives the most it can hold on any calendar.
    """

    WORKING_DAYS = "working-days"
    WORKING_HOURS = "working-hours"
    CALENDAR_DAYS = "calendar-days"
    HOURS = "hours"
    WEEKS = "weeks"
    MONTHS = "months"
    SAME_DAY = "same-day"
    IMMEDIATELY = "immediately"

    @property
    def takes_amount(self) -> bool:
        """False for ``immediately`` and ``same-day``, which are a moment rather than an amount of time."""
        return self not in (Unit.IMMEDIATELY, Unit.SAME_DAY)

    @property
    def exact(self) -> bool:
        """True when an amount in this unit has one length in working days, whatever the dates."""
        return self in (Unit.WORKING_DAYS, Unit.WORKING_HOURS, Unit.IMMEDIATELY)

    @property
    def whole(self) -> bool:
        """True when amounts must be whole numbers (weeks and months are counted on the calendar)."""
        return self in (Unit.WEEKS, Unit.MONTHS)

    @property
    def reading(self) -> str | None:
        """How cpsim turns this unit into working days, in plain English (None for working days)."""
        return _READINGS.get(self)

    def label(self, amount: float, up_to: float | None = None) -> str:
        """Plain-English rendering of ``amount`` (or the range ``amount`` to ``up_to``) in this unit.

        >>> Unit.HOURS.label(24)
        '24 hours'
        >>> Unit.WORKING_DAYS.label(1)
        '1 working day'
        >>> Unit.IMMEDIATELY.label(0)
        'immediately'
        >>> Unit.SAME_DAY.label(0)
        'the same day'
        >>> Unit.WEEKS.label(30, up_to=32)
        '30 to 32 weeks'
        """
        if self is Unit.IMMEDIATELY:
            return "immediately"
        if self is Unit.SAME_DAY:
            return "the same day"
        top = amount if up_to is None else up_to
        noun = self.value.replace("-", " ")
        if top == 1:
            noun = noun[:-1]
        number = f"{amount:g}" if up_to is None else f"{amount:g} to {up_to:g}"
        return f"{number} {noun}"

    def working_days_at_most(self, amount: float, hours_per_day: float = 7.5) -> WorkingDays:
        """The most working days ``amount`` of this unit can hold, on any calendar.

        Working days and working hours are exact; the calendar units are bounded on a calendar with
        only weekends off (bank holidays and closures can only lower the count): a span of ``H``
        clock hours holds ``5`` working days per full 168 hours, and of the rest at most one working
        day per full 24 hours plus ``min(part, hours_per_day) / hours_per_day`` for the part of a
        day left over, never more than 5. Calendar days and weeks are 24 and 168 hours; ``N``
        months are the longest ``N`` consecutive months (31 days for one month, so at most 23
        working days). ``same-day`` is what is left of the working day the clock started on: at
        most 1.

        >>> [Unit.WEEKS.working_days_at_most(1), Unit.MONTHS.working_days_at_most(1)]
        [5.0, 23.0]
        >>> Unit.CALENDAR_DAYS.working_days_at_most(10), Unit.HOURS.working_days_at_most(36)
        (8.0, 2.0)
        """
        if self is Unit.WORKING_DAYS:
            return float(amount)
        if self is Unit.WORKING_HOURS:
            return amount / hours_per_day
        if self is Unit.IMMEDIATELY:
            return 0.0
        if self is Unit.SAME_DAY:
            return 1.0
        hours = {Unit.HOURS: 1.0, Unit.CALENDAR_DAYS: 24.0, Unit.WEEKS: 168.0}.get(self)
        if hours is None:  # months
            return _clock_hours_at_most(24.0 * longest_months(int(amount)), hours_per_day)
        return _clock_hours_at_most(amount * hours, hours_per_day)

    def add_to(self, start: dt.date, amount: float) -> dt.date:
        """The calendar date ``amount`` of this unit after ``start`` (the day a rule falls due).

        Months keep the day of the month, or take the month's last day when it is shorter
        (31 January + 1 month = 28 or 29 February). A due date on a weekend or bank holiday is
        not moved. Only calendar days (whole), weeks, months and ``same-day`` have dates.

        >>> Unit.MONTHS.add_to(dt.date(2024, 1, 31), 1), Unit.WEEKS.add_to(dt.date(2024, 1, 31), 4)
        (datetime.date(2024, 2, 29), datetime.date(2024, 2, 28))
        """
        if self is Unit.SAME_DAY:
            return start
        if self is Unit.MONTHS and amount == int(amount):
            return add_months(start, int(amount))
        days = {Unit.CALENDAR_DAYS: 1, Unit.WEEKS: 7}.get(self)
        if days is None or amount != int(amount):
            raise ValueError(f"{self.label(amount)} is not a whole number of calendar days, weeks or months")
        return start + dt.timedelta(days=days * int(amount))


_READINGS: dict[Unit, str] = {
    Unit.WORKING_HOURS: "working hours are divided by the hours in a working day (7.5 unless a scenario says)",
    Unit.CALENDAR_DAYS: "a calendar day holds at most 1 working day, and any 7 at most 5 (fewer with bank holidays)",
    Unit.HOURS: "clock hours hold at most one working day in any 24 and 5 in any 168 (fewer with bank holidays)",
    Unit.WEEKS: "a week holds at most 5 working days (fewer with bank holidays)",
    Unit.MONTHS: "a month holds at most 23 working days, N months at most the weekdays of the longest N "
    "consecutive months (fewer with bank holidays)",
    Unit.SAME_DAY: "the same day is what is left of the working day the clock starts on: at most 1 working day",
    Unit.IMMEDIATELY: "immediately takes no time",
}


def _clock_hours_at_most(hours: float, hours_per_day: float) -> WorkingDays:
    """The most working days a span of ``hours`` clock hours can hold when only weekends are off."""
    weeks, rest = divmod(hours, 168.0)
    days, part = divmod(rest, 24.0)
    return 5 * weeks + min(5.0, days + min(part, hours_per_day) / hours_per_day)


def add_months(start: dt.date, months: int) -> dt.date:
    """``start`` moved on by whole calendar months, keeping the day or taking the month's last day.

    >>> add_months(dt.date(2024, 8, 31), 6), add_months(dt.date(2024, 2, 29), 12)
    (datetime.date(2025, 2, 28), datetime.date(2025, 2, 28))
    """
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@functools.cache
def longest_months(months: int) -> int:
    """Days in the longest run of ``months`` consecutive calendar months (over a 400-year Gregorian cycle).

    >>> longest_months(1), longest_months(3), longest_months(12)
    (31, 92, 366)
    """
    firsts = [dt.date(2000 + i // 12, i % 12 + 1, 1) for i in range(400 * 12)]
    return max((add_months(d, months) - d).days for d in firsts)


class StageKind(StrEnum):
    """What happens at a stage."""

    START = "start"
    DIALOGUE = "dialogue"
    REQUEST = "request"
    DECISION = "decision"
    TERMINAL = "terminal"


class Ending(StrEnum):
    """How a case ended at a terminal stage."""

    RESOLVED = "resolved"
    REFERRED_ELSEWHERE = "referred-elsewhere"
    CLOSED_UNRESOLVED = "closed-unresolved"
    DECISION_MADE = "decision-made"


OUTCOMES: dict[OutcomeId, str] = {
    "raised": "the concern is raised and the process begins",
    "resolved": "the matter is resolved by discussion",
    "unresolved": "the matter cannot be resolved by discussion",
    "satisfied": "the reply satisfies the person who asked for it",
    "unsatisfied": "the reply does not satisfy the person who asked for it",
    "no-reply": "no reply arrives by the deadline",
    "serious-concern": "serious concerns emerge (a route that may skip rungs)",
    "repeated-concern": "the concern is a repeat or a pattern (a route that may skip rungs)",
    "immediate-concern": "there are significant immediate safeguarding concerns",
    "urgent": "the matter needs a quick decision",
}
"""Outcomes any stage may use without declaring them. Decision stages declare their own."""

SKIP_OUTCOMES: frozenset[OutcomeId] = frozenset({"serious-concern", "repeated-concern", "immediate-concern", "urgent"})
"""Outcomes that mark exceptional routes (drawn dashed, checked for bypassed rungs)."""

_DEFAULTS: dict[StageKind, tuple[OutcomeId, ...]] = {
    StageKind.REQUEST: ("satisfied", "unsatisfied", "no-reply"),
    StageKind.DIALOGUE: ("resolved", "unresolved"),
    StageKind.START: ("raised",),
    StageKind.DECISION: (),
    StageKind.TERMINAL: (),
}


def default_outcomes(kind: StageKind) -> tuple[OutcomeId, ...]:
    """The outcomes a stage of ``kind`` is expected to handle when it declares none.

    >>> default_outcomes(StageKind.DIALOGUE)
    ('resolved', 'unresolved')
    """
    return _DEFAULTS[kind]
