"""A request stage's time to send: the owner sends the request, then the responder's reply clock starts.

A source may give a rung two clocks (``send:`` in the procedure): the time for the stage's owner
to send the request once the stage is reached, then the responder's time to reply. The scenario
gives the first as the stage's ``send_time``; :func:`carry_send` spends it when the stage is
entered, holding one of the owner's slots if the owner is staffed, and checks it against the
source's limit on it, if any, as a move is checked (key ``STAGE/send``). The reply clock and the
deadline start when it ends.

Examples
--------
>>> 0 <= named_send_uniform(1, 0, "c7", 2) < 1
True
>>> named_send_uniform(1, 0, "c7", 2) == named_send_uniform(1, 0, "c7", 2) != named_send_uniform(1, 0, "c8", 2)
True
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import simpy

from cpsim.simulate.engine.calendar import WorkingCalendar
from cpsim.simulate.engine.draws import SENDS, role_key, stream
from cpsim.simulate.engine.live import LiveCase
from cpsim.simulate.engine.table import Move

__all__ = ["carry_send", "named_send_uniform"]


def named_send_uniform(seed: int, replication: int, name: str, visit: int) -> float:
    """A send uniform for challenge ``name``'s visit ``visit``, for runners that number no challenges."""
    return float(stream(seed, replication, SENDS, role_key(name), visit).random())


def carry_send(
    work: Callable[[str | None, float], Generator[simpy.Event, Any, None]],
    env: simpy.Environment,
    cal: WorkingCalendar,
    live: LiveCase,
    send: Move,
    u: float,
) -> Generator[simpy.Event, Any, None]:
    """The owner's sending of the request (``work`` holds the owner's slot), checked against its limit."""
    limit, t0 = send.limit, env.now
    if limit is not None:
        live.moving = (limit, t0)
        live.timed_moves += (limit.key,)
    yield from work(send.worker, send.time(u))
    if limit is not None:
        live.moving = None
        if limit.late(t0, env.now, cal):
            live.late_moves += (limit.key,)
