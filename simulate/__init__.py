"""Caseload simulation of procedures on a working-day calendar: the engine and the experiments on it."""

from __future__ import annotations

from cpsim.simulate.engine import run_replication
from cpsim.simulate.experiments import RunResult, compare_scenarios, run, run_sweep

__all__ = ["RunResult", "compare_scenarios", "run", "run_replication", "run_sweep"]
