"""MSER-5 finds the end of a start-up transient, and the summary warns when the warm-up is shorter."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cpsim.simulate.experiments.bias import mser5, warm_up_check
from tests.sim_fixtures import one_rung_scenario

T = np.arange(500)


def test_a_step_is_cut_exactly_where_it_ends() -> None:
    assert mser5([10.0] * 50 + [0.0] * 150) == 50
    assert mser5([10.0] * 50 + [0.0] * 150 + [99.0] * 4) == 50  # an incomplete last batch is left out


def test_a_series_without_a_transient_keeps_everything() -> None:
    assert mser5([1.0] * 100) == 0
    assert mser5([3.0, 1.0, 2.0]) == 0  # fewer than two batches: no evidence either way


def test_only_the_first_half_is_ever_deleted() -> None:
    assert mser5(list(range(100, 0, -1))) <= 50  # a trend to the end is not a warm-up


def test_a_decaying_transient_in_noise_is_cut_once_it_has_faded() -> None:
    """5 e^(-t/10) plus standard normal noise: what the cut leaves of the transient biases the mean little."""
    cuts = [mser5((5 * np.exp(-T / 10) + np.random.default_rng(s).normal(0, 1, 500)).tolist()) for s in range(20)]
    assert all(15 <= d <= 60 for d in cuts), cuts
    left = [float((5 * np.exp(-T[d:] / 10)).mean()) for d in cuts]
    assert max(left) < 0.05  # without a cut it would be 0.1: the transient's share of the mean
    assert float((5 * np.exp(-T / 10)).mean()) > 0.09


def test_stationary_noise_is_mostly_kept_whole() -> None:
    """Noise alone sometimes looks like a transient to MSER, but the typical cut is nothing or one batch."""
    cuts = [mser5(np.random.default_rng(100 + s).normal(0, 1, 500).tolist()) for s in range(20)]
    assert sorted(cuts)[10] <= 5 and max(cuts) <= 250, cuts


@pytest.fixture
def scenario(tmp_path: Path):
    body = """\
    behaviour:
      stages:
        ask: {reply_time: {dist: fixed, value: 1}, p_satisfied: 1}
calendar: {start: 2026-01-05, horizon: 200, warm_up: 20, follow_up: 10}
arrivals: {kind: poisson, rate: 1}
"""
    return one_rung_scenario(tmp_path, deadline=5, body=body)


def test_the_check_warns_when_the_configured_warm_up_is_shorter(scenario) -> None:
    sums, counts = [10.0] * 50 + [1.0] * 150, [1] * 200
    check = warm_up_check(scenario, sums, counts)
    assert (check["configured"], check["recommended"]) == (20, 50)
    assert "set calendar.warm_up to 50 or more" in str(check["warning"])


def test_days_without_finished_challenges_are_left_out_and_the_cut_is_a_day(scenario) -> None:
    counts = [0 if k % 2 else 1 for k in range(200)]  # a challenge finished on even days only
    sums = [10.0 if k < 100 else 1.0 for k in range(200)]
    check = warm_up_check(scenario, sums, counts)
    assert check["recommended"] == 100  # the 50th day kept is working day 100


def test_no_warning_when_the_warm_up_is_long_enough(scenario) -> None:
    check = warm_up_check(scenario, [10.0] * 10 + [1.0] * 190, [1] * 200)
    assert check["recommended"] == 10 and check["warning"] is None
    assert warm_up_check(scenario, [0.0] * 200, [0] * 200)["recommended"] is None
