"""How much work a conference run asks for, checked against ceilings before any of it starts.

A conference run's cost grows with what it simulates: each child's conferences (each a chair's
sitting, its minutes, its report and its timed events), its core groups, and the stage visits of
the challenges its failed QA checks raise and of the dissents from its decisions, times the
replications. :func:`estimate_conference`
gives that number of *events* from the scenario's own figures (expected children from the demand
over the horizon, reviews and core groups over the mean plan length, challenges from the checks'
chances); :func:`check_conference` refuses a run that crosses a ceiling, giving the estimate and
how to get under it, as challenge runs are refused (:mod:`cpsim.simulate.experiments.budget`):

* :data:`SOFT_EVENTS` (time): more events than this take well over ten minutes on a two-core
  machine (a conference event costs about twice a challenge's stage visit). ``--no-size-limit``
  lifts it.
* the memory ceilings of challenge runs, which no option lifts: events in one replication
  (:data:`~cpsim.simulate.experiments.budget.HARD_REPLICATION_EVENTS`), in the whole run
  (:data:`~cpsim.simulate.experiments.budget.HARD_EVENTS`) and working days of the calendar
  (:data:`~cpsim.simulate.experiments.budget.HARD_DAYS`).

Examples
--------
>>> from cpsim.model.conference.load import CONFERENCE_SCENARIOS, load_conference
>>> sc = load_conference(CONFERENCE_SCENARIOS["stoke-conference-baseline"])
>>> e = estimate_conference(sc)
>>> 400 < e.units_per_replication < 600, e.replications, e.events < SOFT_EVENTS
(True, 10, True)
>>> from cpsim.model.errors import CpsimError
>>> try:
...     check_conference(estimate_conference(sc, replications=10**9))
... except CpsimError as exc:
...     print(str(exc).split(", more than")[1].split("; use")[0])
 the 1,000,000,000 cpsim can summarise in memory (no option lifts this)
"""

from __future__ import annotations

from collections.abc import Iterable

from cpsim.model.conference.load import ConferenceScenario
from cpsim.model.procedure.classes import Duration
from cpsim.model.scenario.spec import PoissonArrivals
from cpsim.simulate.experiments.budget import Counting, Estimate, check, total

__all__ = ["CONFERENCE_RUN", "SOFT_EVENTS", "check_conference", "estimate_conference"]

SOFT_EVENTS = 10_000_000
"""Events in a whole conference run above which it is refused unless ``--no-size-limit`` is given.

Measured: the shipped baselines simulate about 9,000 events a second on one core, so this is about
ten minutes on two."""

CONFERENCE_RUN = Counting(
    SOFT_EVENTS,
    "this conference run",
    "one replication of this conference run",
    "events",
    "children",
    "about ",
    "demand.rate",
)
"""A conference run's soft ceiling and the words of its refusals (the hard ceilings are a challenge run's)."""

_PER_CONFERENCE = 4.0
"""Events of one conference besides its challenges: the sitting, its timed event, the minutes, the report."""
_WORKING_DAYS_PER_MONTH = 30.4375 * 5 / 7


def _per_year(rate: float, factor: object, horizon: int) -> float:
    mean = sum(factor(m) for m in range(1, 13)) / 12  # type: ignore[operator]
    return rate * mean * horizon


def _children(sc: ConferenceScenario) -> float:
    """Expected children over the horizon: strategy discussions, transfers in, pre-birth, open plans."""
    spec, horizon = sc.spec, sc.spec.calendar.horizon
    demand = spec.demand
    out = _per_year(demand.rate, demand.factor, horizon) if isinstance(demand, PoissonArrivals) else 0.0
    out += float(len(sc.replayed))
    for extra in (spec.transfers_in, spec.pre_birth):
        if extra is not None:
            out += _per_year(extra.rate, extra.factor, horizon)
    return out + len(sc.open_plans)


def _interval(d: Duration | None, default: float) -> float:
    """A timescale as working days (the most it can hold), at least one."""
    return max(1.0, float(d.working_days_at_most())) if d is not None else default


def _per_child(sc: ConferenceScenario) -> float:
    """Expected events of one child: its conferences (with their challenges) and its core groups."""
    spec = sc.spec
    plan_days = max(0.0, spec.journeys.plan_months.mean) * _WORKING_DAYS_PER_MONTH
    review = sc.rules["review"]
    first, then = _interval(review.within, 66.0), _interval(review.then, 130.0)
    reviews = 1 + max(0.0, plan_days - first) / then
    core = sc.rules["core-group"]
    cadence = _interval(spec.practice.core_group_every or core.then, 30.0)
    core_groups = 1 + plan_days / cadence
    late = spec.reports.p_late + spec.reports.p_missing if spec.reports is not None else 0.0
    fails = sum(min(1.0, c.chance + (late if c.fails_when_report_late else 0.0)) for c in spec.checks)
    routes = sc.escalation.routes
    stages = sum(r.share * len(r.procedure.stages) for r in routes) / (sum(r.share for r in routes) or 1.0)
    dissents = 0.0
    if spec.dissent is not None:
        for who, d in spec.dissent.dissenters():
            dissents += d.p_dissent * len(sc.dissent[who].routes[0].procedure.stages)
    conferences = 1 + spec.journeys.plan_share * reviews
    return conferences * (_PER_CONFERENCE + fails * stages + dissents) + spec.journeys.plan_share * core_groups


def estimate_conference(sc: ConferenceScenario, replications: int | None = None) -> Estimate:
    """The events ``replications`` (default: the scenario's) of the conference scenario ``sc`` would make.

    >>> from cpsim.model.conference.load import CONFERENCE_SCENARIOS, load_conference
    >>> sc = load_conference(CONFERENCE_SCENARIOS["wakefield-conference-baseline"])
    >>> e = estimate_conference(sc, 1)
    >>> 5_000 < e.replication_events < 20_000   # one replication makes about 9,000
    True
    """
    n = sc.spec.replications if replications is None else replications
    children = _children(sc)
    per_replication = children * _per_child(sc)
    days = sc.spec.calendar.horizon + sc.spec.calendar.follow_up
    return Estimate(per_replication * n, per_replication, n, children, days)


def check_conference(e: Estimate | Iterable[Estimate], *, lifted: bool = False) -> None:
    """Raise unless the work ``e`` (or the sum of its parts) is within the ceilings (``lifted``: not the soft one).

    The ceilings and their messages are a challenge run's (:func:`cpsim.simulate.experiments.budget.check`),
    with :data:`SOFT_EVENTS` and the words of :data:`CONFERENCE_RUN`.

    Raises
    ------
    CpsimError
        Giving the estimate, the ceiling crossed, why it is there and how to get under it.
    """
    check(e if isinstance(e, Estimate) else total(e), lifted=lifted, counting=CONFERENCE_RUN)
