"""Children already on a plan when a run starts: the CSV is checked row by row; reviews and core groups go on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cpsim.model.conference.load import CONFERENCE_SCENARIOS, check_conference_file, load_conference
from cpsim.model.files.yaml import read_yaml
from cpsim.simulate.conference.engine import run_conference_replication

HEADER = "id,plan_start,last_conference,last_core_group\n"


def _write(tmp_path: Path, rows: str, **changes: Any) -> Path:
    data: dict[str, Any] = read_yaml(CONFERENCE_SCENARIOS["wakefield-conference-baseline"]).data
    data["open_plans"] = "open.csv"
    data.pop("dissent")  # its procedure is named relative to the shipped file; see test_conference_dissent.py
    for key, value in changes.items():
        data[key] = {**data[key], **value} if isinstance(value, dict) else value
    (tmp_path / "open.csv").write_text(HEADER + rows, encoding="utf-8")
    path = tmp_path / "conference.yaml"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    return path


def test_every_bad_row_is_reported_with_its_row_and_column(tmp_path: Path) -> None:
    rows = (
        "A1,2025-03-03,2025-05-30,2025-06-20\n"
        "A1,2025-03-03,2025-05-30,\n"
        "B2,2025-03-03,2025-02-01,\n"
        "C3,2025-13-01,2025-05-30,\n"
        "D4,2025-03-03,2025-08-01,\n"
    )
    problems = [str(p) for p in check_conference_file(_write(tmp_path, rows))]
    csv = str(tmp_path / "open.csv")
    assert problems == [
        f"{csv}:3:1: row 3: id 'A1' appears twice",
        f"{csv}:4:3: row 4: last_conference is before plan_start (the initial conference starts the plan)",
        f"{csv}:5:2: row 5: plan_start '2025-13-01' is not a date like 2025-06-30",
        f"{csv}:6:3: row 6: last_conference is not before the run starts (2025-07-07)",
    ]


def test_a_missing_file_is_reported_at_its_key(tmp_path: Path) -> None:
    path = _write(tmp_path, "")
    (tmp_path / "open.csv").unlink()
    (problem,) = check_conference_file(path)
    assert problem.message == "open plans file 'open.csv' not found"


def test_open_plans_continue_their_reviews_and_core_groups(tmp_path: Path) -> None:
    """Reviews fall due from the last conference (3 months after an initial one, else 6); core groups from the last."""
    rows = (
        "A1,2025-05-02,2025-05-02,\n"  # first review due 2 August 2025, a Saturday: held on Friday 1 August
        "B2,2025-01-10,2025-03-20,2025-06-27\n"  # next review due 20 September (Saturday): Friday 19 September
        "C3,2025-01-02,2025-01-02,2025-06-30\n"  # first review was due 2 April 2025, before the run: late
    )
    path = _write(
        tmp_path,
        rows,
        journeys={
            "plan_share": 0.0,
            "plan_months": {"dist": "fixed", "value": 40},
            "endings": {"no-longer-at-risk": 1},
        },
        capacity={"chairs": {"headcount": "unlimited", "conferences_per_week": 5}},
        practice={"review_margin": 0},
        checks=[],
    )
    sc = load_conference(path)
    assert [p.id for p in sc.open_plans] == ["A1", "B2", "C3"]
    rep = run_conference_replication(sc, seed=1)
    reviews = {(c.child, c.number): c for c in rep.conferences if c.kind == "review" and c.child.startswith("open-")}
    assert reviews[("open-A1", 1)].held_date == "2025-08-01"
    assert reviews[("open-B2", 2)].held_date == "2025-09-19"
    timed = {(t.child, t.measure, t.number): t for t in rep.timed}
    late = timed[("open-C3", "review", 1)]
    assert late.due_date == "2025-04-02" and late.late and not late.counted
    cycle = timed[("open-B2", "core-group-cycle", 2)]
    assert (cycle.reference_date, cycle.due_date, cycle.done_date) == ("2025-06-27", "2025-07-25", "2025-07-25")
    assert timed[("open-A1", "core-group", 1)].reference_date == "2025-05-02"
