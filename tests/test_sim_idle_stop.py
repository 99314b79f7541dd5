"""A replication stops once, past the horizon, every arrival has come and no challenge is open; no record changes."""

from __future__ import annotations

import pytest
import simpy

from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
from cpsim.simulate.engine import replication
from cpsim.simulate.engine.replication import run_replication


@pytest.mark.parametrize(
    "name", ["redcar-baseline", "redcar-sickness-service-managers", "redcar-vacant-ad-with-deputy"]
)
def test_stopping_when_idle_after_the_horizon_changes_no_record(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    sc = load_scenario(SCENARIOS_DIR / f"{name}.yaml")
    early = run_replication(sc, seed=3, replication=1, events=True)
    monkeypatch.setattr(replication._Run, "stop_when_idle", lambda self: None)  # run to the end of the follow-up
    full = run_replication(sc, seed=3, replication=1, events=True)
    assert early == full
    assert early.roles and early.leftover_users == 0


def test_the_run_stops_when_the_last_challenge_ends_after_the_horizon(monkeypatch: pytest.MonkeyPatch) -> None:
    sc = load_scenario(SCENARIOS_DIR / "redcar-baseline.yaml")
    stopped: list[float] = []
    go = simpy.Environment.run

    def run(env: simpy.Environment, until: float | simpy.Event | None = None) -> object:
        value = go(env, until)
        stopped.append(env.now)
        return value

    monkeypatch.setattr(simpy.Environment, "run", run)
    res = run_replication(sc, seed=3, replication=1)
    last = max(c.end for c in res.cases if c.end is not None)
    assert sc.calendar.horizon <= last < sc.calendar.horizon + sc.calendar.follow_up
    assert stopped == [last]
