"""Reply-time distributions fitted to records by maximum likelihood, censoring and deadlines included.

The observations of one stage (:class:`Observations`), in working days, are of four kinds:

* ``exact``: a reply at a known time (records with timestamps); density ``f(t)``;
* ``day_gaps``: a reply known only by its date, ``k`` working days after the request's date. With
  the request at a uniformly random moment of its day, ``P(k) = ∫_0^1 F(k + 1 - u) - F(k - u) du``
  (computed with 8-point Gauss-Legendre);
* ``censored``: still open at export after ``e`` working days; ``S(e) = 1 - F(e)``;
* with a no-reply **deadline** ``D`` (the timer of :mod:`cpsim.model.behaviour`), replies are seen
  only up to ``D`` and ``no_reply`` visits ended at ``D`` without one. With ``q`` the chance of no
  reply by the deadline, a reply at ``t`` has likelihood ``(1 - q) f(t) / F(D)``, a no-reply ``q``,
  and a visit open at ``e < D`` has ``1 - (1 - q) F(e) / F(D)``. With nothing open the likelihood
  factorises, so ``q`` is exactly the observed share and the reply time is fitted truncated at ``D``.

Each family of :mod:`cpsim.model.distributions` with a density is fitted (``exponential``,
``gamma``, ``lognormal``, ``uniform``, ``triangular``) by Nelder-Mead on transformed parameters;
the families are ranked by AIC (or BIC). Intervals come from the observed information (the
numerical Hessian of the log-likelihood) by the delta method, for the smooth families only: the
bounded ones have their maximum at the edge of the data, where that approximation does not hold.

Examples
--------
>>> obs = Observations(exact=(1.0, 2.0, 3.0), censored=(4.0,))
>>> fit = fit_family(FAMILIES["exponential"], obs)
>>> round(fit.params["mean"], 4)                # closed form: (1 + 2 + 3 + 4) / 3 replies
3.3333
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel

from cpsim.model.distributions import Exponential, Gamma, Lognormal, Triangular, Uniform
from cpsim.simulate.calibrate.densities import Density
from cpsim.simulate.calibrate.intervals import Z95

__all__ = ["FAMILIES", "Family", "Fit", "Observations", "fit_all", "fit_family", "gap_probabilities", "loglik"]

Vector = npt.NDArray[np.float64]
_U, _W = np.polynomial.legendre.leggauss(8)
_U, _W = (_U + 1) / 2, _W / 2
_BAD = 1e300


@dataclass(frozen=True)
class Observations:
    """What the records say about the reply time at one stage, in working days (see the module docstring)."""

    exact: tuple[float, ...] = ()
    day_gaps: tuple[int, ...] = ()
    censored: tuple[float, ...] = ()
    deadline: float | None = None
    no_reply: int = 0
    cap: float | None = None
    """Without a ``deadline``: replies by date are known to have come by this time (they were censored after it)."""

    @property
    def replies(self) -> int:
        """Replies seen (by the deadline, when there is one)."""
        return len(self.exact) + len(self.day_gaps)

    @property
    def size(self) -> int:
        """Every visit: replies, visits still open and visits with no reply by the deadline."""
        return self.replies + len(self.censored) + self.no_reply

    def sample(self) -> Vector:
        """The replies' times as numbers (a date gap ``k`` as ``k``, at least 0.5), for starting values."""
        gaps = [max(float(k), 0.5) for k in self.day_gaps]
        return np.asarray([max(t, 1e-3) for t in self.exact] + gaps, dtype=float)

    def bounds(self) -> tuple[float, float]:
        """The lowest top of the support's low end and the highest value its high end must pass."""
        lows = list(self.exact) + [k + 1.0 for k in self.day_gaps]
        highs = list(self.exact) + [max(k - 1.0, 0.0) for k in self.day_gaps] + list(self.censored)
        return (min(lows) if lows else 0.0), (max(highs) if highs else 0.0)


