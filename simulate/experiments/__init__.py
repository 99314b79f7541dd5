"""Experiments over replications: runs, comparisons with common random numbers, sweeps, summaries."""

from __future__ import annotations

from simulate.experiments.compare import Comparison, compare_scenarios
from simulate.experiments.runner import RunResult, run
from simulate.experiments.summary import mean_ci, summarise
from simulate.experiments.sweep import Sweep, find_min, run_sweep

__all__ = [
    "Comparison",
    "RunResult",
    "Sweep",
    "compare_scenarios",
    "find_min",
    "mean_ci",
    "run",
    "run_sweep",
    "summarise",
]
