"""One rung, Poisson arrivals, exponential replies and c staff: the mean wait is Erlang C's (within 2%)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from cpsim.simulate.experiments.runner import run
from tests.sim_fixtures import one_rung_scenario

LAMBDA, MEAN_REPLY, C = 1.0, 1.0, 2  # utilisation 0.5: long runs settle to within a per cent or so
DAYS, REPS, WARM_UP = 20_000, 6, 200


def erlang_c_wait(lam: float, mu: float, c: int) -> float:
    """Mean time in queue of an M/M/c queue."""
    a = lam / mu
    top = a**c / math.factorial(c) * c / (c - a)
    p_wait = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    return p_wait / (c * mu - lam)


def test_erlang_c_formula_matches_a_known_value() -> None:
    assert erlang_c_wait(1.6, 1.0, 2) == pytest.approx(16 / 9)  # P(wait) = 32/45, divided by 0.4


@pytest.mark.slow
def test_mean_wait_for_the_responder_matches_erlang_c(tmp_path: Path) -> None:
    body = f"""\
    behaviour:
      stages:
        ask: {{reply_time: {{dist: exponential, mean: {MEAN_REPLY}}}, p_satisfied: 1}}
calendar: {{start: 2026-01-05, horizon: {DAYS}, warm_up: {WARM_UP}, follow_up: 50}}
arrivals: {{kind: poisson, rate: {LAMBDA}}}
staff:
  worker: {{headcount: {C}, capacity: 1}}
replications: {REPS}
seed: 31
"""
    sc = one_rung_scenario(tmp_path, deadline=100_000, body=body)
    result = run(sc, workers=2)
    # time in system minus the mean reply time is the time spent waiting for a free worker
    per_rep = [np.mean(s.resolution) - MEAN_REPLY for s in result.stats]
    expected = erlang_c_wait(LAMBDA, 1 / MEAN_REPLY, C)
    assert np.mean(per_rep) == pytest.approx(expected, rel=0.02)
    # Little's law: time-average queue length over the arrival rate each replication actually saw
    little = np.mean([r.queue_mean * (DAYS - WARM_UP) / s.counted for s in result.stats for r in s.roles])
    assert little == pytest.approx(expected, rel=0.02)
