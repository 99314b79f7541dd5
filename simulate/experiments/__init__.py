"""Experiments over replications: runs, comparisons with common random numbers, sweeps, summaries."""

from __future__ import annotations

from cpsim.simulate.experiments.compare import Comparison, compare_scenarios
from cpsim.simulate.experiments.runner import RunResult, run
from cpsim.simulate.experiments.summary import mean_ci, summarise
from cpsim.simulate.experiments.sweep import Sweep, find_min, run_sweep

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
