"""Meetings and events of a conference replication besides the conferences: quoracy, minutes, plans, core groups.

:class:`_Meetings` adds to the bookkeeping (:class:`~cpsim.simulate.conference.books._Books`)
the processes that need only the clock, the staff pools and the timed events: whether a sitting
is quorate, the minutes written by a minute taker, the plan circulated, a plan's core groups, and
the receiving authority's conference after a child moves away.
The conference processes (:mod:`cpsim.simulate.conference.engine`) build on it.
"""

from __future__ import annotations

import numpy as np

from cpsim.simulate.conference.books import Process, _Books, _Plan

__all__: list[str] = []


class _Meetings(_Books):
    def quoracy(self, u: list[float]) -> tuple[int | None, bool]:
        """Agencies present (None without ``attendance``), and whether the conference is reconvened."""
        attendance = self.sc.spec.journeys.attendance
        if attendance is None:
            return None, bool(u[0] < self.sc.spec.journeys.inquorate)
        present = sum(x < attendance.p_attend for x in u[1:])
        return present, present < attendance.quorum and u[0] >= attendance.p_proceed

    def minutes(self, child: str, number: int, work: float) -> Process:
        with self.slot("minute_taker") as req:
            if req is not None and not req.triggered:
                yield req
            if work > 0:
                yield self.env.timeout(work)
        self.happened(child, "minutes", number, self.day(self.env.now))

    def circulate(self, child: str, delay: float) -> Process:
        yield self.env.timeout(max(delay, 0.0))
        self.happened(child, "plan-circulated", 0, self.day(self.env.now))

    def core_groups(
        self, child: str, rng: np.random.Generator, previous: int, number: int, planned: int, plan: _Plan
    ) -> Process:
        """Core groups from ``number`` (1: the first, due from the conference ``previous``) until the plan ends."""
        spec, rule = self.sc.spec, self.sc.rules["core-group"]
        cadence = spec.practice.core_group_every or rule.then
        while True:
            meeting = float(spec.capacity.core_group_chairs.meeting_time.quantile(rng.random()))
            start = planned + 1 - meeting
            if start >= self.end:
                return
            yield from self.wait_until(start)
            if plan.ended:
                return
            measure = "core-group" if number == 1 else "core-group-cycle"
            within = rule.within if number == 1 else rule.then
            assert within is not None
            self.expect(child, measure, number, previous, self.days.due(previous, within), planned)
            with self.slot("core_group_chair") as req:
                if req is not None and not req.triggered:
                    yield req
                if meeting > 0:
                    yield self.env.timeout(meeting)
            held = self.day(self.env.now)
            self.happened(child, measure, number, held)
            assert cadence is not None
            previous, number = held, number + 1
            planned = max(self.days.due(held, cadence), held + 1)

    def transfer_out(self, child: str, moved: int, conference: int) -> Process:
        """A child who moved away on day ``moved``: the receiving authority's conference on day ``conference``.

        The life cycle's timescale counts from the move (its notification is immediate); the
        conference itself is the receiving authority's, timed by the scenario's assumption.
        """
        rule = self.sc.rules["transfer-out"]
        yield from self.wait_until(moved)
        self.expect(child, "transfer-out", 0, moved, self.days.due(moved, rule.within), moved)
        yield from self.wait_until(conference)
        self.happened(child, "transfer-out", 0, conference)
