"""With unlimited staff the simulator agrees with exact contention-free calculations (within the 95% CI)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import numpy as np
import pytest

from cpsim.model.scenario.classes import SCENARIOS_DIR, Scenario, load_scenario
from cpsim.simulate.experiments.runner import run
from cpsim.simulate.experiments.summary import mean_ci

SCENARIO = """\
id: discrete
title: Discrete reply times, unlimited staff
calendar: {start: 2026-01-05, horizon: 250, warm_up: 0, follow_up: 100}
arrivals: {kind: poisson, rate: 4}
replications: 20
seed: 11
procedures:
  - procedure: redcar-internal
    flagged: {immediate-concern: 0.1}
    behaviour:
      stages:
        immediate_choice: {choices: {to-service-manager: 0.5, to-assistant-director: 0.5}}
        level1:
          reply_time: {dist: discrete, values: [0.5, 1.5], probs: [0.5, 0.5]}
          p_satisfied: 0.6
          p_no_reply: 0.1
          assumed: {no-reply: level2}
          assumption: escalate when no reply
        level2:
          reply_time: {dist: discrete, values: [1, 3], probs: [0.7, 0.3]}
          p_satisfied: 0.5
          assumed: {no-reply: level3}
          assumption: escalate when no reply
        level3:
          reply_time: {dist: fixed, value: 2.5}
          assumption: the assistant director replies in two and a half days and that ends it
"""


def _enumerate(sc: Scenario) -> tuple[float, float]:
    """Exact P(target missed | started) and mean time to resolution, by walking every branch by hand."""
    beh = sc.routes[0].behaviour
    stage_deadline = {"level1": 1.0, "level2": 2.0, "level3": None}
    next_on = {
        ("raise", "raised"): "level1",
        ("raise", "immediate-concern"): "immediate_choice",
        ("immediate_choice", "to-service-manager"): "level2",
        ("immediate_choice", "to-assistant-director"): "level3",
        ("level1", "satisfied"): "resolved",
        ("level1", "unsatisfied"): "level2",
        ("level1", "no-reply"): "level2",
        ("level2", "satisfied"): "resolved",
        ("level2", "unsatisfied"): "level3",
        ("level2", "no-reply"): "level3",
        ("level3", "satisfied"): "resolved",
    }
    ends: list[tuple[float, float, float | None]] = []  # (probability, end time, target start)

    def visit(stage: str, t: float, p: float, tstart: float | None) -> None:
        if stage == "level1" and tstart is None:
            tstart = t
        if stage == "resolved":
            ends.append((p, t, tstart))
            return
        b = beh.at(stage)
        if stage in ("raise", "immediate_choice"):
            for outcome, q in b.choices.items():
                visit(next_on[(stage, outcome)], t, p * q, tstart)
            return
        d = stage_deadline[stage]
        atoms = b.reply_time.atoms
        assert atoms is not None, "this check takes discrete reply times"
        values, probs = zip(*atoms, strict=True)
        late = b.p_no_reply
        for v, q in zip(values, probs, strict=True):
            if d is not None and v > d:
                late += (1 - b.p_no_reply) * q
                continue
            for outcome, r in (("satisfied", b.p_satisfied), ("unsatisfied", 1 - b.p_satisfied)):
                if r > 0:
                    visit(next_on[(stage, outcome)], t + v, p * (1 - b.p_no_reply) * q * r, tstart)
        if late > 0:
            visit(next_on[(stage, "no-reply")], t + d, p * late, tstart)

    visit("raise", 0.0, 1.0, None)
    started = sum(p for p, _, s in ends if s is not None)
    missed = sum(p for p, t, s in ends if s is not None and t - s > 5 + 1e-9)
    return missed / started, sum(p * t for p, t, _ in ends)


@pytest.fixture(scope="module")
def discrete(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    path = tmp_path_factory.mktemp("sc") / "discrete.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return load_scenario(path)


def _inside(ci: list[float], value: float, slack: float = 0.0) -> bool:
    return ci[0] - slack <= value <= ci[1] + slack


def test_breach_rate_and_mean_time_agree_with_an_exact_enumeration(discrete: Scenario) -> None:
    p_miss, mean = _enumerate(discrete)
    assert 0.05 < p_miss < 0.95  # the check has something to measure
    summary = run(discrete, workers=1).summary()
    rate = summary["targets"]["redcar-internal/five-working-days"]["breach_rate"]
    assert _inside(rate["ci95"], p_miss), (rate, p_miss)
    res = summary["resolution_working_days"]
    assert _inside(res["mean_ci95"], mean), (res, mean)


def _per_route_means(result, route: str) -> dict:
    by_rep: dict[int, list[float]] = defaultdict(list)
    for rec in result.records:
        for c in rec.cases:
            if c.counted and c.route == route and c.working_days is not None:
                by_rep[c.replication].append(c.working_days)
    return mean_ci([float(np.mean(v)) for v in by_rep.values()])


@pytest.mark.slow
@pytest.mark.parametrize("route", ["redcar-internal", "redcar-external"])
def test_unlimited_staff_scenario_agrees_with_the_exact_analysis(route: str, shipped_unlimited: Callable) -> None:
    from cpsim.verify.exact.analysis import analyse

    sc, result = shipped_unlimited()
    r = sc.route(route)
    exact = analyse(r.procedure, r.behaviour, sensitivity=False, horizon=120)
    target = exact.target("five-working-days")
    rate = result.summary()["targets"][f"{route}/five-working-days"]["breach_rate"]
    assert _inside(rate["ci95"], target.p_breach, target.error), (rate, target.p_breach)
    means = _per_route_means(result, route)
    assert _inside(means["ci95"], exact.mean_days, exact.error_bound * 120), (means, exact.mean_days)


@pytest.fixture(scope="module")
def shipped_unlimited() -> Callable:
    cache: list = []

    def get():
        if not cache:
            sc = load_scenario(SCENARIOS_DIR / "redcar-unlimited-staff.yaml")
            cache.append((sc, run(sc, replications=30, seed=5, workers=2, keep=True)))
        return cache[0]

    return get
