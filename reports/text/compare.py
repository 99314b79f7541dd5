"""A comparison of two runs in words: the verdict per measure, and the Markdown report of ``cpsim compare``.

The numbers come from :mod:`cpsim.simulate.experiments.compare`; this module only words them.

Examples
--------
>>> from cpsim.simulate.experiments.compare import Comparison, Measure, paired_difference
>>> d = paired_difference([0.2, 0.3, 0.25], [0.1, 0.22, 0.14])
>>> c = Comparison("a", "b", "A", "B", 1, 3, (Measure("p/t breach rate", "breach_rate", "p/t", "p/t", d),), (), ())
>>> verdict(c)
['p/t breach rate: -9.7 percentage points (95% CI -13.5 to -5.9) — distinguishable from noise at 3 replications.']
>>> comparison_json(c)["verdict"] == verdict(c)
True
"""

from __future__ import annotations

import math
from typing import Any

from cpsim.simulate.experiments.compare import Comparison, Measure

__all__ = ["comparison_json", "comparison_markdown", "verdict"]


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


def comparison_json(c: Comparison) -> dict[str, Any]:
    """The comparison's numbers with the verdict sentences: the JSON shape of ``cpsim compare --json``.

    See docs/what-if.md for the shape.
    """
    return {**c.as_dict(), "verdict": verdict(c)}


def _fmt(m: Measure, v: float | None) -> str:
    if v is None or math.isnan(v):
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


def _row(m: Measure) -> str:
    """One measure's row of the table: A, B, B − A, the paired CI and whether it is distinguishable."""
    d = m.difference
    pct = m.kind == "breach_rate"
    diff = f"{d.mean * 100:+.1f} points" if pct else f"{d.mean:+.2f} days"
    if d.ci95 is None:
        ci = "—"
    elif pct:
        ci = f"{d.ci95[0] * 100:+.1f} to {d.ci95[1] * 100:+.1f} points"
    else:
        ci = f"{d.ci95[0]:+.2f} to {d.ci95[1]:+.2f}"
    yes = {True: "yes", False: "no", None: "too few replications"}[d.distinguishable]
    yes = "no difference" if d.ci95 == (0.0, 0.0) and d.mean == 0 else yes
    return f"| {m.name} | {_fmt(m, d.a_mean)} | {_fmt(m, d.b_mean)} | {diff} | {ci} | {yes} |"


def comparison_markdown(c: Comparison) -> list[str]:
    """Markdown lines: the verdicts first, then a table of A, B and B − A with CIs, and both sides' assumptions.

    Differences in breach rates are in percentage points ("points"): 20% to 30% is +10 points.
    """
    lines = [
        "## Simulated effect",
        "",
        f"A = `{c.a}` ({c.a_title}); B = `{c.b}` ({c.b_title}). {c.replications} replications each, seed "
        f"{c.seed}, common random numbers (replication *i* of A and B see the same arrivals and draws).",
        "",
        "In short:",
        "",
        *[f"- {v}" for v in verdict(c)],
        "",
        "| Measure | A | B | B − A | 95% CI (paired) | Distinguishable from noise? |",
        "|---|---|---|---|---|---|",
    ]
    lines += [_row(m) for m in c.measures]
    lines += ["", "Rates are shares of decided challenges; their differences are in percentage points.", ""]
    lines += [f"### Assumptions of A (`{c.a}`)", "", *[f"- {x}" for x in c.assumptions_a], ""]
    only_b = _differing(c)
    lines += [f"### Assumptions of B (`{c.b}`) that differ from A's", ""]
    lines += [f"- {x}" for x in only_b] if only_b else ["- None: B makes the same assumptions as A."]
    lines += ["", "B's other assumptions are the same as A's.", ""] if only_b else [""]
    return lines
