"""An authority's records of its challenges, read as stage visits: a CSV export, or an XES event log.

**The CSV** has one row per stage visit (a request to one rung), with a header line::

    case_id,route,stage,request_date,reply_date,outcome
    CH-0001,redcar-internal,level1,2026-01-05 10:15,2026-01-05 15:40,unsatisfied
    CH-0001,redcar-internal,level2,2026-01-06,,no reply
    CH-0002,redcar-internal,level1,05/01/2026,,

``route`` (the procedure id) may be left out when the records are of one procedure; an optional
``raised_date`` gives when the challenge was raised (else its first request). Dates are
``2026-01-05`` or ``05/01/2026``, with an optional time (``2026-01-05 14:30`` or
``2026-01-05T14:30:00``, a time zone offset allowed and read as UK time). ``outcome`` is
``satisfied``, ``unsatisfied`` or ``no reply`` (the chair moved on at the deadline), and blank
while the request is still open (then ``reply_date`` is blank too).

**The XES log** (IEEE 1849) has one trace per challenge (optional trace attribute ``route``),
events with ``concept:name`` (the stage), ``lifecycle:transition`` (``start`` when asked,
``complete`` when it ended), ``time:timestamp`` and, on ``complete``, ``outcome``: the log
``cpsim simulate`` writes. A simulated log of several replications (the log named
:data:`SIMULATED`, traces named ``<replication>-<case>``) counts each replication as one more
copy of the period.

Every problem is reported with FILE:ROW (the CSV's line, or the XES line), what is wrong and how
to fix it; :func:`raise_problems` keeps the first 20 and counts the rest.

Examples
--------
>>> parse_moment("05/01/2026 14:30"), parse_moment("2026-01-05")
(datetime.datetime(2026, 1, 5, 14, 30), datetime.date(2026, 1, 5))
>>> normal_outcome("No reply"), normal_outcome("")
('no-reply', None)
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat
from zoneinfo import ZoneInfo

from cpsim.model.errors import FileError, Problem

__all__ = [
    "COLUMNS",
    "MOST_PROBLEMS",
    "SIMULATED",
    "Moment",
    "Records",
    "Visit",
    "normal_outcome",
    "parse_moment",
    "raise_problems",
    "read_csv",
    "read_records",
    "read_xes",
]

Moment = dt.datetime | dt.date
"""A date (the records give only the day) or a date and time."""
COLUMNS = ("case_id", "route", "stage", "request_date", "reply_date", "outcome")
"""The CSV's columns (``route`` optional), with an optional ``raised_date``."""
MOST_PROBLEMS = 20
"""How many problems are listed before the rest are only counted."""
UK = ZoneInfo("Europe/London")
_OUTCOMES = {"satisfied": "satisfied", "unsatisfied": "unsatisfied", "no-reply": "no-reply", "noreply": "no-reply"}
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_REPLICATION = re.compile(r"^(\d+)-.+$")
SIMULATED = "cpsim simulated challenges"
"""The name ``cpsim simulate`` gives its XES log, whose traces are named ``<replication>-<case>``."""
DATE_HINT = "write it like 2026-01-05, 05/01/2026 or 2026-01-05 14:30"


@dataclass(frozen=True)
class Visit:
    """One request to one stage of one challenge, as the records give it (``outcome`` None: still open)."""

    case: str
    route: str | None
    stage: str
    requested: Moment
    replied: Moment | None
    outcome: str | None
    file: str
    row: int
    ended: bool = False

    def problem(self, message: str, hint: str = "") -> Problem:
        """A problem located at this visit's row."""
        return Problem(self.file, self.row, 1, message, hint)


@dataclass(frozen=True)
class Records:
    """Every visit read, when each challenge was raised, and how many copies of the period the file holds."""

    path: str
    kind: str
    visits: tuple[Visit, ...]
    raised: dict[str, Moment]
    periods: int = 1


def parse_moment(text: str) -> Moment | None:
    """A date or date-time from a cell (None when it is not one); a time zone is turned into UK time."""
    text = text.strip()
    m = _UK_DATE.match(text)
    try:
        if m:
            day, month, year, hh, mm, ss = m.groups()
            if hh is None:
                return dt.date(int(year), int(month), int(day))
            return dt.datetime(int(year), int(month), int(day), int(hh), int(mm), int(ss or 0))
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value.astimezone(UK).replace(tzinfo=None) if value.tzinfo else value


def normal_outcome(text: str) -> str | None:
    """``satisfied``, ``unsatisfied`` or ``no-reply`` from a cell (None when blank; the text itself if unknown)."""
    key = re.sub(r"[\s_]+", "-", text.strip().lower())
    if not key:
        return None
    return _OUTCOMES.get(key, text.strip())


def raise_problems(problems: Sequence[Problem]) -> None:
    """Raise :class:`FileError` with the first :data:`MOST_PROBLEMS` problems and a count of the rest."""
    if not problems:
        return
    ordered = sorted(set(problems))
    kept = list(ordered[:MOST_PROBLEMS])
    if len(ordered) > MOST_PROBLEMS:
        last = ordered[MOST_PROBLEMS]
        rest = len(ordered) - MOST_PROBLEMS
        kept.append(Problem(last.file, last.line, 1, f"... and {rest} more problems not listed", "fix these first"))
    raise FileError(kept)


