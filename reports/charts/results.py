"""Charts of simulation results; each function takes results and returns a matplotlib Figure.

Colours are the Okabe-Ito palette; every chart has a title, labelled axes and states what it shows.
The CLI and the report save them; nothing here writes files or touches pyplot state.

Examples
--------
>>> summary = {"targets": {"p/t": {"title": "Resolved in 5 days", "within": "5 working days",
...            "breach_rate": {"mean": 0.2, "ci95": [0.1, 0.3]}}}, "rung_deadlines": {}}
>>> fig = breach_chart(summary)
>>> fig.axes[0].get_title()
'Share of challenges that missed each target (95% CI)'
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from cpsim.reports.charts.sweep import sweep_chart
from cpsim.reports.rundir.read import RunResults, Span, request_spans
from cpsim.reports.style import PALETTE

__all__ = ["breach_chart", "compare_chart", "reach_chart", "resolution_chart", "sweep_chart", "workload_chart"]

Interval = Sequence[float] | None
"""A 95% confidence interval (low, high), or None when there is none."""

Bar = tuple[str, float, Interval, str]
"""One bar of a share chart: label, share, its interval, colour."""

SERIES = [PALETTE[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky", "yellow", "black")]


def _figure(w: float = 8.0, h: float = 4.2) -> Figure:
    fig = Figure(figsize=(w, h), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _days(within: str) -> float | None:
    """Working days in a target's ``within`` text, e.g. ``'5 working days'`` -> 5.0."""
    m = re.match(r"^([\d.]+) working days?$", within.strip())
    return float(m.group(1)) if m else None


def resolution_chart(results: RunResults) -> Figure:
    """Time to resolution: histogram by route, cumulative share, target lines with the share that missed.

    Parameters
    ----------
    results
        A run directory's results; counted challenges that ended are plotted.
    """
    fig = _figure(8.0, 4.6)
    ax = fig.add_subplot()
    by_route: dict[str, list[float]] = defaultdict(list)
    for c in results.cases:
        if c.counted and c.working_days is not None:
            by_route[c.route].append(c.working_days)
    allv = np.array([v for vs in by_route.values() for v in vs])
    if allv.size == 0:
        ax.text(0.5, 0.5, "no challenge ended in the counted period", ha="center", transform=ax.transAxes)
        return fig
    bins = np.arange(0, np.ceil(allv.max()) + 0.5, 0.5)
    routes = sorted(by_route)
    ax.hist([by_route[r] for r in routes], bins=list(bins), stacked=True, color=SERIES[: len(routes)], label=routes)
    ax.set_xlabel("working days from raising the challenge to its end")
    ax.set_ylabel("challenges (all replications)")
    twin = ax.twinx()
    xs = np.sort(allv)
    twin.plot(xs, np.arange(1, xs.size + 1) / xs.size, color=PALETTE["black"], lw=1.4, label="cumulative share")
    twin.set_ylim(0, 1.02)
    twin.set_ylabel("share resolved within x working days")
    _mark_targets(ax, _target_notes(results.summary), allv)
    ax.legend(loc="upper right", bbox_to_anchor=(0.97, 0.97), fontsize=8, frameon=False)
    ax.set_title("Time to resolution, with the target and the share that missed it")
    return fig


def _mark_targets(ax: Axes, notes: dict[float, str], days_taken: npt.NDArray[np.float64]) -> None:
    """A dashed line at each target, and a box saying who missed it and what share of challenges took longer."""
    lines = []
    for days, text in sorted(notes.items()):
        ax.axvline(days, color=PALETTE["vermillion"], ls="--", lw=1.3)
        share = float(np.mean(days_taken > days))
        lines.append(
            f"target {days:g} working days (dashed line)\nmissed by: {text}\n"
            f"{share:.0%} of all ended challenges took longer"
        )
    if lines:
        ax.text(
            0.97,
            0.55,
            "\n".join(lines),
            transform=ax.transAxes,
            ha="right",
            va="center",
            fontsize=8,
            color=PALETTE["vermillion"],
            bbox={"facecolor": "white", "edgecolor": PALETTE["vermillion"], "pad": 4},
        )


def _target_notes(summary: Mapping[str, Any]) -> dict[float, str]:
    """Each target's deadline in working days, with the routes that missed it and by how much."""
    notes: dict[float, list[str]] = defaultdict(list)
    for key, t in summary.get("targets", {}).items():
        days = _days(t.get("within", ""))
        rate = (t.get("breach_rate") or {}).get("mean")
        if days is not None and rate is not None:
            notes[days].append(f"{key.split('/')[0]} {rate:.0%}")
    return {d: ", ".join(v) for d, v in notes.items()}


