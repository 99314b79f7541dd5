"""From records to estimates: per route and request stage, reply times and chances; the route mix; arrivals.

:func:`calibrate` takes the :class:`~cpsim.simulate.calibrate.records.Records` and the procedures
they are of, puts every moment on the simulator's working-day clock, rebuilds each challenge's path
(:mod:`cpsim.simulate.calibrate.walk`) and estimates, per request stage:

* the reply time, from the replies (exact or by date), the visits still open at export (right
  censored) and, where a no-reply timer runs, the visits with no reply by the deadline
  (:mod:`cpsim.simulate.calibrate.fitting`);
* ``p_satisfied``, the share of replies that satisfied (Wilson interval);
* at a stage with a timer, the chance of **no reply by the deadline** ``q`` (Wilson; from the joint
  likelihood when some visits were open at export before their deadline) and the chance of
  **never replying** ``p_no_reply = 1 - (1 - q) / F(D)``, with ``F`` the fitted reply time, its
  interval by the delta method from ``q``'s and ``F(D)``'s (``q``'s alone, ``F(D)`` taken as
  known, for the bounded families). A reply later than the deadline counts as
  no reply by the deadline, as in the simulator, where the timer has moved the case on;
* the time of each move to the next request, when the records have times of day.

and, per route, its share of challenges and the choices at start and decision stages; over all,
challenges raised per working day, by month, with exact Poisson intervals.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from cpsim.model.behaviour import to_working_days
from cpsim.model.errors import FileError, Problem, did_you_mean
from cpsim.model.procedure.classes import Procedure
from cpsim.model.scenario.spec import MONTHS
from cpsim.model.types import StageKind
from cpsim.simulate.calibrate.clock import Clock
from cpsim.simulate.calibrate.fitting import Observations, fit_all
from cpsim.simulate.calibrate.intervals import Estimate, poisson_rate, wilson
from cpsim.simulate.calibrate.records import Moment, Records, Visit, raise_problems
from cpsim.simulate.calibrate.stages import SECOND, MoveEstimate, StageEstimate, as_date, stage_estimate
from cpsim.simulate.calibrate.walk import Paths, walk_cases

__all__ = ["Arrivals", "Calibration", "RouteEstimate", "calibrate"]


@dataclass(frozen=True)
class RouteEstimate:
    """One procedure's challenges in the records."""

    procedure: Procedure
    path: str
    cases: int
    share: Estimate
    choices: dict[str, dict[str, Estimate]]
    stages: dict[str, StageEstimate]


@dataclass(frozen=True)
class Arrivals:
    """Challenges raised per working day, overall and by calendar month, over the records' period."""

    rate: Estimate
    months: dict[str, tuple[int, int, Estimate]]
    """Month name: challenges raised, working days observed (times periods), rate."""


@dataclass(frozen=True)
class Calibration:
    """Every estimate from one set of records, with the period it covers."""

    records: Records
    first: dt.date
    until: dt.date
    """The last day of the period challenges were counted in (``as_of``, or the last request's day)."""
    as_of: dt.date
    working_days: int
    """Working days from ``first`` to ``until``, both included."""
    routes: tuple[RouteEstimate, ...]
    arrivals: Arrivals
    criterion: str
    nation: str
    hours_per_day: float
    warnings: tuple[str, ...] = ()


def _moments(visits: Sequence[Visit]) -> list[Moment]:
    return [m for v in visits for m in (v.requested, v.replied) if m is not None]


_REPLY_OUTCOMES = {"satisfied", "unsatisfied", "no-reply", None}


def _assign_routes(records: Records, procs: dict[str, tuple[Procedure, str]]) -> tuple[list[Visit], list[Problem]]:
    """Visits at request stages of a known route (others of an XES log are left out; a CSV's are problems)."""
    problems: list[Problem] = []
    kept: list[Visit] = []
    only = next(iter(procs)) if len(procs) == 1 else None
    seen: dict[str, str] = {}
    for v in records.visits:
        route = v.route or only
        if route is None:
            problems.append(v.problem("route is blank and the records are of several procedures",
                                      f"give the route: one of {', '.join(procs)}"))  # fmt: skip
            continue
        if route not in procs:
            hint = did_you_mean(route, list(procs)) + "; or name its procedure with --procedure"
            problems.append(v.problem(f"unknown route {route!r}", hint))
            continue
        if seen.setdefault(v.case, route) != route:
            problems.append(
                v.problem(f"case {v.case} is on route {seen[v.case]} in an earlier row", "one route per challenge")
            )
            continue
        proc = procs[route][0]
        ids = [s.id for s in proc.stages]
        if v.stage not in ids:
            problems.append(v.problem(f"route {route} has no stage {v.stage!r}", did_you_mean(v.stage, ids)))
            continue
        if proc.stage(v.stage).kind is StageKind.REQUEST:
            if v.outcome not in _REPLY_OUTCOMES or (v.ended and v.outcome is None):
                told = f"outcome {v.outcome!r}" if v.outcome else "no outcome"
                hint = "a request ends satisfied, unsatisfied or no-reply (the complete event's 'outcome')"
                problems.append(v.problem(f"{v.stage} of {v.case} ended with {told}", hint))
                continue
            kept.append(Visit(v.case, route, v.stage, v.requested, v.replied, v.outcome, v.file, v.row, v.ended))
        elif records.kind == "csv":
            requests = [s.id for s in proc.stages if s.kind is StageKind.REQUEST]
            hint = f"list requests only: {', '.join(requests)}"
            problems.append(v.problem(f"{v.stage} is not a request stage of {route}", hint))
    return kept, problems


