"""The caseload simulator: one SimPy process per challenge, moved through its procedure's compiled table.

:func:`run_replication` is a pure function of (scenario, seed, replication): it returns the
replication's flat records and nothing else depends on global state, so replications can run in
any process, in any order, and give identical results.

One visit to a stage follows :mod:`cpsim.model.behaviour` exactly; staff contention adds only waiting:

* **Request stage.** With probability ``p_no_reply`` no reply ever comes. Otherwise the request
  waits for a free slot of the responder's pool (or the deputy's), then the reply takes
  ``reply_time``. When the stage has a ``no-reply`` route (given or assumed) and a deadline, a timer
  set at the deadline races the request: if it fires first, the request is withdrawn from the
  queue (or the slot is given back) and the case takes the ``no-reply`` route at the deadline.
  A reply exactly at the deadline is in time.
  With a time to send (``send_time``), the stage's owner first sends the request
  (:mod:`cpsim.simulate.engine.sends`); the reply clock and the deadline start once it is sent,
  and so does the stage in the event log.
  A joint reply (several ``responders``) waits for each responder's own reply, the last or the
  first (:mod:`cpsim.simulate.engine.joint`).
* **Other stages.** The owner works for ``stay_time`` (holding a slot if the owner is staffed and
  the stay takes time), then an outcome is drawn from ``choices``.
* **Moves** with a ``move_time`` are carried out by the next stage's owner (holding a slot if
  staffed); moves without one are instant. A move the scenario times whose transition has a
  ``within`` is checked against it (:mod:`cpsim.simulate.engine.moves`): the record lists every
  such move and the late ones, and a move still under way at the end of the run is late once its
  limit has passed, else unfinished.

Slots are held in ``with`` blocks, so a visit that ends in any way, an exception included,
leaves the queue or gives its slot back.

Examples
--------
>>> from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
>>> sc = load_scenario(SCENARIOS_DIR / "redcar-baseline.yaml")
>>> a = run_replication(sc, seed=1, replication=0)
>>> b = run_replication(sc, seed=1, replication=0)
>>> a.cases == b.cases and len(a.cases) > 100
True
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
import simpy

from cpsim.model.scenario.classes import ReplayArrivals, Scenario
from cpsim.model.scenario.open_cases import OpenCase
from cpsim.simulate.engine.arrivals import poisson_arrivals, replay_arrivals
from cpsim.simulate.engine.draws import CASES, OPEN_CASES, VISITS_IN_BLOCK, CaseDraws, SendDraws
from cpsim.simulate.engine.joint import carry_joint, joint_uniforms
from cpsim.simulate.engine.live import LiveCase, RecordMaker
from cpsim.simulate.engine.prepared import calendar_for, fewer_collections, prepared
from cpsim.simulate.engine.records import CaseRecord, EventRecord, RoleRecord
from cpsim.simulate.engine.sends import carry_send, named_send_uniform
from cpsim.simulate.engine.staff import SlotRequest, StaffPool, build_pools
from cpsim.simulate.engine.table import StagePlan, Table, choose, due_of, leads_to
from cpsim.simulate.engine.targets import TargetClock

__all__ = ["ReplicationResult", "calendar_for", "run_replication"]  # calendar_for from .prepared, as before

EPS = 1e-9
_NO_SLOT: nullcontext[None] = nullcontext()
"""What :meth:`_Run.slot` holds for an unlimited role (reusable: it holds nothing)."""

Process = Generator[simpy.Event, Any, None]
"""A SimPy process that returns nothing."""


@dataclass(frozen=True)
class ReplicationResult:
    """Everything one replication produced."""

    replication: int
    seed: int
    cases: tuple[CaseRecord, ...]
    events: tuple[EventRecord, ...]
    roles: tuple[RoleRecord, ...]
    leftover_users: int = field(default=0, metadata={"doc": "slots still held when the run stopped"})


_Live = LiveCase
"""The name the conference model's challenge runner uses for a challenge under way."""


