"""Challenges open today start in flight; a bad open-cases file gets one error per bad row."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cpsim.model.errors import FileError
from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
from cpsim.model.scenario.open_cases import read_open_cases
from cpsim.simulate.engine.replication import run_replication

SC = load_scenario(SCENARIOS_DIR / "redcar-unlimited-staff.yaml")  # starts Monday 5 January 2026
HEADER = "id,route,current_rung,date_raised,date_asked\n"


def test_bad_rows_are_all_reported_with_their_row_numbers(write: Callable) -> None:
    path = write(
        "open.csv",
        HEADER
        + "A1,redcar-internal,level2,2025-12-15,2025-12-18\n"
        + "A2,redcar-internl,level2,2025-12-15,2025-12-18\n"
        + "A3,redcar-internal,levl2,2025-12-15,2025-12-18\n"
        + "A1,redcar-internal,level3,15/12/2025,2025-12-18\n",
    )
    with pytest.raises(FileError) as info:
        read_open_cases(path, SC)
    rows = [(p.line, p.message.split(":")[0]) for p in info.value.problems]
    assert rows == [(3, "row 3"), (4, "row 4"), (5, "row 5"), (5, "row 5")]
    text = str(info.value)
    assert "did you mean 'redcar-internal'?" in text and "did you mean 'level2'?" in text and "appears twice" in text


def test_missing_columns_are_named(write: Callable) -> None:
    with pytest.raises(FileError, match="missing column"):
        read_open_cases(write("open.csv", "id,route\nA,redcar-internal\n"), SC)


def test_an_open_case_already_past_its_target_is_a_breach_and_a_fresh_one_is_not(write: Callable) -> None:
    path = write(
        "open.csv",
        HEADER
        + "OLD,redcar-internal,level3,2025-12-01,2025-12-08\n"  # raised weeks ago: the 5-day target is long gone
        + "NEW,redcar-external,level1,2026-01-05,2026-01-05\n",
    )
    cases = read_open_cases(path, SC)
    res = run_replication(SC, seed=1, open_cases=cases)
    by_id = {c.case: c for c in res.cases if c.already_open}
    assert by_id["OLD"].breached == ("five-working-days",) and by_id["OLD"].raised < 0
    assert by_id["OLD"].stages[0] == "level3" and by_id["OLD"].end_stage == "resolved"
    assert by_id["NEW"].raised == 0.0 and by_id["NEW"].end is not None
