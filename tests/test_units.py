"""Units of time: how each reads, counts on the calendar and converts to working days.

The working-day figures are upper bounds that must hold on every calendar; they are checked
against a brute-force count of working days (England's bank holidays, from the ``holidays``
package) over every start date in 2024-2027, and must be reached on some start date when only
weekends are off (so they are as tight as a bound without the dates can be).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import holidays
import pytest
from pydantic import ValidationError

from cpsim.model.behaviour import to_working_days
from cpsim.model.procedure.classes import Deadline, Duration
from cpsim.model.types import Unit, add_months, longest_months

BANK = holidays.country_holidays("GB", subdiv="ENG", years=range(2024, 2029))
FIRST, LAST = dt.date(2024, 1, 1), dt.date(2027, 12, 31)
STARTS = [FIRST + dt.timedelta(days=i) for i in range((LAST - FIRST).days + 1)]


def working_days(start: dt.date, end: dt.date, *, bank_holidays: bool = True) -> int:
    """Working days from the opening of ``start`` to the opening of ``end``."""
    n, day = 0, start
    while day < end:
        n += day.weekday() < 5 and not (bank_holidays and day in BANK)
        day += dt.timedelta(days=1)
    return n


def counts(due: Callable[[dt.date], dt.date], *, bank_holidays: bool = True) -> list[int]:
    return [working_days(d, due(d), bank_holidays=bank_holidays) for d in STARTS]


SPANS = [
    (Duration(amount=n, unit=u), n)
    for u, ns in ((Unit.CALENDAR_DAYS, (1, 2, 5, 6, 7, 10, 14, 28, 42)), (Unit.WEEKS, (1, 2, 4, 6)))
    for n in ns
] + [(Duration(amount=n, unit=Unit.MONTHS), n) for n in (1, 2, 3, 6, 12)]


@pytest.mark.parametrize("duration", [d for d, _ in SPANS], ids=lambda d: d.label)
def test_a_calendar_span_never_holds_more_working_days_than_its_bound_and_can_hold_that_many(duration: Duration):
    bound = duration.working_days_at_most()
    assert max(counts(duration.due)) <= bound
    assert max(counts(duration.due, bank_holidays=False)) == bound


def test_a_week_holds_at_most_5_working_days_and_bank_holidays_take_it_down_to_3():
    week = Duration(amount=1, unit="weeks")
    assert week.working_days_at_most() == 5
    assert min(counts(week.due)) == 3  # Easter (Good Friday and Easter Monday) and Christmas
    assert set(counts(week.due, bank_holidays=False)) == {5}


def test_a_month_holds_20_to_23_working_days_with_weekends_alone_and_as_few_as_17_with_bank_holidays():
    month = Duration(amount=1, unit="months")
    assert month.working_days_at_most() == 23
    assert min(counts(month.due, bank_holidays=False)) == 20
    assert min(counts(month.due)) == 17  # the month from mid-December


def test_months_keep_the_day_of_the_month_or_take_the_last_day_of_a_shorter_month():
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 8, 31), 6) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 11, 15), 3) == dt.date(2025, 2, 15)
    assert Duration(amount=3, unit="months").due(dt.date(2024, 5, 31)) == dt.date(2024, 8, 31)


def test_a_due_date_on_a_weekend_or_bank_holiday_is_not_moved():
    assert Duration(amount=1, unit="weeks").due(dt.date(2025, 12, 18)) == dt.date(2025, 12, 25)
    assert Duration(amount=1, unit="months").due(dt.date(2024, 5, 6)) == dt.date(2024, 6, 6)


def test_the_longest_run_of_months_counts_the_longest_months_and_a_leap_day():
    assert [longest_months(n) for n in (1, 2, 3, 6, 12, 24)] == [31, 62, 92, 184, 366, 731]


def test_the_same_day_is_at_most_one_working_day_and_has_the_start_as_its_date():
    same = Duration(unit="same-day")
    assert same.working_days_at_most() == 1 and same.exact_working_days() is None
    assert same.due(dt.date(2025, 3, 4)) == dt.date(2025, 3, 4)
    assert (same.label, same.phrase) == ("the same day", "on the same day")


def _working_hours(start: int, hours: float, day: float) -> float:
    """Working hours in ``hours`` clock hours from quarter ``start`` of a week (9:00 to 9:00 + ``day``, Mon-Fri)."""
    total, quarter = 0, start
    while quarter < start + round(hours * 4):
        weekday, clock = divmod(quarter % (7 * 24 * 4), 24 * 4)
        total += weekday < 5 and 9 * 4 <= clock < (9 + day) * 4
        quarter += 1
    return total / 4


@pytest.mark.parametrize("hours", [4, 8, 20, 24, 36, 48, 72, 100, 168, 200])
@pytest.mark.parametrize("day", [7.5, 8.0])
def test_clock_hours_hold_at_most_their_bound_of_working_days_and_some_start_reaches_it(hours: int, day: float):
    bound = Duration(amount=hours, unit="hours").working_days_at_most(hours_per_day=day)
    most = max(_working_hours(q, hours, day) for q in range(7 * 24 * 4)) / day
    assert most == pytest.approx(bound)


def test_only_working_days_working_hours_and_immediately_have_an_exact_length():
    assert Duration(amount=15, unit="working-hours").exact_working_days() == 2.0
    assert Duration(unit="immediately").exact_working_days() == 0.0
    inexact = ["calendar-days", "hours", "weeks", "months"]
    assert [Duration(amount=2, unit=u).exact_working_days() for u in inexact] == [None] * 4
    assert Duration(amount=2, up_to=3, unit="working-days").exact_working_days() is None


def test_to_working_days_gives_the_bound_and_a_range_its_upper_end():
    assert to_working_days(Duration(amount=2, unit="weeks")) == 10
    assert to_working_days(Duration(amount=30, up_to=32, unit="weeks")) == 160
    assert to_working_days(Duration(amount=2, unit="calendar-days")) == 2
    assert to_working_days(Duration(amount=48, unit="hours")) == 2


def test_a_range_reads_between_its_ends_and_gives_both_dates():
    window = Duration(amount=30, up_to=32, unit="weeks")
    assert (window.label, window.phrase) == ("30 to 32 weeks", "between 30 and 32 weeks")
    start = dt.date(2025, 1, 6)
    assert (window.earliest(start), window.due(start)) == (dt.date(2025, 8, 4), dt.date(2025, 8, 18))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"unit": "same-day", "amount": 1}, "'same-day' takes no amount"),
        ({"unit": "weeks", "amount": 1.5}, "weeks are counted on the calendar: give a whole number, not 1.5"),
        ({"unit": "months", "amount": 3, "up_to": 2}, "'up_to' (2) must be more than 'amount' (3)"),
        ({"unit": "immediately", "up_to": 2}, "'immediately' takes no amount"),
        ({"unit": "weeks"}, "amount must be greater than 0 for weeks"),
    ],
)
def test_a_duration_that_does_not_fit_its_unit_is_refused(data: dict[str, object], message: str):
    with pytest.raises(ValidationError, match=re.escape(message)):
        Duration.model_validate(data)


def test_the_same_day_needs_no_amount_where_other_units_need_one_above_0():
    source = {"doc": "d", "ref": "r", "quote": "q"}
    assert Deadline(unit="same-day", source=source).label == "on the same day"
    with pytest.raises(ValidationError, match="amount must be greater than 0"):
        Deadline(unit="working-days", amount=0, source=source)


def test_every_unit_but_working_days_says_how_it_becomes_working_days():
    assert Unit.WORKING_DAYS.reading is None
    assert all(u.reading for u in Unit if u is not Unit.WORKING_DAYS)
    assert "at most 23" in (Unit.MONTHS.reading or "")
