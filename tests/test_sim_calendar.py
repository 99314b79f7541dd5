"""The working-day clock: weekends, holidays and closures do not pass; "within N working days" is dated consistently."""

from __future__ import annotations

import datetime as dt

import pytest

from cpsim.simulate.engine.calendar import WorkingCalendar

D = dt.date


def due(cal: WorkingCalendar, asked: float, n: float) -> dt.datetime:
    """The moment a reply is due: n working days after it was asked (the end of the count)."""
    return cal.moment(asked + n, end=True)


def test_weekends_and_easter_bank_holidays_are_not_working_days() -> None:
    cal = WorkingCalendar(D(2026, 3, 30), days=10)
    assert D(2026, 4, 3) not in cal.dates and D(2026, 4, 6) not in cal.dates  # Good Friday, Easter Monday
    assert D(2026, 4, 4) not in cal.dates and cal.dates[:5] == tuple(D(2026, 3, d) for d in (30, 31)) + (
        D(2026, 4, 1),
        D(2026, 4, 2),
        D(2026, 4, 7),
    )


def test_five_working_days_from_opening_on_the_thursday_before_easter_end_at_close_the_next_friday() -> None:
    cal = WorkingCalendar(D(2026, 4, 2), days=20)
    asked = cal.time_of(D(2026, 4, 2))
    assert due(cal, asked, 5) == dt.datetime(2026, 4, 10, 16, 30)
    assert due(cal, asked, 1) == dt.datetime(2026, 4, 2, 16, 30)  # one working day: close of the same day


def test_a_request_at_midday_before_good_friday_is_due_at_midday_after_easter_monday() -> None:
    cal = WorkingCalendar(D(2026, 4, 2), days=20)
    asked = cal.time_of(D(2026, 4, 2)) + 0.5
    assert cal.moment(asked) == dt.datetime(2026, 4, 2, 12, 45)
    assert due(cal, asked, 1) == dt.datetime(2026, 4, 7, 12, 45)


def test_christmas_and_boxing_day_observed_are_skipped_and_closures_add_more() -> None:
    cal = WorkingCalendar(D(2026, 12, 23), days=20)
    asked = cal.time_of(D(2026, 12, 24))
    # 24 Dec (1), 29 Dec (2): 25 Dec, 26-27 weekend, 28 Dec Boxing Day observed
    assert due(cal, asked, 2) == dt.datetime(2026, 12, 29, 16, 30)
    closed = WorkingCalendar(D(2026, 12, 23), days=20, closures=[(D(2026, 12, 29), D(2026, 12, 31))])
    assert due(closed, closed.time_of(D(2026, 12, 24)), 2) == dt.datetime(2027, 1, 4, 16, 30)  # 1 Jan is a holiday


def test_a_challenge_raised_on_a_closed_day_starts_at_the_next_opening() -> None:
    cal = WorkingCalendar(D(2026, 12, 23), days=10)
    assert cal.moment(cal.time_of(D(2026, 12, 25))) == dt.datetime(2026, 12, 29, 9, 0)


@pytest.mark.parametrize(
    ("nation", "day", "working"),
    [
        ("england-and-wales", D(2027, 1, 4), True),
        ("scotland", D(2027, 1, 4), False),  # 2 January (a Saturday) observed on Monday 4th in Scotland
        ("northern-ireland", D(2026, 3, 17), False),  # St Patrick's Day
        ("england-and-wales", D(2026, 3, 17), True),
        ("scotland", D(2026, 11, 30), False),  # St Andrew's Day
    ],
)
def test_bank_holidays_follow_the_chosen_nation(nation: str, day: dt.date, working: bool) -> None:
    cal = WorkingCalendar(D(2026, 1, 1), days=400, nation=nation)
    assert cal.is_working(day) is working


def test_ends_on_a_day_boundary_are_dated_at_the_close_and_starts_at_the_next_opening() -> None:
    cal = WorkingCalendar(D(2026, 1, 9), days=5)  # Friday
    assert cal.date(1.0) == D(2026, 1, 12) and cal.date(1.0, end=True) == D(2026, 1, 9)
    assert cal.calendar_days(0.0, 1.0) == pytest.approx(7.5 / 24)
