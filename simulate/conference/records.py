"""Flat, immutable results of a conference simulation: one record per timed event, per conference.

Days are working-day indices from the start of the run (day 0 is the first working day); dates
are ISO strings. A timed event's ``due_date`` is the last day its timescale allows: the event is
within timescale when it happens on or before that day.

Examples
--------
>>> r = TimedRecord(0, "k1", "icpc", 0, 3, "2026-01-08", 18, "2026-02-02", 17, "2026-01-30", False)
>>> r.within, r.unfinished, r.working_days
(True, False, 14)
"""

from __future__ import annotations

from dataclasses import dataclass

from cpsim.simulate.engine.records import CaseRecord, RoleRecord

__all__ = ["ConferenceRecord", "ConferenceReplication", "PlanEnding", "TimedRecord"]


@dataclass(frozen=True, slots=True)
class TimedRecord:
    """One event measured against a timescale (``done_day`` None: not yet happened when the run ended).

    ``measure`` is a timescale id (``icpc``, ``review``, ``core-group``, ``core-group-cycle``,
    ``minutes``, ``plan-circulated``, ``reconvened``); ``number`` counts occurrences per child
    (review 1, 2, ...); ``reference`` is the day the timescale counts from.
    """

    replication: int
    child: str
    measure: str
    number: int
    reference: int
    reference_date: str
    due: int
    due_date: str
    done_day: int | None
    done_date: str | None
    counted: bool
    end: int = 0
    earliest: int | None = None

    @property
    def within(self) -> bool:
        """True when the event happened on or before its due day (and not before ``earliest``, for a range)."""
        done = self.done_day
        return done is not None and done <= self.due and (self.earliest is None or done >= self.earliest)

    @property
    def late(self) -> bool:
        """True when the event missed its timescale: it happened outside it, or had not happened by its due day."""
        return (self.done_day is not None and not self.within) or (self.done_day is None and self.end > self.due)

    @property
    def unfinished(self) -> bool:
        """True when the run ended before the event and before its due day passed (neither in time nor late)."""
        return not self.within and not self.late

    @property
    def working_days(self) -> int | None:
        """Working days from the reference day to the event."""
        return None if self.done_day is None else self.done_day - self.reference


@dataclass(frozen=True, slots=True)
class ConferenceRecord:
    """One sitting of a conference with a chair: initial, review, or reconvened after being inquorate.

    ``planned_day`` is the day it would have been held had a chair been free; ``wait`` the working
    days it waited for one; ``failed_checks`` the QA checks that failed before it (each raised a
    challenge named ``<child>/<kind><number>/<check>``); ``present`` the agencies that attended
    (None when the scenario gives a flat chance of being inquorate instead). A sitting whose chair had started but
    whose day had not come when the run ended has ``held_day`` None. ``chair`` numbers the chair who held
    it (None with unlimited chairs); ``same_chair`` says, for a review, whether that chair also held the
    child's previous conference (None when it is not a review, or there was no previous one to compare).
    """

    replication: int
    child: str
    kind: str
    number: int
    planned_day: int
    held_day: int | None
    held_date: str | None
    wait: float
    failed_checks: tuple[str, ...]
    inquorate: bool
    counted: bool
    present: int | None = None
    chair: int | None = None
    same_chair: bool | None = None

    @property
    def pushed_back(self) -> int:
        """Working days the conference was held after its planned day (0 when on time)."""
        return 0 if self.held_day is None else max(self.held_day - self.planned_day, 0)


@dataclass(frozen=True, slots=True)
class PlanEnding:
    """A child's plan ending, with its reason (``moved-away``: the child moved to another authority)."""

    replication: int
    child: str
    reason: str
    day: int
    date: str
    counted: bool


@dataclass(frozen=True)
class ConferenceReplication:
    """Everything one replication of a conference scenario produced."""

    replication: int
    seed: int
    timed: tuple[TimedRecord, ...]
    conferences: tuple[ConferenceRecord, ...]
    challenges: tuple[CaseRecord, ...]
    roles: tuple[RoleRecord, ...]
    escalation_roles: tuple[RoleRecord, ...]
    children: int
    endings: tuple[PlanEnding, ...] = ()
    dissents: tuple[CaseRecord, ...] = ()
    """Dissents from conference decisions, each named ``<child>/<kind><number>/<who>``, run on their route."""
    dissent_roles: tuple[RoleRecord, ...] = ()
