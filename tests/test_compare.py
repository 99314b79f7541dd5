"""`cpsim compare`: paired differences with common random numbers, and their confidence intervals."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from cpsim.cli import main
from cpsim.model.scenario import load_scenario
from cpsim.simulate.experiments.compare import compare_scenarios, paired_difference, welch_ci

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "redcar-baseline.yaml"
INTERNAL = ROOT / "model" / "procedures" / "redcar-internal.yaml"
ONE_DAY = ROOT / "scenarios" / "procedures" / "redcar-internal-level2-one-day.yaml"


def test_paired_interval_matches_scipy_paired_t_test() -> None:
    rng = np.random.default_rng(3)
    a = rng.normal(0.3, 0.05, 12)
    b = a - 0.02 + rng.normal(0, 0.01, 12)
    d = paired_difference(a, b)
    ref = stats.ttest_rel(b, a).confidence_interval(0.95)
    assert d.ci95 == pytest.approx((ref.low, ref.high), abs=1e-6)
    assert d.mean == pytest.approx(float(np.mean(b - a)), abs=1e-6)


def test_unpaired_interval_matches_scipy_welch_test() -> None:
    rng = np.random.default_rng(4)
    a, b = rng.normal(1, 1, 9), rng.normal(2, 2, 14)
    ref = stats.ttest_ind(b, a, equal_var=False).confidence_interval(0.95)
    assert welch_ci(a, b) == pytest.approx((ref.low, ref.high), abs=1e-6)


def test_one_pair_gives_no_interval_and_no_verdict() -> None:
    d = paired_difference([0.2], [0.1])
    assert d.ci95 is None and d.distinguishable is None


def test_a_scenario_compared_with_itself_differs_by_exactly_zero() -> None:
    sc = load_scenario(BASELINE)
    result = compare_scenarios(sc, sc, replications=3, seed=11)
    assert len(result.measures) == 3
    for m in result.measures:
        assert m.difference.mean == 0.0
        assert m.difference.ci95 == (0.0, 0.0)
        assert m.difference.distinguishable is False
        assert m.difference.a_mean == m.difference.b_mean


@pytest.mark.slow
def test_a_known_improvement_is_detected_and_pairing_narrows_the_interval() -> None:
    """Restoring the service manager's two-day deadline (from a one-day draft) cuts internal breaches."""
    base = load_scenario(BASELINE)
    worse, better = base.with_procedure("redcar-internal", ONE_DAY), base.with_procedure("redcar-internal", INTERNAL)
    result = compare_scenarios(worse, better, replications=8, seed=3)
    internal = next(m for m in result.measures if m.key_a == "redcar-internal-level2-one-day/five-working-days")
    d = internal.difference
    assert d.ci95 is not None and d.ci95[1] < 0 and d.distinguishable
    assert d.unpaired_ci95 is not None
    assert d.ci95[1] - d.ci95[0] < d.unpaired_ci95[1] - d.unpaired_ci95[0]
    external = next(m for m in result.measures if m.key_a == "redcar-external/five-working-days")
    assert external.difference.mean == 0.0, "the external route is untouched, and its draws are common"


def test_swapping_a_procedure_keeps_the_rest_of_the_scenario() -> None:
    base = load_scenario(BASELINE)
    a, b = base.with_procedure(INTERNAL, INTERNAL), base.with_procedure(INTERNAL, ONE_DAY)
    assert a.routes == base.routes
    assert b.routes[0].procedure.id == "redcar-internal-level2-one-day"
    assert b.routes[1] == base.routes[1] and b.staff == base.staff and b.calendar == base.calendar


def test_swapping_a_procedure_the_scenario_does_not_run_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    other = ROOT / "model" / "procedures" / "wakefield-chair-concern.yaml"
    assert main(["compare", "--scenario", str(BASELINE), str(other), str(ONE_DAY), "--workers", "1"]) == 1
    assert "not 'wakefield-chair-concern'" in capsys.readouterr().err


def test_cli_compare_prints_markdown_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["compare", str(BASELINE), str(BASELINE), "-n", "2", "--seed", "5", "--workers", "1"]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "| Measure | A | B | B − A | 95% CI (paired) |" in text
    assert "no difference in any of the 2 replications" in text
    assert "### Assumptions of A" in text
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"a", "b", "seed", "replications", "common_random_numbers", "measures", "verdict"}
    assert data["seed"] == 5 and data["replications"] == 2
    assert {m["kind"] for m in data["measures"]} == {"breach_rate", "resolution_mean"}
    assert all(m["difference"] == 0 for m in data["measures"])


@pytest.mark.parametrize("argv", [["--help"], ["compare", "--help"], ["diff", "--help"], ["sweep", "--help"]])
def test_help_for_the_what_if_commands_prints_and_ends_with_an_example(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert ("Example:" in out) if len(argv) == 2 else all(c in out for c in ("compare", "diff", "sweep"))
