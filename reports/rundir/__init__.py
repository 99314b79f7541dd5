"""The run directory: written after a simulation, read back for reports."""

from __future__ import annotations

from cpsim.reports.rundir.read import RunResults, is_run_dir, load_run
from cpsim.reports.rundir.write import write_run

__all__ = ["RunResults", "is_run_dir", "load_run", "write_run"]
