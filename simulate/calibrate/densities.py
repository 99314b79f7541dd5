"""Reply-time densities for fitting: log-density, distribution and log-survival functions, fast.

A fit evaluates the likelihood thousands of times, so these are plain numpy and ``scipy.special``
expressions, parametrised as a scenario file writes each distribution, rather than frozen
``scipy.stats`` distributions (which are slow to build).

Examples
--------
>>> import numpy as np
>>> d = Density("gamma", {"shape": 2.0, "scale": 1.5})
>>> round(float(d.cdf(3.0)), 6)          # P(T <= mean) for a gamma with shape 2
0.593994
>>> round(float(Density("triangular", {"low": 0.5, "mode": 1.5, "high": 4.0}).cdf(2.0)), 6)
0.542857
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["Density"]

Vector = npt.NDArray[np.float64]


def _special() -> Any:
    from scipy import special

    return special


class Density:
    """A reply-time distribution's log-density, distribution and log-survival functions, worked out fast.

    The likelihood is evaluated thousands of times per fit, so these are plain numpy and
    ``scipy.special`` expressions rather than frozen ``scipy.stats`` distributions.
    """

    def __init__(self, dist: str, p: dict[str, float]) -> None:
        self.dist, self.p = dist, p
        if dist == "lognormal":
            sigma = math.sqrt(math.log1p((p["sd"] / p["mean"]) ** 2))
            self.mu, self.sigma = math.log(p["mean"]) - sigma * sigma / 2, sigma
        if dist in {"gamma", "exponential"}:
            self.a = p["shape"] if dist == "gamma" else 1.0
            self.s = p["scale"] if dist == "gamma" else p["mean"]
            if not (self.a > 0 and self.s > 0 and math.isfinite(self.a * self.s)):
                raise ValueError("parameters out of range")
        if dist in {"uniform", "triangular"}:
            self.lo, self.hi = p["low"], p["high"]
            self.mode = p.get("mode", 0.0)
            if not self.hi > self.lo:
                raise ValueError("empty support")

    def logpdf(self, x: Vector) -> Vector:
        """Log-density at each ``x`` (``-inf`` outside the support)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(self.pdf(x)) if self.dist in {"uniform", "triangular"} else self._smooth_logpdf(x)

    def _smooth_logpdf(self, x: Vector) -> Vector:
        sp = _special()
        if self.dist == "lognormal":
            z = (np.log(x) - self.mu) / self.sigma
            return np.asarray(-0.5 * z * z - np.log(x * self.sigma) - 0.5 * math.log(2 * math.pi), dtype=float)
        return np.asarray(
            (self.a - 1) * np.log(x) - x / self.s - sp.gammaln(self.a) - self.a * math.log(self.s), dtype=float
        )

    def pdf(self, x: Vector) -> Vector:
        """Density at each ``x``."""
        if self.dist == "uniform":
            return np.where((x >= self.lo) & (x <= self.hi), 1 / (self.hi - self.lo), 0.0)
        if self.dist == "triangular":
            lo, c, hi = self.lo, self.mode, self.hi
            up = np.where(c > lo, 2 * (x - lo) / ((hi - lo) * max(c - lo, 1e-300)), 0.0)
            down = np.where(hi > c, 2 * (hi - x) / ((hi - lo) * max(hi - c, 1e-300)), 0.0)
            return np.where((x < lo) | (x > hi), 0.0, np.where(x < c, up, down))
        return np.exp(self.logpdf(x))

    def cdf(self, x: Vector | float) -> Any:
        """P(time <= x), elementwise."""
        x = np.asarray(x, dtype=float)
        sp = _special()
        if self.dist == "lognormal":
            with np.errstate(divide="ignore"):
                return sp.ndtr((np.log(np.maximum(x, 1e-300)) - self.mu) / self.sigma) * (x > 0)
        if self.dist in {"gamma", "exponential"}:
            return sp.gammainc(self.a, np.maximum(x, 0.0) / self.s)
        lo, hi = self.lo, self.hi
        if self.dist == "uniform":
            return np.clip((x - lo) / (hi - lo), 0.0, 1.0)
        c = self.mode
        xc = np.clip(x, lo, hi)
        left = (xc - lo) ** 2 / ((hi - lo) * max(c - lo, 1e-300))
        right = 1 - (hi - xc) ** 2 / ((hi - lo) * max(hi - c, 1e-300))
        return np.where(xc <= c, np.where(c > lo, left, 0.0), right)

    def logsf(self, x: Vector) -> Vector:
        """The log of P(time > x), elementwise."""
        sp = _special()
        if self.dist == "lognormal":
            return np.asarray(sp.log_ndtr(-(np.log(np.maximum(x, 1e-300)) - self.mu) / self.sigma), dtype=float)
        if self.dist in {"gamma", "exponential"}:
            with np.errstate(divide="ignore"):
                return np.asarray(np.log(sp.gammaincc(self.a, np.maximum(x, 0.0) / self.s)), dtype=float)
        with np.errstate(divide="ignore"):
            return np.asarray(np.log(1 - self.cdf(x)), dtype=float)
