"""A replication's share of each file of a run directory, made as bytes where the replication ran.

:func:`encode` turns one replication's records into the bytes appended to ``cases.csv`` and, when
the run keeps that replication's events, to the event log's files (each gzipped part a gzip
member of its own, which every gzip reader reads as one file). ``cpsim simulate`` has its workers
call it (:data:`cpsim.simulate.experiments.runner.Encode`), so the rows are made in parallel and
only bytes travel back; :class:`~cpsim.reports.rundir.stream.RunWriter` calls it for records made
here. Either way the files are the same, byte for byte.

Examples
--------
>>> from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
>>> from cpsim.reports.rundir.eventlog import EventLog
>>> from cpsim.simulate.engine.replication import run_replication
>>> rep = run_replication(load_scenario(SCENARIOS_DIR / "redcar-baseline.yaml"), 1, 0, events=True)
>>> out = encode(EventLog("all", gzip=True), rep)
>>> sorted(out.parts), out.events_kept
(['cases.csv', 'events.csv.gz', 'events.xes.gz'], True)
>>> len(out.parts["cases.csv"].splitlines()) == len(rep.cases)
True
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable
from dataclasses import dataclass

from cpsim.reports.rundir.eventlog import EventLog
from cpsim.reports.rundir.rows import case_rows, event_rows, xes_traces
from cpsim.simulate.engine.replication import ReplicationResult

__all__ = ["GZIP_LEVEL", "Encoded", "csv_bytes", "encode"]

GZIP_LEVEL = 5
"""zlib level of gzipped event files: near the smallest files at a fraction of level 9's time."""


@dataclass(frozen=True)
class Encoded:
    """The bytes one replication appends to each file of the run directory, by file name."""

    replication: int
    parts: dict[str, bytes]
    events_kept: bool


def encode(events: EventLog, records: ReplicationResult) -> Encoded:
    """The rows of ``records`` for ``cases.csv`` and, if ``events`` (resolved for the run) keeps them, the event log."""
    parts = {"cases.csv": csv_bytes(case_rows(records.cases))}
    kept = bool(events.files) and events.keeps(records.replication)
    if kept:
        csv_name, xes_name = events.files
        parts[csv_name] = csv_bytes(event_rows(records.events))
        parts[xes_name] = "".join(xes_traces(records.events, records.cases)).encode("utf-8")
    if events.gzip:
        parts = {name: gzip.compress(data, GZIP_LEVEL, mtime=0) if name.endswith(".gz") else data
                 for name, data in parts.items()}  # fmt: skip
    return Encoded(records.replication, parts, kept)


def csv_bytes(rows: Iterable[list[object]]) -> bytes:
    """``rows`` as CSV lines (Python's default dialect, each ending CR LF), in UTF-8."""
    buf = io.StringIO(newline="")
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("utf-8")
