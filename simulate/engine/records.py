"""Flat, immutable results: one record per challenge, per event, per staff role and replication.

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

__all__ = ["CaseRecord", "EventRecord", "RoleRecord", "TargetResult", "columns"]


@dataclass(frozen=True, slots=True)
class TargetResult:
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


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """One challenge in one replication.

    ``rung_breaches`` names the request stages whose deadline passed without a reply in time
    (a request still awaiting its reply at the end of the run counts once its deadline has
    passed); ``rung_unfinished`` names the request stage still awaiting its reply, before its
    deadline, when the run ended (that visit is neither in time nor late).
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

    >>> columns(RoleRecord)[:3]
    ['replication', 'role', 'nominal']
    """
    return [f.name for f in fields(record_type)]
