"""Run a conference scenario's replications, in this process or across local worker processes, with identical results.

Replication ``i`` with seed ``s`` draws only from streams keyed ``(s, i, ...)``, so it gives the
same records wherever it runs; results are put back in replication order (as
:mod:`cpsim.simulate.experiments.runner` does for challenge scenarios).

Examples
--------
>>> from cpsim.model.conference.load import CONFERENCE_SCENARIOS, load_conference
>>> sc = load_conference(CONFERENCE_SCENARIOS["wakefield-conference-baseline"])
>>> res = run_conferences(sc, replications=2, seed=3, workers=1)
>>> [r.replication for r in res.replications]
[0, 1]
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cpsim.model.conference.load import ConferenceScenario
from cpsim.simulate.conference.engine import run_conference_replication
from cpsim.simulate.conference.records import ConferenceReplication
from cpsim.simulate.conference.summary import summarise_conferences

__all__ = ["ConferenceRun", "run_conferences"]


@dataclass(frozen=True)
class ConferenceRun:
    """The replications of a conference run, in order."""

    scenario: ConferenceScenario
    seed: int
    replications: tuple[ConferenceReplication, ...]

    def summary(self) -> dict[str, Any]:
        """The run's summary (:func:`cpsim.simulate.conference.summary.summarise_conferences`)."""
        return summarise_conferences(self.scenario, self.replications, seed=self.seed)


def run_conferences(
    scenario: ConferenceScenario,
    *,
    replications: int | None = None,
    seed: int | None = None,
    workers: int = 1,
    executor: cf.Executor | None = None,
    on_done: Callable[[int], None] | None = None,
) -> ConferenceRun:
    """Run ``replications`` (default: the scenario's) with ``seed`` (default: the scenario's).

    ``executor`` (any :class:`concurrent.futures.Executor`) or ``workers`` local processes share
    the replications; the result is the same either way.
    """
    n = scenario.spec.replications if replications is None else replications
    s = scenario.spec.seed if seed is None else seed
    done: dict[int, ConferenceReplication] = {}
    if executor is None and workers <= 1:
        for i in range(n):
            done[i] = run_conference_replication(scenario, s, i)
            if on_done:
                on_done(len(done))
    else:
        own = executor is None
        ex = executor if executor is not None else cf.ProcessPoolExecutor(max_workers=workers)
        try:
            futures = {ex.submit(run_conference_replication, scenario, s, i): i for i in range(n)}
            for fut in cf.as_completed(futures):
                done[futures[fut]] = fut.result()
                if on_done:
                    on_done(len(done))
        finally:
            if own:
                ex.shutdown(wait=True, cancel_futures=True)
    return ConferenceRun(scenario, s, tuple(done[i] for i in sorted(done)))
