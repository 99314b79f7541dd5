"""Routes counted and timed on the graph, without listing them: the polynomial answers for large procedures.

When the stages a target's clock can pass through form no loop, and no stage on the way waits at a
join for a parallel duty, the routes from the clock's start to its stops are the paths of a directed
acyclic graph. Everything the deadline checks ask of all routes together is then a sum or a
best-of over each stage's moves, worked out once per stage in topological order, however many
routes there are (a ladder whose every rung has two ways up has 2^n of them): how many routes the
target covers and how many have a time limit at every step, the quickest and slowest route (with
one example route of each, found by following the best move from each stage), the latest reply day
of every rung, and what leaves a route without an upper bound. An untimed step stays unbounded: it
never counts as taking no time.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> from cpsim.verify.checks.timing import clocks
>>> proc = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
>>> dag = route_dag(proc, clocks(proc)[0])
>>> dag is not None and (dag.routes, dag.bounded_routes)
(3, 1)
>>> [t.to for t in dag.slowest]
['level2', 'resolved']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from cpsim.model.procedure.classes import Procedure, Transition
from cpsim.model.types import StageId, StageKind
from cpsim.verify.checks.slack import RungSlack
from cpsim.verify.checks.timing import Clock, Step, step, unbounded
from cpsim.verify.checks.walks import Walk

__all__ = ["RouteDag", "route_dag"]

_Best = tuple[float, Transition | None]
"""A best value over a stage's routes on, and the move that starts the route giving it (None at a stop)."""


@dataclass
class RouteDag:
    """The routes a clock covers, as sums and best-ofs per stage (see the module docstring).

    ``order``: the stages on covered routes, in topological order; ``moves``: per stage, its moves
    that lie on a covered route with their time bounds; ``count``/``bounded``: covered routes on from
    each stage, in all and with a time limit at every step; ``before``: covered routes from the
    clock's start up to each stage.
    """

    procedure: Procedure
    clock: Clock
    order: list[StageId]
    moves: dict[StageId, list[tuple[Transition, Step]]]
    count: dict[StageId, int]
    bounded: dict[StageId, int]
    before: dict[StageId, int]
    lo_min: dict[StageId, _Best] = field(default_factory=dict)
    lo_max: dict[StageId, _Best] = field(default_factory=dict)
    timed_max: dict[StageId, _Best] = field(default_factory=dict)
    hi_max: dict[StageId, _Best] = field(default_factory=dict)
    shortest: dict[StageId, tuple[int, Transition | None]] = field(default_factory=dict)

    @property
    def routes(self) -> int:
        """Covered routes from the clock's start."""
        return self.count.get(self.clock.start, 0)

    @property
    def bounded_routes(self) -> int:
        """Covered routes with a time limit at every step."""
        return self.bounded.get(self.clock.start, 0)

    def _follow(self, table: dict[StageId, _Best], start: StageId | None = None) -> Walk:
        out: list[Transition] = []
        at = self.clock.start if start is None else start
        while (t := table[at][1]) is not None:
            out.append(t)
            at = t.to
        return tuple(out)

    @property
    def quickest(self) -> Walk:
        """A covered route with the least time (instant replies, no-reply waiting out its deadline)."""
        return self._follow(self.lo_min)

    @property
    def longest_wait(self) -> Walk:
        """A covered route whose no-reply waits add up to the most."""
        return self._follow(self.lo_max)

    @property
    def slowest(self) -> Walk:
        """A covered route whose timed steps take the most, with every reply at its deadline."""
        return self._follow(self.timed_max)

    @property
    def slowest_bounded(self) -> Walk | None:
        """A covered route with a time limit at every step taking the most, or None when there is none."""
        return self._follow(self.hi_max) if self.bounded_routes else None

    def fewest_moves_to(self, stage: StageId) -> Walk:
        """A covered route's fewest moves from the clock's start to ``stage``."""
        out: list[Transition] = []
        while (t := self.shortest[stage][1]) is not None:
            out.append(t)
            stage = t.from_
        return tuple(reversed(out))

    def steps(self) -> Iterable[Step]:
        """Every step on a covered route, stage by stage in topological order."""
        for sid in self.order:
            for _, s in self.moves.get(sid, []):
                yield s


def route_dag(procedure: Procedure, clock: Clock) -> RouteDag | None:
    """The routes ``clock`` covers as a :class:`RouteDag`, or None when they loop or pass a join."""
    if any(d.before for d in procedure.duties):
        return None
    order = _topological(procedure, clock)
    if order is None:
        return None
    stops = set(clock.stops)
    out_by: dict[StageId, list[Transition]] = {}
    for t in procedure.transitions:
        out_by.setdefault(t.from_, []).append(t)

    def absorbs(sid: StageId) -> bool:
        return sid in stops and sid != clock.start

    dag = RouteDag(procedure, clock, [], {}, {}, {}, {})
    for sid in reversed(order):
        if absorbs(sid):
            dag.count[sid] = dag.bounded[sid] = 1
            for table in (dag.lo_min, dag.lo_max, dag.timed_max, dag.hi_max):
                table[sid] = (0.0, None)
            continue
        moves = [(t, step(procedure, t)) for t in out_by.get(sid, []) if dag.count.get(t.to, 0)]
        _combine(dag, sid, moves)
    dag.order = [s for s in order if dag.count.get(s, 0)]
    _forward(dag)
    return dag


