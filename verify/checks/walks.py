"""Routes through a procedure as a graph: finding them, bounding them, timing their deadlines.

A *route* is a walk through the transitions, given either as the transitions taken or as the stage
ids visited. Walks honour each transition's ``max_repeats``; a loop with no bound on any of its
transitions is walked at most once (the termination check reports it). Saying a route in plain
English is the job of :mod:`cpsim.verify.checks.wording`.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> proc = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
>>> walks, complete = enumerate_walks(proc, proc.start.id)
>>> complete and all(proc.stage(stages_of(w, proc.start.id)[-1]).is_terminal for w in walks)
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import networkx as nx

from cpsim.model.behaviour import to_working_days
from cpsim.model.procedure.classes import Deadline, Procedure, Transition
from cpsim.model.types import StageId

__all__ = [
    "MAX_ROUTE_MOVES",
    "MAX_STEPS",
    "MAX_WALKS",
    "Walk",
    "digraph",
    "enumerate_walks",
    "is_walk",
    "moves_from",
    "path_to",
    "reachable_from",
    "stages_of",
    "working_days",
]

Walk = tuple[Transition, ...]
MAX_WALKS = 20_000
"""Enumeration stops after this many walks (the result then says it is incomplete)."""
MAX_STEPS = 5_000
"""Enumeration stops after this many moves in all (the result then says it is incomplete): a procedure
whose routes branch at every stage has more routes than atoms in the universe, and walking even the
first 20,000 of 10,000 stages each would take minutes. The shipped procedures need at most 120."""
MAX_ROUTE_MOVES = 50_000
"""Enumeration also stops once the routes found hold this many moves between them (the result then says it
is incomplete): every route listed is timed move by move, and a few thousand routes of thousands of
stages each would hold millions of moves. The shipped procedures' routes hold at most 120."""


def stages_of(walk: Walk, start: StageId) -> tuple[StageId, ...]:
    """The stage ids a walk visits, beginning with ``start``."""
    return (start, *(t.to for t in walk))


def digraph(procedure: Procedure, transitions: Iterable[Transition] | None = None) -> nx.DiGraph[StageId]:
    """A plain directed graph of stage ids joined by ``transitions`` (all of them by default)."""
    g: nx.DiGraph[StageId] = nx.DiGraph()
    g.add_nodes_from(s.id for s in procedure.stages)
    for t in procedure.transitions if transitions is None else transitions:
        g.add_edge(t.from_, t.to)
    return g


_SHARED: dict[str, object] = {}
"""The last procedure's graph, its reachable sets and its breadth-first trees, worked out once for every check."""

LARGE_GRAPH = 2_000
"""From this many stages on, routes from the start stage come from one breadth-first search."""


def _shared(
    procedure: Procedure,
) -> tuple[nx.DiGraph[StageId], dict[StageId, frozenset[StageId]], dict[StageId, dict[StageId, StageId]]]:
    if _SHARED.get("procedure") is not procedure:
        _SHARED.clear()
        out_by: dict[StageId, list[Transition]] = {}
        for t in procedure.transitions:
            out_by.setdefault(t.from_, []).append(t)
        moves = {sid: tuple(ts) for sid, ts in out_by.items()}
        _SHARED.update(procedure=procedure, graph=digraph(procedure), reach={}, trees={}, moves=moves)
        _SHARED["start"] = procedure.start.id
    return _SHARED["graph"], _SHARED["reach"], _SHARED["trees"]  # type: ignore[return-value]


def moves_from(procedure: Procedure, stage: StageId) -> tuple[Transition, ...]:
    """The transitions leaving ``stage``, in file order (as ``procedure.transitions_from``, looked up once)."""
    _shared(procedure)
    moves: dict[StageId, tuple[Transition, ...]] = _SHARED["moves"]  # type: ignore[assignment]
    return moves.get(stage, ())


def reachable_from(procedure: Procedure, stage: StageId) -> set[StageId]:
    """Stage ids reachable from ``stage`` (itself included)."""
    g, reach, _ = _shared(procedure)
    if stage not in reach:
        reach[stage] = frozenset({stage} | nx.descendants(g, stage))
    return set(reach[stage])


