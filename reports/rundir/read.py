"""Read a simulation run directory (manifest.json, summary.json, cases.csv, events.csv) for reporting.

Examples
--------
>>> is_run_dir("model/procedures")
False
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cpsim.model.errors import CpsimError

__all__ = ["CaseRow", "RunResults", "is_run_dir", "load_run"]


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
        """Path of ``events.csv`` (may be absent)."""
        return self.run_dir / "events.csv"


def is_run_dir(path: str | Path) -> bool:
    """True when ``path`` is a folder holding ``summary.json`` and ``manifest.json``."""
    p = Path(path)
    return p.is_dir() and (p / "summary.json").is_file() and (p / "manifest.json").is_file()


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
    cases: list[CaseRow] = []
    if (d / "cases.csv").is_file():
        with (d / "cases.csv").open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                cases.append(
                    CaseRow(
                        replication=int(row["replication"]),
                        route=row["route"],
                        raised=dt.date.fromisoformat(row["raised_date"]),
                        ended=_date(row["end_date"]),
                        working_days=float(row["working_days"]) if row["working_days"] else None,
                        counted=row["counted"] == "True",
                        breached=tuple(x for x in row["breached_targets"].split(";") if x),
                    )
                )
    return RunResults(d, summary, manifest, tuple(cases))