def _cut(v: Visit, clock: Clock, as_of: float, deadline: float | None) -> Visit | None:
    """The visit as it stood at export: dropped if asked later, open if it ended later."""
    asked = clock.at(v.requested)
    if asked > as_of:
        return None
    end = (
        clock.at(v.replied)
        if v.replied is not None
        else (asked + deadline if v.outcome == "no-reply" and deadline else asked)
    )
    if v.outcome is not None and end > as_of + SECOND:
        return Visit(v.case, v.route, v.stage, v.requested, None, None, v.file, v.row)
    return v


def _moves(
    proc: Procedure, visits: list[Visit], paths: Paths, clock: Clock, criterion: str, hpd: float
) -> dict[str, dict[str, MoveEstimate]]:
    exact: dict[tuple[str, str], list[float]] = {}
    days: dict[tuple[str, str], list[int]] = {}
    for i, j in paths.next_visit.items():
        v, w = visits[i], visits[j]
        given = proc.stage(v.stage).deadline
        deadline = to_working_days(given.duration, hours_per_day=hpd) if given and given.duration else None
        if v.outcome is None or (v.replied is None and deadline is None):
            continue
        key = (v.stage, v.outcome)
        timed = v.replied if v.replied is not None else v.requested
        if isinstance(timed, dt.datetime) and isinstance(w.requested, dt.datetime):
            end = clock.at(v.replied) if v.replied is not None else clock.at(v.requested) + (deadline or 0.0)
            exact.setdefault(key, []).append(max(clock.at(w.requested) - end, 0.0))
        else:  # by date: the day the request ended, at a moment of it as random as the request's
            end_day = (
                clock.day(as_date(v.replied))
                if v.replied is not None
                else clock.day(as_date(v.requested)) + int(deadline or 0)
            )
            days.setdefault(key, []).append(max(clock.day(as_date(w.requested)) - end_day, 0))
    out: dict[str, dict[str, MoveEstimate]] = {}
    for key in sorted(set(exact) | set(days)):
        times, gaps = exact.get(key, []), days.get(key, [])
        slow = (times and statistics.median(times) > 1e-3) or (gaps and sum(g > 0 for g in gaps) >= 0.05 * len(gaps))
        if len(times) + len(gaps) >= 5 and slow:
            obs = Observations(exact=tuple(max(x, 1e-4) for x in times), day_gaps=tuple(gaps))
            out.setdefault(key[0], {})[key[1]] = MoveEstimate(
                key[1], len(times) + len(gaps), tuple(fit_all(obs, criterion))
            )
    return out


def _route(
    proc: Procedure, path: str, visits: list[Visit], clock: Clock, as_of: float, criterion: str, hpd: float
) -> tuple[RouteEstimate | None, list[Problem]]:
    cases: dict[str, list[int]] = {}
    order = {st.id: n for n, st in enumerate(proc.stages)}  # same moment (dates only): the procedure's order
    for i in sorted(
        range(len(visits)),
        key=lambda i: (visits[i].case, clock.at(visits[i].requested), order[visits[i].stage], visits[i].row),
    ):
        cases.setdefault(visits[i].case, []).append(i)
    rows = [v.problem("") for v in visits]
    paths, problems = walk_cases(proc, cases, [v.stage for v in visits], [v.outcome for v in visits], rows)
    if problems:
        return None, problems
    moves = _moves(proc, visits, paths, clock, criterion, hpd)
    stages: dict[str, StageEstimate] = {}
    for sid in sorted({v.stage for v in visits}):
        est = stage_estimate(proc, sid, [v for v in visits if v.stage == sid], clock, as_of, criterion, hpd)
        assumed = {
            o: (dest.most_common(1)[0][0], dest.most_common(1)[0][1], sum(dest.values()))
            for (s, o), dest in paths.assumed.items()
            if s == sid
        }
        ended = {o: ("", n, n) for (s, o), n in paths.ended.items() if s == sid and o not in assumed}
        stages[sid] = StageEstimate(**{**est.__dict__, "assumed": {**assumed, **ended}, "moves": moves.get(sid, {})})
    choices = {sid: {o: wilson(n, sum(c.values())) for o, n in sorted(c.items())} for sid, c in paths.choices.items()}
    return RouteEstimate(proc, path, len(cases), wilson(len(cases), len(cases)), choices, stages), []


