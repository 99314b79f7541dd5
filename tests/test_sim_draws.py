"""Random draws: quantile samplers match the distributions, and streams are separate per purpose (paired runs)."""

from __future__ import annotations

import numpy as np
import pytest

from cpsim.model.distributions import Discrete, Exponential, Fixed, Gamma, Lognormal, Triangular, Uniform
from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
from cpsim.simulate.engine.draws import CaseDraws
from cpsim.simulate.engine.replication import run_replication

DISTS = [
    Fixed(value=2),
    Uniform(low=0.5, high=3),
    Triangular(low=0.5, mode=1.5, high=4),
    Exponential(mean=1.3),
    Lognormal(mean=0.8, sd=0.6),
    Gamma(shape=2, scale=1.5),
    Discrete(values=(1, 2, 5), probs=(0.2, 0.5, 0.3)),
]


@pytest.mark.parametrize("dist", DISTS, ids=lambda d: d.dist)
def test_sampler_is_the_quantile_function_of_the_distribution(dist) -> None:
    f = dist.sampler()
    for u in np.linspace(0.01, 0.99, 25):
        x = f(float(u))
        assert float(dist.cdf(x)) >= u - 1e-9  # F(Q(u)) >= u
        if dist.atoms is None:
            assert float(dist.cdf(x)) == pytest.approx(u, abs=1e-9)


@pytest.mark.parametrize("dist", DISTS, ids=lambda d: d.dist)
def test_sampled_mean_matches_the_distribution_mean(dist) -> None:
    f = dist.sampler()
    u = np.random.default_rng(3).random(40_000)
    xs = np.array([f(float(x)) for x in u])
    assert xs.mean() == pytest.approx(dist.mean, rel=0.02)


def test_each_challenge_has_its_own_draws_whatever_came_before() -> None:
    a, b = CaseDraws(seed=9, replication=2), CaseDraws(seed=9, replication=2)
    first = a.for_case(700)
    b.for_case(3)
    assert (b.for_case(700) == first).all()
    assert not (CaseDraws(seed=9, replication=3).for_case(700) == first).all()


def test_changing_one_stage_leaves_arrivals_and_unaffected_challenges_identical() -> None:
    base = load_scenario(SCENARIOS_DIR / "redcar-unlimited-staff.yaml")
    route = base.route("redcar-external")
    level3 = route.behaviour.stages["level3"].model_copy(update={"reply_time": Gamma(shape=2, scale=4)})
    behaviour = route.behaviour.model_copy(update={"stages": {**route.behaviour.stages, "level3": level3}})
    changed = base.model_copy(
        update={
            "routes": tuple(r if r is not route else r.model_copy(update={"behaviour": behaviour}) for r in base.routes)
        }
    )
    a = {c.case: c for c in run_replication(base, seed=4).cases}
    b = {c.case: c for c in run_replication(changed, seed=4).cases}
    assert a.keys() == b.keys()
    for name, ca in a.items():
        cb = b[name]
        assert (ca.raised, ca.route, ca.stages) == (cb.raised, cb.route, cb.stages)
        if "level3" not in ca.stages:
            assert ca.end == cb.end
    assert any(a[n].end != b[n].end for n in a if "level3" in a[n].stages and a[n].route == "redcar-external")
