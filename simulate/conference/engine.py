"""One replication of a conference scenario: a SimPy process per child, on the working-day calendar.

:func:`run_conference_replication` is a pure function of (scenario, seed, replication). For each
strategy discussion (Poisson demand, as challenge arrivals are drawn) a child's process:

1. waits the practice's ``booking_delay``, then asks for a chair; the chair's time per conference
   (preparation included) ends in the conference, held on the day that time ends. When the chair
   starts, each QA check for that kind of conference fails with its chance, and each failure raises
   a challenge at once through the escalation procedure (:class:`ChallengeRunner`);
2. an inquorate conference (fewer agencies present than the quorum, and the chair does not
   proceed; or a flat chance ``inquorate``) is not held and is reconvened: the chair is asked
   again at once;
3. the minutes are written by a minute taker (waiting for one free) and circulated when done;
4. with a plan (chance ``plan_share``): the plan is circulated after ``plan_circulated``; core
   groups run in their own process (first after ``first_core_group``, then at the practice's
   cadence, each waiting for a core group chair); reviews fall due by the life cycle's rule
   (first from the initial conference, then from the previous review), are planned
   ``review_margin`` working days before, and the chair is asked so that, when free, the review is
   held on its planned day;
5. the plan ends at the first review held on or after its end date (no longer at risk, 18th
   birthday) or on its end date (moved away, died, left the UK).

Children already on a plan (``open_plans``) go on from their last conference and core group;
children moving in (``transfers_in``) start at a receiving-in conference, and unborn children
(``pre_birth``) at a conference planned for the start of the gestation range; each has streams of
its own, so adding them leaves the other children's draws unchanged.

Every timed event becomes a :class:`TimedRecord`, counted when its due day (the strategy
discussion's day for initial conferences) falls after the warm-up and before the horizon.
Random numbers: each child has two streams, ``(seed, replication, CHILD, n)`` for its journey and
``(seed, replication, CORE_GROUPS, n)`` for its core groups; staff absences are the caseload
engine's streams by role.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from cpsim.model.conference.load import ConferenceScenario
from cpsim.model.conference.open_plans import OpenPlan
from cpsim.model.conference.spec import AT_REVIEW, ENDINGS, Ending
from cpsim.model.scenario.spec import PoissonArrivals
from cpsim.simulate.conference.books import EPS, TRANSFERS_OUT, Process, _Plan
from cpsim.simulate.conference.dates import poisson_days
from cpsim.simulate.conference.meetings import _Meetings
from cpsim.simulate.conference.records import ConferenceRecord, ConferenceReplication
from cpsim.simulate.engine.arrivals import poisson_arrivals
from cpsim.simulate.engine.draws import role_key, stream

__all__ = [
    "CHILD",
    "CORE_GROUPS",
    "DAYS_PER_MONTH",
    "OPEN_PLANS",
    "PRE_BIRTH",
    "TRANSFERS",
    "run_conference_replication",
]

CHILD, CORE_GROUPS, OPEN_PLANS, TRANSFERS, PRE_BIRTH = 40, 41, 42, 43, 44
DAYS_PER_MONTH = 30.4375


class _Model(_Meetings):
    """The processes of one replication: children, conferences, minutes, core groups, reviews, transfers."""

    # --- a conference -----------------------------------------------------------------------------
    def sitting(
        self,
        child: str,
        kind: str,
        number: int,
        planned: int | None,
        rng: np.random.Generator,
        report_of: tuple[str, int] = ("", 0),
    ) -> Process:
        """One booking of a chair; returns the time the conference ends and whether it was inquorate.

        ``planned`` is the day it is planned for; None: the day it ends if a chair is free at once.
        ``report_of`` is the conference (kind, number) whose report to the chair a check may follow
        (a reconvened sitting's is its conference's).
        """
        spec, env = self.sc.spec, self.env
        service = float(spec.capacity.chairs.time.quantile(rng.random()))
        asked = env.now
        planned = self.day(asked + service) if planned is None else planned
        checks = [c for c in spec.checks if c.before in ("both", "review" if kind == "review" else "initial")]
        attendance = spec.journeys.attendance
        invited = attendance.agencies_invited if attendance is not None else 0
        draws = rng.random(2 * len(checks) + 1 + invited)
        with self.slot("chair") as req:
            if req is not None and not req.triggered:
                yield req
            wait = env.now - asked
            chair, same = self.take_chair(child, kind)
            late = self.report_late_by(child, *report_of) not in (0, -1)  # late or missing (None)
            failed = tuple(
                c.id
                for c, u in zip(checks, draws[: len(checks)].tolist(), strict=True)
                if u < c.chance or (c.fails_when_report_late and late)
            )
            for cid, u in zip(failed, draws[len(checks) : 2 * len(checks)].tolist(), strict=False):
                route = int(min(np.searchsorted(self.shares, u, side="right"), len(self.shares) - 1))
                self.challenges.raise_challenge(f"{child}/{kind}{number}/{cid}", route)
            key = (child, kind, number)
            self.chairing[key] = ConferenceRecord(
                self.replication, child, kind, number, planned, None, None, wait, failed, False,
                self.counted(planned), None, chair, same,
            )  # fmt: skip
            if service > 0:
                yield env.timeout(service)
            if chair is not None:
                self.busy_chairs.discard(chair)
        present, inquorate = self.quoracy(draws[2 * len(checks) :].tolist())
        held = self.day(env.now)
        started = self.chairing.pop(key)
        done = replace(started, held_day=held, held_date=self.days.iso(held), inquorate=inquorate, present=present)
        self.conferences.append(replace(done, counted=self.counted(held)))
        return env.now, inquorate

    def conference(self, child: str, kind: str, number: int, planned: int | None, rng: np.random.Generator) -> Process:
        """A conference, reconvened until quorate; then its minutes. Returns the day it was held."""
        end, inquorate = yield from self.sitting(child, kind, number, planned, rng, (kind, number))
        sittings = 0
        while inquorate:
            sittings += 1
            original = self.day(end)
            rule = self.sc.rules.get("reconvened")
            if rule is not None:
                self.expect(
                    child,
                    "reconvened",
                    100 * number + sittings,
                    original,
                    self.days.due(original, rule.within),
                    original,
                )
            again = 100 * number + sittings
            end, inquorate = yield from self.sitting(child, "reconvened", again, None, rng, (kind, number))
            if rule is not None:
                self.happened(child, "reconvened", 100 * number + sittings, self.day(end))
        held = self.day(end)
        self.report(child, kind, number, held)
        self.dissent(child, kind, number)
        minutes = self.sc.rules["minutes"]
        self.expect(child, "minutes", number, held, self.days.due(held, minutes.within), held)
        self.env.process(
            self.minutes(child, number, float(self.sc.spec.capacity.minute_takers.minutes_time.quantile(rng.random())))
        )
        return held

    # --- a child ----------------------------------------------------------------------------------
    def child(self, n: int, t0: float) -> Process:
        spec, env, days = self.sc.spec, self.env, self.days
        name, rng = f"k{n}", stream(self.seed, self.replication, CHILD, n)
        fate = rng.random(4)
        sd = math.floor(t0)
        icpc_rule = self.sc.rules["icpc"]
        self.expect(name, "icpc", 0, sd, days.due(sd, icpc_rule.within), sd)
        yield env.timeout(float(spec.practice.booking_delay.quantile(fate[0])))
        icpc = yield from self.conference(name, "initial", 0, None, rng)
        self.happened(name, "icpc", 0, icpc)
        if fate[1] >= spec.journeys.plan_share:
            return
        yield from self.on_plan(name, icpc, fate[2:].tolist(), stream(self.seed, self.replication, CORE_GROUPS, n), rng)

    def on_plan(
        self, name: str, held: int, u: list[float], groups: np.random.Generator, rng: np.random.Generator
    ) -> Process:
        """A plan made at the conference on day ``held`` (``u``: its length and ending), until it ends.

        After an initial conference the first core group follows ``first_core_group`` and the plan
        is circulated; after a receiving-in conference core groups go on at their cadence.
        """
        spec, days, initial = self.sc.spec, self.days, not name.startswith("in")
        plan_end = days.plus_days(held, float(spec.journeys.plan_months.quantile(u[0])) * DAYS_PER_MONTH)
        plan = _Plan()
        cadence = spec.practice.core_group_every or self.sc.rules["core-group"].then
        assert cadence is not None
        if initial:  # the first core group, timed from the initial conference
            number, first = 1, self.day(self.env.now + float(spec.practice.first_core_group.quantile(groups.random())))
        else:  # after a receiving-in conference: the next core group of the cycle
            number, first = 2, days.due(held, cadence)
        self.env.process(self.core_groups(name, groups, held, number, first, plan))
        circulated = self.sc.rules.get("plan-circulated")
        if circulated is not None and initial:
            self.expect(name, "plan-circulated", 0, held, days.due(held, circulated.within), held)
            self.env.process(self.circulate(name, float(spec.practice.plan_circulated.quantile(rng.random()))))
        yield from self.until_ended(name, held, 1, plan_end, self.ending(u[1]), rng)
        plan.ended = True

    def transfer(self, n: int, t0: float) -> Process:
        """A child on another authority's plan moving in: a receiving-in conference, then the plan goes on here."""
        spec = self.sc.spec.transfers_in
        assert spec is not None
        name, rng = f"in{n}", stream(self.seed, self.replication, TRANSFERS, n)
        fate = rng.random(4)
        decided = math.floor(t0)
        self.expect(
            name, "receiving-in", 0, decided, self.days.due(decided, self.sc.rules["receiving-in"].within), decided
        )
        yield self.env.timeout(float(spec.booking_delay.quantile(fate[0])))
        held = yield from self.conference(name, "receiving-in", 0, None, rng)
        self.happened(name, "receiving-in", 0, held)
        if fate[1] < spec.plan_share:
            yield from self.on_plan(
                name, held, fate[2:].tolist(), stream(self.seed, self.replication, CORE_GROUPS, TRANSFERS, n), rng
            )

    def ending(self, u: float) -> Ending:
        """Why the plan ends, drawn with ``u`` (those in ``AT_REVIEW`` are decided at a review conference)."""
        shares = np.cumsum([self.sc.spec.journeys.endings.get(e, 0.0) for e in ENDINGS])
        return ENDINGS[int(np.searchsorted(shares, u * (1 - EPS), side="right"))]

    def open_plan(self, n: int, plan: OpenPlan) -> Process:
        """A child on a plan when the run starts: reviews and core groups go on from the last ones."""
        spec, days = self.sc.spec, self.days
        name, rng = f"open-{plan.id}", stream(self.seed, self.replication, OPEN_PLANS, n)
        fate = rng.random(2)
        start = days.on_or_before(plan.plan_start)
        plan_end = max(days.plus_days(start, float(spec.journeys.plan_months.quantile(fate[0])) * DAYS_PER_MONTH), 0)
        ongoing = _Plan()
        rule = self.sc.rules["core-group"]
        cadence = spec.practice.core_group_every or rule.then
        assert cadence is not None
        groups = stream(self.seed, self.replication, CORE_GROUPS, OPEN_PLANS, n)
        if plan.last_core_group is None:
            previous, number, planned = start, 1, days.due(start, rule.within)
        else:
            previous = days.on_or_before(plan.last_core_group)
            number, planned = 2, days.due(previous, cadence)
        self.env.process(self.core_groups(name, groups, previous, number, max(planned, 0), ongoing))
        last = days.on_or_before(plan.last_conference)
        yield from self.until_ended(name, last, 2 if plan.reviews_held else 1, plan_end, self.ending(fate[1]), rng)
        ongoing.ended = True

    def until_ended(
        self, child: str, previous: int, number: int, plan_end: int, reason: Ending, rng: np.random.Generator
    ) -> Process:
        """Reviews from review ``number`` until the plan ends for ``reason`` on or after ``plan_end``; records it.

        With ``transfers_out``, a child moving away on ``plan_end`` stays on the plan here (reviews and
        core groups go on) until the receiving authority's conference, ``conference_after`` working days
        later (rounded up), and the plan ends here that day.
        """
        out = self.sc.spec.transfers_out
        if reason == "moved-away" and out is not None:
            u = stream(self.seed, self.replication, TRANSFERS_OUT, role_key(child)).random()
            conference = plan_end + max(0, math.ceil(float(out.conference_after.quantile(u)) - EPS))
            self.env.process(self.transfer_out(child, plan_end, conference))
            plan_end = conference
        ended = yield from self.reviews(child, previous, number, plan_end, reason in AT_REVIEW, rng)
        self.plan_ended(child, reason, ended)

    def reviews(
        self, child: str, previous: int, number: int, plan_end: int, at_review: bool, rng: np.random.Generator
    ) -> Process:
        """Reviews from review ``number`` (1: the first, due from ``previous``) until the plan or the run ends.

        Returns the day the plan ended (at a review, or on its end date), or None when the run ended first.
        """
        rule, margin = self.sc.rules["review"], self.sc.spec.practice.review_margin
        chair_time = self.sc.spec.capacity.chairs.time.mean
        while True:
            due = self.days.due(previous, rule.within if number == 1 or rule.then is None else rule.then)
            planned = max(due - margin, self.day(self.env.now) + 1)
            if (not at_review and plan_end <= planned) or planned + 1 - chair_time >= self.end:
                if not at_review:
                    yield from self.wait_until(min(plan_end, self.end))
                    return plan_end if plan_end <= planned and plan_end < self.end else None
                return None
            self.expect(child, "review", number, previous, due, due)
            yield from self.wait_until(planned + 1 - chair_time)
            held = yield from self.conference(child, "review", number, planned, rng)
            self.happened(child, "review", number, held)
            if at_review and held >= plan_end:
                return held
            previous, number = held, number + 1

    # --- the run ------------------------------------------------------------------------------------
    def demand(self) -> Process:
        for n, plan in enumerate(self.sc.open_plans):
            self.env.process(self.open_plan(n, plan))
        streams = (
            (self.sc.spec.transfers_in, TRANSFERS, self.transfer),
            (self.sc.spec.pre_birth, PRE_BIRTH, self.pre_birth),
        )
        for spec, purpose, process in streams:
            if spec is not None:
                self.env.process(self.stream_of(spec.rate, spec.factor, purpose, process))
        for n, t in enumerate(self.discussions()):
            yield from self.wait_until(t)
            self.children += 1
            self.env.process(self.child(n, t))

    def discussions(self) -> list[float]:
        """Times of the strategy discussions: drawn (Poisson, as challenge arrivals are) or replayed.

        A replayed date is at the opening of its working day (of the next one when it is closed);
        dates after the horizon's last working day are not replayed.
        """
        spec, cal = self.sc.spec, self.days.cal
        if isinstance(spec.demand, PoissonArrivals):
            times, _ = poisson_arrivals(
                spec.demand, cal, spec.calendar.horizon, [1.0], seed=self.seed, replication=self.replication
            )
            out: list[float] = times.tolist()
            return out
        last = cal.dates[spec.calendar.horizon - 1]
        return [cal.time_of(d) for d in self.sc.replayed if d <= last]

    def stream_of(
        self, rate: float, factor: Callable[[int], float], purpose: int, process: Callable[[int, float], Process]
    ) -> Process:
        """Start ``process(n, t)`` at each time of a Poisson stream of its own (transfers in, pre-birth)."""
        rng = stream(self.seed, self.replication, purpose)
        for n, t in enumerate(poisson_days(rate, factor, self.days.cal, self.sc.spec.calendar.horizon, rng)):
            yield from self.wait_until(t)
            self.env.process(process(n, t))

    def pre_birth(self, n: int, t0: float) -> Process:
        """An unborn child at risk: a conference planned for the start of the range (week 30), or as soon as can be."""
        spec, days = self.sc.spec.pre_birth, self.days
        assert spec is not None
        name, rng = f"pb{n}", stream(self.seed, self.replication, PRE_BIRTH, n)
        fate = rng.random(4)
        decided, rule = math.floor(t0), self.sc.rules["pre-birth"]
        conception = days.date(decided) - dt.timedelta(days=round(7 * float(spec.gestation_weeks.quantile(fate[0]))))
        due = days.on_or_before(rule.within.due(conception))
        earliest = days.on_or_before(rule.within.earliest(conception) - dt.timedelta(days=1)) + 1
        self.expect(name, "pre-birth", 0, days.on_or_before(conception), due, due, earliest)
        planned = max(earliest, decided + 1)
        yield from self.wait_until(planned + 1 - self.sc.spec.capacity.chairs.time.mean)
        held = yield from self.conference(name, "pre-birth", 0, planned, rng)
        self.happened(name, "pre-birth", 0, held)
        if fate[1] < spec.plan_share:
            groups = stream(self.seed, self.replication, CORE_GROUPS, PRE_BIRTH, n)
            yield from self.on_plan(name, held, fate[2:].tolist(), groups, rng)


def run_conference_replication(scenario: ConferenceScenario, seed: int, replication: int = 0) -> ConferenceReplication:
    """Simulate one replication of a conference scenario; the result depends only on the arguments.

    Examples
    --------
    >>> from cpsim.model.conference.load import CONFERENCE_SCENARIOS, load_conference
    >>> sc = load_conference(CONFERENCE_SCENARIOS["wakefield-conference-baseline"])
    >>> a = run_conference_replication(sc, seed=1)
    >>> a == run_conference_replication(sc, seed=1) and len(a.conferences) > 100
    True
    """
    model = _Model(scenario, seed, replication)
    model.env.process(model.demand())
    model.env.run(until=model.end)
    return model.finish()