def _error_bars(values: Sequence[float], cis: Sequence[Interval]) -> list[list[float]]:
    """Distances from each value down and up to its interval's ends (zero where there is no interval)."""
    lo = [v - (ci[0] if ci else v) for v, ci in zip(values, cis, strict=True)]
    hi = [(ci[1] if ci else v) - v for v, ci in zip(values, cis, strict=True)]
    return [lo, hi]


LABEL_CHARS = 42
"""Bar labels wrap at this many characters, so that long target titles never push the chart off its page."""


def _bars_with_ci(ax: Axes, rows: Sequence[Bar]) -> None:
    labels = [textwrap.fill(label, LABEL_CHARS) for label, _, _, _ in rows]
    means = [m for _, m, _, _ in rows]
    cis = [ci for _, _, ci, _ in rows]
    y = np.arange(len(rows))
    xerr = _error_bars(means, cis)
    ax.barh(
        y,
        means,
        color=[colour for _, _, _, colour in rows],
        xerr=xerr if any(cis) else None,
        capsize=3,
        error_kw={"elinewidth": 1},
    )
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    for yi, (m, h) in enumerate(zip(means, xerr[1], strict=True)):
        ax.text(m + h + 0.01, yi, f" {m:.0%}", va="center", fontsize=8)


def breach_chart(summary: Mapping[str, Any]) -> Figure:
    """Breach rate per target, and the share of visits missing each rung's reply deadline, with 95% CIs."""
    rows: list[Bar] = [
        (
            f"{t.get('title', k)} ({k.split('/')[0]})",
            t["breach_rate"]["mean"],
            t["breach_rate"].get("ci95"),
            PALETTE["vermillion"],
        )
        for k, t in summary.get("targets", {}).items()
        if t.get("breach_rate") and t["breach_rate"].get("mean") is not None
    ]
    for proc, stages in summary.get("rung_deadlines", {}).items():
        for stage, r in stages.items():
            if r.get("breach_rate") and r["breach_rate"].get("mean") is not None:
                label = f"{proc} / {stage}: reply {r.get('deadline', '')}"
                rows.append((label, r["breach_rate"]["mean"], r["breach_rate"].get("ci95"), PALETTE["orange"]))
    return _share_bars(
        rows,
        row_height=0.38,
        xmax=1.05,
        xlabel="share that missed (vermillion: targets; orange: rung reply deadlines)",
        title="Share of challenges that missed each target (95% CI)",
    )


def reach_chart(summary: Mapping[str, Any], order: Mapping[str, list[str]] | None = None) -> Figure:
    """Share of challenges on each route that reach each stage (the rungs of the ladder)."""
    reached = summary.get("reached", {})
    rows: list[Bar] = []
    for k, (proc, stages) in enumerate(reached.items()):
        keys = [s for s in (order or {}).get(proc, []) if s in stages] or list(stages)
        rows += [(f"{proc} / {s}", stages[s], None, SERIES[k % len(SERIES)]) for s in keys]
    return _share_bars(
        rows,
        row_height=0.34,
        xmax=1.1,
        xlabel="share of the route's challenges reaching the stage",
        title="How far up the ladder challenges go",
    )


def _share_bars(rows: Sequence[Bar], *, row_height: float, xmax: float, xlabel: str, title: str) -> Figure:
    """A horizontal bar chart of shares, one row per bar, as percentages."""
    lines = sum(len(textwrap.wrap(label, LABEL_CHARS)) or 1 for label, _, _, _ in rows)
    fig = _figure(8.0, 1.4 + row_height * max(1, len(rows)) + 0.14 * max(0, lines - len(rows)))
    ax = fig.add_subplot()
    if rows:
        _bars_with_ci(ax, rows)
    ax.set_xlim(0, xmax)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    return fig


def _daily_open(spans: Iterable[Span], first: dt.date, n_days: int, reps: int) -> npt.NDArray[np.float64]:
    """How many of ``spans`` are open on each of ``n_days`` days from ``first``, per replication."""
    diff = np.zeros(n_days + 1)
    for _, a, b in spans:
        diff[max(0, (a - first).days)] += 1
        diff[min(n_days, max(0, (b - first).days))] -= 1
    opened: npt.NDArray[np.float64] = np.cumsum(diff)[:n_days] / max(1, reps)
    return opened


