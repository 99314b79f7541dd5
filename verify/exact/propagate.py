"""Propagate probability and time through a procedure's stages: the engine of the exact analysis.

The state of a case between stages is the stage it is entering and how often each bounded
transition (one with ``max_repeats``) has fired. From each state, :func:`moves` lists where one
visit can lead. Three propagations use it:

* :func:`routing` carries probability only (exact, no lattice): how likely each stage is reached,
  each terminal ends the case, and each way of never ending.
* :func:`clock` carries the measure of one clock (time since a given stage was first entered)
  until it stops at one of a set of stages; states with the same stage, counts and clock status
  are merged, so loops cost no more than their bound.
* :func:`top_routes` enumerates individual routes, most likely first, for reporting.

A transition that has already fired ``max_repeats`` times cannot fire again: its outcome then
goes to the scenario's assumed next stage if it names one, and otherwise the case never ends.

Examples
--------
>>> from cpsim.model import load_procedure, shipped_procedure_paths
>>> from cpsim.model.behaviour import Behaviour
>>> proc = load_procedure([p for p in shipped_procedure_paths() if p.stem == "redcar-external"][0])
>>> ctx = Context.build(proc, Behaviour(), Lattice(tick=1, horizon=30, mode="exact"))
>>> r = routing(ctx)
>>> r.terminal
{'resolved': 1.0}
"""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from cpsim.model.behaviour import Behaviour
from cpsim.model.distributions import FloatArray
from cpsim.model.procedure.classes import Procedure, Transition
from cpsim.model.types import OutcomeId, StageId
from cpsim.verify.exact.measure import Lattice, convolve, uses_fft
from cpsim.verify.exact.steps import Branch, branches

__all__ = ["ClockRun", "Context", "Move", "RouteRecord", "Routing", "clock", "moves", "routing", "top_routes"]

EPS = 1e-15
MAX_EXPANSIONS = 200_000

Counts = tuple[int, ...]
RouteState = tuple[StageId, Counts, frozenset[StageId]]
"""A case entering a stage: the stage, the repeat counts and the stages it has visited."""
ClockState = tuple[StageId, Counts, bool]
"""A case entering a stage: the stage, the repeat counts and whether the clock is running."""


@dataclass(frozen=True)
class Move:
    """One branch of a visit: where it leads (None: never ends), with the new repeat counts."""

    branch: Branch
    dest: StageId | None
    counts: Counts
    reason: str


@dataclass
class Context:
    """A procedure and behaviour prepared for propagation on one lattice."""

    procedure: Procedure
    behaviour: Behaviour
    lat: Lattice
    bounded: tuple[Transition, ...]
    _cache: dict[StageId, list[Branch]] = field(default_factory=dict)

    @classmethod
    def build(cls, procedure: Procedure, behaviour: Behaviour, lat: Lattice) -> Context:
        """Prepare ``procedure`` under ``behaviour`` on ``lat``."""
        bounded = tuple(t for t in procedure.transitions if t.max_repeats is not None)
        return cls(procedure, behaviour, lat, bounded)

    def branches(self, stage: StageId) -> list[Branch]:
        """The branches of one visit to ``stage`` (computed once)."""
        if stage not in self._cache:
            self._cache[stage] = branches(self.procedure, self.procedure.stage(stage), self.behaviour, self.lat)
        return self._cache[stage]

    @property
    def start(self) -> tuple[StageId, Counts]:
        """The initial state."""
        return self.procedure.start.id, (0,) * len(self.bounded)

    def is_terminal(self, stage: StageId) -> bool:
        """True when ``stage`` ends the case."""
        return self.procedure.stage(stage).is_terminal


def moves(ctx: Context, stage: StageId, counts: Counts) -> list[Move]:
    """Every branch of a visit to ``stage`` with repeat ``counts``, and where each leads."""
    out = []
    for b in ctx.branches(stage):
        if b.outcome is None:
            out.append(Move(b, None, counts, b.reason))
            continue
        dest, new, reason = _follow(ctx, stage, b.outcome, counts)
        out.append(Move(b, dest, new, reason))
    return out