def _raised(records: Records, visits: Sequence[Visit]) -> dict[str, dt.date]:
    """The day each challenge was raised: the records' raised date, else its first request."""
    raised: dict[str, dt.date] = {}
    for v in visits:
        day = as_date(records.raised.get(v.case, v.requested))
        raised[v.case] = min(raised.get(v.case, day), day)
    return raised


def _arrivals(raised: dict[str, dt.date], periods: int, clock: Clock, first: dt.date, last: dt.date) -> Arrivals:
    counts = Counter(MONTHS[d.month - 1] for d in raised.values() if d <= last)
    days = Counter(MONTHS[d.month - 1] for d in clock.working_days(first, last))
    months: dict[str, tuple[int, int, Estimate]] = {
        m: (counts[m], days[m] * periods, poisson_rate(counts[m], days[m] * periods)) for m in MONTHS if days[m]
    }
    return Arrivals(poisson_rate(sum(counts.values()), sum(days.values()) * periods), months)


def calibrate(
    records: Records,
    procedures: dict[str, tuple[Procedure, str]],
    *,
    as_of: Moment | None = None,
    nation: str = "england-and-wales",
    hours_per_day: float = 7.5,
    criterion: str = "aic",
) -> Calibration:
    """Every estimate from ``records`` of the ``procedures`` (id: procedure and the path it was read from).

    Raises
    ------
    FileError
        Listing the rows that do not fit the procedures (the first 20, and how many more).
    """
    visits, problems = _assign_routes(records, procedures)  # problems so far are listed with the later ones
    moments = _moments(records.visits) + list(records.raised.values())
    first, last = min(map(as_date, moments)), max(map(as_date, moments))
    stop = (
        as_of
        if as_of is not None
        else max(moments, key=lambda m: (as_date(m), m.time() if isinstance(m, dt.datetime) else dt.time(23, 59)))
    )
    clock = Clock(first, max(last, as_date(stop)), nation=nation, hours_per_day=hours_per_day)
    as_of_t = clock.at(stop) if isinstance(stop, dt.datetime) else clock.end_of(stop)
    routes: list[RouteEstimate] = []
    for rid, (proc, path) in procedures.items():
        deadlines = {
            s.id: (
                to_working_days(s.deadline.duration, hours_per_day=hours_per_day)
                if s.deadline is not None and s.deadline.duration is not None
                else None
            )
            for s in proc.stages
        }
        mine = [c for v in visits if v.route == rid and (c := _cut(v, clock, as_of_t, deadlines[v.stage])) is not None]
        if not mine:
            continue
        est, probs = _route(proc, path, mine, clock, as_of_t, criterion, hours_per_day)
        problems.extend(probs)
        if est is not None:
            routes.append(est)
    raise_problems(problems)
    if not routes:
        raise FileError([Problem(records.path, 1, 1, "no requests were made by the export date", "check --as-of")])
    total = sum(r.cases for r in routes)
    routes = [RouteEstimate(r.procedure, r.path, r.cases, wilson(r.cases, total), r.choices, r.stages) for r in routes]
    counted = [v for r in routes for v in visits if v.route == r.procedure.id]
    raised = _raised(records, counted)
    until = as_date(stop) if as_of is not None else max(raised.values())
    arrivals = _arrivals(raised, records.periods, clock, first, until)
    days = len(clock.working_days(first, until))
    return Calibration(
        records, first, until, as_date(stop), days, tuple(routes), arrivals, criterion, nation, hours_per_day,
        tuple(_warnings(routes)),
    )  # fmt: skip


def _warnings(routes: Sequence[RouteEstimate]) -> list[str]:
    out = []
    for r in routes:
        for s in r.stages.values():
            if s.fit is None:
                out.append(
                    f"{r.procedure.id} / {s.stage}: {s.replies} {'reply is' if s.replies == 1 else 'replies are'} "
                    "too few to fit a reply time; it is taken as immediate"
                )
            if s.late_replies:
                out.append(f"{r.procedure.id} / {s.stage}: {s.late_replies} replies came after the deadline; "
                           "they count as no reply by the deadline, as the simulator moves a case on then")  # fmt: skip
    return out
