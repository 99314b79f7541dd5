"""Staff as SimPy resources: a pool of ``headcount x capacity`` slots per role, shrinking when people are away.

A request for a role's time takes one slot until the work is done. On a working day when some
of the role are absent, only the slots of those present can be granted; work already under way
carries on, new work waits. When nobody in the role is present and the role names a deputy, new
requests go to the deputy's pool instead; otherwise they wait for someone to return.

The pool is a :class:`simpy.Resource` whose admission rule is its documented ``_do_put`` hook:
waiting requests are granted, first come first served, while fewer slots are in use than
those present hold; when several slots come free at once (people back from absence) every
one of them is filled. A request
used as a context manager (``with pool.request() as req``) leaves the queue, or gives its slot
back, however the block ends, so no slot is ever left held.

Each pool keeps time-weighted statistics over the counted window (after warm-up, up to the
horizon): slots in use, capacity available and queue length.

Examples
--------
>>> import simpy
>>> env = simpy.Environment()
>>> pool = StaffPool(env, "manager", headcount=1, per_person=2, window=(0, 10))
>>> a, b, c = pool.request(), pool.request(), pool.request()
>>> len(pool.users), len(pool.queue)
(2, 1)
>>> _ = pool.release(a)
>>> env.run()
>>> len(pool.users), len(pool.queue)
(2, 0)
>>> pool.set_present(0)                   # the manager is away: the two under way carry on
>>> with pool.request() as d:
...     d.triggered
False
>>> len(pool.queue)                       # leaving the block withdrew the waiting request
0
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator
from types import TracebackType
from typing import Any

import numpy as np
import simpy
from simpy.resources.resource import Release, Request

from cpsim.model.scenario.classes import StaffSpec
from cpsim.simulate.engine.calendar import WorkingCalendar
from cpsim.simulate.engine.draws import ABSENCE, role_key, stream
from cpsim.simulate.engine.records import RoleRecord

__all__ = ["SlotRequest", "StaffPool", "absent_by_day", "build_pools"]


class SlotRequest(Request):
    """A request for one slot of a :class:`StaffPool`; as a context manager it always lets go on exit."""

    resource: StaffPool

    def __enter__(self) -> SlotRequest:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is GeneratorExit:  # a process torn down with its environment: nothing is left to run
            self.cancel()
        elif self.triggered:  # as StaffPool.withdraw, inlined: this runs once per slot used
            pool = self.resource
            pool._tick()
            Release(pool, self)
        else:
            self.resource.withdraw(self)


class _Look(Request):
    """A request that is never granted: making one has SimPy look at the waiting queue again."""


class StaffPool(simpy.Resource):
    """A role's people as one SimPy resource: slots are granted only up to what those present hold."""

    def __init__(
        self, env: simpy.Environment, role: str, *, headcount: int, per_person: int, window: tuple[float, float]
    ) -> None:
        super().__init__(env, capacity=max(headcount * per_person, 1))
        self.env = env
        self.role, self.headcount, self.per_person = role, headcount, per_person
        self.nominal = headcount * per_person
        self.present = headcount
        self.deputy: StaffPool | None = None
        self.deputy_unlimited = False
        self.window = window
        self._from, self._to = window  # as two numbers: _tick runs at every request and release
        self._last = 0.0
        self.busy_area = self.queue_area = self.capacity_area = 0.0
        self.queue_max = self.requests = self.deputised = 0

    @property
    def slots(self) -> int:
        """The slots of the people present now."""
        return self.present * self.per_person

    # simpy.Resource annotates _do_put as returning None, but BaseResource documents the return
    # value as "go on to the next waiting request" (_trigger_put stops at the first falsy one).
    def _do_put(self, event: Request) -> bool:  # type: ignore[override]
        """Grant ``event`` a slot when one of those present is free (SimPy's hook for admission).

        One look at the queue fills every free slot in order, so when several people come back
        on the same day as many waiting requests start. A request that cannot start ends the
        look, so nobody overtakes the head of the queue.

        Returns
        -------
        bool
            Whether SimPy goes on to the next waiting request: true while slots are still free.
        """
        slots = self.present * self.per_person
        if (
            len(self.users) >= slots or event.__class__ is _Look
        ):  # not isinstance: SimPy's events are ABCs, slow to test
            return False
        self.users.append(event)  # simpy.Resource._do_put, whose capacity test the one above implies
        event.usage_since = self.env.now
        event.succeed()
        return len(self.users) < slots

    def _tick(self) -> float:
        """Add the time since the last change, within the counted window, to the time-weighted totals; return now."""
        now, last = self.env.now, self._last
        if now == last:
            return now
        self._last = now
        lo = last if last > self._from else self._from
        hi = now if now < self._to else self._to
        if hi > lo:
            span = hi - lo
            self.busy_area += span * len(self.users)
            self.queue_area += span * len(self.queue)
            self.capacity_area += span * self.present * self.per_person
        return now

    def request(self) -> SlotRequest:
        """Ask for a slot (granted at once if one is free)."""
        now = self._tick()
        self.requests += 1
        req = SlotRequest(self)
        lo, hi = self.window
        if lo <= now <= hi and len(self.queue) > self.queue_max:
            self.queue_max = len(self.queue)
        return req

    def release(self, request: Request) -> Release:
        """Give a slot back."""
        self._tick()
        return Release(self, request)

    def withdraw(self, request: Request) -> None:
        """Cancel ``request``: leave the queue, or give the slot back if it was granted meanwhile."""
        if request.triggered:
            self.release(request)
        else:
            self._tick()
            request.cancel()

    def set_present(self, people: int) -> None:
        """Change how many of the role are at work; waiting requests start in as many slots as are free."""
        self._tick()
        self.present = people
        if self.queue:
            _Look(self).cancel()

    def for_new_work(self) -> StaffPool | None:
        """The pool new work goes to now: this one, or the deputy's when nobody here is present.

        None means the deputy's role is unlimited, so the work needs no slot.
        """
        if self.present == 0 and (self.deputy is not None or self.deputy_unlimited):
            self.deputised += 1
            return self.deputy
        return self

    def record(self, replication: int) -> RoleRecord:
        """The pool's statistics over the counted window."""
        self._tick()
        span = max(self.window[1] - self.window[0], 1e-12)
        nominal_area = span * self.nominal
        return RoleRecord(
            replication=replication,
            role=self.role,
            nominal=self.nominal,
            utilisation=self.busy_area / nominal_area if nominal_area else 0.0,
            available=self.capacity_area / nominal_area if nominal_area else 0.0,
            queue_mean=self.queue_area / span,
            queue_max=self.queue_max,
            requests=self.requests,
            deputised=self.deputised,
        )