class _Run:
    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        replication: int,
        *,
        events: bool,
        on_case: Callable[[CaseRecord], None] | None = None,
        keep: bool = True,
        env: simpy.Environment | None = None,
    ) -> None:
        c = scenario.calendar
        self.scenario, self.seed, self.replication = scenario, seed, replication
        self.cal = calendar_for(scenario)
        self.env = env if env is not None else simpy.Environment()  # shared when another model raises challenges
        self.horizon = float(c.horizon)
        self.window = (float(c.warm_up), float(c.horizon))
        self.pools: dict[str, StaffPool] = build_pools(
            self.env, scenario.staff, self.cal, seed=seed, replication=replication, window=self.window
        )
        self.pool_of: dict[str | None, StaffPool] = {role: pool for role, pool in self.pools.items()}
        ready = prepared(scenario)
        self.tables: tuple[Table, ...] = ready.tables
        self.clocks: tuple[tuple[TargetClock, ...], ...] = ready.clocks
        self.route_ids = [r.procedure.id for r in scenario.routes]
        self.makers = [
            RecordMaker(replication, pid, clocks, {s: p.ending for s, p in t.plans.items()}, self.cal, self.horizon)
            for pid, clocks, t in zip(self.route_ids, self.clocks, self.tables, strict=True)
        ]
        self.has_sends = any(p.send is not None for t in self.tables for p in t.plans.values())
        self.open_sends = SendDraws(seed, replication, OPEN_CASES)
        self.live: dict[str, _Live] = {}
        self.cases: list[CaseRecord] = []
        self.events: list[EventRecord] | None = [] if events else None
        self.on_case, self.keep = on_case, keep
        self.fed = False  # every arrival has been started
        self.idle: simpy.Event | None = None  # see stop_when_idle

    # --- arrivals ------------------------------------------------------------------------------
    def arrivals(self) -> tuple[np.ndarray, np.ndarray]:
        sc, shares = self.scenario, [r.share for r in self.scenario.routes]
        if isinstance(sc.arrivals, ReplayArrivals):
            last = self.cal.dates[sc.calendar.horizon - 1]
            rows = [r for r in sc.replay if r.date <= last]
            return replay_arrivals(rows, self.cal, self.route_ids, shares, seed=self.seed, replication=self.replication)
        return poisson_arrivals(
            sc.arrivals, self.cal, sc.calendar.horizon, shares, seed=self.seed, replication=self.replication
        )

    def feed(self, times: np.ndarray, routes: np.ndarray) -> Process:
        env, draws = self.env, CaseDraws(self.seed, self.replication, CASES)
        lo, hi = self.window
        process, case, rows, overflow, timeout = env.process, self.case, draws.rows, draws.overflow, env.timeout
        sends = SendDraws(self.seed, self.replication, CASES).uniform if self.has_sends else None
        for n, (t, r) in enumerate(zip(times.tolist(), routes.tolist(), strict=True)):
            now = env.now
            if t > now:
                yield timeout(t - now)
            live = LiveCase(f"c{n}", r, t, lo <= t < hi, False)
            process(case(live, rows(n), partial(overflow, n), send_u=partial(sends, n) if sends else None))
        self.fed = True

    def open_case(self, n: int, oc: OpenCase, draws: CaseDraws) -> None:
        r = self.route_ids.index(oc.route)
        live = _Live(oc.id, r, self.cal.signed_time(oc.raised), False, True)
        asked = self.cal.signed_time(oc.asked)
        table = self.tables[r]
        live.prior = [
            (c.target.from_, live.raised) for c in self.clocks[r] if leads_to(table, c.target.from_, oc.stage)
        ]
        sends = partial(self.open_sends.uniform, n)
        gen = self.case(
            live, draws.for_case(n).tolist(), partial(draws.overflow, n), stage=oc.stage, entered=asked, send_u=sends
        )
        self.env.process(gen)

    # --- one challenge -------------------------------------------------------------------------
    def case(
        self,
        live: _Live,
        block: list[list[float]],
        overflow: Callable[[], np.random.Generator],
        *,
        stage: str | None = None,
        entered: float | None = None,
        send_u: Callable[[int], float] | None = None,
    ) -> Process:  # long: the hot loop, with a request's visit inlined (a sub-generator per visit costs)
        env, table = self.env, self.tables[live.route]
        plans, enter_stage, enter_time = table.plans, live.stages.append, live.times.append
        timeout, pools = env.timeout, self.pool_of
        logging = self.events is not None
        self.live[live.name] = live
        stage = stage or table.start
        extra: np.random.Generator | None = None
        visit = 0
        while True:
            plan = plans[stage]
            now = env.now
            enter_stage(stage)
            enter_time(now if entered is None else entered)
            if plan.terminal:
                if logging:
                    self.event(live, plan, "complete", env.now, "")
                break
            if visit < VISITS_IN_BLOCK:
                u = block[visit]
            else:
                extra = extra or overflow()
                u = extra.random(4).tolist()
            visit += 1
            if logging and plan.send is None:
                self.event(live, plan, "start", env.now, "")
            if plan.request:  # the request's visit (see the module docstring)
                if plan.send is not None and entered is None:  # sent first: the reply clock starts once it is sent
                    us = (
                        send_u(visit - 1)
                        if send_u
                        else named_send_uniform(self.seed, self.replication, live.name, visit - 1)
                    )
                    yield from carry_send(self.work, env, self.cal, live, plan.send, us)
                    now = env.now
                if logging and plan.send is not None:  # the request starts when it is sent
                    self.event(live, plan, "start", env.now, "")
                t0 = now if entered is None else entered
                due = t0 + plan.deadline if plan.deadline is not None else None
                if due is not None:
                    live.asking = (plan.stage, due)
                if u[1] < plan.p_no_reply:  # never replies; the loader gives such a stage a deadline and a timer
                    wait = due_of(due) - now
                    yield timeout(wait if wait > 0.0 else 0.0)
                    live.breaches += (plan.stage,)
                    outcome = "no-reply"
                else:
                    timer = None
                    if plan.timer:
                        wait = due_of(due) - now
                        timer = timeout(wait if wait > 0.0 else 0.0)
                    pool = pools.get(plan.worker)
                    if pool is not None and pool.present == 0:
                        pool = pool.for_new_work()
                    granted = True
                    if plan.joint is not None:  # several responders (see cpsim.simulate.engine.joint)
                        ju = joint_uniforms(self.seed, self.replication, live.name, live.already_open, visit - 1, 8)
                        joint = carry_joint(env, pools, plan.stage, plan.joint, t0, entered is not None, timer, ju)
                        reply_at, granted, late = yield from joint
                        live.breaches += late
                    elif pool is None:  # an unlimited role: the reply needs nobody's slot
                        reply_at = now + plan.time(u[0]) if entered is None else max(now, t0 + plan.time(u[0]))
                        done = timeout(reply_at - now)
                        yield (done | timer) if timer is not None else done
                    else:
                        with pool.request() as req:
                            if not req.triggered:
                                yield (req | timer) if timer is not None else req
                                now = env.now
                            granted = req.triggered  # else the deadline passed while waiting for a free person
                            if granted:
                                reply_at = now + plan.time(u[0]) if entered is None else max(now, t0 + plan.time(u[0]))
                                done = timeout(reply_at - now)
                                yield (done | timer) if timer is not None else done
                    outcome = "satisfied" if u[2] < plan.p_satisfied else "unsatisfied"
                    if not granted:
                        live.breaches += (plan.stage,)
                        outcome = "no-reply"
                    elif due is not None and reply_at > due + EPS:
                        live.breaches += (plan.stage,)
                        if timer is not None:
                            outcome = "no-reply"
                    elif timer is not None and env.now < reply_at:
                        yield timeout(reply_at - env.now)  # a tie at the deadline: the reply is in time
                live.asking = None
            else:
                if plan.worker_acts:
                    yield from self.work(plan.worker, plan.time(u[0]))
                choices = plan.choices
                outcome = choices[0][1] if len(choices) == 1 else choose(plan, u[2])  # one way on: u < 1 always
            entered = None
            if logging:
                self.event(live, plan, "complete", env.now, outcome)
            move = plan.moves.get(outcome) if plan.moves else None
            if move is not None:  # carried out by the next stage's owner; a timed one is checked against its limit
                limit, t0 = move.limit, env.now
                if limit is not None:
                    live.moving = (limit, t0)
                    live.timed_moves += (limit.key,)
                duration = move.time(u[3])
                pool = pools.get(move.worker)
                if pool is not None and pool.present == 0:
                    pool = pool.for_new_work()
                if pool is None:
                    if duration > 0:
                        yield timeout(duration)
                else:
                    with pool.request() as req:
                        if not req.triggered:
                            yield req
                        if duration > 0:
                            yield timeout(duration)
                if limit is not None:
                    live.moving = None
                    if limit.late(t0, env.now, self.cal):
                        live.late_moves += (limit.key,)
            stage = plan.after[outcome]
        self.finish(live, now)  # the time the final stage was entered

    def work(self, role: str | None, duration: float) -> Process:
        pool = self.pool_of.get(role)
        if pool is not None and pool.present == 0:
            pool = pool.for_new_work()
        if pool is None:  # an unlimited role
            if duration > 0:
                yield self.env.timeout(duration)
            return
        with pool.request() as req:
            if not req.triggered:
                yield req
            if duration > 0:
                yield self.env.timeout(duration)

    def slot(self, role: str | None) -> SlotRequest | nullcontext[None]:
        """A request for a slot of ``role`` (or of its deputy), to hold in a ``with`` block; none if unlimited."""
        pool = self.pools.get(role) if role is not None else None
        if pool is not None:
            pool = pool.for_new_work()
        return pool.request() if pool is not None else _NO_SLOT

    # --- records -------------------------------------------------------------------------------
    def event(self, live: _Live, plan: StagePlan, lifecycle: str, t: float, outcome: str) -> None:
        if self.events is None:
            return
        end = lifecycle == "complete"
        stamp = self.cal.moment(t, end=end).isoformat() if t >= 0 else ""
        route, worker = self.route_ids[live.route], plan.worker or ""
        record = EventRecord(self.replication, live.name, route, plan.stage, worker, lifecycle, t, stamp, outcome)
        self.events.append(record)

    def finish(self, live: _Live, end: float | None) -> None:
        del self.live[live.name]
        record = self.makers[live.route].record(live, end, end if end is not None else self.env.now)
        if self.on_case is not None:
            self.on_case(record)
        if self.keep:
            self.cases.append(record)
        if not self.live and self.idle is not None:
            self.stop_if_idle()

    # --- stopping early (see run_replication) --------------------------------------------------
    def stop_when_idle(self) -> None:
        """Stop the run once, at or past the horizon, every arrival has come and no challenge is open."""
        self.idle = self.env.event()
        self.idle.callbacks.append(simpy.core.StopSimulation.callback)
        self.env.timeout(self.horizon).callbacks.append(self.stop_if_idle)

    def stop_if_idle(self, _: object = None) -> None:
        """Trigger the stop of :meth:`stop_when_idle` if the run is idle past the horizon."""
        idle = self.idle
        if idle is not None and not idle.triggered and self.fed and not self.live and self.env.now >= self.horizon:
            idle.succeed()


