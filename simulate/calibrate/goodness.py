"""How well a fitted reply time describes the replies: Kolmogorov-Smirnov on times, chi-square on date gaps.

Examples
--------
>>> import numpy as np
>>> from cpsim.simulate.calibrate.fitting import FAMILIES, Observations, fit_family
>>> obs = Observations(exact=tuple(np.random.default_rng(3).exponential(2.0, 400)))
>>> result = goodness_of_fit(fit_family(FAMILIES["exponential"], obs), obs)
>>> result["test"], result["n"], result["p_value"] > 0.05
('Kolmogorov-Smirnov', 400, True)
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np

from cpsim.simulate.calibrate.fitting import Fit, Observations, Vector, gap_probabilities

__all__ = ["goodness_of_fit"]


def _cdf(fz: Any, x: Vector) -> Vector:
    return np.asarray(fz.cdf(np.maximum(x, 0.0)), dtype=float)


def goodness_of_fit(fit: Fit, obs: Observations) -> dict[str, Any]:
    """How well ``fit`` describes the replies: Kolmogorov-Smirnov on exact times, chi-square on date gaps.

    The test covers the replies seen (by the deadline, against the fitted distribution truncated
    there); visits still open are not in it. The parameters come from the same data, so the
    p-value leans high (an approximate check, not an exact test).
    """
    from scipy import stats

    fz, cap = fit.frozen(), obs.deadline
    top = float(fz.cdf(cap)) if cap is not None else 1.0
    if obs.exact and not obs.day_gaps:
        upto = cap if cap is not None else np.inf

        def cdf(t: Any) -> Any:
            return _cdf(fz, np.minimum(t, upto)) / top

        res = cast(Any, stats.kstest)(np.asarray(obs.exact), cdf)
        return {"test": "Kolmogorov-Smirnov", "statistic": float(res.statistic), "p_value": float(res.pvalue),
                "n": len(obs.exact)}  # fmt: skip
    gaps = np.asarray(obs.day_gaps, dtype=int)
    if gaps.size == 0:
        return {"test": None, "statistic": None, "p_value": None, "n": 0}
    last = int(gaps.max())
    ks = np.arange(last + 1, dtype=float)
    expected = gap_probabilities(fz, ks, cap) / top
    expected[-1] = max(1.0 - float(expected[:-1].sum()), 0.0)
    observed = np.bincount(gaps, minlength=last + 1).astype(float)
    obs_bins, exp_bins = _merge(observed, expected * gaps.size)
    df = len(obs_bins) - 1 - fit.k
    if df < 1:
        return {"test": "chi-square", "statistic": None, "p_value": None, "n": int(gaps.size)}
    chi = float(np.sum((obs_bins - exp_bins) ** 2 / exp_bins))
    return {"test": "chi-square", "statistic": chi, "p_value": float(stats.chi2.sf(chi, df)), "n": int(gaps.size)}


def _merge(observed: Vector, expected: Vector, least: float = 5.0) -> tuple[Vector, Vector]:
    """Adjacent bins pooled until each expects at least ``least``."""
    obs_out: list[float] = []
    exp_out: list[float] = []
    o_acc = e_acc = 0.0
    for o, e in zip(observed, expected, strict=True):
        o_acc, e_acc = o_acc + float(o), e_acc + float(e)
        if e_acc >= least:
            obs_out.append(o_acc)
            exp_out.append(e_acc)
            o_acc = e_acc = 0.0
    if e_acc > 0 or o_acc > 0:
        if exp_out:
            obs_out[-1] += o_acc
            exp_out[-1] += e_acc
        else:
            obs_out, exp_out = [o_acc], [e_acc]
    return np.asarray(obs_out), np.maximum(np.asarray(exp_out), 1e-12)
