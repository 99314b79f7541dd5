"""Strategy discussions replayed from a CSV of dates: exact timeliness, row-numbered errors, confined paths, a cap."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import holidays
import pytest

from cpsim.model.conference.load import CONFERENCE_SCENARIOS, check_conference_file, load_conference
from cpsim.model.files.yaml import read_yaml
from cpsim.model.scenario.spec import MAX_REPLAY_ROWS
from cpsim.simulate.conference.runner import run_conferences

START = dt.date(2025, 7, 7)


def _data(file: str = "dates.csv") -> dict[str, Any]:
    """Stoke-on-Trent with unlimited chairs and minute takers, no checks, nothing reconvened, replayed demand."""
    data: dict[str, Any] = read_yaml(CONFERENCE_SCENARIOS["stoke-conference-baseline"]).data
    for key in ("transfers_in", "pre_birth", "reports"):
        data.pop(key, None)
    data["timescales"].pop("reports-to-chair")
    data["demand"] = {"kind": "replay", "file": file}
    data["journeys"].pop("attendance")
    data["journeys"].update(inquorate=0.0, plan_share=0.0)
    data["checks"] = []
    data["capacity"]["chairs"] = {"headcount": "unlimited", "conferences_per_week": 5}  # one working day each
    data["capacity"]["minute_takers"]["headcount"] = "unlimited"
    data["practice"]["booking_delay"] = {"dist": "fixed", "value": 14.5}  # held 15 working days after
    return data


def _write(tmp_path: Path, data: dict[str, Any], dates: list[str]) -> Path:
    (tmp_path / "dates.csv").write_text("id,date\n" + "".join(f"x{i},{d}\n" for i, d in enumerate(dates)))
    path = tmp_path / "conference.yaml"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")  # JSON is YAML
    return path


def _working(day: dt.date, bank: holidays.HolidayBase) -> bool:
    return day.weekday() < 5 and day not in bank


def test_replayed_dates_with_unlimited_chairs_give_the_exactly_computable_timeliness(tmp_path: Path) -> None:
    """Initial conferences within 3 weeks (calendar) when each is held 15 working days after its discussion.

    Computed independently from the bank holidays: a conference is within 3 weeks exactly when the 15th
    working day after the discussion's working day falls within 21 calendar days of it, that is when no
    bank holiday falls on a weekday in between. Dates on a weekend count from the next working day.
    """
    data = _data()
    data["timescales"]["icpc"] = {"within": {"amount": 3, "unit": "weeks"}, "assumption": "a test of the calendar"}
    bank = holidays.country_holidays("GB", subdiv="ENG", years=range(2025, 2028))
    dates = [START + dt.timedelta(days=i) for i in range(190, 540, 2)]  # weekends and holidays among them
    sc = load_conference(_write(tmp_path, data, [d.isoformat() for d in dates]))
    run = run_conferences(sc, replications=2, seed=1)
    within = 0
    counted = 0
    for d in dates:
        while not _working(d, bank):
            d += dt.timedelta(days=1)
        held, left = d, 15
        while left:
            held += dt.timedelta(days=1)
            left -= _working(held, bank)
        counted += 1
        within += held <= d + dt.timedelta(days=21)
    for rep in run.replications:
        rows = [t for t in rep.timed if t.measure == "icpc" and t.counted]
        assert len(rows) == counted == rep.children
    row = run.summary()["timescales"]["icpc"]
    assert 0 < within < counted
    assert (row["events"], row["within"]) == (2 * counted, 2 * within)
    assert row["within_share"]["mean"] == pytest.approx(within / counted, abs=1e-6)


def test_bad_rows_are_named_at_file_and_row_and_dates_past_the_horizon_are_not_replayed(tmp_path: Path) -> None:
    path = _write(tmp_path, _data(), ["2026-01-05", "2026-13-01", "2025-07-01", "", "2030-01-02"])
    problems = check_conference_file(path)
    got = {(Path(p.file).name, p.line, p.column, p.message) for p in problems}
    assert ("dates.csv", 3, 2, "row 3: date '2026-13-01' is not a date like 2025-06-30") in got
    assert ("dates.csv", 4, 2, "row 4: date 2025-07-01 is before the run starts (2025-07-07)") in got
    assert ("dates.csv", 5, 2, "row 5: date '' is not a date like 2025-06-30") in got
    assert len(problems) == 3
    sc = load_conference(_write(tmp_path, _data(), ["2026-01-05", "2030-01-02"]))
    assert len(sc.replayed) == 2
    assert run_conferences(sc, replications=1, seed=1).replications[0].children == 1


def test_a_file_without_a_date_column_or_missing_or_outside_the_scenarios_folder_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, _data(), [])
    (tmp_path / "dates.csv").write_text("day\n2026-01-05\n")
    assert [p.message for p in check_conference_file(path)] == ["the CSV needs a 'date' column"]
    inner = tmp_path / "inner"
    inner.mkdir()
    for ref, words in (("../dates.csv", "outside the folders"), ("nowhere.csv", "not found")):
        path = _write(inner, _data(ref), [])
        problems = check_conference_file(path)
        assert len(problems) == 1 and words in problems[0].message and Path(problems[0].file) == path, problems


def test_a_file_with_more_rows_than_the_cap_is_refused_before_its_rows_are_checked(tmp_path: Path) -> None:
    path = _write(tmp_path, _data(), ["not a date"] * (MAX_REPLAY_ROWS + 1))
    problems = check_conference_file(path)
    assert len(problems) == 1 and f"more than the {MAX_REPLAY_ROWS:,}" in problems[0].message


def test_a_what_if_in_another_folder_replays_dates_instead_of_the_baselines_rate(tmp_path: Path) -> None:
    (tmp_path / "dates.csv").write_text("date\n2026-01-05\n2026-01-06\n")
    path = tmp_path / "what-if.yaml"
    base = CONFERENCE_SCENARIOS["stoke-conference-baseline"]
    text = f"extend: {base}\nid: what-if\nlifecycle: stoke-conference-lifecycle\n"
    path.write_text(text + "demand: {kind: replay, file: dates.csv}\n", encoding="utf-8")
    sc = load_conference(path)
    assert [d.isoformat() for d in sc.replayed] == ["2026-01-05", "2026-01-06"]
    assert sc.spec.demand.model_dump() == {"kind": "replay", "file": "dates.csv"}