def absent_by_day(spec: StaffSpec, role: str, cal: WorkingCalendar, seed: int, replication: int) -> np.ndarray:
    """How many of the role are away on each working day of ``cal``.

    Each person is away on a day with probability ``absence.share`` (independently, from the
    role's own stream); explicit periods take the first ``people`` of the role away as well.
    """
    headcount = _headcount(spec)
    days = len(cal)
    away = np.zeros((days, headcount), dtype=bool)
    if spec.absence.share > 0 and headcount:
        away |= stream(seed, replication, ABSENCE, role_key(role)).random((days, headcount)) < spec.absence.share
    for period in spec.absence.periods:
        lo = _index_or_end(cal, period.from_)
        hi = _index_or_end(cal, period.to + dt.timedelta(days=1))
        away[lo:hi, : min(period.people or headcount, headcount)] = True
    counts: np.ndarray = away.sum(axis=1)
    return counts


def _headcount(spec: StaffSpec) -> int:
    """A limited role's number of people."""
    if isinstance(spec.headcount, str):
        raise ValueError("an unlimited role has no pool of people")
    return spec.headcount


def _index_or_end(cal: WorkingCalendar, day: dt.date) -> int:
    try:
        return cal.index(day) if day >= cal.dates[0] else 0
    except IndexError:
        return len(cal)


def _absence_process(
    env: simpy.Environment, schedule: list[tuple[StaffPool, np.ndarray]]
) -> Generator[simpy.Event, Any, None]:
    """One process for every role: at the opening of each day on which someone's presence changes, apply it."""
    present = np.array([pool.headcount - away for pool, away in schedule])  # (roles, days)
    before = np.array([[pool.headcount] for pool, _ in schedule])
    changed = np.flatnonzero((np.diff(present, axis=1, prepend=before) != 0).any(axis=0))
    for day in changed.tolist():
        if day > env.now:
            yield env.timeout(day - env.now)
        for (pool, _), people in zip(schedule, present[:, day].tolist(), strict=True):
            if people != pool.present:
                pool.set_present(people)


def build_pools(
    env: simpy.Environment,
    staff: dict[str, StaffSpec],
    cal: WorkingCalendar,
    *,
    seed: int,
    replication: int,
    window: tuple[float, float],
) -> dict[str, StaffPool]:
    """A pool for every limited role (unlimited roles get none), with absence processes and deputies."""
    pools: dict[str, StaffPool] = {}
    schedule: list[tuple[StaffPool, np.ndarray]] = []
    for role in sorted(staff):
        spec = staff[role]
        if spec.unlimited:
            continue
        pool = StaffPool(env, role, headcount=_headcount(spec), per_person=spec.capacity, window=window)
        away = absent_by_day(spec, role, cal, seed, replication)
        if away.any():
            schedule.append((pool, away))
        pools[role] = pool
    if schedule:
        env.process(_absence_process(env, schedule))
    for role, pool in pools.items():
        deputy = staff[role].deputy
        pool.deputy = pools.get(deputy) if deputy else None
        pool.deputy_unlimited = bool(deputy) and deputy not in pools
    return pools
