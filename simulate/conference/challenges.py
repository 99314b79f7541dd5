"""Challenges raised by failed QA checks, run by the caseload engine in the conference model's own environment.

:class:`ChallengeRunner` wraps the challenge engine of :mod:`cpsim.simulate.engine.replication` (the
same stage visits, staff pools, deadlines and targets as ``cpsim simulate`` on a challenge
scenario) in a SimPy environment shared with the conference life cycle, so a challenge starts the
moment its check fails and its escalation staff are the scenario's. Challenge ``n`` (in the order
they are raised) draws from the challenge stream ``(seed, replication, CASES, ...)`` as the
``n``-th arrival of a challenge scenario would. Dissents from conference decisions run through a
runner of their own, drawing from a stream of another ``purpose``.
"""

from __future__ import annotations

from functools import partial

import simpy

from cpsim.model.scenario.classes import Scenario
from cpsim.simulate.engine.draws import CASES, CaseDraws
from cpsim.simulate.engine.records import CaseRecord, RoleRecord
from cpsim.simulate.engine.replication import _Live, _Run

__all__ = ["ChallengeRunner"]


class ChallengeRunner:
    """Raise challenges one at a time, at the current simulated time, in ``env``."""

    def __init__(
        self, scenario: Scenario, seed: int, replication: int, env: simpy.Environment, purpose: int = CASES
    ) -> None:
        self._run = _Run(scenario, seed, replication, events=False, env=env)
        self._draws = CaseDraws(seed, replication, purpose)
        self._raised = 0

    @property
    def raised(self) -> int:
        """How many challenges have been raised so far."""
        return self._raised

    def raise_challenge(self, name: str, route: int) -> None:
        """Start challenge ``name`` now on route number ``route`` of the escalation scenario."""
        run, n = self._run, self._raised
        self._raised += 1
        now = run.env.now
        lo, hi = run.window
        live = _Live(name, route, now, lo <= now < hi, False)
        run.env.process(run.case(live, self._draws.for_case(n).tolist(), partial(self._draws.overflow, n)))

    def finish(self) -> tuple[tuple[CaseRecord, ...], tuple[RoleRecord, ...]]:
        """Every challenge's record (those still open as unfinished) and the escalation staff's load."""
        run = self._run
        for live in list(run.live.values()):
            run.finish(live, None)
        roles = tuple(p.record(run.replication) for _, p in sorted(run.pools.items()))
        return tuple(sorted(run.cases, key=lambda c: (c.raised, c.case))), roles
