"""Run numbered jobs through any executor a few at a time, taking their results in number order.

:func:`run_ordered` keeps at most ``window`` jobs submitted or finished-but-not-taken, so memory
does not grow with the number of jobs (a million replications are never a million futures) and a
Ctrl-C has little to cancel. Each result is handed to ``accept`` in job order, inside
:func:`~cpsim.simulate.experiments.interrupts.held_interrupts`, so a result is either taken whole
or not at all. On Ctrl-C the jobs not started are cancelled, local workers are ended, the jobs
that had finished are taken (in order, possibly with gaps), and the call returns True.

Examples
--------
>>> seen = []
>>> run_ordered(pow, lambda i: (i, 2), 4, None, lambda i, r: seen.append(r))
False
>>> seen
[0, 1, 4, 9]
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Callable
from typing import Any, TypeVar

from cpsim.simulate.experiments.interrupts import held_interrupts, stop

__all__ = ["run_ordered"]

T = TypeVar("T")


def run_ordered(
    fn: Callable[..., T],
    args: Callable[[int], tuple[Any, ...]],
    n: int,
    executor: cf.Executor | None,
    accept: Callable[[int, T], None],
    window: int = 8,
) -> bool:
    """Run ``fn(*args(i))`` for ``i`` in ``range(n)``; give each result to ``accept(i, result)`` in order.

    ``executor`` None runs the jobs here, one after another. Returns True when a Ctrl-C stopped
    the run (after taking what had finished), False when every job was taken. An error in a job
    is raised here.
    """
    if executor is None:
        try:
            for i in range(n):
                result = fn(*args(i))
                with held_interrupts():
                    accept(i, result)
        except KeyboardInterrupt:
            return True
        return False
    return _in_executor(fn, args, n, executor, accept, max(1, window))


def _in_executor(
    fn: Callable[..., T],
    args: Callable[[int], tuple[Any, ...]],
    n: int,
    executor: cf.Executor,
    accept: Callable[[int, T], None],
    window: int,
) -> bool:
    pending: dict[int, cf.Future[T]] = {}
    ready: dict[int, T] = {}
    state = [0, 0]  # next job to submit, next job to take
    try:
        while state[1] < n:
            while state[0] < n and len(pending) + len(ready) < window:
                pending[state[0]] = executor.submit(fn, *args(state[0]))
                state[0] += 1
            cf.wait(list(pending.values()), return_when=cf.FIRST_COMPLETED)
            for i in [i for i, f in pending.items() if f.done()]:
                ready[i] = pending.pop(i).result()
            while state[1] in ready:
                with held_interrupts():
                    accept(state[1], ready[state[1]])
                    del ready[state[1]]
                    state[1] += 1
    except KeyboardInterrupt:
        with held_interrupts(reraise=False):
            stop(executor, list(pending.values()))
            for i, fut in pending.items():
                if fut.done() and not fut.cancelled() and fut.exception() is None:
                    ready[i] = fut.result()
            for i in sorted(ready):
                if i >= state[1]:
                    accept(i, ready[i])
        return True
    except BaseException:
        stop(executor, list(pending.values()))
        raise
    return False