@dataclass(frozen=True)
class Family:
    """A family of reply-time distributions: ``k`` parameters, from a transformed vector to the file's keys."""

    name: str
    k: int
    start: Callable[[Observations], Vector]
    natural: Callable[[Vector, Observations], dict[str, float]]
    frozen: Callable[[dict[str, float]], Any]
    smooth: bool = True


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x > -700 else 0.0


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _moments(obs: Observations) -> tuple[float, float]:
    s = obs.sample()
    mean = float(s.mean()) if s.size else 1.0
    var = float(s.var()) if s.size > 1 else mean * mean
    return mean, max(var, 1e-6)


def _stats() -> Any:
    from scipy import stats

    return stats


def _bounded(x: Vector, obs: Observations) -> tuple[float, float]:
    lo_top, hi_bottom = obs.bounds()
    low = lo_top * _sigmoid(float(x[0]))
    return float(low), float(max(hi_bottom, low) + math.exp(float(x[1])))


def _lognormal_natural(x: Vector, _: Observations) -> dict[str, float]:
    mu, sigma = float(x[0]), math.exp(float(x[1]))
    mean = math.exp(mu + sigma * sigma / 2)
    return {"mean": mean, "sd": mean * math.sqrt(math.expm1(sigma * sigma))}


def _lognormal_start(obs: Observations) -> Vector:
    logs = np.log(obs.sample())
    return np.array([float(logs.mean()), math.log(max(float(logs.std()), 0.05))])


def _triangular_natural(x: Vector, obs: Observations) -> dict[str, float]:
    low, high = _bounded(x, obs)
    return {"low": low, "mode": float(low + (high - low) * _sigmoid(float(x[2]))), "high": high}


def _bounded_start(obs: Observations, mode: bool) -> Vector:
    lo_top, hi_bottom = obs.bounds()
    mean, _ = _moments(obs)
    low, high = 0.9 * lo_top, hi_bottom + 0.05 * max(hi_bottom - lo_top, 0.1)
    x = [_logit(0.9), math.log(high - max(hi_bottom, low))]
    if mode:
        x.append(_logit((3 * mean - 2 * low - high) / max(high - low, 1e-6)))
    return np.array(x)


FAMILIES: dict[str, Family] = {
    "exponential": Family(
        "exponential",
        1,
        lambda o: np.array([math.log(_moments(o)[0])]),
        lambda x, _: {"mean": math.exp(float(x[0]))},
        lambda p: Density("exponential", p),
    ),
    "gamma": Family(
        "gamma",
        2,
        lambda o: np.array([math.log(_moments(o)[0] ** 2 / _moments(o)[1]), math.log(_moments(o)[1] / _moments(o)[0])]),
        lambda x, _: {"shape": math.exp(float(x[0])), "scale": math.exp(float(x[1]))},
        lambda p: Density("gamma", p),
    ),
    "lognormal": Family("lognormal", 2, _lognormal_start, _lognormal_natural, lambda p: Density("lognormal", p)),
    "uniform": Family(
        "uniform",
        2,
        lambda o: _bounded_start(o, mode=False),
        lambda x, o: dict(zip(("low", "high"), _bounded(x, o), strict=True)),
        lambda p: Density("uniform", p),
        smooth=False,
    ),
    "triangular": Family(
        "triangular",
        3,
        lambda o: _bounded_start(o, mode=True),
        _triangular_natural,
        lambda p: Density("triangular", p),
        smooth=False,
    ),
}
"""The families fitted, by the ``dist`` name a scenario file uses."""

_MODELS: dict[str, type[BaseModel]] = {
    "exponential": Exponential,
    "gamma": Gamma,
    "lognormal": Lognormal,
    "uniform": Uniform,
    "triangular": Triangular,
}


def _cdf(fz: Any, x: Vector) -> Vector:
    return np.asarray(fz.cdf(np.maximum(x, 0.0)), dtype=float)


