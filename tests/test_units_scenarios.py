"""A time the simulator and the exact analysis cannot honour exactly is refused when a scenario loads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cpsim.model.scenario.classes import check_scenario_file, load_scenario

MINIMAL = (Path(__file__).parent / "data" / "minimal.yaml").read_text(encoding="utf-8")
ONE_DAY = "      amount: 1\n      unit: working-days\n"
SCENARIO = """\
id: t
title: T
calendar: {start: 2026-01-05, horizon: 20}
arrivals: {kind: poisson, rate: 1}
procedures:
  - procedure: p.yaml
    behaviour:
      stages:
        level1: {reply_time: {dist: fixed, value: 0.5}}
"""


def _scenario(write: Callable[[str, str], Path], deadline: str) -> Path:
    write("p.yaml", MINIMAL.replace(ONE_DAY, deadline))
    return write("s.yaml", SCENARIO)


@pytest.mark.parametrize(
    ("deadline", "label", "most"),
    [
        ("      amount: 2\n      unit: weeks\n", "within 2 weeks", "10"),
        ("      amount: 1\n      unit: months\n", "within 1 month", "23"),
        ("      unit: same-day\n", "on the same day", "1"),
        ("      amount: 10\n      unit: calendar-days\n", "within 10 calendar days", "8"),
        ("      amount: 4\n      unit: hours\n", "within 4 hours", "0.533333"),
    ],
)
def test_a_reply_deadline_in_calendar_time_is_refused_with_what_to_write(write, deadline, label, most):
    [problem] = check_scenario_file(_scenario(write, deadline))
    assert problem.message == (
        f"level1: the reply deadline ({label}) has no one length in working days (it can hold up to {most}), "
        "and the simulator and the exact analysis time reply deadlines in working days"
    )
    assert "unit: working-days" in problem.hint and "reading" in problem.hint


def test_a_reply_deadline_in_working_days_or_hours_loads(write):
    assert load_scenario(_scenario(write, "      amount: 15\n      unit: working-hours\n")).routes
    assert load_scenario(_scenario(write, ONE_DAY)).routes


TARGET = "    within: {amount: 5, unit: working-days}\n"


@pytest.mark.parametrize(
    ("within", "phrase"),
    [
        ("{amount: 1, unit: weeks}", "within 1 week"),
        ("{amount: 3, unit: months}", "within 3 months"),
        ("{unit: same-day}", "on the same day"),
    ],
)
def test_a_target_in_weeks_months_or_the_same_day_is_refused_until_the_simulator_measures_it(write, within, phrase):
    write("p.yaml", MINIMAL.replace(TARGET, f"    within: {within}\n"))
    [problem] = check_scenario_file(write("s.yaml", SCENARIO))
    assert problem.message == (
        f"target 'five-days' ({phrase}) of procedure 'minimal' is in calendar time the simulator does not measure"
    )
    assert "calendar-days" in problem.hint


def test_a_target_in_calendar_days_or_clock_hours_is_measured_in_calendar_time(write):
    for within in ("{amount: 7, unit: calendar-days}", "{amount: 24, unit: hours}"):
        write("p.yaml", MINIMAL.replace(TARGET, f"    within: {within}\n"))
        assert load_scenario(write("s.yaml", SCENARIO)).routes
