"""Chart of a sweep: breach rate against the varied parameter, one line per target, with 95% CI bands.

When a sweep varies more than one parameter, the first is the x axis and each combination of the
others gets its own line (labelled with their values).

Examples
--------
>>> from cpsim.simulate.experiments.sweep import Point, Sweep
>>> from cpsim.simulate.experiments.tasks import Outcome
>>> def rep(i, breached):
...     return Outcome(i, 1, 10, (("p/t", 10, breached),), 10, 3.0)
>>> pts = tuple(Point((("arrivals.rate", r),), (rep(0, b), rep(1, b + 1))) for r, b in ((1, 1), (2, 3), (3, 5)))
>>> fig = sweep_chart(Sweep("demo", ("arrivals.rate",), ("p/t",), 1, 2, pts))
>>> [line.get_label() for line in fig.axes[0].get_lines()]
['p/t']
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from cpsim.simulate.experiments import Sweep

__all__ = ["sweep_chart"]


def _series(sweep: Sweep) -> dict[str, list[tuple[Any, float, float | None, float | None]]]:
    """Lines keyed by label: (x, mean, low, high) per point, in grid order."""
    x_path, others = sweep.paths[0], sweep.paths[1:]
    lines: dict[str, list[tuple[Any, float, float | None, float | None]]] = defaultdict(list)
    for row in sweep.rows():
        if row["breach_rate"] is None:
            continue
        rest = ", ".join(f"{p.split('.')[-2] if p.count('.') else p}={row[p]}" for p in others)
        label = f"{row['target']} ({rest})" if rest else row["target"]
        lines[label].append((row[x_path], row["breach_rate"], row["ci95_low"], row["ci95_high"]))
    return lines


def sweep_chart(sweep: Sweep, *, max_breach: float | None = None) -> Figure:
    """Breach rate (with 95% CI bands) against the first varied parameter; a dashed line at ``max_breach``.

    Parameters
    ----------
    sweep
        The finished sweep.
    max_breach
        If given, a horizontal line marking the bound a ``--find-min`` search used.

    Returns
    -------
    matplotlib.figure.Figure
        A figure with one axes, ready to save.
    """
    fig = Figure(figsize=(7, 4.2), dpi=100)
    ax = fig.add_subplot()
    series = _series(sweep)
    xs_all = [x for pts in series.values() for x, *_ in pts]
    numeric = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in xs_all)
    order = {x: i for i, x in enumerate(dict.fromkeys(xs_all))}
    for label, pts in series.items():
        xs = [x if numeric else order[x] for x, *_ in pts]
        ys = [100 * y for _, y, _, _ in pts]
        (line,) = ax.plot(xs, ys, marker="o", label=label)
        bands = [(lo, hi) for _, _, lo, hi in pts if lo is not None and hi is not None]
        if len(bands) == len(pts):
            lows = [100 * max(lo, 0.0) for lo, _ in bands]
            highs = [100 * min(hi, 1.0) for _, hi in bands]
            ax.fill_between(xs, lows, highs, alpha=0.2, color=line.get_color(), linewidth=0)
    if max_breach is not None:
        ax.axhline(100 * max_breach, linestyle="--", color="#444444", linewidth=1, label=f"bound {max_breach:.0%}")
    if numeric and all(isinstance(x, int) for x in xs_all):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if not numeric:
        ax.set_xticks(list(order.values()), [str(x) for x in order])
    ax.set_xlabel(sweep.paths[0])
    ax.set_ylabel("breach rate (%)")
    ax.set_ylim(bottom=0)
    ax.set_title(f"{sweep.scenario}: {sweep.replications} replications per point, 95% CI bands", fontsize=10)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    return fig
