"""Compare two scenarios, or two versions of a procedure, with common random numbers and paired CIs.

Both sides run the same replications with the same seed, so replication ``i`` of A and of B see
the same arrivals, absences and per-challenge uniforms wherever the two scenarios agree (see
:mod:`cpsim.simulate.engine.draws`). Each side's figure is the simulation summary's: a target's
breach rate is the challenges that missed it over those decided, totalled over replications
(challenges still unfinished when the follow-up ended are neither, and are counted apart), and the
mean working days to resolution is total days over challenges finished. Each is a ratio of totals
(:func:`cpsim.simulate.experiments.estimators.ratio_ci`), so B − A is the difference of the two
ratios, and its paired Student-t 95% interval is taken over the replications' linearised values
(:func:`cpsim.simulate.experiments.estimators.linearised`), differenced pair by pair
(:func:`ratio_difference`). A change is called *distinguishable from noise* when that interval
excludes 0; otherwise the replications used cannot tell A and B apart. This module gives the
numbers; :mod:`cpsim.reports.text.compare` words them.

Examples
--------
>>> d = paired_difference([0.2, 0.3, 0.25], [0.1, 0.22, 0.14])
>>> d.mean, d.ci95, d.distinguishable
(-0.096667, (-0.134612, -0.058721), True)
>>> paired_difference([0.2, 0.3], [0.2, 0.3]).ci95
(0.0, 0.0)
"""

from __future__ import annotations

import concurrent.futures as cf
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import special  # Student's t quantile; scipy.stats takes about a second to import

from cpsim.model.scenario.classes import Scenario
from cpsim.simulate.experiments.estimators import linearised, rounded, t_half_width
from cpsim.simulate.experiments.tasks import (
    Outcome,
    Totals,
    breach_totals,
    resolution_totals,
    run_tasks_until_stopped,
    tasks_for,
)

__all__ = [
    "Comparison",
    "Difference",
    "Measure",
    "compare_outcomes",
    "compare_scenarios",
    "paired_difference",
    "ratio_difference",
    "welch_ci",
]

Values = Sequence[float] | npt.NDArray[np.float64]
"""One value per replication."""


@dataclass(frozen=True)
class Difference:
    """B − A over paired replications: each side's figure, their difference, paired and unpaired 95% CIs.

    ``a_mean`` and ``b_mean`` are each side's figure (the ratio of totals, from
    :func:`ratio_difference`; the mean of the values, from :func:`paired_difference`), NaN when a
    side measured nothing; ``unpaired_ci95`` is the Welch interval, for reference.
    """

    a_mean: float
    b_mean: float
    mean: float
    ci95: tuple[float, float] | None
    unpaired_ci95: tuple[float, float] | None
    pairs: int

    @property
    def distinguishable(self) -> bool | None:
        """True when the paired CI excludes 0; None when there are too few pairs to say."""
        if self.ci95 is None:
            return None
        return self.ci95[0] > 0 or self.ci95[1] < 0


def welch_ci(a: Values, b: Values) -> tuple[float, float] | None:
    """Unpaired (Welch) 95% CI of mean(b) − mean(a); None with fewer than two values on a side.

    >>> welch_ci([1.0, 2.0, 3.0], [2.0, 3.0, 4.0])
    (-1.266958, 3.266958)
    """
    x, y = np.asarray(a, float), np.asarray(b, float)
    if len(x) < 2 or len(y) < 2:
        return None
    va, vb = x.var(ddof=1) / len(x), y.var(ddof=1) / len(y)
    diff = float(y.mean() - x.mean())
    se = math.sqrt(va + vb)
    if se == 0:
        return (rounded(diff), rounded(diff))
    df = (va + vb) ** 2 / (va**2 / (len(x) - 1) + vb**2 / (len(y) - 1))
    half = float(special.stdtrit(df, 0.975) * se)
    return (rounded(diff - half), rounded(diff + half))


def paired_difference(a: Values, b: Values) -> Difference:
    """B − A for values paired by replication, with a paired Student-t 95% CI."""
    x, y = np.asarray(a, float), np.asarray(b, float)
    d = y - x
    n = len(d)
    ci = None
    if n >= 2:
        half = t_half_width(d)
        ci = (rounded(d.mean() - half), rounded(d.mean() + half))
    mean = rounded(d.mean()) if n else math.nan
    return Difference(
        rounded(x.mean()) if n else math.nan, rounded(y.mean()) if n else math.nan, mean, ci, welch_ci(x, y), n
    )


