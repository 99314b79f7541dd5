"""Open-case CSVs of any size or content get an answer at once: a ceiling, capped errors, bad bytes at their line.

The big files are generated in the test (a million rows are written in about a second) and never
checked in.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cpsim.model.errors import FileError
from cpsim.model.files.table import MAX_LISTED
from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
from cpsim.model.scenario.open_cases import MAX_OPEN_CASES, read_open_cases

HEADER = "id,route,current_rung,date_raised,date_asked\n"
GOOD = "A{},redcar-internal,level2,2026-01-02,2026-01-05\n"
BAD = "A{},redcar-internl,level9,2026-13-02,x\n"


@pytest.fixture(scope="module")
def scenario():  # type: ignore[no-untyped-def]
    return load_scenario(SCENARIOS_DIR / "redcar-baseline.yaml")


def _write(path: Path, row: str, n: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        handle.write(HEADER)
        handle.writelines(row.format(i) for i in range(n))
    return path


def test_a_million_rows_are_refused_before_any_row_is_checked(tmp_path: Path, scenario) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path / "million.csv", GOOD, 1_000_000)
    with pytest.raises(FileError) as info:
        read_open_cases(path, scenario)
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (1, 1)
    assert f"lists 1,000,000 open challenges, more than the {MAX_OPEN_CASES:,}" in problem.message
    assert "keep only the challenges open today" in problem.hint


def test_bad_rows_list_the_first_twenty_and_count_the_rest(tmp_path: Path, scenario) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path / "bad.csv", BAD, MAX_OPEN_CASES)
    with pytest.raises(FileError) as info:
        read_open_cases(path, scenario)
    problems = info.value.problems
    assert len(problems) == MAX_LISTED + 1
    assert [(p.line, p.column) for p in problems[:4]] == [(2, 2), (2, 4), (2, 5), (3, 2)]  # route, two dates
    assert problems[-1].message == f"and {3 * MAX_OPEN_CASES - MAX_LISTED:,} more problems like these"


def test_the_ceiling_itself_is_accepted(tmp_path: Path, scenario) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path / "ok.csv", GOOD, MAX_OPEN_CASES)
    assert len(read_open_cases(path, scenario)) == MAX_OPEN_CASES


@pytest.mark.parametrize(
    ("content", "line", "column", "message"),
    [
        (
            HEADER.encode() + GOOD.format(1).encode() + b"A2,redcar-internal,level2,2026-01-02,\xe9\n",
            3,
            38,
            "not UTF-8",
        ),
        (HEADER.encode() + b"\x00\x01\x02binary\n", 2, 1, "binary data"),
        (bytes(range(256)) * 50, 1, 1, "binary data"),
        (HEADER.encode() + b"x" * 200_000 + b"\n", 2, 1, "longer than 100,000 characters"),
        (b"", 1, 1, "missing column(s) id, route"),
    ],
    ids=["latin-1", "zero-byte", "random-bytes", "long-line", "empty"],
)
def test_a_file_that_is_not_a_csv_is_named_at_its_line(  # type: ignore[no-untyped-def]
    tmp_path: Path, scenario, content: bytes, line: int, column: int, message: str
) -> None:
    path = tmp_path / "open.csv"
    path.write_bytes(content)
    with pytest.raises(FileError) as info:
        read_open_cases(path, scenario)
    first = info.value.problems[0]
    assert (first.line, first.column) == (line, column), str(first)
    assert message in first.message, str(first)


def test_simulate_refuses_a_binary_open_cases_file_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cpsim.cli import main

    path = tmp_path / "open.csv"
    path.write_bytes(HEADER.encode() + b"\xff\xfe\x00garbage\n")
    scenario_path = str(SCENARIOS_DIR / "redcar-baseline.yaml")
    code = main(["simulate", scenario_path, "--open-cases", str(path), "-n", "1", "-o", str(tmp_path / "run")])
    assert code == 1
    err = capsys.readouterr().err
    assert f"{path}:2:1: the file holds binary data" in err
