"""One estimator for per-challenge figures: totals over replications divided, with a delta-method CI around it.

The run is the Redcar baseline with a few replications (staff queues, so that replications with
more challenges also have longer waits, and the mean of replication means would differ). The point
estimates and intervals are recomputed here from ``cases.csv`` alone, without the simulator's code.
"""

from __future__ import annotations

import csv
import json
import math
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from cpsim.cli import main
from cpsim.simulate.experiments.estimators import mean_ci, ratio_ci

REPS = 6


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("est") / "run"
    args = ["simulate", "scenarios/redcar-baseline.yaml", "-n", str(REPS), "--seed", "4", "--workers", "1"]
    assert main([*args, "-o", str(out), "--json"]) == 0
    return out


def _rows(run_dir: Path) -> list[dict[str, str]]:
    with (run_dir / "cases.csv").open(encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["counted"] == "True"]


def _delta(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Ratio, and its delta-method Student-t 95% interval, written out again independently."""
    r = x.sum() / y.sum()
    n = len(x)
    se = math.sqrt(((x - r * y) ** 2).sum() / (n - 1)) / (y.mean() * math.sqrt(n))
    half = stats.t.ppf(0.975, n - 1) * se
    return r, r - half, r + half


def test_the_mean_time_to_resolution_is_the_centre_of_its_interval(run_dir: Path) -> None:
    res = json.loads((run_dir / "summary.json").read_text())["resolution_working_days"]
    lo, hi = res["mean_ci95"]
    assert res["mean"] == pytest.approx((lo + hi) / 2, abs=2e-6)


def test_the_mean_and_its_interval_agree_with_cases_csv(run_dir: Path) -> None:
    total, finished = np.zeros(REPS), np.zeros(REPS)
    for r in _rows(run_dir):
        if r["working_days"]:
            total[int(r["replication"])] += float(r["working_days"])
            finished[int(r["replication"])] += 1
    mean, lo, hi = _delta(total, finished)
    res = json.loads((run_dir / "summary.json").read_text())["resolution_working_days"]
    assert res["challenges"] == finished.sum()
    assert res["mean"] == pytest.approx(mean, abs=1e-5)  # cases.csv rounds each time to 6 places
    assert res["mean_ci95"] == pytest.approx([lo, hi], abs=1e-5)
    per_rep = total / finished
    assert abs(per_rep.mean() - mean) > 1e-3  # the mean of replication means is a different figure


def test_each_target_rate_is_its_counts_ratio_and_agrees_with_cases_csv(run_dir: Path) -> None:
    summary = json.loads((run_dir / "summary.json").read_text())
    started: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(REPS))
    missed: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(REPS))
    for r in _rows(run_dir):
        if "level1" in r["rungs_reached"].split(";"):  # both routes' target clocks start at level1
            started[r["route"]][int(r["replication"])] += 1
            missed[r["route"]][int(r["replication"])] += "five-working-days" in r["breached_targets"].split(";")
    for route in ("redcar-internal", "redcar-external"):
        t = summary["targets"][f"{route}/five-working-days"]
        rate, lo, hi = _delta(missed[route], started[route])
        assert t["unfinished"] == 0 and t["challenges"] == started[route].sum() and t["breached"] == missed[route].sum()
        assert t["breach_rate"]["mean"] == pytest.approx(t["breached"] / t["challenges"], abs=1e-6)
        assert t["breach_rate"]["mean"] == pytest.approx(rate, abs=1e-6)
        assert t["breach_rate"]["ci95"] == pytest.approx([lo, hi], abs=1e-6)
        assert t["breach_rate"]["mean"] == pytest.approx(sum(t["breach_rate"]["ci95"]) / 2, abs=2e-6)


def test_with_equal_denominators_the_ratio_is_the_mean_of_the_ratios() -> None:
    assert ratio_ci([3, 5, 4, 1], [10, 10, 10, 10]) == mean_ci([0.3, 0.5, 0.4, 0.1])


def test_the_ratio_weighs_challenges_not_replications() -> None:
    """One replication with 1 of 1 missed and one with 0 of 99: 1 in 100 challenges missed, not one in two."""
    assert ratio_ci([1, 0], [1, 99])["mean"] == 0.01
    assert mean_ci([1.0, 0.0])["mean"] == 0.5
