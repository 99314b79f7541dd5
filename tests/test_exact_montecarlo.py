"""The exact analysis agrees with an independent Monte Carlo sampler of the behaviour contract."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from scipy import stats

from cpsim.model import load_procedure, shipped_procedure_paths
from cpsim.model.behaviour import Behaviour
from cpsim.verify.exact.analysis import analyse
from tests.exact_ladders import Draws, ladders, sample_case

N = 15_000


def _tolerance(p: float, n: int, comparisons: int) -> float:
    """Half-width of a simultaneous 99.9% interval for ``comparisons`` proportions from ``n`` draws."""
    z = stats.norm.ppf(1 - 0.001 / (2 * comparisons))
    return z * math.sqrt(max(p * (1 - p), 1 / n) / n)


def _samples(proc, beh, seed: int, n: int = N):
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    clock_from = proc.targets[0].from_ if proc.targets else proc.start.id
    draws = Draws(rng)
    return [sample_case(proc, beh, rng, clock_from, draws) for _ in range(n)]


@pytest.mark.slow
@settings(max_examples=12, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ladders())
def test_exact_probabilities_lie_within_monte_carlo_intervals_on_random_ladders(case):
    proc, beh = case
    a = analyse(proc, beh, horizon=40, sensitivity=False)
    assert a.method == "exact"
    runs = _samples(proc, beh, seed=20261124)
    total = np.array([r[0] for r in runs])
    clock = np.array([r[1] for r in runs])
    ends = [r[2] for r in runs]
    checks = [(a.within(k), np.mean(total <= k)) for k in (0, 1, 2, 3, 5, 8)]
    checks += [(a.terminals[s], np.mean([e == s for e in ends])) for s in a.terminals]
    checks.append((a.p_never_ends, np.mean([e == "stuck" for e in ends])))
    t = a.target("t")
    days = t.within_days
    checks.append((t.p_within * t.p_started, np.mean(clock <= days)))
    for exact, sampled in checks:
        assert abs(exact - sampled) <= _tolerance(exact, N, len(checks)) + 1e-12, (exact, sampled)


@pytest.mark.slow
def test_grid_analysis_with_continuous_times_agrees_with_monte_carlo_within_bound_and_interval():
    proc = load_procedure(next(p for p in shipped_procedure_paths() if p.stem == "redcar-external"))
    beh = Behaviour.model_validate(
        {
            "stages": {
                "level1": {"reply_time": {"dist": "exponential", "mean": 1.5}, "p_satisfied": 0.5},
                "level2": {"reply_time": {"dist": "lognormal", "mean": 2, "sd": 1}, "p_satisfied": 0.7},
                "level3": {"reply_time": {"dist": "gamma", "shape": 2, "scale": 1}},
            }
        }
    )
    a = analyse(proc, beh, sensitivity=False)
    assert a.method == "grid" and a.error_bound < 1e-3
    total = np.array([r[0] for r in _samples(proc, beh, seed=7, n=40_000)])
    for k in (1, 2, 3, 5, 8):
        assert abs(a.within(k) - np.mean(total <= k)) <= _tolerance(a.within(k), 40_000, 5) + a.cdf.error(k)
