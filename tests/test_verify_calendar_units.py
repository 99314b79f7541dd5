"""Targets in calendar units: "always met" holds for every start date, so it is judged at the fewest working days."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest

from cpsim.model.procedure.classes import Duration
from cpsim.verify import check_deadlines, check_units
from cpsim.verify.checks.timing import clocks, working_days_at_least
from tests.test_verify_deadlines import by_code, ladder

ENGLAND = holidays.country_holidays("GB", subdiv="ENG", years=range(2024, 2029))


def _working_days(start: dt.date, due: dt.date) -> int:
    """Working days after ``start`` up to and including ``due`` (weekends and England's bank holidays off)."""
    days = (start + dt.timedelta(days=i) for i in range(1, (due - start).days + 1))
    return sum(1 for d in days if d.weekday() < 5 and d not in ENGLAND)


SPANS = [(1, "months"), (2, "months"), (3, "months"), (1, "weeks"), (2, "weeks"), (4, "weeks")]
SPANS += [(n, "calendar-days") for n in (1, 2, 3, 6, 7, 8, 10, 14, 20, 31)]


@pytest.mark.parametrize(("amount", "unit"), SPANS)
def test_the_lower_bound_holds_for_every_start_date_in_england_2024_to_2027(amount, unit):
    d = Duration(amount=amount, unit=unit)
    starts = [
        dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range((dt.date(2028, 1, 1) - dt.date(2024, 1, 1)).days)
    ]
    counts = [_working_days(s, d.due(s)) for s in starts]
    assert working_days_at_least(d) <= min(counts)
    assert max(counts) <= d.working_days_at_most()


def test_a_month_can_hold_as_few_as_17_working_days():
    assert working_days_at_least(Duration(amount=1, unit="months")) == 17
    assert working_days_at_least(Duration(amount=3, unit="working-days")) == 3
    assert working_days_at_least(Duration(unit="same-day")) == 0


def _month_ladder(write, d1, d2):
    proc = ladder(write, d1, d2, target=5)
    target = proc.targets[0].model_copy(update={"within": Duration(amount=1, unit="months")})
    return proc.model_copy(update={"targets": [target]})


def test_a_route_between_a_months_fewest_and_most_working_days_depends_on_the_dates(write):
    proc = _month_ladder(write, 10, 10)
    [clock] = clocks(proc)
    assert (clock.days, clock.upper) == (17.0, 23.0)
    [summary] = by_code(check_deadlines(proc), "TARGET_BOUNDS")
    assert "Is it always met? Yes" not in summary.message
    [dates] = by_code(check_units(proc), "TARGET_DEPENDS_ON_DATES")
    assert "depends on the dates" in dates.message and "20 working days" in dates.message
    assert "between 17 and 23 working days" in dates.message


def test_a_route_within_a_months_fewest_working_days_is_always_met(write):
    proc = _month_ladder(write, 5, 5)
    [summary] = by_code(check_deadlines(proc), "TARGET_BOUNDS")
    assert "Is it always met? Yes" in summary.message
    assert not by_code(check_units(proc), "TARGET_DEPENDS_ON_DATES")


def test_a_route_over_a_months_most_working_days_exceeds_it_on_any_dates(write):
    proc = _month_ladder(write, 12, 12)
    assert by_code(check_deadlines(proc), "TARGET_EXCEEDED")
    assert not by_code(check_units(proc), "TARGET_DEPENDS_ON_DATES")


def test_a_same_day_or_clock_hour_reply_deadline_is_worded_as_a_limit():
    from cpsim.model.procedure.classes import Deadline
    from cpsim.verify.checks.wording import deadline_phrase

    src = {"doc": "d", "ref": "1", "quote": "q"}
    assert deadline_phrase(Deadline(unit="same-day", source=src)) == "reply on the same day"
    assert deadline_phrase(Deadline(amount=24, unit="hours", source=src)) == "reply within 24 hours"
    assert deadline_phrase(Deadline(amount=2, unit="working-days", source=src)) == "reply within 2 working days"


def test_the_summary_says_a_calendar_target_depends_on_the_dates_not_no(write):
    """A route of 20 working days against 1 month (17 to 23): "always met?" depends on the dates."""
    [summary] = by_code(check_deadlines(_month_ladder(write, 10, 10)), "TARGET_BOUNDS")
    assert "Is it always met? It depends on the dates" in summary.message
    assert "TARGET_DEPENDS_ON_DATES" in summary.message and "Is it always met? No" not in summary.message


def test_the_summary_says_no_when_a_route_is_over_a_calendar_targets_most_working_days(write):
    [summary] = by_code(check_deadlines(_month_ladder(write, 12, 12)), "TARGET_BOUNDS")
    assert "Is it always met? No" in summary.message
