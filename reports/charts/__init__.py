"""Charts of results; each function takes results and returns a matplotlib Figure."""

from __future__ import annotations

from cpsim.reports.charts.results import (
    breach_chart,
    compare_chart,
    reach_chart,
    resolution_chart,
    sweep_chart,
    workload_chart,
)

__all__ = ["breach_chart", "compare_chart", "reach_chart", "resolution_chart", "sweep_chart", "workload_chart"]
