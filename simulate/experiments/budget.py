"""How much work a run asks for, checked against ceilings before any of it starts.

A simulation's cost grows with the stage visits it makes: challenges raised per replication
(arrivals over the horizon, plus challenges already open) times the stages of their procedure,
times the replications. :func:`estimate` gives that number (an *event* is one stage visit; a
procedure that loops makes more, so the estimate is a floor for such procedures) and
:func:`check` refuses a run that crosses a ceiling, saying by how much and how to get under it:

* :data:`SOFT_EVENTS` (time): more events than this take well over ten minutes on a two-core
  machine. ``--no-size-limit`` lifts this ceiling.
* :data:`HARD_REPLICATION_EVENTS` (memory): one replication is simulated in one process, and its
  challenges and events are held until it ends; more than this needs gigabytes. No flag lifts it.
* :data:`HARD_EVENTS` (memory and time): the summary keeps one number per challenge, and a run this
  large would take days. No flag lifts it.
* :data:`HARD_DAYS` (memory): the working calendar holds every day of the horizon and follow-up.

Every simulating command (``simulate``, ``sweep``, ``compare``, ``report --all``) sums the
:class:`Estimate` of each scenario it will run and calls :func:`check` once, before any work.

Examples
--------
>>> from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
>>> sc = load_scenario(SCENARIOS_DIR / "redcar-baseline.yaml")
>>> e = estimate(sc, replications=20)
>>> round(e.units_per_replication), e.replications, e.events < SOFT_EVENTS
(288, 20, True)
>>> try:
...     check(estimate(sc, replications=10**12))
... except CpsimError as exc:
...     print(str(exc)[:73])
this run would simulate about 1.6e+15 stage visits (-n 1,000,000,000,000)
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from cpsim.model.errors import CpsimError
from cpsim.model.scenario.classes import PoissonArrivals, Scenario

__all__ = [
    "HARD_DAYS",
    "HARD_EVENTS",
    "HARD_REPLICATION_EVENTS",
    "LIFT_FLAG",
    "SOFT_EVENTS",
    "CHALLENGE_RUN",
    "Counting",
    "Estimate",
    "check",
    "estimate",
    "total",
]

SOFT_EVENTS = 20_000_000
"""Stage visits in a whole run above which it is refused unless ``--no-size-limit`` is given (time)."""
HARD_REPLICATION_EVENTS = 2_500_000
"""Stage visits in one replication above which it is always refused (one process's memory)."""
HARD_EVENTS = 1_000_000_000
"""Stage visits in a whole run above which it is always refused (memory for the summary, and days of work)."""
HARD_DAYS = 100_000
"""Working days of horizon and follow-up above which a scenario is always refused (the calendar's memory)."""
LIFT_FLAG = "--no-size-limit"
"""The option that lifts :data:`SOFT_EVENTS`."""


@dataclass(frozen=True)
class Estimate:
    """The work a run (or a part of one) asks for: stage visits in all, and at most in one replication.

    ``replications`` is the ``-n`` of the run: the most any of its parts runs (each side of a
    comparison, each point of a sweep runs that many).
    """

    events: float
    replication_events: float
    replications: int
    units_per_replication: float
    """Challenges raised in one replication (children, for a conference run)."""
    days: int

    def __add__(self, other: Estimate) -> Estimate:
        """Two parts of one command's work (the sides of a comparison, the points of a sweep)."""
        return Estimate(
            self.events + other.events,
            max(self.replication_events, other.replication_events),
            max(self.replications, other.replications),
            max(self.units_per_replication, other.units_per_replication),
            max(self.days, other.days),
        )


def _arrivals(scenario: Scenario) -> float:
    """Expected challenges raised over the horizon: the rate times the mean monthly factor, or the replayed rows."""
    arrivals = scenario.arrivals
    if isinstance(arrivals, PoissonArrivals):
        factor = sum(arrivals.factor(m) for m in range(1, 13)) / 12
        return arrivals.rate * factor * scenario.calendar.horizon
    return float(len(scenario.replay))


def _stages(scenario: Scenario) -> float:
    """Stages a challenge visits, by the share of each route (each stage once)."""
    shares = sum(r.share for r in scenario.routes) or 1.0
    return sum(r.share * len(r.procedure.stages) for r in scenario.routes) / shares


def estimate(scenario: Scenario, replications: int | None = None, open_cases: int = 0) -> Estimate:
    """The stage visits ``replications`` (default: the scenario's) of ``scenario`` would make.

    >>> from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
    >>> sc = load_scenario(SCENARIOS_DIR / "redcar-baseline.yaml").with_setting("arrivals.rate", 1e4)
    >>> f"{estimate(sc, 1).replication_events:.2g}"
    '1.4e+07'
    """
    n = scenario.replications if replications is None else replications
    challenges = _arrivals(scenario) + open_cases
    per_replication = challenges * _stages(scenario)
    days = scenario.calendar.horizon + scenario.calendar.follow_up
    return Estimate(per_replication * n, per_replication, n, challenges, days)


def total(parts: Iterable[Estimate]) -> Estimate:
    """The sum of several :class:`Estimate` (an empty sum asks for nothing)."""
    out = Estimate(0.0, 0.0, 0, 0.0, 0)
    for part in parts:
        out = out + part
    return out


@dataclass(frozen=True)
class Counting:
    """How a kind of run counts its work, and the words its refusals use for it."""

    soft: int
    """Events in a whole run above which it is refused unless ``--no-size-limit`` is given."""
    run: str
    """The run, as in "this run would simulate ..."."""
    one: str
    """One replication of it, as in "one replication would simulate ..."."""
    events: str
    """What it simulates: "stage visits" or "events"."""
    units: str
    """What each replication is made of: "challenges" or "children"."""
    about: str
    """"about " where the count of units in one replication is itself an estimate, else ""."""
    rate: str
    """The scenario key that sets the demand."""


CHALLENGE_RUN = Counting(SOFT_EVENTS, "this run", "one replication", "stage visits", "challenges", "", "arrivals.rate")
"""A challenge run's ceilings and words."""


def _ways(e: Estimate, w: Counting) -> str:
    fewer = max(1, int(e.replications * w.soft / e.events)) if e.events else e.replications
    return (
        f"use fewer replications (-n {min(fewer, e.replications)} or fewer), a shorter calendar.horizon, "
        f"or a lower {w.rate}"
    )


def check(e: Estimate, *, lifted: bool = False, counting: Counting = CHALLENGE_RUN) -> None:
    """Raise unless the work ``e`` is within the ceilings (``lifted``: the soft one does not apply).

    ``counting`` gives the soft ceiling and the words of a kind of run (:data:`CHALLENGE_RUN`, or a
    conference run's).

    Raises
    ------
    CpsimError
        Giving the estimate, the ceiling crossed, why it is there and how to get under it.
    """
    if e.days > HARD_DAYS:
        raise CpsimError(
            f"the calendar would run {e.days:,} working days (horizon and follow-up), more than the "
            f"{HARD_DAYS:,} cpsim can hold in memory; shorten calendar.horizon or calendar.follow_up"
        )
    w = counting
    if e.replication_events > HARD_REPLICATION_EVENTS:
        raise CpsimError(
            f"{w.one} would simulate about {e.replication_events:.2g} {w.events} "
            f"({w.about}{e.units_per_replication:,.0f} {w.units}), more than the {HARD_REPLICATION_EVENTS:,} "
            f"one process can hold in memory (no option lifts this); lower {w.rate} or shorten "
            f"calendar.horizon (together at least {math.ceil(e.replication_events / HARD_REPLICATION_EVENTS)} "
            "times), and add replications instead"
        )
    if e.events > HARD_EVENTS:
        raise CpsimError(
            f"{w.run} would simulate about {e.events:.2g} {w.events} (-n {e.replications:,}), "
            f"more than the {HARD_EVENTS:,} cpsim can summarise in memory (no option lifts this); " + _ways(e, w)
        )
    if e.events > w.soft and not lifted:
        raise CpsimError(
            f"{w.run} would simulate about {e.events:.2g} {w.events} (-n {e.replications:,}, about "
            f"{e.units_per_replication:,.0f} {w.units} a replication), more than the {w.soft:,} that "
            f"finish in about ten minutes on a two-core machine; {_ways(e, w)}; or add {LIFT_FLAG} to run it anyway"
        )