def read_records(path: str | Path) -> Records:
    """The records in ``path``: XES when it ends in ``.xes``, else the CSV shape above (either gzipped: ``.gz``)."""
    path = Path(path)
    if not path.is_file():
        raise FileError([Problem(str(path), 1, 1, "no such file", _missing_hint(path))])
    return read_xes(path) if path.name.lower().endswith((".xes", ".xes.gz")) else read_csv(path)


def _missing_hint(path: Path) -> str:
    """How to find the records: in a run directory, the event log it holds (``cpsim simulate --events``)."""
    logs = sorted(p.name for p in path.parent.glob("events.*") if p.name != path.name)
    if not (path.parent / "manifest.json").is_file() or not path.name.startswith("events."):
        return "give the CSV or XES file exported from your records"
    if logs:
        return f"this run directory's event log is {' and '.join(logs)}: give that file"
    return (
        "this run directory holds no event log, as it was simulated with --events none: "
        "simulate again with --events all"
    )


def _cell(row: dict[str, str | None], name: str) -> str:
    return (row.get(name) or "").strip()


def _csv_row(path: str, n: int, row: dict[str, str | None], cols: list[str], problems: list[Problem]) -> Visit | None:
    def bad(col: str, message: str, hint: str) -> None:
        problems.append(Problem(path, n, cols.index(col) + 1 if col in cols else 1, message, hint))

    case, stage = _cell(row, "case_id"), _cell(row, "stage")
    if not case:
        bad("case_id", "case_id is blank", "give the challenge's reference, the same on each of its rows")
    if not stage:
        bad("stage", "stage is blank", "give the stage id from the procedure, e.g. level1")
    asked_text, reply_text = _cell(row, "request_date"), _cell(row, "reply_date")
    asked = parse_moment(asked_text)
    if asked is None:
        bad("request_date", f"request_date {asked_text!r} is not a date", DATE_HINT)
    replied = parse_moment(reply_text) if reply_text else None
    if reply_text and replied is None:
        bad(
            "reply_date", f"reply_date {reply_text!r} is not a date", DATE_HINT + ", or leave it blank if no reply came"
        )
    outcome = normal_outcome(_cell(row, "outcome"))
    if outcome is not None and outcome not in _OUTCOMES.values():
        bad(
            "outcome",
            f"outcome {outcome!r} is not known",
            "write satisfied, unsatisfied or no reply; blank if still open",
        )
        return None
    if outcome in {"satisfied", "unsatisfied"} and not reply_text:
        bad("reply_date", f"outcome {outcome!r} but no reply_date", "give the date of the reply")
    if outcome == "no-reply" and reply_text:
        bad("reply_date", "outcome 'no reply' but a reply_date is given",
            "give the reply's outcome (satisfied or unsatisfied), or clear the reply date")  # fmt: skip
    if outcome is None and reply_text:
        bad("outcome", "a reply_date but no outcome", "write satisfied or unsatisfied")
    if asked is not None and replied is not None and _key(replied) < _key(asked):
        bad("reply_date", f"reply_date {reply_text} is before request_date {asked_text}", "check the two dates")
    if not case or not stage or asked is None or (reply_text and replied is None):
        return None
    route = _cell(row, "route") or None
    return Visit(case, route, stage, asked, replied, outcome, path, n, ended=outcome is not None)


def _key(m: Moment) -> tuple[dt.date, dt.time]:
    """Orders dates and date-times together (a bare date as its first moment)."""
    if isinstance(m, dt.datetime):
        return m.date(), m.time()
    return m, dt.time(0, 0)