def path_to(procedure: Procedure, dest: StageId, start: StageId | None = None) -> list[StageId]:
    """A shortest route of stage ids from ``start`` (the start stage by default) to ``dest``."""
    g, _, trees = _shared(procedure)
    begin: StageId = _SHARED["start"]  # type: ignore[assignment]
    source = start or begin
    if g.number_of_nodes() < LARGE_GRAPH or source != begin:
        return list(nx.shortest_path(g, source, dest))
    if source not in trees:
        trees[source] = dict(nx.bfs_predecessors(g, source))
    tree, out = trees[source], [dest]
    while out[-1] != source:
        if out[-1] not in tree:
            raise nx.NetworkXNoPath(f"No path between {source} and {dest}.")
        out.append(tree[out[-1]])
    return out[::-1]


def is_walk(procedure: Procedure, route: Sequence[StageId]) -> bool:
    """True when each consecutive pair of ``route`` is joined by a transition."""
    pairs = {(t.from_, t.to) for t in procedure.transitions}
    return all((a, b) in pairs for a, b in zip(route, route[1:], strict=False))


def enumerate_walks(
    procedure: Procedure,
    start: StageId,
    stops: Iterable[StageId] = (),
    limit: int = MAX_WALKS,
) -> tuple[list[Walk], bool]:  # long: one depth-first search, its budgets and frames inline
    """Every maximal walk from ``start``, ending on entering a stop, a terminal or a stage with no move left.

    Transitions with ``max_repeats`` fire at most that often; a run of unbounded transitions never
    revisits a stage, so loops without a bound are entered but not repeated.

    Returns
    -------
    (walks, complete)
        ``complete`` is False when enumeration stopped at ``limit`` walks, :data:`MAX_STEPS` moves or
        :data:`MAX_ROUTE_MOVES` moves held by the walks found.
    """
    stop_set = set(stops)
    out_by: dict[StageId, list[Transition]] = {}
    for t in procedure.transitions:
        out_by.setdefault(t.from_, []).append(t)
    found: list[Walk] = []
    counts: dict[tuple[str, str], int] = {}
    walk: list[Transition] = []
    steps = 0
    held = 0

    def enter(stage: StageId, segment: frozenset[StageId]) -> list[Transition] | None:
        """The moves to try from ``stage`` (empty: the walk ends here), or None when the budget is spent."""
        nonlocal steps, held
        steps += 1
        if len(found) >= limit or (found and (steps > MAX_STEPS or held > MAX_ROUTE_MOVES)):
            return None
        moves = [] if (walk and stage in stop_set) else _moves(out_by.get(stage, []), counts, segment)
        if not moves:
            found.append(tuple(walk))
            held += len(walk)
        return moves

    # Depth first, without recursion (a route may be thousands of stages long): each frame holds the
    # moves from one stage, the next one to try, and the stages the walk may not revisit.
    first = frozenset({start})
    moves = enter(start, first)
    frames: list[tuple[list[Transition], list[int], frozenset[StageId]]] = [(moves, [0], first)] if moves else []
    while frames:
        moves, at, segment = frames[-1]
        if at[0]:
            undone = walk.pop()
            counts[(undone.from_, undone.on)] -= 1
        if at[0] == len(moves):
            frames.pop()
            continue
        t = moves[at[0]]
        at[0] += 1
        counts[(t.from_, t.on)] = counts.get((t.from_, t.on), 0) + 1
        walk.append(t)
        seg = frozenset({t.to}) if t.max_repeats else segment | {t.to}
        nxt = enter(t.to, seg)
        if nxt is None:
            return found, False
        if nxt:
            frames.append((nxt, [0], seg))
    return found, moves is not None


def _moves(out: list[Transition], counts: dict[tuple[str, str], int], segment: frozenset[StageId]) -> list[Transition]:
    moves = []
    for t in out:
        if t.max_repeats is not None:
            if counts.get((t.from_, t.on), 0) < t.max_repeats:
                moves.append(t)
        elif t.to not in segment:
            moves.append(t)
    return moves


def working_days(deadline: Deadline | None) -> float | None:
    """A given deadline in working days, or None when it is missing or unspecified."""
    if deadline is None or deadline.duration is None:
        return None
    return to_working_days(deadline.duration)
