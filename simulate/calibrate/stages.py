"""One request stage's records turned into estimates: reply time, chance of satisfying, chances of no reply.

See :mod:`cpsim.simulate.calibrate.estimate` for what is estimated and how. At a stage with a
no-reply timer the records cannot tell a reply that would have come after the deadline from one
that never comes: what they measure is the chance ``q`` of no reply by the deadline and the reply
times up to it, and the simulated results depend on nothing else. ``p_no_reply`` is the share of
never-replies that, with the fitted reply time, gives that ``q``; when the fitted reply time alone
already misses the deadline more often than ``q``, ``p_no_reply`` is 0 and the reply time is fitted
again with the no-replies as replies later than the deadline (right-censored there).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from cpsim.model.behaviour import to_working_days
from cpsim.model.procedure.classes import Procedure
from cpsim.simulate.calibrate.clock import Clock
from cpsim.simulate.calibrate.fitting import Fit, Observations, fit_all
from cpsim.simulate.calibrate.goodness import goodness_of_fit
from cpsim.simulate.calibrate.intervals import Z95, Estimate, wilson
from cpsim.simulate.calibrate.records import Visit

__all__ = ["SECOND", "MoveEstimate", "StageEstimate", "as_date", "stage_estimate"]

SECOND = 1 / (7.5 * 3600)
"""Timestamps are to the second: a reply within a second of the deadline is on time."""


def as_date(m: dt.date) -> dt.date:
    """The day of a date or date-time."""
    return m.date() if isinstance(m, dt.datetime) else m


@dataclass(frozen=True)
class MoveEstimate:
    """The time from the end of a request to the next one, for one outcome (records with times of day)."""

    outcome: str
    n: int
    fits: tuple[Fit, ...]


@dataclass(frozen=True)
class StageEstimate:
    """What the records say about one request stage."""

    stage: str
    visits: int
    replies: int
    open: int
    no_reply: int
    late_replies: int
    by_date: int
    deadline: float | None
    timer: bool
    fits: tuple[Fit, ...]
    fit_test: dict[str, Any]
    p_satisfied: Estimate
    q: Estimate | None
    p_no_reply: Estimate | None
    assumed: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    moves: dict[str, MoveEstimate] = field(default_factory=dict)

    @property
    def fit(self) -> Fit | None:
        """The chosen reply-time fit (None when too few replies)."""
        return self.fits[0] if self.fits else None


@dataclass
class _Tally:
    """The observations of one stage as they are read."""

    exact: list[float] = field(default_factory=list)
    gaps: list[int] = field(default_factory=list)
    censored: list[float] = field(default_factory=list)
    no_reply: int = 0
    late: int = 0
    satisfied: int = 0
    replied: int = 0
    visits: int = 0
    open: int = 0


def _observe(
    t: _Tally, v: Visit, clock: Clock, as_of: float, deadline: float | None, timer: bool
) -> None:  # long: one branch per kind of visit, as the module docstring lists them
    t.visits += 1
    exact = isinstance(v.requested, dt.datetime)
    asked = clock.at(v.requested)
    if v.outcome is None:
        elapsed = as_of - asked if exact else max(0.0, as_of - (asked + 1))
        if timer and deadline is not None and elapsed >= deadline:
            t.no_reply += 1
        else:
            t.open += 1
            t.censored.append(max(elapsed, 0.0))
        return
    if v.outcome == "no-reply":
        if timer:
            t.no_reply += 1
        return
    assert v.replied is not None
    t.replied += 1
    t.satisfied += v.outcome == "satisfied"
    if exact and isinstance(v.replied, dt.datetime):
        time = clock.at(v.replied) - asked
        if timer and deadline is not None and time > deadline + SECOND:
            t.late += 1
            t.no_reply += 1
        else:
            t.exact.append(min(max(time, 1e-4), deadline) if timer and deadline is not None else max(time, 1e-4))
        return
    gap = clock.day(as_date(v.replied)) - clock.day(as_date(v.requested))
    if timer and deadline is not None and gap > deadline:
        t.late += 1
        t.no_reply += 1
    else:
        t.gaps.append(gap)


def _chances(
    t: _Tally, fit: Fit | None, deadline: float | None, timer: bool
) -> tuple[Estimate | None, Estimate | None]:
    """``q`` (no reply by the deadline) and ``p_no_reply`` (never a reply) at a timer stage."""
    if not timer or deadline is None:
        return None, None
    decided = len(t.exact) + len(t.gaps) + t.no_reply
    q = wilson(t.no_reply, decided)
    if fit is not None and fit.q_ci95 is not None:
        q = Estimate(
            fit.q, fit.q_ci95[0], fit.q_ci95[1], decided + len(t.censored), "likelihood (open visits included)"
        )
    if fit is None:  # the reply is then taken as immediate: every missed deadline is a reply never coming
        return q, Estimate(q.estimate, q.low, q.high, q.n, "no reply time fitted: every missed deadline")
    reached = float(fit.frozen().cdf(deadline))

    def never(x: float) -> float:
        return min(max(1 - (1 - x) / reached, 0.0), 1.0) if reached > 0 else 0.0

    if fit.reach_se is None:
        return q, Estimate(never(q.estimate), never(q.low), never(q.high), q.n, "given the fitted reply time")
    se_q = (q.high - q.low) / (2 * Z95)
    se = math.hypot(se_q / reached, (1 - q.estimate) / reached**2 * fit.reach_se)
    p = never(q.estimate)
    how = "delta method, with the fitted reply time's uncertainty"
    return q, Estimate(p, max(p - Z95 * se, 0.0), min(p + Z95 * se, 1.0), q.n, how)


def _observations(t: _Tally, deadline: float | None, timer: bool) -> Observations:
    cut = deadline if timer else None
    return Observations(tuple(t.exact), tuple(t.gaps), tuple(t.censored), cut, t.no_reply if timer else 0)


def _fits(obs: Observations, criterion: str) -> tuple[Fit, ...]:
    """The fits, best first; at a timer stage refitted with no never-replies when the first fit leaves none."""
    if obs.replies < 2:
        return ()
    fits = tuple(fit_all(obs, criterion))
    if not fits or obs.deadline is None:
        return fits
    reached = float(fits[0].frozen().cdf(obs.deadline))
    if reached <= 0 or 1 - (1 - fits[0].q) / reached >= 0:
        return fits
    late = Observations(obs.exact, obs.day_gaps, obs.censored + (obs.deadline,) * obs.no_reply, cap=obs.deadline)
    return tuple(
        Fit(f.dist, f.params, f.loglik, f.k, f.n, 1 - float(f.frozen().cdf(obs.deadline)), f.ci95)
        for f in fit_all(late, criterion)
    )


def stage_estimate(
    proc: Procedure, sid: str, visits: list[Visit], clock: Clock, as_of: float, criterion: str, hpd: float
) -> StageEstimate:
    """The estimates at request stage ``sid`` of ``proc`` from its ``visits`` (as they stood at ``as_of``)."""
    stage = proc.stage(sid)
    given = stage.deadline.duration if stage.deadline is not None else None
    deadline = to_working_days(given, hours_per_day=hpd) if given is not None else None
    outs = {t.on for t in proc.transitions_from(sid)}
    timer = deadline is not None and ("no-reply" in outs or any(v.outcome == "no-reply" for v in visits))
    tally = _Tally()
    for v in visits:
        _observe(tally, v, clock, as_of, deadline, timer)
    obs = _observations(tally, deadline, timer)
    fits = _fits(obs, criterion)
    test = goodness_of_fit(fits[0], obs) if fits else {"test": None, "statistic": None, "p_value": None, "n": 0}
    q, never = _chances(tally, fits[0] if fits else None, deadline, timer)
    counts = (tally.visits, tally.replied, tally.open, tally.no_reply, tally.late, len(tally.gaps))
    return StageEstimate(sid, *counts, deadline, timer, fits, test, wilson(tally.satisfied, tally.replied), q, never)
