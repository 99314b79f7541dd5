r"""Children already subject to a plan when a run starts, from a CSV file (``open_plans:`` in a conference scenario).

Columns: ``id, plan_start, last_conference, last_core_group``. ``plan_start`` is the day of the
initial conference that made the plan; ``last_conference`` the last conference held on it (the
initial one when no review has been held yet, so the next review is the first);
``last_core_group`` the last core group (empty: none yet). Every bad row is reported with its row
number (row 1 is the header), all at once.

Examples
--------
>>> import datetime as dt, tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "open.csv"
>>> _ = p.write_text("id,plan_start,last_conference,last_core_group\nA1,2025-03-03,2025-05-30,2025-06-20\n")
>>> [(o.id, o.reviews_held) for o in read_open_plans(p, dt.date(2025, 7, 7))]
[('A1', True)]
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cpsim.model.errors import FileError, Problem

__all__ = ["COLUMNS", "OpenPlan", "read_open_plans"]

COLUMNS = ("id", "plan_start", "last_conference", "last_core_group")


@dataclass(frozen=True, slots=True)
class OpenPlan:
    """A child on a plan at the start: when the plan began, its last conference and last core group."""

    id: str
    plan_start: dt.date
    last_conference: dt.date
    last_core_group: dt.date | None

    @property
    def reviews_held(self) -> bool:
        """True when a review has been held (the last conference is not the initial one)."""
        return self.last_conference > self.plan_start


def read_open_plans(path: str | Path, start: dt.date) -> tuple[OpenPlan, ...]:
    """The open plans in ``path``, each dated before the run's ``start``.

    Raises
    ------
    FileError
        Naming every bad row.
    """
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise FileError([Problem(name, 1, 1, f"cannot read file: {exc}")]) from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        hint = f"the header must be: {','.join(COLUMNS)}"
        raise FileError([Problem(name, 1, 1, f"missing column(s) {', '.join(missing)}", hint)])
    problems: list[Problem] = []
    out: list[OpenPlan] = []
    seen: set[str] = set()
    for n, row in enumerate(reader, start=2):
        plan = _row(name, n, row, start, seen, problems)
        if plan is not None:
            out.append(plan)
    if problems:
        raise FileError(problems)
    return tuple(out)


def _row(
    name: str, n: int, row: dict[str, str], start: dt.date, seen: set[str], problems: list[Problem]
) -> OpenPlan | None:
    def bad(col: str, message: str, hint: str = "") -> None:
        problems.append(Problem(name, n, COLUMNS.index(col) + 1, f"row {n}: {message}", hint))

    values = {c: (row.get(c) or "").strip() for c in COLUMNS}
    before = len(problems)
    if not values["id"]:
        bad("id", "id is empty", "give each child an id")
    elif values["id"] in seen:
        bad("id", f"id {values['id']!r} appears twice")
    seen.add(values["id"])
    dates: dict[str, dt.date | None] = {}
    for col in COLUMNS[1:]:
        if col == "last_core_group" and not values[col]:
            dates[col] = None
            continue
        try:
            dates[col] = dt.date.fromisoformat(values[col])
        except ValueError:
            bad(col, f"{col} {values[col]!r} is not a date like 2025-06-30")
    if len(problems) > before:
        return None
    plan_start, last, core = dates["plan_start"], dates["last_conference"], dates["last_core_group"]
    assert plan_start is not None and last is not None
    if last < plan_start:
        bad("last_conference", "last_conference is before plan_start", "the initial conference starts the plan")
    for col, day in (("plan_start", plan_start), ("last_conference", last), ("last_core_group", core)):
        if day is not None and day >= start:
            bad(col, f"{col} is not before the run starts ({start})")
    if core is not None and core < plan_start:
        bad("last_core_group", "last_core_group is before plan_start", "core groups follow the initial conference")
    if len(problems) > before:
        return None
    return OpenPlan(values["id"], plan_start, last, core)