def _text(path: str | Path) -> str:
    """The file's text as UTF-8 (FileError naming the line of the first byte that is not)."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
        if name.lower().endswith(".gz"):
            data = gzip.decompress(data)
    except gzip.BadGzipFile:
        raise FileError(
            [Problem(name, 1, 1, "the file ends in .gz but is not gzipped", "gunzip it or rename it")]
        ) from None
    except OSError as exc:
        raise FileError([Problem(name, 1, 1, f"cannot read the file: {exc.strerror}")]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        hint = "save it as UTF-8: in Excel, Save As 'CSV UTF-8'"
        raise FileError([Problem(name, line, 1, "the file is not UTF-8 text", hint)]) from None


def _raised_date(
    name: str, n: int, row: dict[str, str | None], cols: list[str], problems: list[Problem]
) -> Moment | None:
    text = _cell(row, "raised_date")
    when = parse_moment(text) if text else None
    if text and when is None:
        problems.append(
            Problem(name, n, cols.index("raised_date") + 1, f"raised_date {text!r} is not a date", DATE_HINT)
        )
    return when


def read_csv(path: str | Path) -> Records:
    """The visits in a CSV of the shape in the module docstring (FileError listing its bad rows)."""
    name = str(path)
    problems: list[Problem] = []
    visits: list[Visit] = []
    raised: dict[str, Moment] = {}
    reader = csv.DictReader(io.StringIO(_text(path), newline=""))
    try:
        cols = [c.strip().lower() for c in reader.fieldnames or []]
    except csv.Error as exc:
        raise FileError([Problem(name, 1, 1, f"cannot read the header line: {exc}", "save the file as CSV")]) from None
    missing = [c for c in COLUMNS if c != "route" and c not in cols]
    if missing:
        hint = "the first line must name the columns: " + ",".join(COLUMNS) + " (route may be left out)"
        raise FileError([Problem(name, 1, 1, f"missing column(s): {', '.join(missing)}", hint)])
    reader.fieldnames = cols
    try:
        for n, row in enumerate(reader, start=2):
            visit = _csv_row(name, n, row, cols, problems)
            when = _raised_date(name, n, row, cols, problems)
            if visit is not None:
                visits.append(visit)
                if when is not None:
                    raised[visit.case] = when
    except csv.Error as exc:
        problems.append(Problem(name, reader.line_num or 1, 1, f"cannot read this line: {exc}", "save the file as CSV"))
    raise_problems(problems)
    if not visits:
        raise FileError([Problem(name, 1, 1, "no rows", "one row per request to a stage, under the header line")])
    return Records(name, "csv", tuple(visits), raised)


class _XesReader:
    """Collects traces and events from an XES file with expat, keeping each event's line."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.visits: list[Visit] = []
        self.problems: list[Problem] = []
        self.traces = 0
        self.replications: set[str] = set()
        self.all_numbered = True
        self.log: dict[str, str] = {}
        self._trace: dict[str, str] | None = None
        self._event: dict[str, str] | None = None
        self._events: list[tuple[int, dict[str, str]]] = []
        self.parser = expat.ParserCreate()
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end

    def _start(self, tag: str, attrs: dict[str, str]) -> None:
        tag = tag.rsplit(":", 1)[-1]
        if tag == "trace":
            self._trace, self._events = {}, []
        elif tag == "event" and self._trace is not None:
            self._event = {"__line__": str(self.parser.CurrentLineNumber)}
        elif "key" in attrs and "value" in attrs:
            target = self._event if self._event is not None else self._trace
            (target if target is not None else self.log)[attrs["key"]] = attrs["value"]

    def _end(self, tag: str) -> None:
        tag = tag.rsplit(":", 1)[-1]
        if tag == "event" and self._event is not None:
            self._events.append((int(self._event.pop("__line__")), self._event))
            self._event = None
        elif tag == "trace" and self._trace is not None:
            self._close_trace(self._trace, self._events)
            self._trace = None

    def _close_trace(self, trace: dict[str, str], events: list[tuple[int, dict[str, str]]]) -> None:
        self.traces += 1
        case = trace.get("concept:name") or f"trace-{self.traces}"
        m = _REPLICATION.match(case)
        if m:
            self.replications.add(m.group(1))
        else:
            self.all_numbered = False
        route = trace.get("route") or None
        open_: dict[str, tuple[int, Moment]] = {}
        for line, ev in events:
            stage, life = ev.get("concept:name"), (ev.get("lifecycle:transition") or "complete").lower()
            when = parse_moment(ev.get("time:timestamp", ""))
            if not stage or when is None:
                what = "concept:name" if not stage else f"time:timestamp {ev.get('time:timestamp')!r}"
                hint = "give every event its stage and time"
                self.problems.append(Problem(self.path, line, 1, f"event without a valid {what}", hint))
                continue
            if life == "start":
                open_[stage] = (line, when)
            elif life == "complete" and stage in open_:
                row, asked = open_.pop(stage)
                outcome = normal_outcome(ev.get("outcome", ""))
                replied = when if outcome not in {"no-reply", None} else None
                self.visits.append(Visit(case, route, stage, asked, replied, outcome, self.path, line, ended=True))
        for stage, (row, asked) in open_.items():
            self.visits.append(Visit(case, route, stage, asked, None, None, self.path, row))


def read_xes(path: str | Path) -> Records:
    """The visits in an XES log (a start and a complete event per stage visit; FileError on problems)."""
    name = str(path)
    reader = _XesReader(name)
    try:
        with gzip.open(path, "rb") if name.lower().endswith(".gz") else Path(path).open("rb") as fh:
            reader.parser.ParseFile(fh)
    except gzip.BadGzipFile:
        raise FileError(
            [Problem(name, 1, 1, "the file ends in .gz but is not gzipped", "gunzip it or rename it")]
        ) from None
    except expat.ExpatError as exc:
        where = Problem(name, exc.lineno, exc.offset + 1, f"not well-formed XML: {expat.ErrorString(exc.code)}",
                        "export the log again as XES")  # fmt: skip
        raise FileError([where]) from None
    raise_problems(reader.problems)
    if not reader.visits:
        hint = "each stage visit needs a 'start' event (when it was asked) and a 'complete' event with its outcome"
        raise FileError([Problem(name, 1, 1, "no stage visits found in the log", hint)])
    simulated = reader.log.get("concept:name") == SIMULATED and reader.all_numbered
    periods = len(reader.replications) if simulated and reader.replications else 1
    return Records(name, "xes", tuple(reader.visits), {}, periods)