def gap_probabilities(fz: Any, gaps: Vector, cap: float | None = None) -> Vector:
    """``P(date gap = k)`` for each ``k`` in ``gaps`` (with the reply by ``cap`` when given)."""
    hi = gaps[:, None] + 1 - _U[None, :]
    lo = gaps[:, None] - _U[None, :]
    if cap is not None:
        hi, lo = np.minimum(hi, cap), np.minimum(lo, cap)
    return np.asarray(((_cdf(fz, hi) - _cdf(fz, lo)) * _W[None, :]).sum(axis=1), dtype=float)


def loglik(fz: Any, obs: Observations, q: float) -> float:
    """The log-likelihood of ``obs`` under scipy distribution ``fz`` and chance ``q`` of no reply by the deadline."""
    total = 0.0
    if obs.exact:
        total += float(np.sum(fz.logpdf(np.asarray(obs.exact))))
    if obs.day_gaps:
        probs = gap_probabilities(fz, np.asarray(obs.day_gaps, dtype=float), obs.deadline or obs.cap)
        total += float(np.sum(np.log(np.maximum(probs, 1e-300))))
    cens = np.asarray(obs.censored, dtype=float)
    if obs.deadline is None:
        return total + (float(np.sum(fz.logsf(cens))) if cens.size else 0.0)
    fd = float(fz.cdf(obs.deadline))
    if not fd > 0:
        return -math.inf
    n = obs.replies
    total += (
        -n * math.log(fd) + (n * math.log1p(-q) if n else 0.0) + (obs.no_reply * math.log(q) if obs.no_reply else 0.0)
    )
    if cens.size:
        total += float(np.sum(np.log(np.maximum(1 - (1 - q) * _cdf(fz, cens) / fd, 1e-300))))
    return total


@dataclass(frozen=True)
class Fit:
    """One family fitted to one stage: parameters in the file's keys, likelihood, criteria, intervals."""

    dist: str
    params: dict[str, float]
    loglik: float
    k: int
    n: int
    q: float = 0.0
    ci95: dict[str, tuple[float, float]] = field(default_factory=dict)
    q_ci95: tuple[float, float] | None = None
    reach_se: float | None = None
    """Standard error of the fitted chance of a reply by the deadline (smooth families at a timer stage)."""

    @property
    def aic(self) -> float:
        """Akaike's criterion, ``2k - 2 log L``."""
        return 2 * self.k - 2 * self.loglik

    @property
    def bic(self) -> float:
        """Schwarz's criterion, ``k log n - 2 log L``."""
        return self.k * math.log(max(self.n, 1)) - 2 * self.loglik

    def distribution(self) -> Any:
        """The fitted distribution as the scenario file's model object."""
        return _MODELS[self.dist].model_validate({"dist": self.dist, **self.params})

    def frozen(self) -> Any:
        """The fitted distribution as a scipy frozen distribution."""
        return FAMILIES[self.dist].frozen(self.params)


def _objective(family: Family, obs: Observations, joint: bool, q0: float) -> Callable[[Vector], float]:
    def neg(x: Vector) -> float:
        q = _sigmoid(float(x[family.k])) if joint else q0
        try:
            value = loglik(family.frozen(family.natural(x[: family.k], obs)), obs, q)
        except (ValueError, OverflowError, ZeroDivisionError, FloatingPointError):
            return _BAD
        return -value if math.isfinite(value) else _BAD

    return neg


def _hessian(f: Callable[[Vector], float], x: Vector) -> Vector:
    n = x.size
    h = 1e-4 * (1 + np.abs(x))
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(i, n):
            ei, ej = np.eye(n)[i] * h[i], np.eye(n)[j] * h[j]
            val = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (4 * h[i] * h[j])
            out[i, j] = out[j, i] = val
    return out


def _positive_ci(value: float, se: float) -> tuple[float, float]:
    """A 95% interval for a positive parameter, symmetric on the log scale (never below 0)."""
    spread = math.exp(min(Z95 * se / value, 700.0)) if value > 0 else math.inf
    return value / spread, value * spread