def _combine(dag: RouteDag, sid: StageId, moves: list[tuple[Transition, Step]]) -> None:
    """Counts and best values at ``sid`` from those of the stages its ``moves`` lead to."""
    dag.count[sid] = sum(dag.count[t.to] for t, _ in moves)
    dag.bounded[sid] = sum(dag.bounded[t.to] for t, s in moves if s.hi is not None)
    if not moves:
        return
    dag.moves[sid] = moves
    dag.lo_min[sid] = min(((s.lo + dag.lo_min[t.to][0], t) for t, s in moves), key=lambda x: x[0])
    dag.lo_max[sid] = max(((s.lo + dag.lo_max[t.to][0], t) for t, s in moves), key=lambda x: x[0])
    dag.timed_max[sid] = max(((s.timed_hi + dag.timed_max[t.to][0], t) for t, s in moves), key=lambda x: x[0])
    timed = [(s.hi + dag.hi_max[t.to][0], t) for t, s in moves if s.hi is not None and dag.bounded[t.to]]
    if timed:
        dag.hi_max[sid] = max(timed, key=lambda x: x[0])


def _forward(dag: RouteDag) -> None:
    """Routes up to each stage, and the fewest moves to reach it, from the clock's start."""
    start = dag.clock.start
    dag.before = {start: 1}
    dag.shortest = {start: (0, None)}
    for sid in dag.order:
        here, (dist, _) = dag.before.get(sid, 0), dag.shortest[sid]
        for t, _s in dag.moves.get(sid, []):
            dag.before[t.to] = dag.before.get(t.to, 0) + here
            if t.to not in dag.shortest or dag.shortest[t.to][0] > dist + 1:
                dag.shortest[t.to] = (dist + 1, t)


def _topological(procedure: Procedure, clock: Clock) -> list[StageId] | None:
    """The stages a covered route can pass, in topological order; None when they hold a loop.

    A stop is entered but not left (except the clock's start, where routes begin); a route back into
    the start counts as a loop.
    """
    stops = set(clock.stops)
    succ: dict[StageId, list[StageId]] = {}
    for t in procedure.transitions:
        succ.setdefault(t.from_, []).append(t.to)
    seen = {clock.start}
    todo = [clock.start]
    indeg: dict[StageId, int] = {clock.start: 0}
    while todo:
        sid = todo.pop()
        if sid in stops and sid != clock.start:
            continue
        for nxt in succ.get(sid, []):
            indeg[nxt] = indeg.get(nxt, 0) + 1
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    if indeg[clock.start]:
        return None
    order, ready = [], [clock.start]
    while ready:
        sid = ready.pop()
        order.append(sid)
        if sid in stops and sid != clock.start:
            continue
        for nxt in succ.get(sid, []):
            indeg[nxt] -= 1
            if not indeg[nxt]:
                ready.append(nxt)
    return order if len(order) == len(seen) else None


def _ordered(parts: Iterable[Iterable[str]]) -> dict[str, None]:
    out: dict[str, None] = {}
    for part in parts:
        out.update(dict.fromkeys(part))
    return out


def dag_slack(dag: RouteDag) -> dict[StageId, RungSlack]:
    """Per request stage on a covered route: its :class:`~cpsim.verify.checks.slack.RungSlack`.

    The same table :func:`~cpsim.verify.checks.slack.rung_slack` builds from every route, from the
    best time on from each move after the reply and the best time up to each stage.
    """
    procedure, clock = dag.procedure, dag.clock
    after_why: dict[StageId, dict[str, None]] = {}
    for sid in reversed(dag.order):
        after_why[sid] = _ordered(
            [why] if (why := unbounded(procedure, s)) else after_why.get(t.to, {}) for t, s in dag.moves.get(sid, [])
        )
    upto: dict[StageId, float | None] = {clock.start: 0.0}
    upto_why: dict[StageId, dict[str, None]] = {clock.start: {}}
    for sid in dag.order:
        for t, s in dag.moves.get(sid, []):
            h = upto.get(sid)
            if h is not None and s.hi is not None:
                old = upto.get(t.to)
                upto[t.to] = h + s.hi if old is None else max(old, h + s.hi)
            else:
                upto.setdefault(t.to, None)
            mine = dict(upto_why[sid])
            if h is not None and s.hi is None:
                mine[unbounded(procedure, s) or "an earlier step has no time limit"] = None
            upto_why[t.to] = _ordered([upto_why.get(t.to, {}), mine])
    out = {}
    for sid in dag.order:
        if procedure.stage(sid).kind is not StageKind.REQUEST or sid not in dag.moves:
            continue
        afters: list[float] = []
        left: list[Iterable[str]] = []
        for t, s in dag.moves[sid]:
            if s.move_hi is None:
                left.append([unbounded(procedure, s, stay=False) or ""])
                continue
            left.append(after_why.get(t.to, {}))
            if dag.bounded[t.to]:
                afters.append(s.move_hi + dag.hi_max[t.to][0])
        stay = dag.moves[sid][0][1]
        before = dict(upto_why[sid])
        if upto.get(sid) is not None and stay.stay_hi is None:
            before[unbounded(procedure, stay, move=False) or ""] = None
        worst = None if before or (h := upto.get(sid)) is None else h + (stay.stay_hi or 0.0)
        latest = clock.days - max(afters) if afters else None
        out[sid] = RungSlack(latest, worst, tuple(_ordered(left)), tuple(before))
    return out
