r"""Challenges already open when a run starts, read from a CSV file (``--open-cases``).

Columns: ``id, route, current_rung, date_raised, date_asked`` (the date the current rung was
asked). Each bad row is reported with its row number, all at once.

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

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cpsim.model.errors import FileError, Problem, did_you_mean
from cpsim.model.scenario.classes import Scenario

__all__ = ["COLUMNS", "OpenCase", "read_open_cases"]

COLUMNS = ("id", "route", "current_rung", "date_raised", "date_asked")


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

    Raises
    ------
    FileError
        Naming every bad row (row 1 is the header).
    """
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise FileError([Problem(name, 1, 1, f"cannot read file: {exc}")]) from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise FileError(
            [Problem(name, 1, 1, f"missing column(s) {', '.join(missing)}", f"the header must be: {','.join(COLUMNS)}")]
        )
    problems: list[Problem] = []
    out: list[OpenCase] = []
    seen: set[str] = set()
    for n, row in enumerate(reader, start=2):
        case = _row(name, n, row, scenario, seen, problems)
        if case is not None:
            out.append(case)
    if problems:
        raise FileError(problems)
    return tuple(out)


def _row(
    name: str, n: int, row: dict[str, str], scenario: Scenario, seen: set[str], problems: list[Problem]
) -> OpenCase | None:
    def bad(col: str, message: str, hint: str = "") -> None:
        problems.append(Problem(name, n, COLUMNS.index(col) + 1, f"row {n}: {message}", hint))

    values = {c: (row.get(c) or "").strip() for c in COLUMNS}
    before = len(problems)
    if not values["id"]:
        bad("id", "id is empty", "give each challenge an id")
    elif values["id"] in seen:
        bad("id", f"id {values['id']!r} appears twice")
    seen.add(values["id"])
    routes = {r.procedure.id: r for r in scenario.routes}
    route = routes.get(values["route"])
    if route is None:
        bad("route", f"unknown route {values['route']!r}", did_you_mean(values["route"], list(routes)))
    else:
        stages = [s.id for s in route.procedure.stages if not s.is_terminal]
        if values["current_rung"] not in stages:
            bad(
                "current_rung",
                f"{values['route']} has no open stage {values['current_rung']!r}",
                did_you_mean(values["current_rung"], stages),
            )
    dates = {}
    for col in ("date_raised", "date_asked"):
        try:
            dates[col] = dt.date.fromisoformat(values[col])
        except ValueError:
            bad(col, f"{col} {values[col]!r} is not a date like 2026-01-05")
    if len(dates) == 2:
        if dates["date_asked"] < dates["date_raised"]:
            bad("date_asked", "date_asked is before date_raised")
        if dates["date_asked"] > scenario.calendar.start:
            bad("date_asked", f"date_asked is after the run starts ({scenario.calendar.start})")
    if len(problems) > before:
        return None
    return OpenCase(values["id"], values["route"], values["current_rung"], dates["date_raised"], dates["date_asked"])