def _follow(ctx: Context, stage: StageId, outcome: OutcomeId, counts: Counts) -> tuple[StageId | None, Counts, str]:
    tr = next((t for t in ctx.procedure.transitions_from(stage) if t.on == outcome), None)
    if tr is not None and tr in ctx.bounded:
        i = ctx.bounded.index(tr)
        if counts[i] < (tr.max_repeats or 0):
            return tr.to, counts[:i] + (counts[i] + 1,) + counts[i + 1 :], ""
        why = f"the {outcome!r} transition has already fired {tr.max_repeats} time(s)"
    elif tr is not None:
        return tr.to, counts, ""
    else:
        why = f"no transition for outcome {outcome!r}"
    assumed = ctx.behaviour.at(stage).assumed.get(outcome)
    if assumed is not None:
        return assumed, counts, ""
    return None, counts, why


@dataclass(frozen=True)
class Routing:
    """Exact probabilities: stages reached, terminals ending the case, ways of never ending."""

    reach: dict[StageId, float]
    terminal: dict[StageId, float]
    never: dict[tuple[StageId, str | None, str], float]
    unexplored: float


def routing(ctx: Context) -> Routing:
    """Propagate probability only, tracking which stages each case has visited."""
    reach: dict[StageId, float] = defaultdict(float)
    terminal: dict[StageId, float] = defaultdict(float)
    never: dict[tuple[StageId, str | None, str], float] = defaultdict(float)
    stage0, counts0 = ctx.start
    pending: dict[RouteState, float] = {(stage0, counts0, frozenset()): 1.0}
    queue: list[tuple[int, StageId, Counts, frozenset[StageId]]] = [(0, stage0, counts0, frozenset())]
    expansions, unexplored = 0, 0.0
    while queue:
        depth, stage, counts, seen = heapq.heappop(queue)
        p = pending.pop((stage, counts, seen), 0.0)
        if p <= EPS or expansions > MAX_EXPANSIONS:
            unexplored += p
            continue
        expansions += 1
        if stage not in seen:
            reach[stage] += p
            seen = seen | {stage}
        if ctx.is_terminal(stage):
            terminal[stage] += p
            continue
        for m in moves(ctx, stage, counts):
            q = p * m.branch.probability
            if m.dest is None:
                never[(stage, m.branch.outcome, m.reason)] += q
                continue
            key = (m.dest, m.counts, seen)
            if key not in pending:
                heapq.heappush(queue, (depth + 1, *key))
            pending[key] = pending.get(key, 0.0) + q
    return Routing(dict(reach), dict(terminal), dict(never), unexplored + sum(pending.values()))


@dataclass(frozen=True)
class ClockRun:
    """The time one clock shows when it stops: its measure (cut at the horizon) and exact masses."""

    stopped: FloatArray
    p_started: float
    p_stopped: float
    n_fft: int


def clock(ctx: Context, begin: StageId, stops: frozenset[StageId]) -> ClockRun:
    """Propagate the clock that starts when ``begin`` is first entered and stops on entering ``stops``."""
    order = _state_order(ctx)
    stage0, counts0 = ctx.start
    first: ClockState = (stage0, counts0, False)
    pending: dict[ClockState, tuple[float, FloatArray]] = {first: (1.0, np.zeros(0))}
    queue = [(order.get((stage0, counts0), 0), 0, first)]
    tie = itertools.count(1)
    hit = np.zeros(ctx.lat.size)
    p_started = p_stopped = 0.0
    n_fft = expansions = 0
    while queue:
        _, _, key = heapq.heappop(queue)
        if key not in pending:
            continue
        p, m = pending.pop(key)
        stage, counts, running = key
        if p <= EPS or expansions > MAX_EXPANSIONS:
            continue
        expansions += 1
        if not running and stage == begin:
            running, m = True, np.array([p])
            p_started += p
        if running and stage in stops:
            p_stopped += p
            hit[: m.size] += m
            continue
        if ctx.is_terminal(stage):
            continue
        for mv in moves(ctx, stage, counts):
            if mv.dest is None:
                continue
            q = p * mv.branch.probability
            if running:
                n_fft += uses_fft(m, mv.branch.times)
                nm = convolve(m, mv.branch.times, ctx.lat)
            else:
                nm = m
            nkey = (mv.dest, mv.counts, running)
            if nkey in pending:
                op, om = pending[nkey]
                pending[nkey] = (op + q, _add(om, nm))
            else:
                pending[nkey] = (q, nm)
                heapq.heappush(queue, (order.get((mv.dest, mv.counts), 0), next(tie), nkey))
    return ClockRun(hit, p_started, p_stopped, n_fft)


