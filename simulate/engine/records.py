"""Flat, immutable results: one record per challenge, per event, per staff role and replication.

A challenge's record and its target results are named tuples (made by the thousand a second, so
they cost one call each); the others are frozen dataclasses.

Summaries are computed from these records (:mod:`cpsim.simulate.experiments.summary`); the run directory writes them
as CSV and XES (:mod:`cpsim.reports.rundir.write`). Times are working days from the start of the run;
dates are ISO strings.

Examples
--------
>>> r = TargetResult("five-working-days", start=0.0, elapsed=6.5, breached=True)
>>> r.breached, r.met, r.unfinished
(True, False, False)
>>> TargetResult("five-working-days", start=0.0, elapsed=None, breached=False).unfinished
True
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import NamedTuple

__all__ = ["CaseRecord", "EventRecord", "RoleRecord", "TargetResult", "columns"]


class TargetResult(NamedTuple):
    """One time target for one challenge: when its clock started, how long it ran, whether it was missed.

    ``elapsed`` is in the target's own unit (working days for working-day targets); it is None
    when the challenge had not reached a stop stage by the end of the run. Such a challenge has
    ``breached`` True when the time already passed exceeds the target (it is missed whatever
    happens next); otherwise the target is *unfinished*: neither met nor missed (censored).
    """

    target: str
    start: float
    elapsed: float | None
    breached: bool

    @property
    def met(self) -> bool:
        """True when the clock stopped within the limit."""
        return self.elapsed is not None and not self.breached

    @property
    def unfinished(self) -> bool:
        """True when the clock was still running at the end of the run and had not passed the limit."""
        return self.elapsed is None and not self.breached


class CaseRecord(NamedTuple):
    """One challenge in one replication.

    ``rung_breaches`` names the request stages whose deadline passed without a reply in time
    (a request still awaiting its reply at the end of the run counts once its deadline has
    passed); ``rung_unfinished`` names the request stage still awaiting its reply, before its
    deadline, when the run ended (that visit is neither in time nor late).

    ``timed_moves`` lists every move the challenge started that has a time limit in the source
    and a ``move_time`` in the scenario, by key (``stage/outcome``, in order, once per move),
    ``late_moves`` those that took longer than their limit (a move still under way at the end
    of the run counts once its limit has passed), and ``move_unfinished`` the move still under
    way, within its limit, when the run ended.
    """

    replication: int
    case: str
    route: str
    raised: float
    raised_date: str
    counted: bool
    stages: tuple[str, ...]
    end_stage: str | None
    ending: str | None
    end: float | None
    end_date: str | None
    working_days: float | None
    targets: tuple[TargetResult, ...]
    rung_breaches: tuple[str, ...]
    open_at_horizon: bool
    already_open: bool = False
    rung_unfinished: str | None = None
    timed_moves: tuple[str, ...] = ()
    late_moves: tuple[str, ...] = ()
    move_unfinished: str | None = None

    @property
    def breached(self) -> tuple[str, ...]:
        """Ids of the targets this challenge missed."""
        return tuple(t.target for t in self.targets if t.breached)


@dataclass(frozen=True, slots=True)
class EventRecord:
    """Something that happened to a challenge: a stage started or completed (XES lifecycle)."""

    replication: int
    case: str
    route: str
    activity: str
    role: str
    lifecycle: str
    time: float
    timestamp: str
    outcome: str


@dataclass(frozen=True, slots=True)
class RoleRecord:
    """One staffed role's load over the counted period of one replication."""

    replication: int
    role: str
    nominal: int
    utilisation: float
    available: float
    queue_mean: float
    queue_max: int
    requests: int
    deputised: int


def columns(record_type: type) -> list[str]:
    """Field names of a record type, in order.

    >>> columns(RoleRecord)[:3], columns(CaseRecord)[:2]
    (['replication', 'role', 'nominal'], ['replication', 'case'])
    """
    named: tuple[str, ...] | None = getattr(record_type, "_fields", None)
    return list(named) if named is not None else [f.name for f in fields(record_type)]
