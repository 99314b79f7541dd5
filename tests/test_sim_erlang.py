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


def _mm3(folder: Path, days: int, warm_up: int) -> dict:
    """M/M/3 at utilisation 0.8 (Erlang C: mean wait 1.0787), run from empty; the summary of 300 replications."""
    body = f"""\
    behaviour:
      stages:
        ask: {{reply_time: {{dist: exponential, mean: 1}}, p_satisfied: 1}}
calendar: {{start: 2026-01-05, horizon: {days}, warm_up: {warm_up}, follow_up: 100}}
arrivals: {{kind: poisson, rate: 2.4}}
staff:
  worker: {{headcount: 3, capacity: 1}}
replications: 300
seed: 7
"""
    folder.mkdir()
    return run(one_rung_scenario(folder, deadline=100_000, body=body), workers=2).summary()


@pytest.mark.slow
def test_with_the_recommended_warm_up_the_mean_wait_of_a_busy_queue_is_erlang_cs(tmp_path: Path) -> None:
    """Starting empty under-reports the wait; the warm-up MSER-5 recommends removes the bias.

    The counted period is 100 working days either way; the wait is the time to resolution less
    the mean reply time, with the summary's interval (its ratio estimator is exactly Erlang C's
    per-challenge mean, however short the period).
    """
    expected = erlang_c_wait(2.4, 1.0, 3)
    assert expected == pytest.approx(1.0787, abs=1e-4)
    pilot = _mm3(tmp_path / "pilot", 100, 0)
    lo, hi = (x - MEAN_REPLY for x in pilot["resolution_working_days"]["mean_ci95"])
    assert hi < expected  # from empty, the interval lies wholly below the true mean wait
    recommended = pilot["warm_up"]["recommended"]
    assert recommended > 0 and any(f"set calendar.warm_up to {recommended}" in w for w in pilot["warnings"])
    settled = _mm3(tmp_path / "settled", 100 + recommended, recommended)
    lo, hi = (x - MEAN_REPLY for x in settled["resolution_working_days"]["mean_ci95"])
    assert lo <= expected <= hi, (lo, hi, expected, recommended)
