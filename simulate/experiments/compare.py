"""Compare two scenarios, or two versions of a procedure, with common random numbers and paired CIs.

Both sides run the same replications with the same seed, so replication ``i`` of A and of B see
the same arrivals, absences and per-challenge uniforms wherever the two scenarios agree (see
:mod:`cpsim.simulate.engine.draws`). The difference B − A in each target's breach rate, and in mean working
days to resolution, is estimated per replication and summarised with a paired Student-t 95%
confidence interval over replications. A change is called *distinguishable from noise* when that
interval excludes 0; otherwise the replications used cannot tell A and B apart. This module gives
the numbers; :mod:`cpsim.reports.text.compare` words them.

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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

from cpsim.model.scenario.classes import Scenario
from cpsim.simulate.experiments.summary import rounded, t_half_width
from cpsim.simulate.experiments.tasks import Outcome, run_tasks, tasks_for

__all__ = [
    "Comparison",
    "Difference",
    "Measure",
    "compare_outcomes",
    "compare_scenarios",
    "paired_difference",
    "welch_ci",
]

Values = Sequence[float] | npt.NDArray[np.float64]
"""One value per replication."""


@dataclass(frozen=True)
class Difference:
    """B − A over paired replications: mean, paired 95% CI, unpaired (Welch) 95% CI for reference."""

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
    half = float(stats.t.ppf(0.975, df) * se)
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


@dataclass(frozen=True)
class Measure:
    """One compared quantity: a target's breach rate, or mean working days to resolution."""

    name: str
    kind: str
    key_a: str | None
    key_b: str | None
    difference: Difference

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (see docs/what-if.md)."""
        d = self.difference
        return {
            "measure": self.name,
            "kind": self.kind,
            "key_a": self.key_a,
            "key_b": self.key_b,
            "a": d.a_mean,
            "b": d.b_mean,
            "difference": d.mean,
            "ci95": list(d.ci95) if d.ci95 else None,
            "unpaired_ci95": list(d.unpaired_ci95) if d.unpaired_ci95 else None,
            "pairs": d.pairs,
            "distinguishable": d.distinguishable,
        }


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

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready numbers (docs/what-if.md; the verdict sentences are added in reports)."""
        return {
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
    """Paired differences per target breach rate and in mean working days to resolution."""
    measures = []
    for label, ka, kb in _target_pairs(a, b):
        diff = _where_both([(x.rate(ka), y.rate(kb)) for x, y in zip(out_a, out_b, strict=True)])
        measures.append(Measure(f"{label} breach rate", "breach_rate", ka, kb, diff))
    diff = _where_both([(x.resolution_mean, y.resolution_mean) for x, y in zip(out_a, out_b, strict=True)])
    measures.append(Measure("mean working days to resolution", "resolution_mean", None, None, diff))
    return measures


def _where_both(pairs: Iterable[tuple[float | None, float | None]]) -> Difference:
    """The paired difference over the replications in which both sides measured a value."""
    both = [(p, q) for p, q in pairs if p is not None and q is not None]
    return paired_difference([p for p, _ in both], [q for _, q in both])


def compare_scenarios(
    a: Scenario,
    b: Scenario,
    *,
    replications: int | None = None,
    seed: int | None = None,
    executor: cf.Executor | None = None,
    on_done: Callable[[int], None] | None = None,
) -> Comparison:
    """Run ``a`` and ``b`` with the same seed and replications (default: A's) and compare them pairwise."""
    n = a.replications if replications is None else replications
    s = a.seed if seed is None else seed
    results = run_tasks(tasks_for(a, n, s) + tasks_for(b, n, s), executor, on_done)
    measures = compare_outcomes(a, b, results[:n], results[n:])
    return Comparison(a.id, b.id, a.title, b.title, s, n, tuple(measures), a.all_assumptions, b.all_assumptions)