def ratio_difference(a: Totals, b: Totals) -> Difference:
    """B − A of two ratios of totals over paired replications, with the paired delta-method 95% CI.

    Each side is ``R = sum(x_i) / sum(y_i)``. Its linearised values ``R + (x_i - R y_i) / mean(y)``
    have mean ``R`` and give its delta-method interval, so B − A is ``R_B - R_A`` and the paired
    interval is the Student-t interval of the differences of the linearised values, replication
    by replication; the unpaired (Welch) interval takes the same values unpaired. ``pairs`` counts
    the replications that measured something on both sides (a replication that measured nothing
    takes part too, as in :func:`~cpsim.simulate.experiments.estimators.ratio_ci`); the intervals
    are null when fewer than two did.

    >>> d = ratio_difference(Totals((2, 3, 4), (10, 10, 20), 0), Totals((1, 3, 2), (10, 10, 20), 0))
    >>> d.a_mean, d.b_mean, d.mean, d.ci95
    (0.225, 0.15, -0.075, (-0.198233, 0.048233))
    """
    la, lb = linearised(a.numerators, a.denominators), linearised(b.numerators, b.denominators)
    pairs = sum(ya > 0 and yb > 0 for ya, yb in zip(a.denominators, b.denominators, strict=True))
    ra, rb = (math.nan if side is None else side[0] for side in (la, lb))
    mean = rb - ra
    if la is None or lb is None or pairs < 2:
        return Difference(rounded(ra), rounded(rb), rounded(mean), None, None, pairs)
    half = t_half_width(lb[1] - la[1])
    ci = (rounded(mean - half), rounded(mean + half))
    return Difference(rounded(ra), rounded(rb), rounded(mean), ci, welch_ci(la[1], lb[1]), pairs)


@dataclass(frozen=True)
class Measure:
    """One compared quantity: a target's breach rate, or mean working days to resolution.

    ``a_ci95`` and ``b_ci95`` are each side's own 95% interval, as the simulation summary gives it;
    ``a_unfinished`` and ``b_unfinished`` count the challenges left out of each side's figure
    because they were still undecided (unfinished) when the follow-up ended, over all replications.
    """

    name: str
    kind: str
    key_a: str | None
    key_b: str | None
    difference: Difference
    a_ci95: tuple[float, float] | None = None
    b_ci95: tuple[float, float] | None = None
    a_unfinished: int = 0
    b_unfinished: int = 0

    @classmethod
    def of(cls, name: str, kind: str, keys: tuple[str | None, str | None], a: Totals, b: Totals) -> Measure:
        """The measure B − A of the ratios whose per-replication totals are ``a`` and ``b``."""
        ci_a, ci_b = (None if ci is None else (ci[0], ci[1]) for ci in (a.estimate()["ci95"], b.estimate()["ci95"]))
        return cls(name, kind, keys[0], keys[1], ratio_difference(a, b), ci_a, ci_b, a.unfinished, b.unfinished)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (see docs/what-if.md)."""
        d = self.difference
        return {
            "measure": self.name,
            "kind": self.kind,
            "key_a": self.key_a,
            "key_b": self.key_b,
            "a": _number(d.a_mean),
            "b": _number(d.b_mean),
            "difference": _number(d.mean),
            "ci95": list(d.ci95) if d.ci95 else None,
            "unpaired_ci95": list(d.unpaired_ci95) if d.unpaired_ci95 else None,
            "pairs": d.pairs,
            "distinguishable": d.distinguishable,
            "a_ci95": list(self.a_ci95) if self.a_ci95 else None,
            "b_ci95": list(self.b_ci95) if self.b_ci95 else None,
            "a_unfinished": self.a_unfinished,
            "b_unfinished": self.b_unfinished,
        }


def _number(x: float) -> float | None:
    """``x``, or None for a figure that was not measured (NaN is not JSON)."""
    return None if math.isnan(x) else x


@dataclass(frozen=True)
class Comparison:
    """The paired comparison of two runs with common random numbers."""

    a: str
    b: str
    a_title: str
    b_title: str
    seed: int
    replications: int
    measures: tuple[Measure, ...]
    assumptions_a: tuple[str, ...]
    assumptions_b: tuple[str, ...]
    interrupted: bool = False
    requested: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready numbers (docs/what-if.md; the verdict sentences are added in reports).

        An interrupted comparison says so under ``interrupted``: the replications requested and
        the pairs that finished on both sides, over which every figure is.
        """
        marked = {"replications_requested": self.requested, "replications_finished": self.replications}
        return {
            **({"interrupted": marked} if self.interrupted else {}),
            "a": {"id": self.a, "title": self.a_title, "assumptions": list(self.assumptions_a)},
            "b": {"id": self.b, "title": self.b_title, "assumptions": list(self.assumptions_b)},
            "seed": self.seed,
            "replications": self.replications,
            "common_random_numbers": True,
            "measures": [m.as_dict() for m in self.measures],
        }