def run_replication(
    scenario: Scenario,
    seed: int,
    replication: int = 0,
    *,
    open_cases: Sequence[OpenCase] = (),
    events: bool = False,
    on_case: Callable[[CaseRecord], None] | None = None,
    keep_cases: bool = True,
) -> ReplicationResult:
    """Simulate one replication of ``scenario``; the result depends only on the arguments.

    Parameters
    ----------
    scenario
        A loaded scenario.
    seed, replication
        The run's seed and this replication's number; together they fix every random draw.
    open_cases
        Challenges already open when the run starts (from ``--open-cases``).
    events
        Also return every stage start and completion as :class:`EventRecord` (slower).
    on_case, keep_cases
        Call ``on_case`` with each challenge's record as it finishes (in finishing order); with
        ``keep_cases=False`` records are not kept, so a long run streams in little memory.

    The run stops at the end of the follow-up, or earlier: once, at or past the horizon, every
    arrival has come and no challenge is open (checked at the horizon and whenever the last open
    challenge ends, after the events due at that moment). Nothing is left to happen then but
    absences changing and timers of finished visits firing, and the staff's statistics count only
    up to the horizon, so every record is as it would be at the end of the follow-up.
    """
    with fewer_collections():
        run = _Run(scenario, seed, replication, events=events, on_case=on_case, keep=keep_cases)
        open_draws = CaseDraws(seed, replication, OPEN_CASES)
        for n, oc in enumerate(open_cases):
            run.open_case(n, oc, open_draws)
        run.env.process(run.feed(*run.arrivals()))
        run.stop_when_idle()
        run.env.run(until=run.horizon + scenario.calendar.follow_up)
        run.idle = None
        for live in list(run.live.values()):
            run.finish(live, None)
    roles = tuple(p.record(replication) for _, p in sorted(run.pools.items()))
    leftover = sum(len(p.users) + len(p.put_queue) for p in run.pools.values())
    cases = tuple(sorted(run.cases, key=lambda c: (c.already_open, c.raised, c.case)))
    return ReplicationResult(replication, seed, cases, tuple(run.events or ()), roles, leftover)
