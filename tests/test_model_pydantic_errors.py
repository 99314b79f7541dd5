"""One translator of pydantic errors: behaviour files, scenarios and procedures get the same located, plain words."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from cpsim.model import FileError, Problem, check_procedure_file, load_behaviour
from cpsim.model.scenario import check_scenario_file

ROOT = Path(__file__).resolve().parent.parent
BASELINE = (ROOT / "scenarios" / "redcar-baseline.yaml").read_text(encoding="utf-8")
INTERNAL = (ROOT / "model" / "procedures" / "redcar-internal.yaml").read_text(encoding="utf-8")
Write = Callable[[str, str], Path]


def _messages(problems: Sequence[Problem]) -> list[str]:
    return [str(p).split(": ", 1)[1] for p in problems]


def test_a_behaviour_file_is_worded_and_located_like_a_scenario(write: Write) -> None:
    path = write("beh.yaml", "stages:\n  level1:\n    p_satisfid: 0.5\n    p_no_reply: 2\n")
    with pytest.raises(FileError) as info:
        load_behaviour(path)
    assert [str(p).removeprefix(f"{path}:") for p in info.value.problems] == [
        "3:5: unknown key 'p_satisfid' in stages, level1 (did you mean 'p_satisfied'?)",
        "4:17: p_no_reply must be at most 1.0, got 2 (probabilities and shares run from 0 to 1)",
    ]


def test_a_wrong_distribution_name_is_located_at_the_name(write: Write) -> None:
    path = write("beh.yaml", "stages:\n  level1: {reply_time: {dist: fixd, value: 1}}\n")
    with pytest.raises(FileError) as info:
        load_behaviour(path)
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (2, 31)
    assert problem.message == "'fixd' is not a valid dist" and problem.hint == "did you mean 'fixed'?"


def test_an_unknown_key_in_a_distribution_names_that_distributions_keys(write: Write) -> None:
    text = BASELINE.replace(
        "reply_time: {dist: gamma, shape: 2, scale: 1.5}", "reply_time: {dist: gamma, shape: 2, sclae: 1.5}"
    )
    (unknown,) = [p for p in check_scenario_file(write("s.yaml", text)) if "unknown key" in p.message]
    assert unknown.message == "unknown key 'sclae' in procedures number 1, behaviour, stages, level3, reply_time"
    assert unknown.hint == "did you mean 'scale'?"


def test_a_union_branch_is_never_named_as_a_place(write: Write) -> None:
    """pydantic locates errors inside union branches ('triangular', 'int'); authors never wrote those."""
    text = BASELINE.replace(
        "{dist: triangular, low: 0.5, mode: 1.5, high: 4}", "{dist: triangular, low: 3, mode: 1.5, high: 4}", 1
    )
    text = text.replace("headcount: 3", "headcount: {a: 1}")
    messages = _messages(check_scenario_file(write("s.yaml", text)))
    assert messages == [
        "procedures number 1, behaviour, stages, level2, reply_time: need low <= mode <= high and low < high",
        "headcount must be a whole number or 'unlimited', got {'a': 1} (e.g. headcount: 2)",
    ]


def test_a_bound_other_than_one_is_not_called_a_probability(write: Write) -> None:
    problems = check_scenario_file(write("s.yaml", BASELINE.replace("hours_per_day: 7.5", "hours_per_day: 30")))
    assert [str(p).split(": ", 1)[1] for p in problems] == [
        "hours_per_day must be at most 24.0, got 30 (use a number up to 24.0)"
    ]


def test_a_procedure_date_with_a_time_gets_the_procedure_date_wording(write: Write) -> None:
    text = INTERNAL.replace("effective_date: unspecified", "effective_date: 2019-04-01T10:00:00")
    (problem,) = check_procedure_file(write("p.yaml", text))  # one problem: the other union branch is not repeated
    assert problem.message.startswith("effective_date must be a date like 2019-04-01 or 'unspecified', got ")
