"""Compare two scenarios, or two versions of a procedure, with common random numbers and paired CIs.

Both sides run the same replications with the same seed, so replication ``i`` of A and of B see
the same arrivals, absences and per-challenge uniforms wherever the two scenarios agree (see
:mod:`cpsim.simulate.engine.draws`). The difference B − A in each target's breach rate, and in mean working
days to resolution, is estimated per replication and summarised with a paired Student-t 95%
confidence interval over replications. A change is called *distinguishable from noise* when that
interval excludes 0; otherwise the report says the replications used cannot tell A and B apart.

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
from scipy import stats

from cpsim.model.scenario.classes import Scenario
from cpsim.simulate.experiments.tasks import Outcome, run_tasks, tasks_for

__all__ = [
    "Comparison",
    "Difference",
    "Measure",
    "compare_outcomes",
    "compare_scenarios",
    "comparison_markdown",
    "paired_difference",
    "welch_ci",
]

DIGITS = 6


def _r(x: float) -> float:
    return round(float(x), DIGITS)


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


def welch_ci(a: Sequence[float], b: Sequence[float]) -> tuple[float, float] | None:
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
        return (_r(diff), _r(diff))
    df = (va + vb) ** 2 / (va**2 / (len(x) - 1) + vb**2 / (len(y) - 1))
    half = float(stats.t.ppf(0.975, df) * se)
    return (_r(diff - half), _r(diff + half))


def paired_difference(a: Sequence[float], b: Sequence[float]) -> Difference:
    """B − A for values paired by replication, with a paired Student-t 95% CI."""
    x, y = np.asarray(a, float), np.asarray(b, float)
    d = y - x
    n = len(d)
    ci = None
    if n >= 2:
        half = float(stats.t.ppf(0.975, n - 1) * d.std(ddof=1) / math.sqrt(n))
        ci = (_r(d.mean() - half), _r(d.mean() + half))
    mean = _r(d.mean()) if n else math.nan
    return Difference(_r(x.mean()) if n else math.nan, _r(y.mean()) if n else math.nan, mean, ci, welch_ci(x, y), n)


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
        """JSON-ready (see docs/what-if.md for the shape)."""
        return {
            "a": {"id": self.a, "title": self.a_title, "assumptions": list(self.assumptions_a)},
            "b": {"id": self.b, "title": self.b_title, "assumptions": list(self.assumptions_b)},
            "seed": self.seed,
            "replications": self.replications,
            "common_random_numbers": True,
            "measures": [m.as_dict() for m in self.measures],
            "verdict": verdict(self),
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
        pairs = [(x.rate(ka), y.rate(kb)) for x, y in zip(out_a, out_b, strict=True)]
        pairs = [(p, q) for p, q in pairs if p is not None and q is not None]
        diff = paired_difference([p for p, _ in pairs], [q for _, q in pairs])
        measures.append(Measure(f"{label} breach rate", "breach_rate", ka, kb, diff))
    pairs = [(x.resolution_mean, y.resolution_mean) for x, y in zip(out_a, out_b, strict=True)]
    pairs = [(p, q) for p, q in pairs if p is not None and q is not None]
    diff = paired_difference([p for p, _ in pairs], [q for _, q in pairs])
    measures.append(Measure("mean working days to resolution", "resolution_mean", None, None, diff))
    return measures


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


def verdict(c: Comparison) -> list[str]:
    """One plain sentence per measure: the change, its 95% CI, and whether it is distinguishable from noise."""
    lines = []
    for m in c.measures:
        d = m.difference
        unit = "percentage points" if m.kind == "breach_rate" else "working days"
        scale = 100 if m.kind == "breach_rate" else 1
        if d.pairs == 0:
            lines.append(f"{m.name}: not measured (no challenge reached it in either run).")
            continue
        change = f"{d.mean * scale:+.1f} {unit}" if scale == 100 else f"{d.mean:+.2f} {unit}"
        if d.ci95 is None:
            lines.append(f"{m.name}: {change} from one replication; run at least two to judge the noise.")
            continue
        lo, hi = (x * scale for x in d.ci95)
        ci = f"95% CI {lo:+.1f} to {hi:+.1f}" if scale == 100 else f"95% CI {lo:+.2f} to {hi:+.2f}"
        if d.ci95 == (0.0, 0.0) and d.mean == 0:
            lines.append(f"{m.name}: no difference in any of the {d.pairs} replications.")
        elif d.distinguishable:
            lines.append(f"{m.name}: {change} ({ci}) — distinguishable from noise at {d.pairs} replications.")
        else:
            lines.append(
                f"{m.name}: {change} ({ci}, which includes 0) — NOT distinguishable from noise at "
                f"{d.pairs} replications; more replications may tell them apart."
            )
    return lines


def _fmt(m: Measure, v: float | None) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    return f"{v * 100:.1f}%" if m.kind == "breach_rate" else f"{v:.2f}"


def _differing(c: Comparison) -> list[str]:
    """B's assumptions that A does not make, reading B's renamed procedures as A's."""
    renamed = {}
    for m in c.measures:
        if m.key_a and m.key_b and m.key_a != m.key_b:
            renamed[m.key_b.split("/", 1)[0]] = m.key_a.split("/", 1)[0]
    same = set(c.assumptions_a)
    out = []
    for x in c.assumptions_b:
        head, sep, rest = x.partition(":")
        proc, slash, stage = head.partition(" / ")
        as_a = f"{renamed.get(proc, proc)}{slash}{stage}{sep}{rest}"
        if x not in same and as_a not in same:
            out.append(x)
    return out


def comparison_markdown(c: Comparison) -> list[str]:
    """Markdown lines: a table of A, B and B − A with CIs, the verdicts, and both sides' assumptions."""
    lines = [
        "## Simulated effect",
        "",
        f"A = `{c.a}` ({c.a_title}); B = `{c.b}` ({c.b_title}). {c.replications} replications each, seed "
        f"{c.seed}, common random numbers (replication *i* of A and B see the same arrivals and draws).",
        "",
        "| Measure | A | B | B − A | 95% CI (paired) | Distinguishable from noise? |",
        "|---|---|---|---|---|---|",
    ]
    for m in c.measures:
        d = m.difference
        pct = m.kind == "breach_rate"
        diff = f"{d.mean * 100:+.1f} pp" if pct else f"{d.mean:+.2f} days"
        ci = (
            "—"
            if d.ci95 is None
            else (
                f"{d.ci95[0] * 100:+.1f} to {d.ci95[1] * 100:+.1f} pp"
                if pct
                else f"{d.ci95[0]:+.2f} to {d.ci95[1]:+.2f}"
            )
        )
        yes = {True: "yes", False: "no", None: "too few replications"}[d.distinguishable]
        yes = "no difference" if d.ci95 == (0.0, 0.0) and d.mean == 0 else yes
        lines.append(f"| {m.name} | {_fmt(m, d.a_mean)} | {_fmt(m, d.b_mean)} | {diff} | {ci} | {yes} |")
    lines += ["", *[f"- {v}" for v in verdict(c)], ""]
    lines += [f"### Assumptions of A (`{c.a}`)", "", *[f"- {x}" for x in c.assumptions_a], ""]
    only_b = _differing(c)
    lines += [f"### Assumptions of B (`{c.b}`) that differ from A's", ""]
    lines += [f"- {x}" for x in only_b] if only_b else ["- None: B makes the same assumptions as A."]
    lines += ["", "B's other assumptions are the same as A's.", ""] if only_b else [""]
    return lines
