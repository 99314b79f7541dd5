"""Experiments over replications: runs, comparisons with common random numbers, sweeps, summaries."""

from __future__ import annotations

from cpsim.simulate.experiments.compare import (
    Comparison,
    Difference,
    Measure,
    compare_outcomes,
    compare_scenarios,
    paired_difference,
    ratio_difference,
    welch_ci,
)
from cpsim.simulate.experiments.runner import RunResult, run
from cpsim.simulate.experiments.summary import mean_ci, summarise
from cpsim.simulate.experiments.sweep import Sweep, find_min, run_sweep
from cpsim.simulate.experiments.tasks import (
    Outcome,
    Task,
    Totals,
    breach_totals,
    resolution_totals,
    run_tasks,
    tasks_for,
)

__all__ = [
    "Comparison",
    "Difference",
    "Measure",
    "Outcome",
    "RunResult",
    "Sweep",
    "Task",
    "Totals",
    "breach_totals",
    "compare_outcomes",
    "compare_scenarios",
    "find_min",
    "mean_ci",
    "paired_difference",
    "ratio_difference",
    "resolution_totals",
    "run",
    "run_sweep",
    "run_tasks",
    "summarise",
    "tasks_for",
    "welch_ci",
]
