"""Shipped what-if scenarios: each runs with a fixed seed, states its assumptions, and moves results the way it says."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cpsim.model.scenario.classes import load_scenario
from cpsim.simulate.experiments.compare import compare_scenarios
from cpsim.simulate.experiments.tasks import run_tasks, tasks_for

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
WHAT_IFS = sorted(
    p for p in SCENARIOS.glob("redcar-*.yaml") if p.name not in ("redcar-baseline.yaml", "redcar-unlimited-staff.yaml")
)


def test_every_kind_of_what_if_ships() -> None:
    names = {p.stem for p in WHAT_IFS}
    assert {
        "redcar-demand-plus-50",
        "redcar-december-closure",
        "redcar-sickness-service-managers",
        "redcar-vacant-ad-no-deputy",
        "redcar-vacant-ad-with-deputy",
        "redcar-level2-one-day",
        "redcar-no-line-manager",
    } <= names


@pytest.mark.parametrize("path", WHAT_IFS, ids=lambda p: p.stem)
def test_a_shipped_what_if_runs_with_a_fixed_seed_and_states_its_assumptions(path: Path) -> None:
    sc = load_scenario(path)
    first = run_tasks(tasks_for(sc, 2, 20260105))
    assert first == run_tasks(tasks_for(sc, 2, 20260105))
    assert all(o.counted > 0 and o.targets for o in first)
    what_if = [a for a in sc.all_assumptions if a.startswith("WHAT-IF")]
    assert len(what_if) == 1, "each what-if states the one thing it changes"


def test_demand_plus_half_raises_about_half_as_many_challenges_again() -> None:
    base = run_tasks(tasks_for(load_scenario(SCENARIOS / "redcar-baseline.yaml"), 2, 1))
    more = run_tasks(tasks_for(load_scenario(SCENARIOS / "redcar-demand-plus-50.yaml"), 2, 1))
    ratio = sum(o.counted for o in more) / sum(o.counted for o in base)
    assert 1.35 < ratio < 1.65


def test_the_december_closure_days_are_not_working_days() -> None:
    from cpsim.simulate.engine.replication import calendar_for

    cal = calendar_for(load_scenario(SCENARIOS / "redcar-december-closure.yaml"))
    closed = [dt.date(2026, 12, d) for d in (25, 28, 29, 30, 31)] + [dt.date(2027, 1, 1)]
    assert not any(cal.is_working(d) for d in closed)
    assert cal.is_working(dt.date(2026, 12, 24)) and cal.is_working(dt.date(2027, 1, 4))


def test_a_deputy_shortens_resolution_while_the_post_is_vacant() -> None:
    without = load_scenario(SCENARIOS / "redcar-vacant-ad-no-deputy.yaml")
    with_deputy = load_scenario(SCENARIOS / "redcar-vacant-ad-with-deputy.yaml")
    result = compare_scenarios(without, with_deputy, replications=3, seed=2)
    resolution = next(m for m in result.measures if m.kind == "resolution_mean")
    assert resolution.difference.mean < 0
