"""The run directory: written after a simulation, read back for reports."""

from __future__ import annotations

from cpsim.reports.rundir.read import CaseRow, RunResults, Span, is_run_dir, load_run, request_spans
from cpsim.reports.rundir.write import CASE_COLUMNS, dumps, manifest, write_run, write_xes

__all__ = [
    "CASE_COLUMNS",
    "CaseRow",
    "RunResults",
    "Span",
    "dumps",
    "is_run_dir",
    "load_run",
    "manifest",
    "request_spans",
    "write_run",
    "write_xes",
]
