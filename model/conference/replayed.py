r"""Strategy discussions replayed from a CSV file of dates (``demand: {kind: replay, file: ...}``).

The file has a ``date`` column (other columns are ignored, so an export with an id column will
do). It is read row by row, never whole: its rows are counted first, and a file with more than
:data:`~cpsim.model.scenario.spec.MAX_REPLAY_ROWS` is refused before any row is checked. Each bad
row is reported at ``FILE:ROW`` (row 1 is the header), the first 20 listed and the rest counted.
A date may not fall before the run starts; the simulator replays those up to the horizon's last
working day (a closed day's at the next working day's opening), as challenge replays do.

Examples
--------
>>> import datetime as dt, tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "dates.csv"
>>> _ = p.write_text("date\n2025-07-09\n2025-07-08\n")
>>> [d.isoformat() for d in read_replayed_dates(p, dt.date(2025, 7, 7))]
['2025-07-08', '2025-07-09']
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cpsim.model.errors import FileError, Problem
from cpsim.model.files.table import Problems, count_rows, csv_header, csv_rows
from cpsim.model.scenario.spec import MAX_REPLAY_ROWS

__all__ = ["read_replayed_dates"]


def read_replayed_dates(path: str | Path, start: dt.date) -> tuple[dt.date, ...]:
    """The dates in ``path``, sorted, each on or after the run's ``start``.

    Raises
    ------
    FileError
        Naming the bad rows, a missing ``date`` column, or a file with too many rows.
    """
    name = str(path)
    count = count_rows(path)
    if "date" not in csv_header(path):
        raise FileError([Problem(name, 1, 1, "the CSV needs a 'date' column", "first line: date")])
    if count > MAX_REPLAY_ROWS:
        message = f"the file lists {count:,} dates, more than the {MAX_REPLAY_ROWS:,} a scenario may replay"
        raise FileError([Problem(name, 1, 1, message, "replay a shorter period; see docs/limits.md")])
    column = csv_header(path).index("date") + 1
    found, out = Problems(name), []
    for n, row in csv_rows(path):
        text = (row.get("date") or "").strip()
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            found.add(Problem(name, n, column, f"row {n}: date {text[:60]!r} is not a date like 2025-06-30"))
            continue
        if day < start:
            found.add(
                Problem(
                    name,
                    n,
                    column,
                    f"row {n}: date {day} is before the run starts ({start})",
                    "replay dates from calendar.start on, or move calendar.start earlier",
                )
            )
            continue
        out.append(day)
    found.raise_if_any()
    return tuple(sorted(out))
