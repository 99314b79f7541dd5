"""The run directory: manifest, summary, one row per challenge and per event, and an XES event log.

Everything is written into a temporary directory beside the target and renamed into place at the
end, so a run directory is either complete or absent. The manifest lists every other file with its
sha256. An existing directory is replaced only with ``force=True``, and only when every file in it
is one cpsim wrote there (listed in its manifest and unchanged): a folder holding anything else is
refused, naming those files. :func:`check_output_dir` makes the same checks, to be called before a
simulation starts; a symbolic link is refused as a run directory.

Files
-----
``manifest.json``   cpsim version, sha256 of the scenario and every file it read, seed,
                    replications, timestamps, whether the run was interrupted, which
                    replications' events the event log holds (``events``), and the
                    sha256 of each other file of the run directory (``written``).
``summary.json``    the summary (:func:`cpsim.simulate.experiments.summary.summarise`).
``cases.csv``       one row per challenge, every replication.
``staff.csv``       one row per staffed role and replication.
``events.csv``      one row per stage start or completion, of the replications chosen
                    (:mod:`cpsim.reports.rundir.eventlog`; ``events.csv.gz`` gzipped).
``events.xes``      the same events as an IEEE 1849 (XES) log for process-mining tools
                    (``events.xes.gz`` gzipped).

Timestamps in the event log are UK local time with their offset from UTC (:mod:`cpsim.reports.rundir.rows`).

>>> uk_timestamp("2026-01-05T09:00:00"), uk_timestamp("2026-07-01T09:00:00")
('2026-01-05T09:00:00+00:00', '2026-07-01T09:00:00+01:00')
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cpsim.model.errors import CpsimError
from cpsim.reports.outputs import dumps, need_folder, not_ours, refuse_link, unknown_files
from cpsim.reports.rundir.eventlog import ALL, EventLog
from cpsim.reports.rundir.rows import CASE_COLUMNS, UK, XES_HEAD, XES_TAIL, uk_timestamp, xes_traces
from cpsim.simulate.engine.records import CaseRecord, EventRecord
from cpsim.simulate.experiments.runner import RunResult

__all__ = [
    "CASE_COLUMNS",
    "UK",
    "check_output_dir",
    "dumps",
    "manifest",
    "ranges",
    "uk_timestamp",
    "write_run",
    "write_xes",
]


def manifest(
    result: RunResult, *, version: str, workers: int, events: EventLog = ALL, kept: Iterable[int] | None = None
) -> dict[str, Any]:
    """The manifest of a run; ``kept`` are the replications whose events were written (default: all finished)."""
    sc = result.scenario
    finished = [s.replication for s in result.stats]
    kept = sorted(finished if kept is None else kept)
    chosen = events.resolve(result.requested)
    return {
        "cpsim_version": version,
        "scenario": {"id": sc.id, "path": sc.path},
        "files_sha256": dict(sorted((_shown(k), v) for k, v in sc.digests.items())),
        "seed": result.seed,
        "replications_requested": result.requested,
        "replications_finished": len(result.stats),
        "interrupted": result.interrupted,
        "workers": workers,
        "started": result.started,
        "finished": result.finished,
        "events": {
            "choice": chosen.label,
            "gzip": chosen.gzip,
            "files": list(chosen.files),
            "replications": len(kept),
            "of": len(finished),
            "kept": ranges(kept),
        },
    }


def ranges(numbers: Iterable[int]) -> str:
    """Sorted whole numbers written as runs: ``0-49``, ``0-2, 5``; empty for none.

    >>> ranges([0, 1, 2, 5, 7, 8]), ranges([]), ranges([4])
    ('0-2, 5, 7-8', '', '4')
    """
    out: list[str] = []
    run: list[int] = []
    for n in sorted(numbers):
        if run and n == run[-1] + 1:
            run.append(n)
            continue
        if run:
            out.append(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}")
        run = [n]
    if run:
        out.append(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}")
    return ", ".join(out)


def _shown(path: str) -> str:
    """``path`` relative to the working directory when it lies under it, else as given."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else path
    except ValueError:
        return path


def check_output_dir(path: str | Path, force: bool) -> None:
    """Raise unless a run directory may be written at ``path``; call it before the simulation starts.

    Raises
    ------
    CpsimError
        If ``path`` is a symbolic link or a file; if it exists and ``force`` is false; if, with
        ``force``, it holds a file cpsim did not write there; or if its folder cannot be written.
    """
    target = Path(path)
    refuse_link(target)
    if target.exists():
        if not target.is_dir():
            raise CpsimError(f"{target}: is a file, not a folder; choose another -o directory")
        if not force:
            raise CpsimError(f"{target} already exists: choose another -o directory, or add --force to replace it")
        unknown = unknown_files(target)
        if unknown:
            raise not_ours(target, unknown)
    need_folder(target.parent)


def write_run(
    result: RunResult,
    run_dir: str | Path,
    *,
    version: str,
    workers: int,
    force: bool = False,
    events: EventLog = ALL,
) -> Path:
    """Write the run directory of ``result`` (which kept its records) atomically, as ``cpsim simulate`` does.

    It is written by :class:`cpsim.reports.rundir.stream.RunWriter`, a replication at a time, so it
    is byte for byte what a streamed run writes; an existing one is replaced only as
    :func:`check_output_dir` allows.
    """
    from cpsim.reports.rundir.stream import RunWriter  # the streaming writer builds on this module
    from cpsim.simulate.experiments.runner import Replicated

    with RunWriter(run_dir, force, result, events) as writer:
        for stats, records in zip(result.stats, result.records, strict=True):
            writer.add(Replicated(stats, records))
        writer.finish(result, version=version, workers=workers)
    return Path(run_dir)


def _move_into_place(tmp: Path, target: Path) -> None:
    """Rename ``tmp`` to ``target``, replacing an existing ``target`` only once ``tmp`` is complete.

    The old directory goes to a fresh hidden name beside it (never one a user may have made), and is
    removed once the new one is in place: :func:`check_output_dir` found only cpsim's files in it.
    """
    if not target.exists():
        os.replace(tmp, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
    os.replace(target, old)
    os.replace(tmp, target)
    shutil.rmtree(old, ignore_errors=True)


def write_xes(path: Path, events: Iterable[EventRecord], cases: Iterable[CaseRecord] = ()) -> None:
    """Write ``events`` as an XES log: a trace per challenge and replication (see ``rows.xes_traces``)."""
    with path.open("w", encoding="utf-8") as fh:
        fh.write(XES_HEAD)
        fh.writelines(xes_traces(events, cases))
        fh.write(XES_TAIL)
