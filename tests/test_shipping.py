"""A run's scenario reaches each worker process once: pickled once, unpickled once per process."""

from __future__ import annotations

import concurrent.futures as cf
import os
import pickle

from cpsim.model.scenario.classes import SCENARIOS_DIR, Scenario, load_scenario
from cpsim.simulate.experiments.shipping import Shipped

_HELD: list[Scenario] = []  # in the worker: every scenario a job received, kept alive so ids stay distinct


def _identity(box: Shipped[Scenario]) -> tuple[int, int]:
    _HELD.append(box.value)
    return os.getpid(), len({id(x) for x in _HELD})


def test_a_worker_unpickles_the_shipped_scenario_once_and_reuses_it() -> None:
    box = Shipped(load_scenario(SCENARIOS_DIR / "redcar-baseline.yaml"))
    with cf.ProcessPoolExecutor(max_workers=1) as pool:
        seen = list(pool.map(_identity, [box] * 6))
    assert {pid for pid, _ in seen} == {seen[0][0]} and [n for _, n in seen] == [1] * 6  # one object for every job


def test_the_shipped_scenario_is_the_scenario_sent() -> None:
    sc = load_scenario(SCENARIOS_DIR / "redcar-baseline.yaml")
    got = pickle.loads(pickle.dumps(Shipped(sc))).value
    assert got == sc and got is not sc


def test_different_scenarios_are_not_confused() -> None:
    a = load_scenario(SCENARIOS_DIR / "redcar-baseline.yaml")
    b = a.with_settings({"arrivals.rate": 2.0})
    got_a, got_b = (pickle.loads(pickle.dumps(Shipped(x))).value for x in (a, b))
    assert got_a.arrivals.rate == a.arrivals.rate and got_b.arrivals.rate == 2.0
