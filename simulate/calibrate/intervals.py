"""Confidence intervals for a share (Wilson) and for a rate of events (exact Poisson, Garwood).

Each estimate is a flat :class:`Estimate`: the figure, its 95% interval and the sample it is
from, so a summary can always say "from how many".

Examples
--------
>>> e = wilson(7, 10)
>>> e.estimate, round(e.low, 4), round(e.high, 4), e.n
(0.7, 0.3968, 0.8922, 10)
>>> r = poisson_rate(12, 10.0)                 # 12 challenges in 10 working days
>>> r.estimate, round(r.low, 4), round(r.high, 4)
(1.2, 0.6201, 2.0962)
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Estimate", "poisson_rate", "wilson"]

Z95 = 1.959963984540054
"""The standard normal quantile for a two-sided 95% interval."""


@dataclass(frozen=True)
class Estimate:
    """A figure with its 95% interval ``[low, high]``, the sample size ``n`` and how it was computed."""

    estimate: float
    low: float
    high: float
    n: float
    method: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: ``estimate``, ``ci95`` as ``[low, high]``, ``n`` and ``method``."""
        d = asdict(self)
        return {"estimate": d["estimate"], "ci95": [d["low"], d["high"]], "n": d["n"], "method": d["method"]}

    def contains(self, value: float) -> bool:
        """True when ``value`` lies in the interval (both ends included)."""
        return self.low <= value <= self.high


def wilson(successes: int, n: int) -> Estimate:
    """The share ``successes / n`` with its Wilson score interval (0 to 1 when ``n`` is 0).

    >>> wilson(0, 20).high > 0, wilson(20, 20).low < 1
    (True, True)
    """
    if n <= 0:
        return Estimate(0.0, 0.0, 1.0, 0, "wilson")
    p = successes / n
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return Estimate(p, max(0.0, centre - half), min(1.0, centre + half), n, "wilson")


def poisson_rate(events: int, exposure: float) -> Estimate:
    """Events per unit of ``exposure`` with the exact (Garwood) Poisson interval.

    >>> round(poisson_rate(0, 5.0).high, 4)      # no events in 5 days: at most 0.74 a day
    0.7378
    """
    from scipy import stats

    if exposure <= 0:
        return Estimate(0.0, 0.0, math.inf, 0, "exact Poisson")
    low = 0.0 if events == 0 else float(stats.chi2.ppf(0.025, 2 * events)) / 2
    high = float(stats.chi2.ppf(0.975, 2 * events + 2)) / 2
    return Estimate(events / exposure, low / exposure, high / exposure, exposure, "exact Poisson")
