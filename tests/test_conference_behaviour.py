"""Social workers' reports to the chair and the same chair for a child's reviews, checked against exact answers."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from cpsim.model.conference.load import CONFERENCE_SCENARIOS, ConferenceScenario, check_conference_file, load_conference
from cpsim.model.files.yaml import read_yaml
from cpsim.simulate.conference.dates import DayClock
from cpsim.simulate.conference.engine import DAYS_PER_MONTH, run_conference_replication
from cpsim.simulate.conference.runner import run_conferences
from cpsim.simulate.engine.calendar import WorkingCalendar


def _base(name: str = "wakefield-conference-baseline") -> dict[str, Any]:
    data: dict[str, Any] = read_yaml(CONFERENCE_SCENARIOS[name]).data
    data.pop("reports", None)
    data.pop("dissent", None)  # its procedure is named relative to the shipped file; see test_conference_dissent.py
    data["timescales"].pop("reports-to-chair", None)
    return data


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "conference.yaml"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")  # JSON is YAML
    return path


def _scenario(tmp_path: Path, data: dict[str, Any]) -> ConferenceScenario:
    return load_conference(_write(tmp_path, data))


def _unlimited(data: dict[str, Any]) -> dict[str, Any]:
    """Unlimited staff, no checks, no reconvening: nothing waits for anyone."""
    data["journeys"].update(inquorate=0.0, plan_share=0.5)
    data["journeys"].pop("attendance", None)
    data["checks"] = []
    data["capacity"]["chairs"] = {"headcount": "unlimited", "conferences_per_week": 5}
    data["capacity"]["minute_takers"]["headcount"] = "unlimited"
    return data


def test_the_report_timescale_comes_from_wakefields_milestones() -> None:
    """Wakefield: at least 1 working day before an ICPC, 2 before a review, cited and not stated."""
    sc = load_conference(CONFERENCE_SCENARIOS["wakefield-conference-baseline"])
    rule = sc.rules["reports-to-chair"]
    assert (rule.within.amount, rule.then and rule.then.amount, rule.stated) == (1, 2, False)
    assert "reports-to-chair-icpc" in rule.basis and "at least 2 working days in advance of the CPRC" in rule.basis


def test_stoke_gives_no_time_for_reports_to_the_chair_so_the_scenario_must_state_one(tmp_path: Path) -> None:
    data = _base("stoke-conference-baseline")
    data["reports"] = {"p_late": 0.1}
    problems = check_conference_file(_write(tmp_path, data))
    assert any("reports-to-chair" in p.message for p in problems), problems
    data["timescales"]["reports-to-chair"] = {
        "within": {"amount": 2, "unit": "working-days"},
        "then": {"amount": 5, "unit": "working-days"},
        "assumption": "read as the family's 2 and 5 working days; the source gives the chair no time",
    }
    rule = _scenario(tmp_path, data).rules["reports-to-chair"]
    assert rule.stated and rule.within.amount == 2 and rule.then is not None and rule.then.amount == 5


def test_late_and_missing_chances_that_add_up_to_more_than_one_are_refused(tmp_path: Path) -> None:
    data = _base()
    data["reports"] = {"p_late": 0.7, "p_missing": 0.4}
    problems = check_conference_file(_write(tmp_path, data))
    assert any("more than 1" in p.message for p in problems), problems


@pytest.mark.parametrize("p_late", [0.0, 0.25, 0.6])
def test_with_unlimited_capacity_the_on_time_share_covers_one_minus_p(tmp_path: Path, p_late: float) -> None:
    data = _unlimited(_base())
    data["reports"] = {"p_late": p_late, "late_by": {"dist": "uniform", "low": 0.5, "high": 4}}
    summary = run_conferences(_scenario(tmp_path, data), replications=4, seed=7).summary()
    row = summary["timescales"]["reports-to-chair"]
    assert row["events"] > 1000 and row["name"].startswith("Reports to the chair on time")
    lo, hi = row["within_share"]["ci95"]
    assert lo <= 1 - p_late <= hi
    share = row["within"] / (row["events"] - row["unfinished"])
    assert abs(share - (1 - p_late)) < 4 * math.sqrt(max(p_late * (1 - p_late), 1e-12) / row["events"]) + 1e-12


def test_a_late_report_arrives_its_rounded_up_delay_after_the_due_day_and_a_missing_one_never(tmp_path: Path) -> None:
    """Initial conferences: due 1 working day before; reviews: 2 (Wakefield). Late by 2.3 days: 3 days late."""
    data = _unlimited(_base())
    data["reports"] = {"p_late": 0.5, "p_missing": 0.2, "late_by": {"dist": "fixed", "value": 2.3}}
    rep = run_conference_replication(_scenario(tmp_path, data), seed=3)
    rows = [t for t in rep.timed if t.measure == "reports-to-chair"]
    held = {(c.child, c.number): c.held_day for c in rep.conferences if c.kind in ("initial", "review")}
    assert rows and {t.due - t.reference for t in rows} == {-1, -2}
    for t in rows:
        assert t.reference == held[(t.child, t.number)]
        assert t.due == t.reference - (1 if t.number == 0 else 2)
        assert t.done_day in (t.due, t.due + 3, None)
    late = sum(t.done_day == t.due + 3 for t in rows) / len(rows)
    missing = sum(t.done_day is None for t in rows) / len(rows)
    assert abs(late - 0.5) < 0.05 and abs(missing - 0.2) < 0.05
    assert all(t.late for t in rows if t.done_day is None)


def _idle_chairs(data: dict[str, Any], headcount: int, same: float) -> dict[str, Any]:
    """Chairs almost always free: a tenth of a working day per conference, no absences."""
    data = _unlimited(data)
    data["journeys"]["plan_share"] = 1.0
    data["capacity"]["chairs"] = {"headcount": headcount, "conferences_per_week": 50, "same_chair": same}
    return data


def test_one_chair_chairs_every_review_of_every_child(tmp_path: Path) -> None:
    summary = run_conferences(_scenario(tmp_path, _idle_chairs(_base(), 1, 0.0)), replications=2, seed=5).summary()
    fig = summary["conferences"]["same_chair_share"]
    assert fig["mean"] == 1.0 and fig["ci95"] == [1.0, 1.0]


def test_with_the_option_off_the_same_chair_is_what_chance_gives(tmp_path: Path) -> None:
    """Four chairs all free at a review, picked at random: the previous one with chance 1/4."""
    sc = _scenario(tmp_path, _idle_chairs(_base(), 4, 0.0))
    summary = run_conferences(sc, replications=4, seed=5).summary()
    fig = summary["conferences"]["same_chair_share"]
    lo, hi = fig["ci95"]
    assert lo <= 0.25 <= hi and hi - lo < 0.1


def test_with_the_option_on_a_review_goes_to_another_chair_only_when_the_previous_one_is_busy(tmp_path: Path) -> None:
    """Option 1: every review not held by the previous chair has that chair holding another conference that day.

    (Reviews planned for the same day start together, so the previous chair can be busy even at a low load.)
    """
    data = _idle_chairs(_base(), 4, 1.0)
    data["demand"] = {"rate": 0.3}
    rep = run_conference_replication(_scenario(tmp_path, data), seed=5)
    reviews = [c for c in rep.conferences if c.kind == "review" and c.same_chair is not None]
    assert len(reviews) > 100
    assert sum(bool(c.same_chair) for c in reviews) / len(reviews) > 0.9
    by_child = sorted(rep.conferences, key=lambda c: (c.child, c.held_day or 0, c.number))
    for c in reviews:
        if c.same_chair:
            continue
        earlier = [
            x for x in by_child if x.child == c.child and x.held_day is not None and x.held_day < (c.held_day or 0)
        ]
        previous = earlier[-1].chair
        assert previous != c.chair
        assert any(x.held_day == c.held_day and x.chair == previous and x.child != c.child for x in rep.conferences)


def test_with_unlimited_chairs_no_same_chair_share_is_claimed(tmp_path: Path) -> None:
    summary = run_conferences(_scenario(tmp_path, _unlimited(_base())), replications=2, seed=5).summary()
    assert summary["conferences"]["same_chair_share"]["mean"] is None


def test_a_child_moving_away_ends_the_plan_on_its_day_counted_as_moved_away(tmp_path: Path) -> None:
    """Every plan lasts 4 months and ends with a move: one review (at 3 months), then the plan ends, as 'moved-away'."""
    data = _unlimited(_base())
    data["journeys"].update(plan_share=1.0, plan_months={"dist": "fixed", "value": 4}, endings={"moved-away": 1})
    data.pop("open_plans", None)
    sc = _scenario(tmp_path, data)
    rep = run_conference_replication(sc, seed=4)
    model_days = _clock(sc)
    held = {c.child: c.held_day for c in rep.conferences if c.kind == "initial" and c.held_day is not None}
    assert rep.endings and {e.reason for e in rep.endings} == {"moved-away"}
    for e in rep.endings:
        assert e.day == model_days.plus_days(held[e.child], 4 * DAYS_PER_MONTH)
        later = [c for c in rep.conferences if c.child == e.child and c.kind == "review" and (c.held_day or 0) > e.day]
        assert not later
    reviews = Counter(c.child for c in rep.conferences if c.kind == "review")
    assert set(reviews.values()) == {1}
    summary = run_conferences(sc, replications=2, seed=4).summary()
    ended = summary["conferences"]["plans_ended_per_replication"]
    assert ended["moved-away"]["mean"] > 0 and ended["no-longer-at-risk"]["mean"] == 0


def _clock(sc: ConferenceScenario) -> DayClock:
    """The working-day clock a replication of ``sc`` uses."""
    c = sc.spec.calendar
    cal = WorkingCalendar(
        c.start, c.horizon + c.follow_up + 400, nation=c.nation, closures=[(x.from_, x.to) for x in c.closures]
    )
    return DayClock(cal, nation=c.nation, closures=[(x.from_, x.to) for x in c.closures])


def test_the_run_directory_and_the_html_report_show_the_chair_and_the_plan_endings(tmp_path: Path) -> None:
    from cpsim.reports.documents.conference import conference_page
    from cpsim.reports.rundir.conference import conference_csvs

    sc = _scenario(tmp_path, _idle_chairs(_base(), 1, 0.0))
    run = run_conferences(sc, replications=2, seed=5)
    rows = conference_csvs(run.replications)["conferences.csv"].decode().splitlines()
    assert rows[0].endswith(",chair,same_chair")
    assert any(r.split(",")[2] == "review" and r.endswith(",0,True") for r in rows[1:])
    html = conference_page(run.summary(), b"")
    assert "previous chair: 100.0%" in html
    assert "Plans ended per replication: no longer at risk" in html
