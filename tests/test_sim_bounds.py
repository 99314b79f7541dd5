"""Every interval a challenge run's summary gives stays where its figure can lie: no count or time below zero."""

from __future__ import annotations

from cpsim.model.scenario.classes import load_scenario, shipped_scenario_paths
from cpsim.simulate.experiments.runner import run
from tests.test_conference_bounds import _intervals


def test_no_interval_of_a_few_replications_goes_below_zero() -> None:
    """With three replications a t interval is wide; a count of open challenges must still not go negative."""
    scenario = load_scenario(next(p for p in shipped_scenario_paths() if p.stem == "redcar-vacant-ad-no-deputy"))
    summary = run(scenario, replications=3, seed=2, workers=1).summary()
    found = _intervals(summary)
    assert found, "the summary gives intervals"
    assert [(where, ci) for where, ci in found if ci[0] < 0] == []
