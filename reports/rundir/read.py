"""Read a simulation run directory (manifest.json, summary.json, cases.csv, events.csv) for reporting.

The event log may hold every replication, only the first few, or none (``cpsim simulate
--events``), plain or gzipped: :attr:`RunResults.events_path` finds it, :attr:`RunResults.event_replications`
says how many replications it holds and :attr:`RunResults.events_note` says in words what is missing.

Examples
--------
>>> is_run_dir("model/procedures")
False
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cpsim.model.errors import CpsimError

__all__ = ["CaseRow", "RunResults", "Span", "is_run_dir", "load_run", "request_spans"]

Span = tuple[int, dt.date, dt.date]
"""Something open in one replication from one calendar day until another: (replication, from, to)."""


@dataclass(frozen=True)
class CaseRow:
    """One simulated challenge, as reported."""

    replication: int
    route: str
    raised: dt.date
    ended: dt.date | None
    working_days: float | None
    counted: bool
    breached: tuple[str, ...]


@dataclass(frozen=True)
class RunResults:
    """A run directory's contents: summary and manifest as written, case rows, and where events are."""

    run_dir: Path
    summary: dict[str, Any]
    manifest: dict[str, Any]
    cases: tuple[CaseRow, ...]

    @property
    def events_path(self) -> Path:
        """Path of ``events.csv``, or of ``events.csv.gz`` when only that is there (the first may be absent)."""
        plain = self.run_dir / "events.csv"
        packed = self.run_dir / "events.csv.gz"
        return packed if packed.is_file() and not plain.is_file() else plain

    @property
    def event_replications(self) -> int:
        """How many replications the event log holds (0 without one; all, for a run written before the choice)."""
        if not self.events_path.is_file():
            return 0
        log = self.manifest.get("events")
        if isinstance(log, dict) and isinstance(log.get("replications"), int):
            return int(log["replications"])
        return int(self.summary.get("replications", 0))

    @property
    def events_note(self) -> str | None:
        """What the event log leaves out, in words (None when it holds every replication).

        >>> RunResults(Path("nowhere"), {"replications": 3}, {}, ()).events_note.split(":")[0]
        'This run directory has no event log (events.csv)'
        """
        kept, total = self.event_replications, int(self.summary.get("replications", 0))
        if kept >= total:
            return None
        if kept == 0:
            return (
                "This run directory has no event log (events.csv): it was written with --events none or the file "
                "was removed, so figures drawn from events are left out."
            )
        return (
            f"The event log holds the first {kept} of the {total} replications (--events); figures drawn from "
            f"events are over those {kept}, every other figure over all {total}."
        )


def is_run_dir(path: str | Path) -> bool:
    """True when ``path`` is a folder holding ``summary.json`` and ``manifest.json``."""
    p = Path(path)
    return p.is_dir() and (p / "summary.json").is_file() and (p / "manifest.json").is_file()


def request_spans(results: RunResults, roles: set[str]) -> dict[str, list[Span]]:
    """When each request to one of ``roles`` was open, by role, read from the run's ``events.csv``.

    A request opens at its stage's ``start`` event and closes at the next event with the same
    replication, case, activity and role; requests still open at the end are left out. A run
    without an event log has none; one whose log holds only some replications has theirs
    (:attr:`RunResults.event_replications`).
    """
    opened: dict[tuple[str, str, str, str], dt.date] = {}
    spans: dict[str, list[Span]] = defaultdict(list)
    path = results.events_path
    if not path.is_file():
        return spans
    raw = gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")
    with raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as fh:
        for e in csv.DictReader(fh):
            if e["role"] not in roles or not e["timestamp"]:
                continue
            key = (e["replication"], e["case"], e["activity"], e["role"])
            day = dt.date.fromisoformat(e["timestamp"][:10])
            if e["lifecycle"] == "start":
                opened[key] = day
            elif key in opened:
                spans[e["role"]].append((int(e["replication"]), opened.pop(key), day))
    return spans


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def load_run(run_dir: str | Path) -> RunResults:
    """Read the run directory written by ``cpsim simulate``.

    Raises
    ------
    CpsimError
        If a file is missing or unreadable, naming the file and what to do.
    """
    d = Path(run_dir)
    try:
        summary = json.loads((d / "summary.json").read_text(encoding="utf-8"))
        manifest = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CpsimError(
            f"{d}: not a run directory ({Path(exc.filename).name} is missing); run 'cpsim simulate' first"
        ) from exc
    except json.JSONDecodeError as exc:
        raise CpsimError(f"{d}: {exc.msg} at line {exc.lineno}; re-run 'cpsim simulate' to rewrite it") from exc
    return RunResults(d, summary, manifest, _cases(d / "cases.csv"))


def _cases(path: Path) -> tuple[CaseRow, ...]:
    """The rows of ``cases.csv`` (none if the run did not write it)."""
    if not path.is_file():
        return ()
    with path.open(encoding="utf-8", newline="") as fh:
        return tuple(
            CaseRow(
                replication=int(row["replication"]),
                route=row["route"],
                raised=dt.date.fromisoformat(row["raised_date"]),
                ended=_date(row["end_date"]),
                working_days=float(row["working_days"]) if row["working_days"] else None,
                counted=row["counted"] == "True",
                breached=tuple(x for x in row["breached_targets"].split(";") if x),
            )
            for row in csv.DictReader(fh)
        )
