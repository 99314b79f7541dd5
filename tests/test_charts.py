"""Each chart shows the numbers it is given: bars equal the summary, lines sit at the targets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from cpsim.reports import charts
from cpsim.reports.rundir.read import CaseRow, RunResults
from cpsim.simulate.experiments import Sweep
from cpsim.simulate.experiments.sweep import Point
from cpsim.simulate.experiments.tasks import Outcome

SUMMARY = {
    "replications": 2,
    "targets": {
        "p/five": {
            "title": "Resolved in five",
            "within": "5 working days",
            "breach_rate": {"mean": 0.25, "ci95": [0.1, 0.4]},
        },
    },
    "rung_deadlines": {
        "p": {"level1": {"deadline": "within 1 working day", "breach_rate": {"mean": 0.5, "ci95": [0.3, 0.7]}}}
    },
    "reached": {"p": {"level1": 1.0, "level2": 0.4, "resolved": 1.0}},
    "staff": {},
}


def _bars(fig: Figure) -> list[float]:
    return [p.get_width() for p in fig.axes[0].patches if isinstance(p, Rectangle)]


def _results(days: list[float]) -> RunResults:
    start = dt.date(2026, 12, 21)
    cases = tuple(
        CaseRow(
            i % 2, "p", start + dt.timedelta(days=i % 5), start + dt.timedelta(days=i % 5 + int(d) + 1), d, True, ()
        )
        for i, d in enumerate(days)
    )
    return RunResults(Path("."), SUMMARY, {}, cases)


def test_breach_chart_bars_equal_the_summary_rates():
    assert _bars(charts.breach_chart(SUMMARY)) == pytest.approx([0.25, 0.5])


def test_reach_chart_bars_follow_the_given_stage_order():
    fig = charts.reach_chart(SUMMARY, {"p": ["resolved", "level2", "level1"]})
    assert _bars(fig) == pytest.approx([1.0, 0.4, 1.0])


def test_resolution_chart_marks_the_target_and_the_share_that_took_longer():
    days = [1.0, 2.0, 3.0, 6.0, 7.5, 0.5, 4.0, 9.0]
    fig = charts.resolution_chart(_results(days))
    ax = fig.axes[0]
    vlines = [ln.get_xdata()[0] for ln in ax.get_lines()]
    assert vlines == [5.0]
    share = np.mean(np.array(days) > 5)
    assert any(f"{share:.0%} of all ended challenges took longer" in t.get_text() for t in ax.texts)
    assert sum(p.get_height() for p in ax.patches if isinstance(p, Rectangle) and p.get_width() < 1) == len(days)


def test_resolution_cumulative_curve_ends_at_one():
    fig = charts.resolution_chart(_results([1.0, 2.0, 8.0]))
    curve = fig.axes[1].get_lines()[0]
    assert curve.get_ydata()[-1] == pytest.approx(1.0)


def test_workload_chart_shades_each_closed_day_in_range_and_counts_open_challenges():
    res = _results([1.0, 2.0, 3.0, 4.0])
    closed = {dt.date(2026, 12, 25), dt.date(2026, 12, 28), dt.date(2030, 1, 1)}
    fig = charts.workload_chart(res, closed)
    top = fig.axes[0]
    spans = [p for p in top.patches if not isinstance(p, Rectangle) or p.get_width() > 0]
    assert len(spans) == 2
    open_counts = top.get_lines()[0].get_ydata()
    first = min(c.raised for c in res.cases)
    expected = [
        sum(c.raised <= first + dt.timedelta(days=k) < c.ended for c in res.cases) / 2 for k in range(len(open_counts))
    ]
    assert list(open_counts) == pytest.approx(expected)


def test_compare_chart_bars_are_the_differences():
    comparison = {
        "a": {"id": "base"},
        "b": {"id": "what-if"},
        "measures": [
            {"measure": "breach p", "kind": "breach_rate", "difference": 0.1, "ci95": [0.05, 0.15]},
            {"measure": "mean days", "kind": "mean_days", "difference": -0.4, "ci95": [-0.6, -0.2]},
        ],
    }
    fig = charts.compare_chart(comparison)
    rates, days = fig.axes
    widths = [[p.get_width() for p in ax.patches if isinstance(p, Rectangle)] for ax in (rates, days)]
    assert widths == [pytest.approx([10.0]), pytest.approx([-0.4])]  # rates in percentage points, times in days
    assert "percentage points" in rates.get_xlabel() and "working days" in days.get_xlabel()


def _sweep(values: tuple[object, ...], breached: tuple[int, ...]) -> Sweep:
    """A sweep of ``arrivals.rate`` over ``values``; at each, two replications of ten challenges breach b and b+1."""

    def outcome(i: int, b: int) -> Outcome:
        return Outcome(i, 1, 10, (("p/t", 10, b),), 10, 3.0)

    pairs = zip(values, breached, strict=True)
    points = tuple(Point((("arrivals.rate", v),), (outcome(0, b), outcome(1, b + 1))) for v, b in pairs)
    return Sweep("demo", ("arrivals.rate",), ("p/t",), 1, 2, points)


def test_sweep_chart_plots_each_points_mean_breach_rate_as_a_percentage_with_a_band_and_the_bound():
    """The line is the replication mean at each value ((b + b+1) / 2 of 10), the band its CI, the bound dashed."""
    fig = charts.sweep_chart(_sweep((1, 2, 3), (1, 3, 5)), max_breach=0.3)
    ax = fig.axes[0]
    line, bound = ax.get_lines()
    assert list(line.get_xdata()) == [1, 2, 3]
    assert list(line.get_ydata()) == pytest.approx([15.0, 35.0, 55.0])
    assert bound.get_label() == "bound 30%" and list(bound.get_ydata()) == pytest.approx([30.0, 30.0])
    (band,) = ax.collections
    low, high = band.get_paths()[0].get_extents().y0, band.get_paths()[0].get_extents().y1
    assert low < 15.0 and high > 55.0
    assert ax.get_xlabel() == "arrivals.rate"


def test_sweep_chart_spaces_values_that_are_not_numbers_evenly_and_labels_them():
    fig = charts.sweep_chart(_sweep(("low", "high"), (1, 3)))
    ax = fig.axes[0]
    assert list(ax.get_lines()[0].get_xdata()) == [0, 1]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["low", "high"]
