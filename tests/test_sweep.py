"""Sweeps: dotted-path settings, the full grid with common random numbers, and the bisection search."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cpsim.cli import main
from cpsim.model.errors import CpsimError
from cpsim.model.scenario import load_scenario
from cpsim.reports.charts.sweep import sweep_chart
from cpsim.simulate.experiments.sweep import bisect_min, parse_values, run_sweep
from cpsim.simulate.experiments.tasks import run_tasks, tasks_for

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "redcar-baseline.yaml"


def test_a_setting_changes_only_the_named_value_and_leaves_the_scenario_as_it_was() -> None:
    base = load_scenario(BASELINE)
    out = base.with_settings(
        {"staff.service_manager.headcount": 1, "procedures.0.share": 0.5, "procedures.1.share": 0.5}
    )
    assert out.staff["service_manager"] == base.staff["service_manager"].model_copy(update={"headcount": 1})
    assert [r.share for r in out.routes] == [0.5, 0.5]
    assert {k: v for k, v in out.staff.items() if k != "service_manager"} == {
        k: v for k, v in base.staff.items() if k != "service_manager"
    }
    assert [r.behaviour for r in out.routes] == [r.behaviour for r in base.routes]
    assert (out.calendar, out.arrivals) == (base.calendar, base.arrivals)
    assert base.staff["service_manager"].headcount == 3 and [r.share for r in base.routes] == [0.7, 0.3]


def test_a_misspelt_setting_path_names_the_nearest_key() -> None:
    base = load_scenario(BASELINE)
    with pytest.raises(CpsimError, match="did you mean 'staff'"):
        base.with_setting("staf.sm.headcount", 1)
    with pytest.raises(CpsimError, match="has no item '5'"):
        base.with_setting("procedures.5.share", 1)


def test_values_are_lists_or_inclusive_ranges() -> None:
    assert parse_values("1..3") == [1, 2, 3]
    assert parse_values("1,2.5,unlimited") == [1, 2.5, "unlimited"]
    with pytest.raises(CpsimError, match="backwards"):
        parse_values("5..1")


@given(n=st.integers(1, 300), first=st.integers(0, 310))
def test_bisection_finds_the_first_true_of_a_monotone_predicate_in_log_calls(n: int, first: int) -> None:
    calls: list[int] = []

    def ok(i: int) -> bool:
        calls.append(i)
        return i >= first

    found = bisect_min(n, ok)
    assert found == (first if first < n else None)
    assert len(calls) <= math.ceil(math.log2(n)) + 1 if n > 1 else len(calls) == 1


def test_every_grid_point_is_the_scenario_with_its_values_under_the_same_seed() -> None:
    vary = [("staff.service_manager.headcount", [1, 3]), ("arrivals.rate", [1.2, 2.0])]
    result = run_sweep(load_scenario(BASELINE), vary, replications=2, seed=9)
    assert [dict(p.values) for p in result.points] == [
        {"staff.service_manager.headcount": h, "arrivals.rate": r} for h in (1, 3) for r in (1.2, 2.0)
    ]
    assert len(result.rows()) == 4 * len(result.targets)
    direct = run_tasks(tasks_for(load_scenario(BASELINE), 2, 9))
    baseline_point = result.points[2]
    assert dict(baseline_point.values) == {"staff.service_manager.headcount": 3, "arrivals.rate": 1.2}
    assert list(baseline_point.outcomes) == direct
    fig = sweep_chart(result)
    assert len(fig.axes[0].get_lines()) == 2 * len(result.targets)


def test_cli_sweep_writes_csv_json_and_chart_and_refuses_an_existing_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sweep"
    args = ["sweep", str(BASELINE), "--vary", "staff.service_manager.headcount=1,2", "-n", "2", "--workers", "1"]
    assert main([*args, "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "| staff.service_manager.headcount | target |" in printed
    assert "Assumptions of the scenario" in printed and "About 1.2 challenges" in printed
    rows = list(csv.DictReader((out / "results.csv").open(encoding="utf-8")))
    assert [r["staff.service_manager.headcount"] for r in rows] == ["1", "1", "2", "2"]
    assert json.loads((out / "sweep.json").read_text(encoding="utf-8"))["sweep"]["vary"] == [
        "staff.service_manager.headcount"
    ]
    assert (out / "chart.png").read_bytes().startswith(b"\x89PNG")
    assert main([*args, "-o", str(out)]) == 1
    assert "folder exists" in capsys.readouterr().err


def test_cli_sweep_reports_a_bad_path_without_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["sweep", str(BASELINE), "--vary", "staff.service_manger.headcount=1", "-n", "1", "--workers", "1"]) == 1
    )
    assert "service_manager" in capsys.readouterr().err


@pytest.mark.slow
def test_cli_find_min_bisects_and_states_its_monotonicity_assumption(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["sweep", str(BASELINE), "--vary", "staff.service_manager.headcount=1..8", "-n", "3", "--workers", "1"]
    args += ["--find-min", "staff.service_manager.headcount", "--max-breach", "0.6", "--target", "five-working-days"]
    assert main([*args, "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["found"] is True and "does not rise" in found["assumption"]
    assert len(found["tried"]) <= 4 < 8
    tried = {t["value"]: t for t in found["tried"]}
    best = tried[found["value"]]
    assert all(best[k]["ci95"][1] < 0.6 for k in found["targets"])
    if found["value"] - 1 in tried:
        below = tried[found["value"] - 1]
        assert any(below[k]["ci95"][1] >= 0.6 for k in found["targets"])
