"""Each distribution's methods agree with scipy.stats or closed forms, whatever its type.

Every check is parametrised over one instance of every distribution, so a distribution added to
``model/distributions.py`` is checked as soon as it is listed in :data:`CASES`.
"""

from __future__ import annotations

import math
import typing
from typing import Any

import numpy as np
import pytest
from scipy import stats

from cpsim.model.distributions import (
    Discrete,
    Distribution,
    Exponential,
    Fixed,
    Gamma,
    Lognormal,
    Triangular,
    Uniform,
)
from cpsim.verify.exact.measure import Lattice

_LN_SIGMA2 = math.log(1 + (0.6 / 0.8) ** 2)

# each distribution with its reference: scipy's frozen distribution (None for the atomic ones),
# the closed-form mean and the largest value it can take
CASES: list[tuple[Distribution, Any, float, float]] = [
    (Fixed(value=2), None, 2.0, 2.0),
    (Uniform(low=0.5, high=3), stats.uniform(loc=0.5, scale=2.5), 1.75, 3.0),
    (Triangular(low=0.5, mode=1.5, high=4), stats.triang(c=1 / 3.5, loc=0.5, scale=3.5), 6 / 3, 4.0),
    (Exponential(mean=1.3), stats.expon(scale=1.3), 1.3, math.inf),
    (
        Lognormal(mean=0.8, sd=0.6),
        stats.lognorm(s=math.sqrt(_LN_SIGMA2), scale=0.8 * math.exp(-_LN_SIGMA2 / 2)),
        0.8,
        math.inf,
    ),
    (Gamma(shape=2, scale=1.5), stats.gamma(a=2, scale=1.5), 3.0, math.inf),
    (Discrete(values=(1, 2, 5), probs=(0.2, 0.5, 0.3)), None, 0.2 + 1.0 + 1.5, 5.0),
]
IDS = [d.dist for d, *_ in CASES]
CONTINUOUS = [(d, ref) for d, ref, *_ in CASES if ref is not None]
XS = np.array([0.0, 0.3, 0.9, 1.0, 1.7, 2.0, 3.5, 6.0])


def test_every_kind_of_distribution_is_checked() -> None:
    """:data:`CASES` holds one instance of every member of the ``Distribution`` union."""
    members = typing.get_args(typing.get_args(Distribution)[0])
    assert {type(d) for d, *_ in CASES} == set(members)


@pytest.mark.parametrize(("dist", "ref", "mean", "upper"), CASES, ids=IDS)
def test_mean_and_upper_bound_are_the_closed_forms(dist: Distribution, ref: object, mean: float, upper: float) -> None:
    """``mean`` is the expected value and ``upper`` the top of the support."""
    assert dist.mean == pytest.approx(mean, rel=1e-12)
    assert dist.upper == upper


@pytest.mark.parametrize(("dist", "ref"), CONTINUOUS, ids=[d.dist for d, _ in CONTINUOUS])
def test_continuous_cdf_matches_scipy(dist: Distribution, ref: Any) -> None:
    """The distribution function equals scipy's, for a scalar and elementwise for an array."""
    expected = ref.cdf(XS)
    assert dist.cdf(XS) == pytest.approx(expected, abs=1e-12)
    assert all(dist.cdf(float(x)) == pytest.approx(e, abs=1e-12) for x, e in zip(XS, expected, strict=True))
    assert isinstance(dist.cdf(1.0), float)


def test_atomic_cdf_is_the_sum_of_the_masses_at_or_below() -> None:
    """A discrete cdf steps up by each value's probability at that value; a fixed one from 0 to 1."""
    d = Discrete(values=(1, 2, 5), probs=(0.2, 0.5, 0.3))
    assert list(d.cdf(np.array([0.5, 1.0, 1.5, 2.0, 4.9, 5.0]))) == pytest.approx([0, 0.2, 0.2, 0.7, 0.7, 1.0])
    assert [Fixed(value=2).cdf(x) for x in (1.99, 2.0, 7.0)] == [0.0, 1.0, 1.0]


@pytest.mark.parametrize(("dist", "ref"), CONTINUOUS, ids=[d.dist for d, _ in CONTINUOUS])
def test_continuous_quantile_inverts_the_cdf_and_matches_scipy_ppf(dist: Distribution, ref: Any) -> None:
    """``quantile(cdf(x)) == x`` inside the support, and ``quantile(u)`` is scipy's ppf."""
    for x in (0.6, 1.0, 1.7, 2.9):
        assert dist.quantile(dist.cdf(x)) == pytest.approx(x, rel=1e-9)
    for u in (0.01, 0.25, 0.5, 0.9, 0.999):
        assert dist.quantile(u) == pytest.approx(float(ref.ppf(u)), rel=1e-9)


@pytest.mark.parametrize("dist", [d for d, ref, *_ in CASES if ref is None], ids=lambda d: d.dist)
def test_atomic_quantile_is_the_smallest_value_whose_cdf_exceeds_u(dist: Distribution) -> None:
    """For a fixed or discrete distribution the quantile of ``u`` is a listed value with cdf > u."""
    values = sorted({v for v, _ in dist.atoms or ()})
    for u in np.linspace(0, 0.999, 40):
        q = dist.quantile(float(u))
        assert q in values
        assert dist.cdf(q) > u
        assert all(dist.cdf(v) <= u for v in values if v < q)


