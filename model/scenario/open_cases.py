r"""Challenges already open when a run starts, read from a CSV file (``--open-cases``).

Columns: ``id, route, current_rung, date_raised, date_asked`` (the date the current rung was
asked). Each bad row is reported with its row number; the first 20 are listed and the rest counted.

The simulation picks each one up at the start of the run: its rung's deadline counts from the
date asked; a reply due before the start (the asked date plus a fresh reply time) arrives at the
start; its targets count from the date raised.

Examples
--------
>>> import tempfile, pathlib
>>> from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
>>> sc = load_scenario(SCENARIOS_DIR / "redcar-baseline.yaml")
>>> p = pathlib.Path(tempfile.mkdtemp()) / "open.csv"
>>> _ = p.write_text("id,route,current_rung,date_raised,date_asked\nA1,redcar-internal,level2,2026-01-02,2026-01-05")
>>> [(c.id, c.stage) for c in read_open_cases(p, sc)]
[('A1', 'level2')]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cpsim.model.errors import FileError, Problem, did_you_mean
from cpsim.model.files.table import Problems, count_rows, csv_header, csv_rows
from cpsim.model.scenario.classes import Scenario

__all__ = ["COLUMNS", "MAX_OPEN_CASES", "OpenCase", "read_open_cases"]

COLUMNS = ("id", "route", "current_rung", "date_raised", "date_asked")

MAX_OPEN_CASES = 10_000
"""The most open challenges a run may start with: far more than a partnership has open at once,
and few enough that every replication can simulate them all in seconds."""


@dataclass(frozen=True, slots=True)
class OpenCase:
    """A challenge in flight: its route, the stage it is at, when it was raised and when that stage was asked."""

    id: str
    route: str
    stage: str
    raised: dt.date
    asked: dt.date


def read_open_cases(path: str | Path, scenario: Scenario) -> tuple[OpenCase, ...]:
    """The open challenges in ``path``, checked against ``scenario``'s routes.

    The file is read row by row. One with more than :data:`MAX_OPEN_CASES` rows is refused before
    any row is checked; of the bad rows, the first 20 are listed and the rest counted.

    Raises
    ------
    FileError
        Naming the bad rows (row 1 is the header), or the size of a file over the ceiling.
    """
    name = str(path)
    rows = count_rows(path)  # reads every line: a bad byte anywhere is reported before the columns are
    header = csv_header(path)
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise FileError(
            [Problem(name, 1, 1, f"missing column(s) {', '.join(missing)}", f"the header must be: {','.join(COLUMNS)}")]
        )
    if rows > MAX_OPEN_CASES:
        message = (
            f"the file lists {rows:,} open challenges, more than the {MAX_OPEN_CASES:,} cpsim can start a run with"
        )
        hint = "keep only the challenges open today, or split them by route into several runs; see docs/limits.md"
        raise FileError([Problem(name, 1, 1, message, hint)])
    problems = Problems(name)
    out: list[OpenCase] = []
    seen: set[str] = set()
    routes = {r.procedure.id: [s.id for s in r.procedure.stages if not s.is_terminal] for r in scenario.routes}
    for n, row in csv_rows(path):
        case = _row(name, n, row, (routes, scenario.calendar.start), seen, problems)
        if case is not None:
            out.append(case)
    problems.raise_if_any()
    return tuple(out)


def _row(
    name: str,
    n: int,
    row: dict[str, str],
    context: tuple[dict[str, list[str]], dt.date],
    seen: set[str],
    problems: Problems,
) -> OpenCase | None:
    good = True

    def bad(col: str, message: str, hint: str = "") -> None:
        nonlocal good
        good = False
        problems.add(Problem(name, n, COLUMNS.index(col) + 1, f"row {n}: {message}", hint))

    routes, start = context
    values = {c: (row.get(c) or "").strip() for c in COLUMNS}
    if not values["id"]:
        bad("id", "id is empty", "give each challenge an id")
    elif values["id"] in seen:
        bad("id", f"id {values['id']!r} appears twice")
    seen.add(values["id"])
    stages = routes.get(values["route"])
    if stages is None:
        bad("route", f"unknown route {_short(values['route'])!r}", did_you_mean(values["route"][:100], list(routes)))
    elif values["current_rung"] not in stages:
        bad(
            "current_rung",
            f"{values['route']} has no open stage {_short(values['current_rung'])!r}",
            did_you_mean(values["current_rung"][:100], stages),
        )
    dates = {}
    for col in ("date_raised", "date_asked"):
        try:
            dates[col] = dt.date.fromisoformat(values[col])
        except ValueError:
            bad(col, f"{col} {_short(values[col])!r} is not a date like 2026-01-05")
    if len(dates) == 2:
        if dates["date_asked"] < dates["date_raised"]:
            bad("date_asked", "date_asked is before date_raised")
        if dates["date_asked"] > start:
            bad("date_asked", f"date_asked is after the run starts ({start})")
    if not good:
        return None
    return OpenCase(values["id"], values["route"], values["current_rung"], dates["date_raised"], dates["date_asked"])


def _short(value: str) -> str:
    """``value``, cut to 60 characters for a message.

    >>> _short("x" * 100)[-5:]
    'xx...'
    """
    return value if len(value) <= 60 else value[:57] + "..."
