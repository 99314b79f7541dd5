"""The rows of a run directory's tables and the text of its XES log, made fast and a replication at a time.

A run of a thousand replications writes millions of event rows, so each row is made with as
little work per row as possible: the columns are read with one :func:`operator.attrgetter`, a
timestamp's UK offset is looked up once per hour of the calendar, and the XML of an XES event is
built once per (activity, role, lifecycle, outcome) and only the timestamp is put in per row.

Timestamps are UK local time with their offset from UTC: ``+00:00`` in winter (GMT) and
``+01:00`` in summer (BST), so a tool reading them places each event at the right instant
whatever its own time zone.

>>> uk_timestamp("2026-01-05T09:00:00"), uk_timestamp("2026-07-01T09:30:00"), uk_timestamp("")
('2026-01-05T09:00:00+00:00', '2026-07-01T09:30:00+01:00', '')
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import quoteattr
from zoneinfo import ZoneInfo

from cpsim.simulate.engine.records import CaseRecord, EventRecord, columns

__all__ = [
    "CASE_COLUMNS",
    "EVENT_COLUMNS",
    "UK",
    "XES_HEAD",
    "XES_TAIL",
    "case_rows",
    "event_rows",
    "uk_timestamp",
    "xes_traces",
]

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
"""The columns of ``cases.csv``, in order."""

EVENT_COLUMNS = columns(EventRecord)
"""The columns of ``events.csv``, in order: the event record's fields."""

_HOURS: dict[str, str] = {}
"""UK offset by hour of the calendar (``YYYY-MM-DDTHH``), filled as hours are met."""


def uk_timestamp(stamp: str) -> str:
    """A clock time of the simulated calendar (ISO, no zone) with its UK offset; empty stays empty.

    The offset changes only on the hour, so it is worked out once per hour and looked up after.

    >>> uk_timestamp("2026-03-29T00:59:00"), uk_timestamp("2026-03-29T02:00:00")
    ('2026-03-29T00:59:00+00:00', '2026-03-29T02:00:00+01:00')
    """
    if not stamp:
        return ""
    if len(stamp) == 19 and stamp[10] == "T":
        offset = _HOURS.get(stamp[:13])
        if offset is not None:
            return stamp + offset
        if dt.datetime.fromisoformat(stamp).isoformat() == stamp:
            offset = dt.datetime.fromisoformat(stamp[:13] + ":00:00").replace(tzinfo=UK).isoformat()[-6:]
            _HOURS[stamp[:13]] = offset
            return stamp + offset
    return dt.datetime.fromisoformat(stamp).replace(tzinfo=UK).isoformat()


def case_rows(cases: Iterable[CaseRecord]) -> Iterator[list[object]]:
    """The rows of ``cases.csv`` for ``cases``, in :data:`CASE_COLUMNS` order."""
    for c in cases:
        yield [
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


_FIELDS = operator.attrgetter(*EVENT_COLUMNS)
_STAMP = EVENT_COLUMNS.index("timestamp")


def event_rows(events: Iterable[EventRecord]) -> Iterator[list[object]]:
    """The rows of ``events.csv`` for ``events``: the record's fields in order, the timestamp with its UK offset."""
    for e in events:
        row = list(_FIELDS(e))
        row[_STAMP] = uk_timestamp(e.timestamp)
        yield row


XES_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
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
"""The opening of the XES log, before its traces."""
XES_TAIL = "</log>\n"
"""The closing of the XES log, after its traces."""

_EVENT_XML: dict[tuple[str, str, str, str], tuple[str, str]] = {}
"""The XML of an event before and after its timestamp, by (activity, role, lifecycle, outcome)."""


def _event_xml(e: EventRecord) -> str:
    key = (e.activity, e.role, e.lifecycle, e.outcome)
    parts = _EVENT_XML.get(key)
    if parts is None:
        role = f'<string key="org:resource" value={quoteattr(e.role)}/>' if e.role else ""
        outcome = f'<string key="outcome" value={quoteattr(e.outcome)}/>' if e.outcome else ""
        name = f'<string key="concept:name" value={quoteattr(e.activity)}/>'
        before = f'    <event>{name}{role}<date key="time:timestamp" value="'
        after = f'"/><string key="lifecycle:transition" value={quoteattr(e.lifecycle)}/>{outcome}</event>\n'
        parts = _EVENT_XML[key] = (before, after)
    stamp = uk_timestamp(e.timestamp)
    if "&" in stamp or "<" in stamp or '"' in stamp:  # never from the engine; kept well-formed all the same
        stamp = quoteattr(stamp)[1:-1]
    return parts[0] + stamp + parts[1]


def xes_traces(events: Iterable[EventRecord], cases: Iterable[CaseRecord] = ()) -> Iterator[str]:
    """The XES text of one trace per challenge and replication, events in the order given.

    With the ``cases`` of the run, each trace says whether the challenge ``finished`` (reached a
    terminal stage before the run stopped) and whether it was ``already_open`` (in flight when
    the run began, so its trace starts part-way). Events without a timestamp are left out.
    """
    flags = {(c.replication, c.case): (c.end_stage is not None, c.already_open) for c in cases}
    traces: dict[tuple[int, str], list[EventRecord]] = {}
    for e in events:
        if e.timestamp:
            traces.setdefault((e.replication, e.case), []).append(e)
    for (rep, case), evs in traces.items():
        head = f'  <trace>\n    <string key="concept:name" value={quoteattr(f"{rep}-{case}")}/>\n'
        head += f'    <string key="route" value={quoteattr(evs[0].route)}/>\n'
        if (rep, case) in flags:
            finished, already_open = flags[(rep, case)]
            head += f'    <boolean key="finished" value="{str(finished).lower()}"/>\n'
            head += f'    <boolean key="already_open" value="{str(already_open).lower()}"/>\n'
        yield head + "".join(_event_xml(e) for e in evs) + "  </trace>\n"
