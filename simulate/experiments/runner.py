"""Run a scenario's replications, in one process or across local worker processes, with identical results.

Replication ``i`` of a run with seed ``s`` draws only from streams keyed ``(s, i, ...)``
(:mod:`cpsim.simulate.engine.draws`), so it gives the same records wherever and whenever it runs; results
are put back in replication order. Interrupting a run (Ctrl-C) keeps every replication that had
finished.

:func:`replicate` is the unit of work: a top-level, picklable function of plain arguments, so any
executor (a process pool here; a Dask cluster elsewhere) can run it.

Examples
--------
>>> from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
>>> sc = load_scenario(SCENARIOS_DIR / "redcar-baseline.yaml")
>>> res = run(sc, replications=2, seed=7, workers=1)
>>> [s.replication for s in res.stats], res.interrupted
([0, 1], False)
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from cpsim.model.scenario.classes import Scenario
from cpsim.model.scenario.open_cases import OpenCase
from cpsim.simulate.engine.replication import ReplicationResult, run_replication
from cpsim.simulate.experiments.summary import ReplicationStats, StatsBuilder, summarise

__all__ = ["Replicated", "RunResult", "default_workers", "replicate", "run"]


@dataclass(frozen=True)
class Replicated:
    """One finished replication: its summary statistics and, if kept, its records."""

    stats: ReplicationStats
    records: ReplicationResult | None


@dataclass(frozen=True)
class RunResult:
    """A run: the replications that finished (in order), and whether it was interrupted."""

    scenario: Scenario
    seed: int
    requested: int
    stats: tuple[ReplicationStats, ...]
    records: tuple[ReplicationResult, ...]
    interrupted: bool
    started: str
    finished: str

    def summary(self) -> dict[str, Any]:
        """The run's summary (see :func:`cpsim.simulate.experiments.summary.summarise`)."""
        return summarise(self.scenario, self.stats, seed=self.seed)


def replicate(
    scenario: Scenario,
    seed: int,
    replication: int,
    *,
    open_cases: Sequence[OpenCase] = (),
    keep: bool = False,
    events: bool = False,
) -> Replicated:
    """Simulate one replication and reduce it to its statistics (keeping the records if ``keep``)."""
    builder = StatsBuilder(scenario, replication)
    result = run_replication(
        scenario, seed, replication, open_cases=open_cases, events=events and keep, on_case=builder.add, keep_cases=keep
    )
    return Replicated(builder.finish(result.roles), result if keep else None)


def default_workers(replications: int) -> int:
    """Local worker processes to use by default: one per CPU, at most one per replication."""
    return max(1, min(replications, os.cpu_count() or 1))


def now() -> str:
    """The current UTC time, to the second, as an ISO 8601 string."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def run(
    scenario: Scenario,
    *,
    replications: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    open_cases: Sequence[OpenCase] = (),
    keep: bool = False,
    events: bool = False,
    on_done: Callable[[int], None] | None = None,
) -> RunResult:
    """Run ``replications`` (default: the scenario's) with ``seed`` (default: the scenario's).

    ``workers`` local processes share the replications (default :func:`default_workers`; 1 runs
    in this process). ``on_done(k)`` is called as each replication finishes (``k`` finished so far).
    """
    n = scenario.replications if replications is None else replications
    seed = scenario.seed if seed is None else seed
    workers = default_workers(n) if workers is None else max(1, workers)
    started = now()
    done: dict[int, Replicated] = {}
    interrupted = False
    try:
        if workers == 1:
            for i in range(n):
                done[i] = replicate(scenario, seed, i, open_cases=open_cases, keep=keep, events=events)
                if on_done:
                    on_done(len(done))
        else:
            _in_pool(scenario, seed, n, workers, open_cases, keep, events, done, on_done)
    except KeyboardInterrupt:
        interrupted = True
    return collect(scenario, seed, n, done, interrupted=interrupted, started=started)


def collect(
    scenario: Scenario, seed: int, requested: int, done: dict[int, Replicated], *, interrupted: bool, started: str
) -> RunResult:
    """The :class:`RunResult` of the replications in ``done`` (by index), in replication order."""
    ordered = [done[i] for i in sorted(done)]
    return RunResult(
        scenario=scenario,
        seed=seed,
        requested=requested,
        stats=tuple(r.stats for r in ordered),
        records=tuple(r.records for r in ordered if r.records is not None),
        interrupted=interrupted,
        started=started,
        finished=now(),
    )


def _in_pool(
    scenario: Scenario,
    seed: int,
    n: int,
    workers: int,
    open_cases: Sequence[OpenCase],
    keep: bool,
    events: bool,
    done: dict[int, Replicated],
    on_done: Callable[[int], None] | None,
) -> None:
    pool = cf.ProcessPoolExecutor(max_workers=workers)
    futures: dict[cf.Future[Replicated], int] = {}
    try:
        futures = {
            pool.submit(replicate, scenario, seed, i, open_cases=open_cases, keep=keep, events=events): i
            for i in range(n)
        }
        for fut in cf.as_completed(futures):
            done[futures[fut]] = fut.result()
            if on_done:
                on_done(len(done))
    except KeyboardInterrupt:
        for fut, i in futures.items():
            if fut.done() and not fut.cancelled() and fut.exception() is None and i not in done:
                done[i] = fut.result()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
