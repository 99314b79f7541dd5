"""The run directory: written after a simulation (or as it goes), read back for reports."""

from __future__ import annotations

from cpsim.reports.rundir.eventlog import EventLog, parse_events
from cpsim.reports.rundir.read import CaseRow, RunResults, Span, is_run_dir, load_run, request_spans
from cpsim.reports.rundir.write import CASE_COLUMNS, dumps, manifest, write_run, write_xes

__all__ = [
    "CASE_COLUMNS",
    "CaseRow",
    "EventLog",
    "RunResults",
    "Span",
    "dumps",
    "is_run_dir",
    "load_run",
    "manifest",
    "parse_events",
    "request_spans",
    "write_run",
    "write_xes",
]
