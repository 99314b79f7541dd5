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
                    replications, timestamps, whether the run was interrupted, and the
                    sha256 of each other file of the run directory (``written``).
``summary.json``    the summary (:func:`cpsim.simulate.experiments.summary.summarise`).
``cases.csv``       one row per challenge.
``events.csv``      one row per stage start or completion.
``staff.csv``       one row per staffed role and replication.
``events.xes``      the events as an IEEE 1849 (XES) log for process-mining tools.

Timestamps in ``events.csv`` and ``events.xes`` are UK local time with their offset from UTC:
``+00:00`` in winter (GMT) and ``+01:00`` in summer (BST), so a tool reading them places each
event at the right instant whatever its own time zone.

>>> uk_timestamp("2026-01-05T09:00:00"), uk_timestamp("2026-07-01T09:00:00")
('2026-01-05T09:00:00+00:00', '2026-07-01T09:00:00+01:00')
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr
from zoneinfo import ZoneInfo

from cpsim.model.errors import CpsimError
from cpsim.reports.outputs import (
    cannot_write,
    digests,
    dumps,
    need_folder,
    not_ours,
    record_files,
    refuse_link,
    umask,
    unknown_files,
)
from cpsim.simulate.engine.records import CaseRecord, EventRecord, RoleRecord, columns
from cpsim.simulate.experiments.runner import RunResult

__all__ = ["CASE_COLUMNS", "UK", "check_output_dir", "dumps", "manifest", "uk_timestamp", "write_run", "write_xes"]

UK = ZoneInfo("Europe/London")
"""The time zone of the simulated calendar's clock times: GMT in winter, BST in summer."""

CASE_COLUMNS = [
    "replication",
    "case",
    "route",
    "raised",
    "raised_date",
    "counted",
    "already_open",
    "rungs_reached",
    "end_stage",
    "ending",
    "end_date",
    "working_days",
    "breached_targets",
    "rung_deadlines_missed",
    "open_at_horizon",
]


def manifest(result: RunResult, *, version: str, workers: int) -> dict[str, Any]:
    """The manifest of a run."""
    sc = result.scenario
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
    }


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


def write_run(result: RunResult, run_dir: str | Path, *, version: str, workers: int, force: bool = False) -> Path:
    """Write the run directory atomically; replace an existing one only as :func:`check_output_dir` allows."""
    target = Path(run_dir)
    check_output_dir(target, force)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as exc:
        raise cannot_write(target, exc) from exc
    try:
        os.chmod(tmp, 0o777 & ~umask())
        _write_files(tmp, result)
        record_files(tmp, digests(tmp), base=manifest(result, version=version, workers=workers))
        _move_into_place(tmp, target)
    except OSError as exc:
        raise cannot_write(target, exc) from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def _write_files(folder: Path, result: RunResult) -> None:
    """Every file of the run directory but the manifest, written into ``folder``."""
    (folder / "summary.json").write_text(dumps(result.summary()), encoding="utf-8")
    cases = [c for r in result.records for c in r.cases]
    events = [e for r in result.records for e in r.events]
    _write_csv(folder / "cases.csv", CASE_COLUMNS, (_case_row(c) for c in cases))
    _write_csv(folder / "events.csv", columns(EventRecord), (_event_row(e) for e in events))
    _write_records(folder / "staff.csv", RoleRecord, [x for r in result.stats for x in r.roles])
    write_xes(folder / "events.xes", events, cases)


def uk_timestamp(stamp: str) -> str:
    """A clock time of the simulated calendar (ISO, no zone) with its UK offset; empty stays empty.

    >>> uk_timestamp("2026-01-05T09:00:00"), uk_timestamp("2026-07-01T09:30:00"), uk_timestamp("")
    ('2026-01-05T09:00:00+00:00', '2026-07-01T09:30:00+01:00', '')
    """
    if not stamp:
        return ""
    if len(stamp) >= 19 and stamp[10] == "T" and dt.datetime.fromisoformat(stamp).isoformat() == stamp:
        return stamp + _uk_offset(stamp[:13])  # the offset changes only on the hour
    return dt.datetime.fromisoformat(stamp).replace(tzinfo=UK).isoformat()


