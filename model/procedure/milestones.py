"""Milestones: the events of a life cycle (conferences, reports, minutes, core groups), each timed from others.

A milestone is an event with limits on when it falls relative to another event — a milestone or a
stage, named by id. Milestones have an id namespace of their own, so a life cycle can be written
with few stages: the stages carry the decisions, the milestones the timetable.

- ``timing`` lists the limits; every limit holds, so where a source sets several ("whichever is
  sooner") the earliest binds. A limit is ``after`` or ``before`` one event, ``within`` a duration
  (at most), ``at_least`` one, or ``between`` a range ("between 30 and 32 weeks' gestation").
- ``repeats`` makes it recur: ``every`` (a cadence) or ``at_most_every`` (a maximum interval); the
  first occurrence follows ``timing``.
- ``needs`` names events that must have happened first (a meeting that needs a record).
- ``origin: true`` marks an event others count from; ``unspecified`` says the source gives no time.

Times are :class:`~cpsim.model.procedure.classes.Duration` values, so every unit and range the
format knows can time a milestone; each limit keeps the source's words (``as_written``), the
reading taken and whether the source calls it provisional.

Examples
--------
>>> cite = {"doc": "001_7afa3811cfe9908b.txt", "ref": "Booking a Conference", "quote": "within 15 working days"}
>>> icpc = Milestone.model_validate({
...     "id": "icpc", "title": "Initial child protection conference",
...     "timing": [{"after": "strategy-discussion", "within": {"amount": 15, "unit": "working-days"},
...                 "as_written": "within 15 working days", "source": cite}],
...     "source": cite})
>>> icpc.timing[0].label
'within 15 working days after strategy-discussion'
>>> icpc.events
('strategy-discussion',)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from pydantic import Field, model_validator

from cpsim.model.errors import Problem, did_you_mean
from cpsim.model.files.yaml import YamlDoc
from cpsim.model.procedure.classes import Citation, Duration, Slug, Text, _Frozen, _Worded

__all__ = ["Limit", "Milestone", "Need", "Repeat", "Timescale", "check_milestone_references"]


class Timescale(_Worded):
    """A timescale the source sets outside the challenge route (e.g. when minutes are due).

    Recorded so that sources can be compared on the same ``topic``; it is not a step of the route.
    """

    topic: Slug = Field(description="Shared topic id for comparisons, e.g. 'core-group-first-meeting'.")
    rule: Text = Field(description="The rule in plain English.")
    within: Duration | None = Field(
        default=None, description="The time limit, where the rule has one, or a range such as 30 to 32 weeks."
    )
    note: str | None = None
    source: Citation

    @model_validator(mode="after")
    def _reading_given(self) -> Timescale:
        self._check_reading("timescale")
        return self


class Limit(_Worded):
    """One limit on when a milestone falls, relative to one other event (a milestone or a stage).

    ``within`` is a latest time, ``at_least`` an earliest, ``between`` a range (``amount`` to
    ``up_to``); ``before`` with none of them only says which comes first ("in advance of").
    """

    after: Slug | None = Field(default=None, description="The event (milestone or stage id) this milestone follows.")
    before: Slug | None = Field(default=None, description="The event (milestone or stage id) this milestone precedes.")
    within: Duration | None = Field(default=None, description="At most this long after (or before) the event.")
    at_least: Duration | None = Field(default=None, description="At least this long after (or before) the event.")
    between: Duration | None = Field(
        default=None, description="A range after (or before) the event, e.g. {amount: 30, up_to: 32, unit: weeks}."
    )
    unspecified: str | None = Field(
        default=None, description="Set (to a note) when the source names the event but gives no time."
    )
    otherwise: str | None = Field(
        default=None,
        description="What the source allows when the limit is missed, e.g. 'or as soon as possible thereafter'.",
    )
    note: str | None = None
    source: Citation | None = None

    @model_validator(mode="after")
    def _one_event_and_one_time(self) -> Limit:
        if (self.after is None) == (self.before is None):
            raise ValueError("a limit names one event: either 'after: <event>' or 'before: <event>'")
        given = [k for k in ("within", "at_least", "between") if getattr(self, k) is not None]
        if len(given) > 1:
            raise ValueError(f"a limit has one of 'within', 'at_least' or 'between', not {' and '.join(given)}")
        if given and self.unspecified is not None:
            raise ValueError(f"a limit is either given ('{given[0]}') or 'unspecified', not both")
        if self.after is not None and not given and self.unspecified is None:
            raise ValueError(
                "a limit 'after' an event needs 'within', 'at_least' or 'between' "
                "(or 'unspecified: <note>' where the source gives no time)"
            )
        if self.between is not None and not self.between.is_range:
            raise ValueError("'between' is a range: give 'amount' and 'up_to'")
        for key in ("within", "at_least"):
            d = getattr(self, key)
            if d is not None and d.is_range:
                raise ValueError(f"a range goes under 'between', not '{key}'")
        if given and self.source is None:
            raise ValueError("a given limit needs 'source' (doc, ref, quote)")
        if given and not self.as_written:
            raise ValueError("a given limit keeps the source's words: add 'as_written'")
        self._check_reading("limit")
        return self

    @property
    def event(self) -> str:
        """The event this limit counts from."""
        return self.after if self.after is not None else str(self.before)

    @property
    def duration(self) -> Duration | None:
        """The time given, or None (unspecified, or order only)."""
        return self.within or self.at_least or self.between

    @property
    def soft(self) -> bool:
        """True when the source allows the limit to be missed (``otherwise``)."""
        return self.otherwise is not None

    @property
    def label(self) -> str:
        """Plain English, e.g. ``'at least 2 working days before icpc'``.

        >>> cite = {"doc": "d.txt", "ref": "1", "quote": "q"}
        >>> weeks = {"amount": 30, "up_to": 32, "unit": "weeks"}
        >>> Limit(after="gestation-start", between=weeks, as_written="w", source=cite).label
        'between 30 and 32 weeks after gestation-start'
        >>> Limit(before="icpc").label
        'before icpc'
        """
        return self.phrase(self.event)

    def phrase(self, event: str) -> str:
        """The limit in plain English with ``event`` standing for the event it counts from.

        >>> Limit(before="icpc").phrase("the conference")
        'before the conference'
        """
        side = "after" if self.after is not None else "before"
        if self.unspecified is not None:
            return f"{side} {event}, no time given"
        d = self.duration
        if d is None:
            return f"{side} {event}"
        if self.at_least is not None:
            return f"at least {d.label} {side} {event}"
        return f"{d.phrase} {side} {event}"


class Repeat(_Worded):
    """How a milestone recurs: at a cadence (``every``) or at most so long apart (``at_most_every``)."""

    every: Duration | None = Field(default=None, description="The interval between occurrences (a cadence).")
    at_most_every: Duration | None = Field(default=None, description="The longest allowed interval (a maximum).")
    unspecified: str | None = Field(
        default=None, description="Set (to a note) when the source says it recurs but not how often."
    )
    note: str | None = None
    source: Citation | None = None

    @model_validator(mode="after")
    def _one_interval(self) -> Repeat:
        given = [k for k in ("every", "at_most_every", "unspecified") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("a repeat has one of 'every', 'at_most_every' or 'unspecified: <note>'")
        if self.interval is not None:
            if self.interval.is_range or not self.interval.unit.takes_amount:
                raise ValueError("a repeat's interval is one amount of time, such as {amount: 4, unit: weeks}")
            if self.source is None:
                raise ValueError("a given repeat needs 'source' (doc, ref, quote)")
            if not self.as_written:
                raise ValueError("a given repeat keeps the source's words: add 'as_written'")
        self._check_reading("repeat")
        return self

    @property
    def interval(self) -> Duration | None:
        """The interval given, or None when unspecified."""
        return self.every or self.at_most_every

    @property
    def is_maximum(self) -> bool:
        """True for a maximum interval ("at maximum intervals of 6 months")."""
        return self.at_most_every is not None


class Need(_Frozen):
    """An event that must have happened before the milestone, e.g. a record a meeting works from."""

    event: Slug = Field(description="The event (milestone or stage id) needed first.")
    note: str | None = None
    source: Citation


class Milestone(_Frozen):
    """An event of a life cycle, timed relative to other events; it may repeat and may need others first."""

    id: Slug
    title: Text
    by: Slug | None = Field(default=None, description="The role who carries it out.")
    stage: Slug | None = Field(default=None, description="The stage this event is, when the route has one for it.")
    topic: Slug | None = Field(
        default=None,
        description="Shared topic id for the same event across procedures (e.g. 'cp-review'); a maximum interval "
        "set on one milestone binds every milestone of its topic.",
    )
    when: str | None = Field(default=None, description="The condition under which the milestone happens, in words.")
    timing: tuple[Limit, ...] = Field(default=(), description="Limits on when it falls; all hold, the earliest binds.")
    whichever: Literal["sooner"] | None = Field(
        default=None, description="'sooner' where the source says 'whichever is sooner' over several limits."
    )
    repeats: Repeat | None = Field(default=None, description="How it recurs after its first occurrence.")
    unless: str | None = Field(
        default=None,
        description="The source's exception in words, e.g. 'the child's needs require an earlier conference'.",
    )
    needs: tuple[Need, ...] = Field(default=(), description="Events that must have happened first.")
    origin: bool = Field(default=False, description="An event others count from; the source does not time it.")
    unspecified: str | None = Field(default=None, description="Set (to a note) when the source gives it no time.")
    notes: str | None = None
    source: Citation

    @model_validator(mode="after")
    def _timed_or_said_not(self) -> Milestone:
        said = [
            k for k, v in (("timing", self.timing), ("origin", self.origin), ("unspecified", self.unspecified)) if v
        ]
        if not said:
            raise ValueError(
                "a milestone needs 'timing' (limits relative to other events), 'origin: true' (an event others "
                "count from) or 'unspecified: <note>' (the source gives it no time)"
            )
        if len(said) > 1:
            raise ValueError(f"a milestone has one of 'timing', 'origin' or 'unspecified', not {' and '.join(said)}")
        if self.whichever is not None and len(self.timing) < 2:
            raise ValueError("'whichever: sooner' needs at least two limits under 'timing'")
        return self

    @property
    def events(self) -> tuple[str, ...]:
        """Every event this milestone names (in its limits and needs), in file order."""
        return tuple(dict.fromkeys([*(lim.event for lim in self.timing), *(n.event for n in self.needs)]))


# --- cross-references, on the plain data so every problem is found in one pass ---------------------


def _entries(data: dict[str, Any], section: str) -> Iterator[tuple[int, dict[str, Any]]]:
    items = data.get(section)
    for i, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict):
            yield i, item


def _listed(data: dict[str, Any], section: str) -> list[str]:
    return [item["id"] for _, item in _entries(data, section) if isinstance(item.get("id"), str)]


def check_milestone_references(doc: YamlDoc, data: dict[str, Any]) -> list[Problem]:
    """Problems with the ids and references of ``data``'s milestones.

    Milestone ids are unique and differ from stage ids (``after``, ``before`` and ``needs`` may name
    either); every event named is a milestone or a stage; ``by`` names a role and ``stage`` a stage.
    Cited documents and quotes are checked with every other citation in the file.
    """
    out: list[Problem] = []
    stages, roles = _listed(data, "stages"), _listed(data, "roles")
    first: dict[str, int] = {}
    for i, m in _entries(data, "milestones"):
        ident = m.get("id")
        if not isinstance(ident, str):
            continue
        if ident in first:
            line = doc.locate(("milestones", first[ident], "id"))[0]
            out.append(
                doc.problem(
                    ("milestones", i, "id"),
                    f"duplicate milestone id {ident!r}",
                    f"first defined on line {line}; ids must be unique",
                )
            )
        elif ident in stages:
            out.append(
                doc.problem(
                    ("milestones", i, "id"),
                    f"milestone id {ident!r} is also a stage id",
                    "give the milestone an id of its own, so that 'after' and 'before' name one event",
                )
            )
        first.setdefault(ident, i)
    events = [*first, *stages]
    for i, m in _entries(data, "milestones"):
        here: tuple[str | int, ...] = ("milestones", i)
        _known(doc, (*here, "by"), m.get("by"), roles, "role", out)
        _known(doc, (*here, "stage"), m.get("stage"), stages, "stage", out)
        for j, lim in _entries(m, "timing"):
            for key in ("after", "before"):
                _known(doc, (*here, "timing", j, key), lim.get(key), events, "event", out)
        for j, need in _entries(m, "needs"):
            _known(doc, (*here, "needs", j, "event"), need.get("event"), events, "event", out)
            if need.get("event") == m.get("id"):
                out.append(
                    doc.problem(
                        (*here, "needs", j, "event"), "a milestone cannot need itself", "name the event it needs first"
                    )
                )
        for j, lim in _entries(m, "timing"):
            if m.get("id") is not None and m.get("id") in (lim.get("after"), lim.get("before")):
                out.append(
                    doc.problem(
                        (*here, "timing", j),
                        "a milestone cannot be timed from itself",
                        "use 'every' or 'at_most_every' for a repeat",
                    )
                )
    return out


def _known(
    doc: YamlDoc, loc: tuple[str | int, ...], value: Any, known: list[str], what: str, out: list[Problem]
) -> None:
    if isinstance(value, str) and value not in known:
        out.append(doc.problem(loc, f"unknown {what} {value!r}", did_you_mean(value, known)))