def _add(a: FloatArray, b: FloatArray) -> FloatArray:
    if a.size < b.size:
        a, b = b, a
    out = a.copy()
    out[: b.size] += b
    return out


def _state_order(ctx: Context) -> dict[tuple[StageId, Counts], int]:
    """Rank of each state in a topological order of the state graph's strongly connected parts."""
    g: nx.DiGraph[tuple[StageId, Counts]] = nx.DiGraph()
    todo = [ctx.start]
    g.add_node(ctx.start)
    while todo:
        stage, counts = todo.pop()
        if ctx.is_terminal(stage):
            continue
        for mv in moves(ctx, stage, counts):
            if mv.dest is not None:
                nxt = (mv.dest, mv.counts)
                if nxt not in g:
                    todo.append(nxt)
                g.add_edge((stage, counts), nxt)
    cond = nx.condensation(g)
    rank = {c: i for i, c in enumerate(nx.topological_sort(cond))}
    return {n: rank[cond.graph["mapping"][n]] for n in g}


@dataclass(frozen=True)
class RouteRecord:
    """One route from the start: stages visited, the outcome at each, its probability and clock readings.

    ``clocks`` maps a clock's name to the measure (conditional on the route, cut at the horizon) of
    the time it shows when it stops; a clock that started but never stopped maps to None.
    """

    stages: tuple[StageId, ...]
    outcomes: tuple[OutcomeId | None, ...]
    probability: float
    clocks: dict[str, FloatArray | None]


Clocks = dict[str, tuple[FloatArray, bool]]
_RouteItem = tuple[float, int, StageId, Counts, tuple[StageId, ...], tuple[OutcomeId | None, ...], Clocks]


def top_routes(
    ctx: Context, watches: dict[str, tuple[StageId, frozenset[StageId]]], *, limit: int = 2000
) -> list[RouteRecord]:
    """Up to ``limit`` complete routes, most likely first, reading the clocks in ``watches``.

    ``watches`` maps a clock's name to the stage that starts it and the stages that stop it.
    """
    tie = itertools.count()
    stage0, counts0 = ctx.start
    heap: list[_RouteItem] = [(-1.0, next(tie), stage0, counts0, (), (), {})]
    out: list[RouteRecord] = []
    while heap and len(out) < limit:
        negp, _, stage, counts, stages, outcomes, clocks = heapq.heappop(heap)
        stages, clocks = (*stages, stage), _enter(clocks, stage, watches)
        if ctx.is_terminal(stage) or len(stages) > 200:
            out.append(RouteRecord(stages, outcomes, -negp, _readings(clocks)))
            continue
        for mv in moves(ctx, stage, counts):
            q = -negp * mv.branch.probability
            t = mv.branch.times / mv.branch.probability
            ncl = {k: (v if done else convolve(v, t, ctx.lat), done) for k, (v, done) in clocks.items()}
            if mv.dest is None:
                out.append(RouteRecord(stages, (*outcomes, mv.branch.outcome), q, _readings(ncl)))
            else:
                item = (-q, next(tie), mv.dest, mv.counts, stages, (*outcomes, mv.branch.outcome), ncl)
                heapq.heappush(heap, item)
    return out


def _enter(clocks: Clocks, stage: StageId, watches: dict[str, tuple[StageId, frozenset[StageId]]]) -> Clocks:
    out = dict(clocks)
    for name, (begin, stops) in watches.items():
        if name not in out and stage == begin:
            out[name] = (np.ones(1), False)
        if name in out and not out[name][1] and stage in stops:
            out[name] = (out[name][0], True)
    return out


def _readings(clocks: Clocks) -> dict[str, FloatArray | None]:
    return {k: (v if done else None) for k, (v, done) in clocks.items()}