def _target_pairs(a: Scenario, b: Scenario) -> list[tuple[str, str, str]]:
    """(label, key in A, key in B) for each target, routes paired by procedure id, then by position."""
    ids_a, ids_b = [r.procedure.id for r in a.routes], [r.procedure.id for r in b.routes]
    left_b = iter([r for r in b.routes if r.procedure.id not in ids_a])
    pairs = []
    for ra in a.routes:
        rb = b.route(ra.procedure.id) if ra.procedure.id in ids_b else next(left_b, None)
        if rb is not None:
            pairs.append((ra, rb))
    out = []
    for ra, rb in pairs:
        targets_b = {t.id for t in rb.procedure.targets}
        for t in ra.procedure.targets:
            if t.id in targets_b:
                ka, kb = f"{ra.procedure.id}/{t.id}", f"{rb.procedure.id}/{t.id}"
                out.append((ka if ka == kb else f"{ka} → {rb.procedure.id}", ka, kb))
    return out


def compare_outcomes(a: Scenario, b: Scenario, out_a: Sequence[Outcome], out_b: Sequence[Outcome]) -> list[Measure]:
    """Paired differences per target breach rate and in mean working days to resolution.

    ``out_a[i]`` and ``out_b[i]`` are replication ``i`` of each side (common random numbers).
    """
    if len(out_a) != len(out_b):
        raise ValueError(f"the two sides have {len(out_a)} and {len(out_b)} replications; they must be paired")
    measures = [
        Measure.of(f"{label} breach rate", "breach_rate", (ka, kb), breach_totals(out_a, ka), breach_totals(out_b, kb))
        for label, ka, kb in _target_pairs(a, b)
    ]
    res_a, res_b = resolution_totals(out_a), resolution_totals(out_b)
    measures.append(Measure.of("mean working days to resolution", "resolution_mean", (None, None), res_a, res_b))
    return measures


def compare_scenarios(
    a: Scenario,
    b: Scenario,
    *,
    replications: int | None = None,
    seed: int | None = None,
    executor: cf.Executor | None = None,
    on_done: Callable[[int], None] | None = None,
    keep_interrupted: bool = False,
) -> Comparison:
    """Run ``a`` and ``b`` with the same seed and replications (default: A's) and compare them pairwise.

    The two sides' replications run in pairs (A 0, B 0, A 1, B 1, ...). A Ctrl-C raises
    KeyboardInterrupt, unless ``keep_interrupted``: then the comparison is over the replications
    that finished on both sides, marked ``interrupted`` (``replications`` counts those pairs; with
    fewer than two there is no interval).
    """
    n = a.replications if replications is None else replications
    s = a.seed if seed is None else seed
    tasks = [t for pair in zip(tasks_for(a, n, s), tasks_for(b, n, s), strict=True) for t in pair]
    done, stopped = run_tasks_until_stopped(tasks, executor, on_done)
    if stopped and not keep_interrupted:
        raise KeyboardInterrupt
    paired = [i for i in range(n) if 2 * i in done and 2 * i + 1 in done]
    measures = (
        compare_outcomes(a, b, [done[2 * i] for i in paired], [done[2 * i + 1] for i in paired]) if paired else []
    )
    return Comparison(
        a.id, b.id, a.title, b.title, s, len(paired), tuple(measures), a.all_assumptions, b.all_assumptions,
        interrupted=stopped, requested=n,
    )  # fmt: skip
