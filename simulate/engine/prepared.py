"""What every replication of a scenario shares, built once per process, and the collector's pace while one runs.

Compiling the routes and their target clocks does not depend on the seed or the replication, so
:func:`prepared` keeps them for the last few scenarios seen (by identity, holding the scenario so
that its identity cannot be reused). :func:`fewer_collections` runs the cyclic garbage collector's
youngest generation less often while a replication allocates its many short-lived events; every
collection still happens, so memory stays bounded, and the previous pace is restored afterwards.

Examples
--------
>>> from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
>>> sc = load_scenario(SCENARIOS_DIR / "redcar-baseline.yaml")
>>> prepared(sc) is prepared(sc)
True
>>> import gc
>>> before = gc.get_threshold()
>>> with fewer_collections():
...     gc.get_threshold()[0] >= 10_000
True
>>> gc.get_threshold() == before
True
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from cpsim.model.scenario.classes import CalendarSpec, Scenario
from cpsim.simulate.engine.calendar import WorkingCalendar
from cpsim.simulate.engine.table import Table, compile_route
from cpsim.simulate.engine.targets import TargetClock, target_clocks

__all__ = ["Prepared", "calendar_for", "fewer_collections", "prepared"]

KEEP = 4
"""Scenarios whose compiled routes are kept."""

YOUNG = 20_000
"""Allocations between collections of the youngest generation while a replication runs (Python's default: 700)."""


@dataclass(frozen=True)
class Prepared:
    """A scenario's compiled routes and, per route, its target clocks."""

    scenario: Scenario
    tables: tuple[Table, ...]
    clocks: tuple[tuple[TargetClock, ...], ...]


_cache: dict[int, Prepared] = {}
_lock = threading.Lock()


def calendar_for(scenario: Scenario) -> WorkingCalendar:
    """The working calendar covering the scenario's horizon and follow-up (built once per process)."""
    return _calendar(scenario.calendar)


@lru_cache(maxsize=8)
def _calendar(c: CalendarSpec) -> WorkingCalendar:
    return WorkingCalendar(
        c.start,
        c.horizon + c.follow_up + 2,
        nation=c.nation,
        closures=[(x.from_, x.to) for x in c.closures],
        hours_per_day=c.hours_per_day,
        opening=c.opening,
    )


def prepared(scenario: Scenario) -> Prepared:
    """The compiled routes of ``scenario`` and their target clocks on its calendar."""
    key = id(scenario)
    found = _cache.get(key)
    if found is not None and found.scenario is scenario:
        return found
    cal = calendar_for(scenario)
    made = Prepared(
        scenario,
        tuple(compile_route(r.procedure, r.behaviour) for r in scenario.routes),
        tuple(tuple(target_clocks(r.procedure, cal, r.behaviour.hours_per_day)) for r in scenario.routes),
    )
    with _lock:
        while len(_cache) >= KEEP:
            del _cache[next(iter(_cache))]
        _cache[key] = made
    return made


class _Pace:
    runs = 0
    saved: tuple[int, int, int] = gc.get_threshold()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect the youngest generation every :data:`YOUNG` allocations until the block ends (safe nested, threaded)."""
    with _lock:
        if _Pace.runs == 0:
            _Pace.saved = gc.get_threshold()
            gc.set_threshold(max(YOUNG, _Pace.saved[0]), *_Pace.saved[1:])
        _Pace.runs += 1
    try:
        yield
    finally:
        with _lock:
            _Pace.runs -= 1
            if _Pace.runs == 0:
                gc.set_threshold(*_Pace.saved)
