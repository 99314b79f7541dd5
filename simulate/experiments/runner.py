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
from functools import partial
from typing import Any

from cpsim.model.scenario.classes import Scenario
from cpsim.model.scenario.open_cases import OpenCase
from cpsim.simulate.engine.replication import ReplicationResult, run_replication
from cpsim.simulate.experiments.interrupts import local_pool
from cpsim.simulate.experiments.ordered import run_ordered
from cpsim.simulate.experiments.shipping import Shipped
from cpsim.simulate.experiments.summary import ReplicationStats, StatsBuilder, summarise

__all__ = ["WINDOW", "Encode", "Replicated", "RunResult", "default_workers", "replicate", "replicate_at", "run"]

WINDOW = 32
"""Replications submitted to a cluster at once (finished ones waiting their turn included)."""


@dataclass(frozen=True)
class Replicated:
    """One finished replication: its summary statistics and, if kept, its records or what ``encode`` made of them."""

    stats: ReplicationStats
    records: ReplicationResult | None
    encoded: object = None


Encode = Callable[[ReplicationResult], object]
"""What a run does with a replication's records where it ran (a worker), e.g. make the rows its writer
appends, so that the records need not travel back and the rows are made in parallel. A top-level
function (or a :func:`functools.partial` of one), so that it pickles."""


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
        """The run's summary (see :func:`cpsim.simulate.experiments.summary.summarise`).

        An interrupted run's summary says so under ``interrupted`` (replications requested and
        finished) and in its first warning: its figures are over the replications that finished.
        """
        out = summarise(self.scenario, self.stats, seed=self.seed)
        if self.interrupted:
            k = len(self.stats)
            out["interrupted"] = {"replications_requested": self.requested, "replications_finished": k}
            out["warnings"].insert(
                0,
                f"the run was interrupted: {k} of {self.requested} replications finished, "
                "and every figure is over those only",
            )
        return out


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


def replicate_at(
    scenario: Shipped[Scenario],
    seed: int,
    open_cases: Sequence[OpenCase],
    keep: bool,
    events_upto: int | None,
    encode: Encode | None,
    replication: int,
) -> Replicated:
    """:func:`replicate` with events kept only for replications below ``events_upto`` (None: every one).

    A top-level function of plain arguments, so that a run's job pickles for any executor; the
    scenario is shipped pickled once (:class:`~cpsim.simulate.experiments.shipping.Shipped`). With
    ``encode``, kept records are handed back as ``encode(records)`` instead.
    """
    events = events_upto is None or replication < events_upto
    rep = replicate(scenario.value, seed, replication, open_cases=open_cases, keep=keep, events=events)
    if encode is None or rep.records is None:
        return rep
    return Replicated(rep.stats, None, encode(rep.records))


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
    executor: cf.Executor | None = None,
    open_cases: Sequence[OpenCase] = (),
    keep: bool = False,
    events: bool = False,
    on_done: Callable[[int], None] | None = None,
    sink: Callable[[Replicated], None] | None = None,
    events_upto: int | None = None,
    encode: Encode | None = None,
) -> RunResult:
    """Run ``replications`` (default: the scenario's) with ``seed`` (default: the scenario's).

    ``workers`` local processes share the replications (default :func:`default_workers`; 1 runs
    in this process), unless ``executor`` (a Dask cluster's, say) is given. ``on_done(k)`` is
    called as each replication is taken (``k`` so far). With ``sink``, each finished replication
    is handed to it in order (to write its records) and the result keeps only statistics, so
    memory does not grow with the replications; without, records are kept if ``keep``. With
    ``events`` and ``events_upto``, only replications ``0 .. events_upto-1`` record their events.
    With ``encode``, kept records reach ``sink`` as ``encode(records)``, made where they ran.
    A Ctrl-C stops the run at once and keeps the replications that had finished (``interrupted``).
    """
    n = scenario.replications if replications is None else replications
    seed = scenario.seed if seed is None else seed
    workers = default_workers(n) if workers is None else max(1, workers)
    started = now()
    done: dict[int, Replicated] = {}

    def take(i: int, rep: Replicated) -> None:
        if sink is not None:
            sink(rep)
            rep = Replicated(rep.stats, None)  # the records or their encoding are written
        done[i] = rep
        if on_done:
            on_done(len(done))

    job = partial(replicate_at, Shipped(scenario), seed, open_cases, keep, events_upto if events else 0, encode)
    if executor is not None:
        interrupted = run_ordered(job, lambda i: (i,), n, executor, take, window=WINDOW)
    elif workers == 1:
        interrupted = run_ordered(job, lambda i: (i,), n, None, take)
    else:
        with local_pool(workers) as pool:
            interrupted = run_ordered(job, lambda i: (i,), n, pool, take, window=2 * workers)
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