@pytest.mark.parametrize("dist", [d for d, *_ in CASES], ids=IDS)
def test_sampler_closure_is_the_quantile_function(dist: Distribution) -> None:
    """``sampler()`` (built once, used by the simulator) gives exactly ``quantile`` for every ``u``."""
    f = dist.sampler()
    assert all(f(float(u)) == dist.quantile(float(u)) for u in np.linspace(0, 0.999, 50))


@pytest.mark.parametrize(("dist", "ref", "mean", "upper"), CASES, ids=IDS)
def test_sample_mean_lies_within_a_confidence_interval_of_the_mean(
    dist: Distribution, ref: Any, mean: float, upper: float
) -> None:
    """The mean of 20,000 draws from ``sample`` is within 4 standard errors of ``mean``; draws stay in the support."""
    xs = np.asarray(dist.sample(np.random.default_rng(11), size=20_000))
    assert xs.shape == (20_000,)
    assert xs.max() <= upper and xs.min() >= 0
    if dist.atoms is not None:
        sd = math.sqrt(sum(p * (v - mean) ** 2 for v, p in dist.atoms))
    else:
        sd = math.sqrt(float(ref.var()))
    assert abs(xs.mean() - mean) <= 4 * sd / math.sqrt(xs.size) + 1e-12
    assert isinstance(dist.sample(np.random.default_rng(1)), float)


def test_fixed_sample_consumes_no_randomness() -> None:
    """Drawing a fixed time leaves the generator where it was."""
    rng = np.random.default_rng(5)
    Fixed(value=3).sample(rng, size=10)
    assert rng.random() == np.random.default_rng(5).random()


@pytest.mark.parametrize("dist", [d for d, *_ in CASES], ids=IDS)
def test_scaled_copy_stretches_every_time_by_the_factor(dist: Distribution) -> None:
    """``scaled(f)``: mean and upper bound times ``f``; P(scaled <= f x) == P(original <= x); same type."""
    f = 1.1
    s = dist.scaled(f)
    assert type(s) is type(dist)
    assert s.mean == pytest.approx(f * dist.mean, rel=1e-12)
    assert s.upper == pytest.approx(f * dist.upper, rel=1e-12)
    assert s.cdf(f * XS[1:]) == pytest.approx(dist.cdf(XS[1:]), abs=1e-12)
    assert s.quantile(0.37) == pytest.approx(f * dist.quantile(0.37), rel=1e-12)


def test_atoms_list_the_values_of_fixed_and_discrete_distributions_only() -> None:
    """Fixed: its value with probability 1; discrete: the pairs as written; continuous: None."""
    assert Fixed(value=2).atoms == ((2.0, 1.0),)
    assert Discrete(values=(1, 3), probs=(0.0, 1.0)).atoms == ((1.0, 0.0), (3.0, 1.0))
    assert Discrete(values=(1, 3), probs=(0.0, 1.0)).upper == 3.0
    assert [d.atoms is not None for d, *_ in CASES] == [ref is None for _, ref, *_ in CASES]
    assert all(d.atoms is None for d, _ in CONTINUOUS)


def test_atomic_mass_on_an_exact_lattice_puts_each_probability_on_its_point() -> None:
    """On an exact lattice every value's probability lands on the point at that value; ``upto`` cuts."""
    d = Discrete(values=(1, 1.5, 4), probs=(0.25, 0.5, 0.25))
    lat = Lattice(tick=0.5, horizon=3, mode="exact")
    assert list(d.mass_on(lat)) == [0, 0, 0.25, 0.5, 0, 0, 0]  # 4 is beyond the horizon
    assert list(d.mass_on(lat, upto=1.2)) == [0, 0, 0.25, 0, 0, 0, 0]


@pytest.mark.parametrize(("dist", "ref"), CONTINUOUS, ids=[d.dist for d, _ in CONTINUOUS])
def test_continuous_mass_on_a_grid_brackets_the_cdf(dist: Distribution, ref: Any) -> None:
    """Rounded down the cumulated mass is never below the true cdf at a grid point, rounded up never above.

    The gap between the two is the mass of one grid cell, P(x < X <= x + tick).
    """
    tick, horizon = 0.05, 5.0
    lo = np.cumsum(dist.mass_on(Lattice(tick, horizon, "lower")))
    hi = np.cumsum(dist.mass_on(Lattice(tick, horizon, "upper")))
    points = np.arange(lo.size) * tick
    true = ref.cdf(points)
    assert lo.size == hi.size == points.size
    assert np.all(lo >= true - 1e-12) and np.all(hi <= true + 1e-12)
    assert lo - hi == pytest.approx(ref.cdf(points + tick) - true, abs=1e-12)
    cut = np.cumsum(dist.mass_on(Lattice(tick, horizon, "lower"), upto=1.0))
    assert cut[-1] == pytest.approx(float(ref.cdf(1.0)), abs=1e-12)


def test_continuous_distribution_cannot_be_placed_on_an_exact_lattice() -> None:
    """An exact lattice holds finitely many values; a density cannot be put on it."""
    with pytest.raises(ValueError, match="cannot be placed exactly"):
        Exponential(mean=1).mass_on(Lattice(tick=1, horizon=5, mode="exact"))
