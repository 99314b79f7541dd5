"""Run lists of (scenario, seed, replication) tasks through any executor, with identical results.

Comparisons and sweeps run many replications of many scenarios. Each task is one replication of
one scenario, simulated by :func:`cpsim.simulate.experiments.runner.replicate` and reduced here to a small, flat,
picklable :class:`Outcome` (breaches per target, time to resolution) so that it travels cheaply
back from a worker process or a Dask worker.

A replication draws only from streams keyed by ``(seed, replication, ...)`` (see
:mod:`cpsim.simulate.engine.draws`), so a task gives the same :class:`Outcome` wherever it runs: in this
process, in a local process pool, or on a Dask cluster (``Client.get_executor()`` is a standard
:class:`concurrent.futures.Executor`). :func:`run_tasks` returns outcomes in task order,
whatever order they finish in.

Examples
--------
>>> from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
>>> sc = load_scenario(SCENARIOS_DIR / "redcar-baseline.yaml")
>>> a = run_tasks([Task(sc, 5, 0)])
>>> a == run_tasks([Task(sc, 5, 0)]) and a[0].counted > 100
True
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from cpsim.model.scenario.classes import Scenario
from cpsim.model.scenario.open_cases import OpenCase
from cpsim.simulate.experiments.runner import Replicated, RunResult, collect, now, replicate

__all__ = ["Outcome", "Task", "replicate_outcome", "run_on_executor", "run_tasks", "tasks_for"]


@dataclass(frozen=True)
class Task:
    """One replication of one scenario: what a worker needs to simulate it."""

    scenario: Scenario
    seed: int
    replication: int


@dataclass(frozen=True)
class Outcome:
    """One replication reduced to what comparisons and sweeps use.

    ``targets`` holds ``(key, challenges, breached)`` per target, keyed ``"<procedure>/<target>"``
    as in the simulation summary. ``resolution_mean`` is the mean working days to resolution of the
    counted challenges that ended (None if none did).
    """

    replication: int
    seed: int
    counted: int
    targets: tuple[tuple[str, int, int], ...]
    resolved: int
    resolution_mean: float | None

    def rate(self, key: str) -> float | None:
        """Breach rate of target ``key`` in this replication (None when no challenge was measured)."""
        for k, n, breached in self.targets:
            if k == key:
                return breached / n if n else None
        return None


def replicate_outcome(task: Task) -> Outcome:
    """Simulate ``task`` and reduce it to an :class:`Outcome` (a top-level function, so it pickles)."""
    stats = replicate(task.scenario, task.seed, task.replication).stats
    times = np.asarray(stats.resolution, dtype=float)
    return Outcome(
        replication=task.replication,
        seed=task.seed,
        counted=int(stats.counted),
        targets=tuple((k, int(v[0]), int(v[1])) for k, v in sorted(stats.targets.items())),
        resolved=len(times),
        resolution_mean=float(times.mean()) if len(times) else None,
    )


def tasks_for(scenario: Scenario, replications: int, seed: int) -> list[Task]:
    """Replications ``0 .. replications-1`` of ``scenario`` with ``seed`` (common random numbers across scenarios)."""
    return [Task(scenario, seed, i) for i in range(replications)]


def run_tasks(
    tasks: Sequence[Task],
    executor: cf.Executor | None = None,
    on_done: Callable[[int], None] | None = None,
) -> list[Outcome]:
    """Run every task, in this process or through ``executor``; outcomes in task order.

    Parameters
    ----------
    tasks
        The replications to simulate.
    executor
        Any :class:`concurrent.futures.Executor` (a process pool, or a Dask client's
        ``get_executor()``); None runs the tasks one after another in this process.
    on_done
        Called with the number finished so far, as each task finishes.
    """
    if executor is None:
        out = []
        for task in tasks:
            out.append(replicate_outcome(task))
            if on_done:
                on_done(len(out))
        return out
    futures = [executor.submit(replicate_outcome, task) for task in tasks]
    index = {id(f): i for i, f in enumerate(futures)}
    done: dict[int, Outcome] = {}
    try:
        for fut in cf.as_completed(futures):
            done[index[id(fut)]] = fut.result()
            if on_done:
                on_done(len(done))
    except BaseException:
        for f in futures:
            f.cancel()
        raise
    return [done[i] for i in range(len(tasks))]


def run_on_executor(
    scenario: Scenario,
    executor: cf.Executor,
    *,
    replications: int | None = None,
    seed: int | None = None,
    open_cases: Sequence[OpenCase] = (),
    keep: bool = False,
    events: bool = False,
    on_done: Callable[[int], None] | None = None,
) -> RunResult:
    """As :func:`cpsim.simulate.experiments.runner.run`, but the replications run through ``executor``.

    ``executor`` is any :class:`concurrent.futures.Executor`, a Dask cluster's for instance.
    Replication ``i`` gives the same records as in one process, so the run's summary is identical.
    Interrupting (Ctrl-C) keeps the replications that had finished.
    """
    n = scenario.replications if replications is None else replications
    s = scenario.seed if seed is None else seed
    started = now()
    futures = {
        executor.submit(replicate, scenario, s, i, open_cases=open_cases, keep=keep, events=events): i for i in range(n)
    }
    done: dict[int, Replicated] = {}
    interrupted = False
    try:
        for fut in cf.as_completed(futures):
            done[futures[fut]] = fut.result()
            if on_done:
                on_done(len(done))
    except KeyboardInterrupt:
        interrupted = True
        for fut in futures:
            fut.cancel()
    return collect(scenario, s, n, done, interrupted=interrupted, started=started)
