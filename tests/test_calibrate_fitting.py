"""The reply-time fits of ``cpsim calibrate`` against answers known exactly: closed-form MLEs, scipy, formulas.

Each test checks one piece of the likelihood in :mod:`cpsim.simulate.calibrate.fitting` (exact
times, right-censored times, date gaps, the no-reply deadline) where the answer is known without
the optimiser, and the intervals in :mod:`cpsim.simulate.calibrate.intervals` against published values.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, stats

from cpsim.model.distributions import Gamma, Lognormal
from cpsim.simulate.calibrate.densities import Density
from cpsim.simulate.calibrate.fitting import FAMILIES, Observations, fit_all, fit_family, gap_probabilities
from cpsim.simulate.calibrate.goodness import goodness_of_fit
from cpsim.simulate.calibrate.intervals import Z95, poisson_rate, wilson


def test_exponential_uncensored_mle_is_the_mean_with_the_exact_log_scale_interval() -> None:
    """The MLE of the mean is the sample mean; the information of log(mean) is n: the CI is mean*exp(+-z/sqrt(n))."""
    times = tuple(np.random.default_rng(1).exponential(2.0, 200))
    fit = fit_family(FAMILIES["exponential"], Observations(exact=times))
    mean = float(np.mean(times))
    assert fit.params["mean"] == pytest.approx(mean, rel=1e-6)
    lo, hi = fit.ci95["mean"]
    assert lo == pytest.approx(mean * math.exp(-Z95 / math.sqrt(200)), rel=1e-3)
    assert hi == pytest.approx(mean * math.exp(Z95 / math.sqrt(200)), rel=1e-3)
    assert fit.loglik == pytest.approx(-200 * math.log(mean) - 200, rel=1e-9)


def test_exponential_censored_mle_is_total_time_over_replies() -> None:
    """With right-censored (still open) visits the MLE is (sum of all times) / (number of replies)."""
    rng = np.random.default_rng(2)
    times = rng.exponential(3.0, 300)
    cut = rng.uniform(0, 6, 300)
    seen = tuple(times[times <= cut])
    open_ = tuple(cut[times > cut])
    fit = fit_family(FAMILIES["exponential"], Observations(exact=seen, censored=open_))
    assert fit.params["mean"] == pytest.approx((sum(seen) + sum(open_)) / len(seen), rel=1e-6)
    lo, hi = fit.ci95["mean"]  # the information of log(mean) is the number of replies, censoring or not
    assert lo == pytest.approx(fit.params["mean"] * math.exp(-Z95 / math.sqrt(len(seen))), rel=1e-3)
    assert hi == pytest.approx(fit.params["mean"] * math.exp(Z95 / math.sqrt(len(seen))), rel=1e-3)
    dropped = fit_family(FAMILIES["exponential"], Observations(exact=seen))
    assert dropped.params["mean"] < lo  # dropping the open visits would bias the mean low


def test_lognormal_uncensored_mle_has_its_closed_form() -> None:
    """mu and sigma are the mean and the (1/n) standard deviation of the logs; mean and sd follow from them."""
    times = np.random.default_rng(3).lognormal(0.2, 0.5, 400)
    fit = fit_family(FAMILIES["lognormal"], Observations(exact=tuple(times)))
    mu, sigma = float(np.log(times).mean()), float(np.log(times).std())
    assert fit.params["mean"] == pytest.approx(math.exp(mu + sigma**2 / 2), rel=1e-5)
    assert fit.params["sd"] == pytest.approx(math.exp(mu + sigma**2 / 2) * math.sqrt(math.expm1(sigma**2)), rel=1e-5)


def test_gamma_mle_agrees_with_scipy() -> None:
    times = np.random.default_rng(4).gamma(2.0, 1.5, 500)
    fit = fit_family(FAMILIES["gamma"], Observations(exact=tuple(times)))
    shape, _, scale = stats.gamma.fit(times, floc=0)
    assert fit.params["shape"] == pytest.approx(shape, rel=1e-4)
    assert fit.params["scale"] == pytest.approx(scale, rel=1e-4)
    assert fit.ci95["shape"][0] < 2.0 < fit.ci95["shape"][1]


def test_uniform_mle_is_the_range_of_the_data() -> None:
    times = np.random.default_rng(5).uniform(0.5, 2.5, 100)
    fit = fit_family(FAMILIES["uniform"], Observations(exact=tuple(times)))
    assert fit.params["low"] == pytest.approx(float(times.min()), abs=1e-5)
    assert fit.params["high"] == pytest.approx(float(times.max()), abs=1e-5)
    assert fit.ci95 == {}  # at the edge of the data no information-based interval is given


def test_densities_match_scipy() -> None:
    x = np.linspace(0.05, 6, 40)
    cases = [
        ("gamma", {"shape": 2.0, "scale": 1.5}, stats.gamma(a=2.0, scale=1.5)),
        ("exponential", {"mean": 2.0}, stats.expon(scale=2.0)),
        ("triangular", {"low": 0.5, "mode": 1.5, "high": 4.0}, stats.triang(c=1 / 3.5, loc=0.5, scale=3.5)),
        ("uniform", {"low": 0.5, "high": 4.0}, stats.uniform(loc=0.5, scale=3.5)),
    ]
    ln = Lognormal.model_validate({"mean": 0.8, "sd": 0.6})
    sigma = math.sqrt(math.log(1 + (0.6 / 0.8) ** 2))
    cases.append(
        ("lognormal", {"mean": 0.8, "sd": 0.6}, stats.lognorm(s=sigma, scale=math.exp(math.log(0.8) - sigma**2 / 2)))
    )
    for name, params, ref in cases:
        d = Density(name, params)
        np.testing.assert_allclose(d.cdf(x), ref.cdf(x), atol=1e-12, err_msg=name)
        inside = ref.pdf(x) > 0
        np.testing.assert_allclose(d.logpdf(x)[inside], ref.logpdf(x)[inside], rtol=1e-9, err_msg=name)
        np.testing.assert_allclose(d.logsf(x[x < 3.9]), ref.logsf(x[x < 3.9]), rtol=1e-9, atol=1e-12, err_msg=name)
    assert float(Density("lognormal", {"mean": 0.8, "sd": 0.6}).cdf(1.0)) == pytest.approx(float(ln.cdf(1.0)))


def test_date_gap_probabilities_have_their_closed_form() -> None:
    """Exponential, mean m, a request at a uniform moment of its day: P(reply the same day) = 1 - m(1 - e^(-1/m))."""
    m = 1.7
    fz = Density("exponential", {"mean": m})
    probs = gap_probabilities(fz, np.arange(60, dtype=float))
    assert probs[0] == pytest.approx(1 - m * (1 - math.exp(-1 / m)), abs=1e-10)
    # P(k) for k >= 1 is m (1 - e^(-1/m))^2 e^(-(k-1)/m)
    k = np.arange(1, 6)
    np.testing.assert_allclose(probs[1:6], m * (1 - math.exp(-1 / m)) ** 2 * np.exp(-(k - 1) / m), atol=1e-10)
    assert probs.sum() == pytest.approx(1.0, abs=1e-10)


def test_a_deadline_factorises_the_likelihood() -> None:
    """With nothing open, q is exactly the observed share and the reply time is the MLE truncated at the deadline."""
    rng = np.random.default_rng(6)
    times = rng.exponential(1.5, 600)
    never = rng.random(600) < 0.2
    by_deadline = tuple(times[(times <= 2.0) & ~never])
    missed = 600 - len(by_deadline)
    fit = fit_family(FAMILIES["exponential"], Observations(exact=by_deadline, deadline=2.0, no_reply=missed))
    assert fit.q == missed / 600

    def negative(log_mean: float) -> float:  # the truncated exponential, maximised independently
        m = math.exp(log_mean)
        t = np.asarray(by_deadline)
        return -float(np.sum(-np.log(m) - t / m) - len(t) * math.log1p(-math.exp(-2.0 / m)))

    best = optimize.minimize_scalar(negative, bounds=(-5, 5), method="bounded", options={"xatol": 1e-10})
    assert fit.params["mean"] == pytest.approx(math.exp(best.x), rel=1e-4)


def test_open_visits_before_the_deadline_enter_q() -> None:
    """Visits still open before their deadline raise the chance of no reply by the deadline above the decided share."""
    obs = Observations(exact=(0.2, 0.4, 0.5, 0.7, 0.9, 0.3, 0.6), censored=(0.8, 0.9, 0.95), deadline=1.0, no_reply=3)
    fit = fit_family(FAMILIES["exponential"], obs)
    assert fit.q > 3 / 10
    assert fit.q_ci95 is not None and fit.q_ci95[0] < fit.q < fit.q_ci95[1]


def test_aic_chooses_the_family_the_data_came_from() -> None:
    rng = np.random.default_rng(7)
    gamma = Gamma(shape=2, scale=1.5).sample(rng, 1500)
    assert fit_all(Observations(exact=tuple(np.asarray(gamma))))[0].dist == "gamma"
    logn = Lognormal.model_validate({"mean": 1.0, "sd": 0.8}).sample(rng, 1500)
    assert fit_all(Observations(exact=tuple(np.asarray(logn))), criterion="bic")[0].dist == "lognormal"


def test_goodness_of_fit_rejects_the_wrong_family() -> None:
    rng = np.random.default_rng(8)
    obs = Observations(exact=tuple(rng.lognormal(0, 1.2, 800)))
    wrong = fit_family(FAMILIES["exponential"], obs)
    right = fit_family(FAMILIES["lognormal"], obs)
    assert goodness_of_fit(wrong, obs)["p_value"] < 0.001
    assert goodness_of_fit(right, obs)["p_value"] > 0.05
    gaps = Observations(day_gaps=tuple(np.floor(rng.random(800) + rng.exponential(2.0, 800)).astype(int)))
    test = goodness_of_fit(fit_family(FAMILIES["exponential"], gaps), gaps)
    assert test["test"] == "chi-square" and test["p_value"] > 0.05


def test_wilson_and_exact_poisson_intervals_match_published_values() -> None:
    """Wilson 7/10: 0.3968 to 0.8922 (Newcombe 1998); Garwood 0 events: upper 3.689, 12 events: 6.201 to 20.96."""
    w = wilson(7, 10)
    assert (round(w.low, 4), round(w.high, 4)) == (0.3968, 0.8922)
    assert poisson_rate(0, 1.0).high == pytest.approx(3.6889, abs=1e-4)
    r = poisson_rate(12, 1.0)
    assert (round(r.low, 3), round(r.high, 2)) == (6.201, 20.96)


def test_the_chance_of_a_reply_by_the_deadline_has_a_delta_method_error() -> None:
    """For a truncated exponential, se(F(D)) = |dF/dlog m| * se(log m), with se(log m) from the curvature at the MLE."""
    rng = np.random.default_rng(9)
    t = rng.exponential(1.5, 500)
    seen = t[t <= 2.0]
    fit = fit_family(FAMILIES["exponential"], Observations(exact=tuple(seen), deadline=2.0, no_reply=500 - len(seen)))
    m = fit.params["mean"]

    def loglik(log_m: float) -> float:
        mean = math.exp(log_m)
        return float(np.sum(-log_m - seen / mean) - len(seen) * math.log1p(-math.exp(-2.0 / mean)))

    h = 1e-3
    curvature = -(loglik(math.log(m) + h) - 2 * loglik(math.log(m)) + loglik(math.log(m) - h)) / h**2
    slope = (2.0 / m) * math.exp(-2.0 / m)  # dF(2)/dlog m for F(2) = 1 - exp(-2/m)
    assert fit.reach_se == pytest.approx(slope / math.sqrt(curvature), rel=1e-3)
    uniform = fit_family(FAMILIES["uniform"], Observations(exact=tuple(seen), deadline=2.0, no_reply=10))
    assert uniform.reach_se is None
