"""The bookkeeping of a conference replication: its clock, staff pools, timed events and records.

:class:`_Books` holds what every process of :mod:`cpsim.simulate.conference.engine` shares: the
SimPy environment, the working-day clock, the staff pools, the challenge runner, the events
awaited and the records made. The engine's processes are a subclass of it.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from contextlib import nullcontext
from dataclasses import replace
from typing import Any

import numpy as np
import simpy

from cpsim.model.conference.load import ConferenceScenario
from cpsim.simulate.conference.challenges import ChallengeRunner
from cpsim.simulate.conference.dates import DayClock
from cpsim.simulate.conference.records import ConferenceRecord, ConferenceReplication, PlanEnding, TimedRecord
from cpsim.simulate.engine.calendar import WorkingCalendar
from cpsim.simulate.engine.draws import role_key, stream
from cpsim.simulate.engine.records import CaseRecord, RoleRecord
from cpsim.simulate.engine.staff import SlotRequest, StaffPool, build_pools

__all__ = ["CHAIRS", "DISSENT", "DISSENTS", "EPS", "REPORTS", "TRANSFERS_OUT", "Process", "dissent_role"]

CHAIRS, REPORTS, TRANSFERS_OUT, DISSENT, DISSENTS = 45, 46, 47, 48, 49
"""Random-number purposes: which free chair takes a conference; whether a report to the chair is late;
when the receiving authority holds its conference after a child moves away; whether someone dissents
from a conference's decision; the dissents' own runs (each dissenter's runner adds its index)."""
EPS = 1e-9
Process = Generator[simpy.Event, Any, Any]


def dissent_role(who: str, role: str) -> str:
    """The name a dissent route's staff role has in the results (each dissenter's route has its own staff).

    >>> dissent_role("professional", "review_group")
    'dissent-professional/review_group'
    """
    return f"dissent-{who}/{role}"


class _Plan:
    __slots__ = ("ended",)

    def __init__(self) -> None:
        self.ended = False


class _Books:
    def __init__(self, sc: ConferenceScenario, seed: int, replication: int) -> None:
        c = sc.spec.calendar
        self.sc, self.seed, self.replication = sc, seed, replication
        self.env = simpy.Environment()
        self.end = float(c.horizon + c.follow_up)
        self.window = (c.warm_up, c.horizon)
        cal = WorkingCalendar(
            c.start, c.horizon + c.follow_up + 400, nation=c.nation, closures=[(x.from_, x.to) for x in c.closures]
        )
        self.days = DayClock(cal, nation=c.nation, closures=[(x.from_, x.to) for x in c.closures])
        self.pools: dict[str, StaffPool] = build_pools(
            self.env, sc.spec.capacity.staff(), cal, seed=seed, replication=replication, window=(c.warm_up, c.horizon)
        )
        self.challenges = ChallengeRunner(sc.escalation, seed, replication, self.env)
        self.dissents = {
            who: ChallengeRunner(route, seed, replication, self.env, purpose=100 * DISSENTS + i)
            for i, (who, route) in enumerate(sorted(sc.dissent.items()))
        }
        self.shares = np.cumsum([r.share for r in sc.escalation.routes])
        self.timed: list[TimedRecord] = []
        self.pending: dict[tuple[str, str, int], tuple[int, int, bool, int | None]] = {}
        self.conferences: list[ConferenceRecord] = []
        self.chairing: dict[tuple[str, str, int], ConferenceRecord] = {}  # sittings whose chair has started
        self.children = 0
        self.endings: list[PlanEnding] = []
        headcount = sc.spec.capacity.chairs.headcount
        self.chair_ids = 0 if headcount == "unlimited" else int(headcount)
        self.busy_chairs: set[int] = set()
        self.last_chair: dict[str, int] = {}
        self.chair_rng = stream(seed, replication, CHAIRS)

    # --- behaviour ------------------------------------------------------------------------------
    def take_chair(self, child: str, kind: str) -> tuple[int | None, bool | None]:
        """The chair who takes a conference now (None when unlimited), and for a review whether it is the last one.

        The child's previous chair takes a review with the scenario's ``same_chair`` chance when free;
        otherwise a free chair is picked at random.
        """
        if not self.chair_ids:
            return None, None
        u = self.chair_rng.random(2)
        previous = self.last_chair.get(child)
        free = [c for c in range(self.chair_ids) if c not in self.busy_chairs]
        if not free:  # more sittings at once than chairs: not expected, as the pool holds one per chair
            return None, None
        if kind == "review" and previous in free and u[0] < self.sc.spec.capacity.chairs.same_chair:
            chair = previous
        else:
            chair = free[min(int(u[1] * len(free)), len(free) - 1)]
        self.busy_chairs.add(chair)
        self.last_chair[child] = chair
        same = None if kind != "review" or previous is None else chair == previous
        return chair, same

    def plan_ended(self, child: str, reason: str, day: int | None) -> None:
        """Record why a child's plan ended (``day`` None: the run ended first, nothing is recorded)."""
        if day is not None:
            self.endings.append(PlanEnding(self.replication, child, reason, day, self.days.iso(day), self.counted(day)))

    def report_late_by(self, child: str, kind: str, number: int) -> int | None:
        """Working days after its due day that the report to the chair before this conference arrives.

        0: on time; None: never (missing); -1: no report is simulated for it (no ``reports:``, or
        not an initial or review conference). The draw is the report's own, whatever day the
        conference is held, so the QA check that follows it and the measure agree.
        """
        reports = self.sc.spec.reports
        if reports is None or "reports-to-chair" not in self.sc.rules or kind not in ("initial", "review"):
            return -1
        u = stream(self.seed, self.replication, REPORTS, role_key(child), number).random(2)
        if u[0] < reports.p_missing:
            return None
        if u[0] < reports.p_missing + reports.p_late:
            return max(1, math.ceil(float(reports.late_by.quantile(u[1])) - EPS))
        return 0

    def report(self, child: str, kind: str, number: int, held: int) -> None:
        """The social worker's report to the chair before the conference held on day ``held`` (initial or review)."""
        late_by, rule = self.report_late_by(child, kind, number), self.sc.rules.get("reports-to-chair")
        if late_by == -1 or rule is None:
            return
        before = rule.within if kind == "initial" else (rule.then or rule.within)
        due = held - int(before.amount)
        self.expect(child, "reports-to-chair", number, held, due, held)
        self.happened(child, "reports-to-chair", number, None if late_by is None else due + late_by)

    def dissent(self, child: str, kind: str, number: int) -> None:
        """Whether anyone dissents from the decision of the conference just held; each dissent starts its route now."""
        spec = self.sc.spec.dissent
        if spec is None:
            return
        for i, (who, dissenter) in enumerate(spec.dissenters()):
            u = stream(self.seed, self.replication, DISSENT, role_key(f"{child}/{kind}{number}"), i).random()
            if u < dissenter.p_dissent:
                self.dissents[who].raise_challenge(f"{child}/{kind}{number}/{who}", 0)

    # --- timing ---------------------------------------------------------------------------------
    def day(self, t: float) -> int:
        """The working day an activity ending at ``t`` ends on."""
        k = math.floor(t + EPS)
        return k - 1 if abs(t - k) < EPS and k > 0 else k

    def counted(self, day: int) -> bool:
        return self.window[0] <= day < self.window[1]

    def expect(
        self,
        child: str,
        measure: str,
        number: int,
        reference: int,
        due: int,
        by: int,
        earliest: int | None = None,
    ) -> None:
        """An event now due (on or before ``due``; not before ``earliest``): recorded when it happens, or at the end."""
        self.pending[(child, measure, number)] = (reference, due, self.counted(by), earliest)

    def happened(self, child: str, measure: str, number: int, day: int | None) -> None:
        reference, due, counted, earliest = self.pending.pop((child, measure, number))
        d = self.days
        done_date = d.iso(day) if day is not None else None
        self.timed.append(
            TimedRecord(
                self.replication, child, measure, number, reference, d.iso(reference), due, d.iso(due),
                day, done_date, counted, int(self.end), earliest,
            )
        )  # fmt: skip

    def slot(self, role: str) -> SlotRequest | nullcontext[None]:
        pool = self.pools.get(role)
        return pool.request() if pool is not None else nullcontext()

    def wait_until(self, t: float) -> Process:
        if t > self.env.now:
            yield self.env.timeout(t - self.env.now)

    def finish(self) -> ConferenceReplication:
        for child, measure, number in list(self.pending):
            self.happened(child, measure, number, None)
        self.conferences.extend(self.chairing.values())
        challenges, escalation_roles = self.challenges.finish()
        dissents: list[CaseRecord] = []
        dissent_roles: list[RoleRecord] = []
        for who, runner in sorted(self.dissents.items()):
            cases, staff = runner.finish()
            dissents.extend(cases)
            dissent_roles.extend(replace(x, role=dissent_role(who, x.role)) for x in staff)
        roles = tuple(p.record(self.replication) for _, p in sorted(self.pools.items()))
        timed = tuple(sorted(self.timed, key=lambda r: (r.measure, r.reference, r.child, r.number)))
        conferences = tuple(sorted(self.conferences, key=lambda r: (r.planned_day, r.child, r.kind, r.number)))
        endings = tuple(sorted(self.endings, key=lambda e: (e.day, e.child)))
        ordered = tuple(sorted(dissents, key=lambda c: (c.raised, c.case)))
        return ConferenceReplication(
            self.replication, self.seed, timed, conferences, challenges, roles, escalation_roles, self.children,
            endings, ordered, tuple(dissent_roles),
        )  # fmt: skip