def _intervals(family: Family, obs: Observations, neg: Callable[[Vector], float], x: Vector, joint: bool) -> Any:
    """Delta-method intervals of the file's parameters and of ``q``, and the error of ``F(deadline)``.

    ``q``'s interval is given when it was fitted; the standard error of the chance of a reply by
    the deadline at a timer stage. Empty and None where not given.
    """
    if not family.smooth:
        return {}, None, None
    try:
        cov = np.linalg.inv(_hessian(neg, x))
    except np.linalg.LinAlgError:
        return {}, None, None
    if not np.all(np.isfinite(cov)) or np.any(np.diag(cov) <= 0):
        return {}, None, None
    k = family.k
    base = family.natural(x[:k], obs)
    names = list(base)
    jac = np.zeros((len(names), k))
    for j in range(k):
        step = np.eye(k)[j] * 1e-6 * (1 + abs(float(x[j])))
        up = family.natural(x[:k] + step, obs)
        jac[:, j] = [(up[n] - base[n]) / step[j] for n in names]
    se = np.sqrt(np.maximum(np.diag(jac @ cov[:k, :k] @ jac.T), 0.0))
    ci = {n: _positive_ci(base[n], float(s)) for n, s in zip(names, se, strict=True)}
    q_ci = None
    if joint:
        sq = math.sqrt(float(cov[k, k]))
        q_ci = (_sigmoid(float(x[k]) - Z95 * sq), _sigmoid(float(x[k]) + Z95 * sq))
    reach_se = None
    if obs.deadline is not None:

        def reach(y: Vector) -> float:
            return float(family.frozen(family.natural(y, obs)).cdf(obs.deadline))

        steps = [np.eye(k)[j] * 1e-6 * (1 + abs(float(x[j]))) for j in range(k)]
        grad = np.array([(reach(x[:k] + s) - reach(x[:k])) / s[j] for j, s in enumerate(steps)])
        reach_se = math.sqrt(max(float(grad @ cov[:k, :k] @ grad), 0.0))
    return ci, q_ci, reach_se


def fit_family(family: Family, obs: Observations) -> Fit:
    """The maximum-likelihood fit of ``family`` to ``obs`` (ValueError when it cannot be fitted)."""
    from scipy import optimize

    minimize = cast(Any, optimize.minimize)

    joint = obs.deadline is not None and bool(obs.censored)
    decided = obs.replies + obs.no_reply
    q0 = obs.no_reply / decided if decided else 0.0
    neg = _objective(family, obs, joint, q0)
    x = family.start(obs)
    if joint:
        x = np.append(x, _logit(q0))
    options = {"maxiter": 800 * x.size, "xatol": 1e-9, "fatol": 1e-10}
    for _ in range(3):  # restarts polish what a simplex that shrank too early left
        x = np.asarray(minimize(neg, x, method="Nelder-Mead", options=options).x, dtype=np.float64)
    best = neg(x)
    if best >= _BAD:
        raise ValueError(f"{family.name} cannot describe these reply times")
    ci, q_ci, reach_se = _intervals(family, obs, neg, x, joint)
    q = _sigmoid(float(x[family.k])) if joint else q0
    n_obs = obs.replies + len(obs.censored)
    return Fit(family.name, family.natural(x[: family.k], obs), -best, family.k, n_obs, q, ci, q_ci, reach_se)


def fit_all(obs: Observations, criterion: str = "aic") -> list[Fit]:
    """Every family that can be fitted to ``obs``, best first by ``criterion`` (``aic`` or ``bic``).

    Replies known only by date tell apart as many reply times as there are different day gaps
    among them: a family with as many parameters or more is not identified by them, so it is left
    out (two gaps, 0 and 1 day, fix one parameter).
    """
    fits = []
    kinds = len(set(obs.day_gaps)) if obs.day_gaps and not obs.exact else None
    for family in FAMILIES.values():
        if kinds is not None and family.k >= kinds:
            continue
        try:
            fits.append(fit_family(family, obs))
        except ValueError:
            continue
    return sorted(fits, key=lambda f: f.aic if criterion == "aic" else f.bic)
