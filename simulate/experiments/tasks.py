"""Run lists of (scenario, seed, replication) tasks through any executor, with identical results.

Comparisons and sweeps run many replications of many scenarios. Each task is one replication of
one scenario, simulated by :func:`cpsim.simulate.experiments.runner.replicate` and reduced here to a small, flat,
picklable :class:`Outcome` (breaches per target, time to resolution) so that it travels cheaply
back from a worker process or a Dask worker. :func:`breach_totals` and :func:`resolution_totals`
gather the outcomes' per-replication totals, from which comparisons and sweeps compute the same
ratio estimators as the simulation summary (:mod:`cpsim.simulate.experiments.estimators`).

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
from typing import Any

import numpy as np

from cpsim.model.scenario.classes import Scenario
from cpsim.model.scenario.open_cases import OpenCase
from cpsim.simulate.experiments.estimators import RATE, ratio_ci
from cpsim.simulate.experiments.ordered import run_ordered
from cpsim.simulate.experiments.runner import WINDOW, RunResult, replicate, run

__all__ = [
    "Outcome",
    "Task",
    "Totals",
    "breach_totals",
    "replicate_outcome",
    "resolution_totals",
    "run_on_executor",
    "run_tasks",
    "run_tasks_until_stopped",
    "tasks_for",
]


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
    as in the simulation summary, and ``unfinished`` holds ``(key, unfinished)``: the challenges
    whose clock started and had not passed the limit when the follow-up ended (neither met nor
    missed; a key not listed has none). ``resolved`` counts the counted challenges that ended and
    ``resolution_mean`` is their mean working days to resolution (None if none did); the other
    ``counted - resolved`` were still open.

    >>> o = Outcome(0, 1, 20, (("p/t", 20, 11),), 13, 2.5, (("p/t", 4),))
    >>> o.cell("p/t"), o.rate("p/t"), o.resolution_total
    ((20, 11, 4), 0.6875, 32.5)
    """

    replication: int
    seed: int
    counted: int
    targets: tuple[tuple[str, int, int], ...]
    resolved: int
    resolution_mean: float | None
    unfinished: tuple[tuple[str, int], ...] = ()

    def cell(self, key: str) -> tuple[int, int, int] | None:
        """``(challenges, breached, unfinished)`` of target ``key``, as the summary counts them (None: not measured)."""
        for k, n, breached in self.targets:
            if k == key:
                return n, breached, dict(self.unfinished).get(key, 0)
        return None

    def rate(self, key: str) -> float | None:
        """Breach rate of target ``key`` over the decided challenges (None when none was decided)."""
        cell = self.cell(key)
        if cell is None or cell[0] == cell[2]:
            return None
        return cell[1] / (cell[0] - cell[2])

    @property
    def resolution_total(self) -> float:
        """Working days to resolution summed over the ``resolved`` challenges."""
        return self.resolved * self.resolution_mean if self.resolution_mean is not None else 0.0


@dataclass(frozen=True)
class Totals:
    """One ratio's totals per replication (``x_i`` over ``y_i``), and the unfinished challenges left out of ``y``."""

    numerators: tuple[float, ...]
    denominators: tuple[float, ...]
    unfinished: int
    bounds: tuple[float, float] | None = None

    def estimate(self) -> dict[str, Any]:
        """The ratio of totals with its delta-method 95% CI, as in the summary: ``mean``, ``ci95``, ``replications``."""
        return ratio_ci(self.numerators, self.denominators, self.bounds)


def breach_totals(outcomes: Sequence[Outcome], key: str) -> Totals:
    """Challenges that missed target ``key`` over those decided (met or missed), per replication.

    >>> o = Outcome(0, 1, 20, (("p/t", 20, 11),), 13, 2.5, (("p/t", 4),))
    >>> t = breach_totals([o, o], "p/t")
    >>> t.denominators, t.unfinished, t.estimate()["mean"]
    ((16, 16), 8, 0.6875)
    """
    cells = [o.cell(key) or (0, 0, 0) for o in outcomes]
    return Totals(tuple(c[1] for c in cells), tuple(c[0] - c[2] for c in cells), sum(c[2] for c in cells), RATE)


def resolution_totals(outcomes: Sequence[Outcome]) -> Totals:
    """Working days to resolution over challenges finished, per replication (unfinished: counted but open)."""
    return Totals(
        tuple(o.resolution_total for o in outcomes),
        tuple(o.resolved for o in outcomes),
        sum(o.counted - o.resolved for o in outcomes),
    )


def replicate_outcome(task: Task) -> Outcome:
    """Simulate ``task`` and reduce it to an :class:`Outcome` (a top-level function, so it pickles)."""
    stats = replicate(task.scenario, task.seed, task.replication).stats
    times = np.asarray(stats.resolution, dtype=float)
    cells = sorted(stats.targets.items())
    return Outcome(
        replication=task.replication,
        seed=task.seed,
        counted=int(stats.counted),
        targets=tuple((k, int(v[0]), int(v[1])) for k, v in cells),
        resolved=len(times),
        resolution_mean=float(times.mean()) if len(times) else None,
        unfinished=tuple((k, int(v[2])) for k, v in cells if v[2]),
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
        ``get_executor()``); None runs the tasks one after another in this process. At most a
        few tasks are submitted at a time; a Ctrl-C cancels the rest, ends local workers and
        raises KeyboardInterrupt.
    on_done
        Called with the number finished so far, as each task finishes.
    """
    out, stopped = run_tasks_until_stopped(tasks, executor, on_done)
    if stopped:
        raise KeyboardInterrupt  # the caller asked for every replication
    return [out[i] for i in range(len(tasks))]


def run_tasks_until_stopped(
    tasks: Sequence[Task],
    executor: cf.Executor | None = None,
    on_done: Callable[[int], None] | None = None,
) -> tuple[dict[int, Outcome], bool]:
    """As :func:`run_tasks`, but a Ctrl-C returns the outcomes that had finished, by task index, and True.

    >>> from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
    >>> sc = load_scenario(SCENARIOS_DIR / "redcar-baseline.yaml")
    >>> done, stopped = run_tasks_until_stopped(tasks_for(sc, 2, 5))
    >>> sorted(done), stopped
    ([0, 1], False)
    """
    out: dict[int, Outcome] = {}

    def take(i: int, outcome: Outcome) -> None:
        out[i] = outcome
        if on_done:
            on_done(len(out))

    stopped = run_ordered(replicate_outcome, lambda i: (tasks[i],), len(tasks), executor, take, window=WINDOW)
    return out, stopped


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
    return run(
        scenario,
        executor=executor,
        replications=replications,
        seed=seed,
        open_cases=open_cases,
        keep=keep,
        events=events,
        on_done=on_done,
    )
