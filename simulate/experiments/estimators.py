"""Estimators over independent replications: means with Student-t intervals, and ratios with delta-method ones.

Each replication is one independent, identically distributed observation of the whole period
simulated. A figure that is a count per replication (challenges counted, staff busy time) is the
mean over replications with the Student-t 95% interval of those values (:func:`mean_ci`). A figure
per challenge (a breach rate: breached over decided; a mean time to resolution: total working days
over challenges finished) is the *ratio estimator* :func:`ratio_ci`: the totals over all
replications divided, ``sum(x_i) / sum(y_i)``, with the delta-method Student-t 95% interval. It is
the share of all simulated challenges, so it agrees with the counts shown beside it (``747 of
3599``), and unlike the mean of replication means it does not depend on how long a replication is:
under queueing, busy periods have both more challenges and longer waits, so giving every
replication the same weight under-reports the per-challenge figure when replications are short.

:func:`linearised` gives each replication's first-order contribution to a ratio, ``R + (x_i -
R y_i) / mean(y)``: values whose mean is ``R`` and whose Student-t interval is the delta-method
one, so two ratios measured on the same replications can be differenced pair by pair.

Examples
--------
>>> mean_ci([0.1, 0.2, 0.3])
{'mean': 0.2, 'ci95': [-0.048414, 0.448414], 'replications': 3}
>>> ratio_ci([1, 2, 3], [10, 10, 10]) == {**mean_ci([0.1, 0.2, 0.3]), "mean": 0.2}
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, SupportsFloat

import numpy as np
import numpy.typing as npt
from scipy import special  # Student's t quantile; scipy.stats takes about a second to import

__all__ = ["COUNT", "DIGITS", "RATE", "linearised", "mean_ci", "ratio_ci", "rounded", "t_half_width"]

DIGITS = 6
RATE = (0.0, 1.0)

COUNT = (0.0, math.inf)
"""Where a count, a count per 100 or a time in working days can lie: never below zero."""


def rounded(x: SupportsFloat) -> float:
    """``x`` as a float rounded to :data:`DIGITS` places, as every figure in a summary is.

    >>> rounded(2 / 3)
    0.666667
    """
    return round(float(x), DIGITS)


def t_half_width(values: npt.NDArray[np.float64]) -> float:
    """Half the width of the Student-t 95% confidence interval of the mean of ``values`` (at least two).

    >>> round(t_half_width(np.array([1.0, 2.0, 3.0])), 6)
    2.484138
    """
    n = len(values)
    return float(special.stdtrit(n - 1, 0.975) * values.std(ddof=1) / math.sqrt(n))


def _interval(centre: float, half: float, n: int, bounds: tuple[float, float] | None) -> dict[str, Any]:
    lo, hi = centre - half, centre + half
    if bounds is not None:
        lo, hi = max(lo, bounds[0]), min(hi, bounds[1])
    return {"mean": rounded(centre), "ci95": [rounded(lo), rounded(hi)], "replications": n}


def mean_ci(values: Sequence[float], bounds: tuple[float, float] | None = None) -> dict[str, Any]:
    """Mean and 95% Student-t confidence interval of ``values`` (one per replication), clipped to ``bounds``.

    >>> mean_ci([0.0, 0.0, 0.1], bounds=(0, 1))["ci95"][0]
    0.0
    """
    arr = np.asarray(values, dtype=float)
    n = len(arr)
    if n == 0:
        return {"mean": None, "ci95": None, "replications": 0}
    mean = float(arr.mean())
    if n < 2:
        return {"mean": rounded(mean), "ci95": None, "replications": n}
    return _interval(mean, t_half_width(arr), n, bounds)


def ratio_ci(
    numerators: Sequence[float], denominators: Sequence[float], bounds: tuple[float, float] | None = None
) -> dict[str, Any]:
    """Ratio estimator ``sum(x) / sum(y)`` over replications, with its delta-method 95% CI clipped to ``bounds``.

    ``x_i`` and ``y_i`` are replication ``i``'s totals (breached and decided challenges, or working
    days to resolution and challenges finished). With ``R = sum(x) / sum(y)`` and ``n``
    replications, the standard error is ``sd(x_i - R y_i) / (mean(y) sqrt(n))`` (the first-order,
    delta-method expansion of the ratio) and the interval is ``R ± t(0.975, n - 1)`` standard
    errors, so ``R`` is its centre unless ``bounds`` clip it. Replications with ``y_i = 0`` take part
    in the interval (they are observations too) but are not counted in ``replications``; the
    interval is null when fewer than two replications have ``y_i > 0``.

    >>> ratio_ci([2, 3, 4], [10, 10, 20])
    {'mean': 0.225, 'ci95': [0.101767, 0.348233], 'replications': 3}
    >>> ratio_ci([0, 0], [0, 0])
    {'mean': None, 'ci95': None, 'replications': 0}
    """
    x, y = np.asarray(numerators, dtype=float), np.asarray(denominators, dtype=float)
    measured = int((y > 0).sum())
    if not measured:
        return {"mean": None, "ci95": None, "replications": 0}
    ratio, residuals = _residuals(x, y)
    if measured < 2:
        return {"mean": rounded(ratio), "ci95": None, "replications": measured}
    n = len(x)
    se = float(np.std(residuals, ddof=1) / (y.mean() * math.sqrt(n)))
    return _interval(ratio, float(special.stdtrit(n - 1, 0.975)) * se, measured, bounds)


def _residuals(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> tuple[float, npt.NDArray[np.float64]]:
    """The ratio of totals ``R`` and each replication's residual ``x_i - R y_i`` (they sum to 0)."""
    ratio = float(x.sum() / y.sum())
    return ratio, x - ratio * y


def linearised(
    numerators: Sequence[float], denominators: Sequence[float]
) -> tuple[float, npt.NDArray[np.float64]] | None:
    """The ratio of totals ``R`` and each replication's linearised value ``R + (x_i - R y_i) / mean(y)``.

    The values have mean ``R`` and standard deviation ``sd(x_i - R y_i) / mean(y)``, so their
    Student-t interval is :func:`ratio_ci`'s delta-method interval (before clipping). Two ratios
    measured on the same replications (common random numbers) are compared by differencing
    their linearised values replication by replication. None when every ``y_i`` is 0.

    >>> r, values = linearised([2, 3, 4], [10, 10, 20])
    >>> r, values.round(6).tolist()
    (0.225, [0.20625, 0.28125, 0.1875])
    >>> linearised([0, 0], [0, 0]) is None
    True
    """
    x, y = np.asarray(numerators, dtype=float), np.asarray(denominators, dtype=float)
    if not (y > 0).any():
        return None
    ratio, residuals = _residuals(x, y)
    return ratio, ratio + residuals / y.mean()
