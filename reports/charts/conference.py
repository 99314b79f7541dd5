"""Chart of a conference run: timescales missed and challenge deadlines missed, side by side, with 95% CIs.

Reads only the summary (:func:`cpsim.simulate.conference.summary.summarise_conferences`); returns a
matplotlib Figure and writes nothing.

Examples
--------
>>> s = {"timescales": {"icpc": {"name": "Initial conferences within 15 working days",
...      "within_share": {"mean": 0.9, "ci95": [0.85, 0.95]}}},
...      "challenges": {"targets": {}, "rung_deadlines": {"p/s": {"deadline": "within 3 working days",
...      "breach_rate": {"mean": 0.2, "ci95": [0.1, 0.3]}}}}}
>>> breaches_chart(s).axes[0].get_title()
'Missed: conference timescales and challenge deadlines (95% CI)'
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from cpsim.reports.style import PALETTE
from cpsim.simulate.conference.summary import MEASURES

__all__ = ["breaches_chart", "breaches_png"]


def _bars(
    summary: dict[str, Any], names: Mapping[str, str] | None = None
) -> list[tuple[str, float, list[float] | None, str]]:
    bars = []
    rows = summary["timescales"]
    for row in (rows[m] for m in sorted(rows, key=lambda m: MEASURES.index(m) if m in MEASURES else len(MEASURES))):
        share = row["within_share"]
        if share["mean"] is None:
            continue
        ci = share["ci95"]
        missed_ci = [1 - ci[1], 1 - ci[0]] if ci else None
        bars.append((row["name"], 1 - share["mean"], missed_ci, PALETTE["blue"]))
    challenges = summary["challenges"]
    for key, t in {**challenges["targets"], **challenges["rung_deadlines"]}.items():
        rate = t["breach_rate"]
        if rate["mean"] is None:
            continue
        label = f"Challenges: {(names or {}).get(key, key)} ({t.get('within') or t.get('deadline')})"
        bars.append((label, rate["mean"], rate["ci95"], PALETTE["vermillion"]))
    return bars


def breaches_chart(summary: dict[str, Any], names: Mapping[str, str] | None = None) -> Figure:
    """Horizontal bars: the share of each timescale missed (blue) and of each challenge deadline or target (red).

    ``names`` gives a challenge target's or deadline's key ("procedure/stage") in words.
    """
    bars = _bars(summary, names)
    fig = Figure(figsize=(9.0, 0.55 * max(len(bars), 2) + 1.4), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ys = list(range(len(bars)))[::-1]
    top = max([0.1, *[(b[2][1] if b[2] else b[1]) * 1.15 for b in bars]])
    for y, (_, value, ci, colour) in zip(ys, bars, strict=True):
        err = [[value - ci[0]], [ci[1] - value]] if ci else None
        ax.barh(y, value, color=colour, xerr=err, capsize=3, ecolor=PALETTE["grey"])
        ax.text((ci[1] if ci else value) + top * 0.01, y, f"{100 * value:.1f}%", va="center", fontsize=8)
    ax.set_yticks(ys, [textwrap.fill(label, 60) for label, *_ in bars], fontsize=8)
    ax.set_xlim(0, top)
    if not any(colour == PALETTE["vermillion"] for *_, colour in bars):
        note = "the escalation procedure sets no challenge deadline or target"
        ax.text(0.98, 0.98, note, transform=ax.transAxes, ha="right", va="top", fontsize=8, color=PALETTE["vermillion"])
    ax.set_xlabel("share missed (late, over those decided)")
    handles = [
        Patch(color=PALETTE["blue"], label="conference timescales"),
        Patch(color=PALETTE["vermillion"], label="challenges"),
    ]
    ax.legend(handles=handles, loc="lower right", fontsize=8)
    ax.set_title("Missed: conference timescales and challenge deadlines (95% CI)")
    return fig


def breaches_png(summary: dict[str, Any]) -> bytes:
    """:func:`breaches_chart` as PNG bytes."""
    out = io.BytesIO()
    breaches_chart(summary).savefig(out, format="png", dpi=110)
    return out.getvalue()