def workload_chart(results: RunResults, closed: Iterable[dt.date] = ()) -> Figure:
    """Challenges open, and requests waiting with each staffed role, per calendar day; closed days shaded.

    Parameters
    ----------
    results
        A run directory's results (cases.csv and events.csv).
    closed
        Bank holidays and closures to shade.
    """
    fig = _figure(8.0, 5.2)
    top, bottom = fig.subplots(2, 1, sharex=True)
    reps = max(1, int(results.summary.get("replications", 1)))
    if not results.cases:
        return fig
    first = min(c.raised for c in results.cases)
    last = max((c.ended or c.raised) for c in results.cases)
    n = (last - first).days + 1
    days = np.array([first + dt.timedelta(days=i) for i in range(n)])
    spans = [(c.replication, c.raised, c.ended or last) for c in results.cases]
    top.plot(days, _daily_open(spans, first, n, reps), color=PALETTE["blue"], lw=1)
    top.set_ylabel("challenges open")
    roles = set(results.summary.get("staff", {}))
    logged = results.event_replications  # the event log may hold only some replications, or none
    for k, (role, sp) in enumerate(sorted(request_spans(results, roles).items())):
        bottom.plot(
            days, _daily_open(sp, first, n, logged), lw=1, color=SERIES[k % len(SERIES)], label=role.replace("_", " ")
        )
    bottom.set_ylabel("requests open with role")
    if results.events_note:
        what = "no event log in this run" if not logged else f"from the event log: mean of its {logged} replications"
        bottom.set_title(what, fontsize=8)
    if roles and logged:
        bottom.legend(fontsize=7, frameon=False, ncol=2, loc="upper left")
    shown = sorted(d for d in set(closed) if first <= d <= last)
    for ax in (top, bottom):
        for d in shown:
            ax.axvspan(d, d + dt.timedelta(days=1), color=PALETTE["yellow"], alpha=0.6, lw=0)
    top.set_title(f"Workload over the calendar (mean of {reps} replications)\nbank holidays and closures shaded yellow")
    fig.autofmt_xdate()
    return fig


def compare_chart(comparison: Mapping[str, Any]) -> Figure:
    """Differences B − A of each compared measure with their 95% CIs (from a comparison's JSON).

    Breach rates (``kind`` "breach_rate") are drawn in percentage points and times in working days,
    each on a panel of its own, so that no axis mixes the two units.
    """
    ms = [m for m in comparison.get("measures", []) if m.get("difference") is not None]
    groups = [
        (kind, unit, scale, [m for m in ms if (m.get("kind") == "breach_rate") == (kind == "rates")])
        for kind, unit, scale in (("rates", "percentage points", 100.0), ("times", "working days", 1.0))
    ]
    groups = [g for g in groups if g[3]] or [("rates", "percentage points", 100.0, [])]
    rows = [max(1, sum(len(textwrap.wrap(m["measure"], LABEL_CHARS)) for m in g[3])) for g in groups]
    fig = _figure(8.0, 1.2 + 0.8 * len(groups) + 0.22 * sum(rows))
    axes = fig.subplots(len(groups), 1, squeeze=False, gridspec_kw={"height_ratios": rows})[:, 0]
    a, b = comparison.get("a", {}).get("id", "A"), comparison.get("b", {}).get("id", "B")
    for ax, (_, unit, scale, group) in zip(axes, groups, strict=True):
        diffs = [m["difference"] * scale for m in group]
        cis = [[x * scale for x in m["ci95"]] if m.get("ci95") else None for m in group]
        y = np.arange(len(group))
        colours = [PALETTE["vermillion"] if d > 0 else PALETTE["blue"] for d in diffs]
        ax.barh(y, diffs, xerr=_error_bars(diffs, cis), color=colours, capsize=3)
        ax.set_yticks(y, [textwrap.fill(m["measure"], LABEL_CHARS) for m in group], fontsize=8)
        ax.invert_yaxis()
        ax.axvline(0, color=PALETTE["black"], lw=0.8)
        ax.set_xlabel(f"{b} minus {a}, in {unit}", fontsize=8)
    fig.suptitle(
        textwrap.fill(f"What changes from {a} to {b}: paired differences with 95% CIs", 80)
        + "\n(vermillion: higher in B; blue: lower)",
        fontsize=10,
    )
    return fig