@functools.lru_cache(maxsize=100_000)
def _uk_offset(hour: str) -> str:
    """The UK offset ("+00:00" or "+01:00") in the hour ``YYYY-MM-DDTHH``."""
    return dt.datetime.fromisoformat(hour + ":00:00").replace(tzinfo=UK).isoformat()[-6:]


EVENT_COLUMNS = columns(EventRecord)
"""The columns of ``events.csv``, in order."""


def _event_row(e: EventRecord) -> list[object]:
    """A row of ``events.csv``: the record's fields in order, its timestamp with the UK offset."""
    return [uk_timestamp(e.timestamp) if k == "timestamp" else getattr(e, k) for k in EVENT_COLUMNS]


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


def _write_records(path: Path, record_type: type, records: Iterable[object]) -> None:
    """Records of one dataclass type as CSV: a column per field, in field order."""
    names = columns(record_type)
    _write_csv(path, names, ([getattr(r, k) for k in names] for r in records))


def _case_row(c: CaseRecord) -> list[object]:
    return [
        c.replication,
        c.case,
        c.route,
        round(c.raised, 6),
        c.raised_date,
        c.counted,
        c.already_open,
        ";".join(c.stages),
        c.end_stage or "",
        c.ending or "",
        c.end_date or "",
        "" if c.working_days is None else round(c.working_days, 6),
        ";".join(c.breached),
        ";".join(c.rung_breaches),
        c.open_at_horizon,
    ]


def _write_csv(path: Path, header: list[str], rows: Iterable[Sequence[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


_XES_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1849-2016" xes.features="" xmlns="http://www.xes-standard.org/">
  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
  <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
  <extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
  <global scope="trace"><string key="concept:name" value="__INVALID__"/></global>
  <global scope="event">
    <string key="concept:name" value="__INVALID__"/>
    <date key="time:timestamp" value="1970-01-01T00:00:00+00:00"/>
    <string key="lifecycle:transition" value="complete"/>
  </global>
  <classifier name="Activity" keys="concept:name"/>
  <string key="concept:name" value="cpsim simulated challenges"/>
"""


def write_xes(path: Path, events: Iterable[EventRecord], cases: Iterable[CaseRecord] = ()) -> None:
    """Write ``events`` as an XES log: one trace per challenge and replication, events in time order.

    Timestamps carry their UK offset (:func:`uk_timestamp`). With the ``cases`` of the run, each
    trace says whether the challenge ``finished`` (reached a terminal stage before the run
    stopped) and whether it was ``already_open`` (in flight when the run began, so its trace
    starts part-way): a log to check against the procedure's net keeps the traces that finished
    and were not already open.
    """
    flags = {(c.replication, c.case): (c.end_stage is not None, c.already_open) for c in cases}
    traces: dict[tuple[int, str], list[EventRecord]] = defaultdict(list)
    for e in events:
        if e.timestamp:
            traces[(e.replication, e.case)].append(e)
    with path.open("w", encoding="utf-8") as fh:
        fh.write(_XES_HEAD)
        for (rep, case), evs in traces.items():
            fh.write(f'  <trace>\n    <string key="concept:name" value={quoteattr(f"{rep}-{case}")}/>\n')
            fh.write(f'    <string key="route" value={quoteattr(evs[0].route)}/>\n')
            if (rep, case) in flags:
                finished, already_open = flags[(rep, case)]
                fh.write(f'    <boolean key="finished" value="{str(finished).lower()}"/>\n')
                fh.write(f'    <boolean key="already_open" value="{str(already_open).lower()}"/>\n')
            for e in evs:
                fh.write(_xes_event(e))
            fh.write("  </trace>\n")
        fh.write("</log>\n")


def _xes_event(e: EventRecord) -> str:
    parts = ["    <event>", f'<string key="concept:name" value={quoteattr(e.activity)}/>']
    if e.role:
        parts.append(f'<string key="org:resource" value={quoteattr(e.role)}/>')
    parts.append(f'<date key="time:timestamp" value={quoteattr(uk_timestamp(e.timestamp))}/>')
    parts.append(f'<string key="lifecycle:transition" value={quoteattr(e.lifecycle)}/>')
    if e.outcome:
        parts.append(f'<string key="outcome" value={quoteattr(e.outcome)}/>')
    return "".join(parts) + "</event>\n"
