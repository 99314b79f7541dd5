"""`cpsim compare` and `cpsim sweep` estimate what `cpsim simulate` does: ratios of totals, unfinished cases apart.

A challenge still open when the follow-up ends, whose clock has not passed the target's limit, is
unfinished: neither met nor missed. Each side of a comparison, and each sweep point, gives the
breach rate over the decided challenges as the ratio of totals over replications with its
delta-method interval, so its figures are the summary's, and the paired interval of B − A is the
Student-t interval of the paired linearised values ``(x_i − R y_i) / ȳ`` of the two sides.
"""

from __future__ import annotations

import concurrent.futures as cf
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cpsim.cli import main
from cpsim.model.scenario.classes import Scenario, load_scenario
from cpsim.simulate.experiments.compare import compare_scenarios
from cpsim.simulate.experiments.estimators import ratio_ci
from cpsim.simulate.experiments.sweep import run_sweep
from cpsim.simulate.experiments.tasks import run_tasks, tasks_for
from cpsim.verify.exact.analysis import analyse
from tests.sim_fixtures import ONE_RUNG

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "redcar-baseline.yaml"
INTERNAL = "redcar-internal/five-working-days"
TARGET = "one-rung/two-days"


def _cli_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> Any:
    assert main([*args, "--json", "--workers", "1"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def short_follow_up(tmp_path: Path) -> Path:
    """The baseline followed for three working days after the horizon: some challenges stay unfinished."""
    path = tmp_path / "short.yaml"
    path.write_text(f"extend: {BASELINE}\nid: short\ncalendar:\n  follow_up: 3\n", encoding="utf-8")
    return path


def test_each_side_of_a_comparison_is_the_summary_of_simulate(
    short_follow_up: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = _cli_json(["simulate", str(short_follow_up), "-n", "6", "--seed", "5", "-o", str(tmp_path / "r")], capsys)
    assert summary["targets"][INTERNAL]["unfinished"] > 0, "the check needs unfinished challenges"
    data = _cli_json(["compare", str(short_follow_up), str(short_follow_up), "-n", "6", "--seed", "5"], capsys)
    for m in data["measures"]:
        if m["kind"] == "breach_rate":
            want = summary["targets"][m["key_a"]]
            rate, unfinished = want["breach_rate"], want["unfinished"]
        else:
            res = summary["resolution_working_days"]
            rate, unfinished = {"mean": res["mean"], "ci95": res["mean_ci95"]}, res["unfinished"]
        assert m["a"] == m["b"] == rate["mean"], m["measure"]
        assert m["a_ci95"] == m["b_ci95"] == rate["ci95"], m["measure"]
        assert m["a_unfinished"] == m["b_unfinished"] == unfinished, m["measure"]


def test_a_sweep_point_is_the_summary_of_simulate(
    short_follow_up: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = _cli_json(["simulate", str(short_follow_up), "-n", "6", "--seed", "5", "-o", str(tmp_path / "r")], capsys)
    sweep = _cli_json(
        ["sweep", str(short_follow_up), "--vary", "calendar.follow_up=3", "-n", "6", "--seed", "5"], capsys
    )
    res = summary["resolution_working_days"]
    for row in sweep["rows"]:
        want = summary["targets"][row["target"]]
        assert row["breach_rate"] == want["breach_rate"]["mean"]
        assert [row["ci95_low"], row["ci95_high"]] == want["breach_rate"]["ci95"]
        assert row["mean_resolution_days"] == res["mean"]
        assert [row["resolution_ci95_low"], row["resolution_ci95_high"]] == res["mean_ci95"]
        assert row["unfinished"] == want["unfinished"]


DAYS = ["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09"]
DAYS += ["2026-01-12", "2026-01-13", "2026-01-14", "2026-01-15", "2026-01-16"]


def _queue(folder: Path, follow_up: int) -> Scenario:
    """Two challenges a day for ten days, one worker replying in 0.75 days: counted by hand below.

    Challenge ``j`` is answered at ``0.75 (j + 1)``. With no follow-up 0-4 meet the two-day target,
    5-15 miss it, and 16-19 (raised on days 8 and 9) are open but not yet late: unfinished. With ten
    days' follow-up those four miss it too.
    """
    no_giving_up = "".join(x for x in ONE_RUNG.replace("{deadline}", "2").splitlines(True) if "gave_up" not in x)
    (folder / "one-rung.yaml").write_text(no_giving_up, encoding="utf-8")
    (folder / "arrivals.csv").write_text("date\n" + "".join(f"{d}\n{d}\n" for d in DAYS), encoding="utf-8")
    path = folder / f"queue-{follow_up}.yaml"
    path.write_text(
        f"""\
id: queue-{follow_up}
title: T
procedures:
  - procedure: one-rung.yaml
    behaviour: {{stages: {{ask: {{reply_time: {{dist: fixed, value: 0.75}}, p_satisfied: 1}}}}}}
calendar: {{start: 2026-01-05, horizon: 10, warm_up: 0, follow_up: {follow_up}}}
arrivals: {{kind: replay, file: arrivals.csv}}
staff: {{worker: {{headcount: 1, capacity: 1}}}}
replications: 2
seed: 1
""",
        encoding="utf-8",
    )
    return load_scenario(path)


def test_unfinished_challenges_are_not_counted_as_met(tmp_path: Path) -> None:
    short, long = _queue(tmp_path, 0), _queue(tmp_path, 10)
    outcome = run_tasks(tasks_for(short, 1, 1))[0]
    assert outcome.rate(TARGET) == 11 / 16, "over the 16 decided challenges, not 11 / 20"
    measure = compare_scenarios(short, long).measures[0]
    d = measure.difference
    assert (d.a_mean, d.b_mean, d.mean) == (0.6875, 0.75, 0.0625)
    assert d.ci95 == (0.0625, 0.0625), "the replications are identical: no noise"
    point = run_sweep(short, [("calendar.follow_up", [0, 10])], replications=2, seed=1).points
    assert [p.breach(TARGET)["mean"] for p in point] == [0.6875, 0.75]
    assert outcome.cell(TARGET) == (20, 11, 4)
    assert measure.as_dict()["a_unfinished"] == 2 * 4 and measure.as_dict()["b_unfinished"] == 0


def test_the_paired_interval_is_the_t_interval_of_the_paired_linearised_values(tmp_path: Path) -> None:
    base = load_scenario(BASELINE)
    worse = base.with_settings({"staff.service_manager.headcount": 1, "calendar.follow_up": 3})
    better = base.with_settings({"calendar.follow_up": 3})
    m = compare_scenarios(worse, better, replications=5, seed=2).measures[0]
    cells = [[o.cell(INTERNAL) or (0, 0, 0) for o in run_tasks(tasks_for(sc, 5, 2))] for sc in (worse, better)]
    lin = []
    for side in cells:
        x = np.array([c[1] for c in side], float)
        y = np.array([c[0] - c[2] for c in side], float)
        r = x.sum() / y.sum()
        assert ratio_ci(x, y)["mean"] == pytest.approx(r, abs=1e-6)
        lin.append(r + (x - r * y) / y.mean())
    d = lin[1] - lin[0]
    half = 2.7764451 * d.std(ddof=1) / np.sqrt(5)  # t(0.975, 4)
    assert m.difference.mean == pytest.approx(d.mean(), abs=1e-6)
    assert m.difference.ci95 == pytest.approx((d.mean() - half, d.mean() + half), abs=1e-6)


def _two_rates(folder: Path) -> tuple[Scenario, Scenario]:
    """One rung, unlimited staff: a reply after 1 or 3 working days, the late ones 30% in A and 20% in B."""
    (folder / "one-rung.yaml").write_text(ONE_RUNG.replace("{deadline}", "4"), encoding="utf-8")
    out = []
    for name, late in (("a", 0.3), ("b", 0.2)):
        path = folder / f"{name}.yaml"
        path.write_text(
            f"""\
id: {name}
title: {name}
procedures:
  - procedure: one-rung.yaml
    behaviour:
      stages:
        ask: {{reply_time: {{dist: discrete, values: [1, 3], probs: [{1 - late:g}, {late:g}]}}, p_satisfied: 1}}
calendar: {{start: 2026-01-05, horizon: 10, warm_up: 0, follow_up: 20}}
arrivals: {{kind: poisson, rate: 3}}
replications: 8
seed: 1
""",
            encoding="utf-8",
        )
        out.append(load_scenario(path))
    return out[0], out[1]


@pytest.mark.slow
def test_the_paired_interval_covers_the_exact_difference_about_95_times_in_100(tmp_path: Path) -> None:
    a, b = _two_rates(tmp_path)
    exact = [
        analyse(sc.routes[0].procedure, sc.routes[0].behaviour, sensitivity=False).target("two-days").p_breach
        for sc in (a, b)
    ]
    assert exact == pytest.approx([0.3, 0.2], abs=1e-9)
    truth = exact[1] - exact[0]
    trials = 200
    with cf.ProcessPoolExecutor() as pool:
        found = [compare_scenarios(a, b, seed=s, executor=pool).measures[0].difference for s in range(trials)]
    covered = sum(d.ci95 is not None and d.ci95[0] <= truth <= d.ci95[1] for d in found)
    assert 0.90 <= covered / trials <= 0.99, covered
    assert abs(np.mean([d.mean for d in found]) - truth) < 0.005
