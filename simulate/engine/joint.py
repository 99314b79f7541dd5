"""A joint reply: several responders each reply after their own time; the last (``all``) or first (``any``) counts.

:func:`carry_joint` runs one SimPy process per responder. Each waits for a slot of its own pool if
it spends time on the reply (or its deputy's, as any request does), then replies after its own
``reply_time``. The joint reply comes when the last of them has replied (``from: all``) or the
first (``from: any``: the others' work is then withdrawn and their slots given back). A timer at
the stage's deadline races the joint reply exactly as it races one reply: a joint reply exactly at
the deadline is in time. A responder with a deadline of its own that replies later than it, or
has not replied when a reply due from all of them is given up, is late (key ``STAGE/ROLE``).

The responders' times are drawn on a stream of their own (:func:`joint_uniforms`), so procedures
without a joint reply draw exactly as before.

Examples
--------
>>> u = joint_uniforms(1, 0, "c7", False, 2, 3)
>>> len(u), all(0 <= x < 1 for x in u), u == joint_uniforms(1, 0, "c7", False, 2, 3)
(3, True, True)
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any

import simpy

from cpsim.simulate.engine.draws import JOINTS, role_key, stream
from cpsim.simulate.engine.staff import StaffPool
from cpsim.simulate.engine.table import JointPlan

__all__ = ["carry_joint", "joint_uniforms"]

EPS = 1e-9


def joint_uniforms(seed: int, replication: int, name: str, already_open: bool, visit: int, k: int) -> list[float]:
    """The ``k`` responders' uniforms for challenge ``name``'s visit ``visit``."""
    return [float(x) for x in stream(seed, replication, JOINTS, int(already_open), role_key(name), visit).random(k)]


def _reply(
    env: simpy.Environment, pool: StaffPool | None, duration: float, t0: float, resumed: bool, ends: list[float], i: int
) -> Generator[simpy.Event, Any, None]:
    """One responder's reply; ``ends[i]`` is set to when it will come once it is under way."""
    try:
        if pool is None:
            end = env.now + duration if not resumed else max(env.now, t0 + duration)
            ends[i] = end
            yield env.timeout(end - env.now)
            return
        with pool.request() as req:
            if not req.triggered:
                yield req
            end = env.now + duration if not resumed else max(env.now, t0 + duration)
            ends[i] = end
            yield env.timeout(end - env.now)
    except simpy.Interrupt:  # the joint reply came, or was given up: this work stops and its slot is given back
        return


def carry_joint(
    env: simpy.Environment,
    pools: Mapping[str | None, StaffPool],
    stage: str,
    joint: JointPlan,
    t0: float,
    resumed: bool,
    timer: simpy.Event | None,
    us: list[float],
) -> Generator[simpy.Event, Any, tuple[float, bool, tuple[str, ...]]]:
    """Wait for the joint reply: (when it came, whether it came before the timer, the responders late on their own)."""
    k = len(joint.roles)
    inf = float("inf")
    ends = [inf] * k
    procs = []
    for i in range(k):
        pool = pools.get(joint.roles[i]) if joint.spends[i] else None
        if pool is not None and pool.present == 0:
            pool = pool.for_new_work()
        procs.append(env.process(_reply(env, pool, joint.times[i](us[i]), t0, resumed, ends, i)))
    finish = env.any_of(procs) if joint.first else env.all_of(procs)
    yield (finish | timer) if timer is not None else finish
    granted = True
    if not finish.triggered:  # the deadline came first: in time only if the reply is due at this very moment
        known = min(ends) if joint.first else max(ends)
        granted = known <= env.now + EPS
        if granted:
            yield finish
    reply_at = env.now if granted else inf
    for p in procs:
        if p.is_alive:
            p.interrupt()
    now = env.now
    late = tuple(
        f"{stage}/{role}"
        for role, own, end in zip(joint.roles, joint.own, ends, strict=True)
        if own is not None and _late(end, now, t0 + own, joint.first)
    )
    return reply_at, granted, late


def _late(end: float, now: float, due: float, first: bool) -> bool:
    """Whether a responder whose reply came (or would come) at ``end`` missed its own deadline ``due``.

    One who replied is late after ``due``; one who has not replied when the visit ends at ``now`` is
    late once ``due`` has passed, unless another's reply answered for them (``from: any``).

    >>> _late(3.0, 3.0, 2.0, False), _late(9.0, 3.0, 2.0, False), _late(9.0, 3.0, 2.0, True)
    (True, True, False)
    >>> _late(1.0, 3.0, 2.0, False)
    False
    """
    if end <= now + EPS:
        return end > due + EPS
    return not first and now > due + EPS
