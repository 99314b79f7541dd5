"""The QA check "report shared with the chair in time" fails exactly when the simulated report was late or missing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cpsim.model.conference.load import CONFERENCE_SCENARIOS, check_conference_file, load_conference
from cpsim.model.files.yaml import read_yaml
from cpsim.simulate.conference.engine import run_conference_replication
from cpsim.simulate.conference.runner import run_conferences

REPORT_CHECK = {
    "id": "reports-to-chair",
    "title": "Reports provided to the chair in time",
    "before": "both",
    "fails_when_report_late": True,
}


def _data(**reports: Any) -> dict[str, Any]:
    data: dict[str, Any] = read_yaml(CONFERENCE_SCENARIOS["wakefield-conference-baseline"]).data
    data.pop("transfers_in", None)
    data.pop("pre_birth", None)
    data.pop("dissent", None)  # its procedure is named relative to the shipped file; see test_conference_dissent.py
    data["calendar"].update(horizon=200, warm_up=20, follow_up=60)
    data["checks"] = [REPORT_CHECK]
    data["reports"] = reports
    return data


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "conference.yaml"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")  # JSON is YAML
    return path


def test_every_report_late_fails_the_check_on_every_conference_and_raises_that_many_challenges(tmp_path: Path) -> None:
    sc = load_conference(_write(tmp_path, _data(p_late=1.0)))
    run = run_conferences(sc, replications=2, seed=5)
    for rep in run.replications:
        sittings = [c for c in rep.conferences if c.kind in ("initial", "review", "reconvened")]
        assert len(sittings) > 100 and any(c.kind == "reconvened" for c in sittings)
        assert all(c.failed_checks == ("reports-to-chair",) for c in sittings)
        assert len(rep.challenges) == len(sittings)
        assert sorted(x.case for x in rep.challenges) == sorted(
            f"{c.child}/{c.kind}{c.number}/reports-to-chair" for c in sittings
        )
    summary = run.summary()
    assert summary["challenges"]["raised"] == summary["challenges"]["failed_checks"]
    assert summary["timescales"]["reports-to-chair"]["within"] == 0


def test_the_check_fails_exactly_when_that_conferences_report_was_late_or_missing(tmp_path: Path) -> None:
    sc = load_conference(_write(tmp_path, _data(p_late=0.3, p_missing=0.1)))
    rep = run_conference_replication(sc, seed=11)
    reports = {(t.child, t.number): t for t in rep.timed if t.measure == "reports-to-chair"}
    firsts = [c for c in rep.conferences if c.kind in ("initial", "review") and c.held_day is not None]
    late = [c for c in firsts if not reports[(c.child, c.number)].within]
    assert 0.3 < len(late) / len(firsts) < 0.5
    for c in firsts:
        assert ("reports-to-chair" in c.failed_checks) == (not reports[(c.child, c.number)].within), c
    assert len(rep.challenges) == sum(len(c.failed_checks) for c in rep.conferences)


def test_the_check_with_a_chance_of_its_own_also_fails_when_the_report_was_in_time(tmp_path: Path) -> None:
    data = _data(p_late=0.0)
    data["checks"] = [{**REPORT_CHECK, "p_fail": 0.5}]
    rep = run_conference_replication(load_conference(_write(tmp_path, data)), seed=3)
    firsts = [c for c in rep.conferences if c.kind in ("initial", "review")]
    failed = sum(bool(c.failed_checks) for c in firsts) / len(firsts)
    assert 0.4 < failed < 0.6


def test_a_check_that_follows_reports_needs_reports_and_a_check_needs_some_way_to_fail(tmp_path: Path) -> None:
    data = _data(p_late=0.1)
    data.pop("reports")
    problems = check_conference_file(_write(tmp_path, data))
    assert any("no 'reports:'" in p.message for p in problems), problems
    data = _data(p_late=0.1)
    data["checks"] = [{k: v for k, v in REPORT_CHECK.items() if k != "fails_when_report_late"}]
    problems = check_conference_file(_write(tmp_path, data))
    assert any("p_fail" in p.message and p.column > 1 for p in problems), problems
