"""Where routes part from a target, found on the graph: for procedures with too many routes to list.

:func:`~cpsim.verify.checks.coverage.coverage_findings` groups the routes from the start on which a
target's clock never starts, or starts and never stops, by the move after which the clock can no
longer start (or stop). When the routes from the start form no loop, :func:`parting_on_graph` finds
the same groups, in the same order, by a depth-first search that enters only the stages where some
such route continues, and counts each group's routes by summing over the stages ahead instead of
listing them. It lists at most :data:`MAX_GROUPS` groups of each kind and counts the routes of the
rest (:meth:`Parting.more`), so its work is bounded by what it reports.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> from cpsim.verify.checks.timing import clocks
>>> proc = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
>>> parted = parting_on_graph(proc, clocks(proc)[0])
>>> parted is not None and [(tuple(t.to for t in w), n) for w, n in parted.never_starts.items()]
[(('immediate_choice',), 3)]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from cpsim.model.procedure.classes import Procedure, Transition
from cpsim.model.types import StageId
from cpsim.verify.checks.timing import Clock
from cpsim.verify.checks.walks import Walk, digraph, reachable_from
from cpsim.verify.findings import Finding

__all__ = ["MAX_GROUPS", "Parting", "parting_on_graph"]

MAX_GROUPS = 20
"""At most this many ways of parting from a target are listed of each kind; the rest are counted."""


@dataclass
class Parting:
    """The groups of routes that never start a target's clock and that never stop it, with their route counts.

    ``total_starts`` and ``total_stops`` count every such route, listed or not.
    """

    never_starts: dict[Walk, int] = field(default_factory=dict)
    never_stops: dict[Walk, int] = field(default_factory=dict)
    total_starts: int = 0
    total_stops: int = 0

    def more(self, procedure: Procedure, clock: Clock, target: str) -> list[Finding]:
        """A warning per kind whose groups were not all listed, counting the routes left out."""
        out = []
        kinds = (
            ("TARGET_NEVER_STARTS", self.never_starts, self.total_starts, "never start its clock"),
            ("TARGET_NEVER_STOPS", self.never_stops, self.total_stops, "start its clock but never stop it"),
        )
        for code, groups, total, what in kinds:
            rest = total - sum(groups.values())
            if rest > 0:
                msg = (
                    f"{rest} more routes from {procedure.start.title} also {what} ({target}); there are too many "
                    f"ways to list, so only the first {MAX_GROUPS} are shown."
                )
                out.append(Finding(code, "warning", procedure.id, (clock.start,), (), msg, clock.source))
        return out


def parting_on_graph(procedure: Procedure, clock: Clock) -> Parting | None:  # long: one search with its rules
    """The groups of :func:`~cpsim.verify.checks.coverage.coverage_findings` for ``clock``; None when routes loop."""
    begin = procedure.start.id
    g = digraph(procedure).subgraph(reachable_from(procedure, begin))
    if not nx.is_directed_acyclic_graph(g):
        return None
    out_by: dict[StageId, list[Transition]] = {}
    for t in procedure.transitions:
        out_by.setdefault(t.from_, []).append(t)
    stops = set(clock.stops)
    can_start = {clock.start} | nx.ancestors(g, clock.start) if clock.start in g else set()
    can_stop = set().union(*({s} | nx.ancestors(g, s) for s in stops if s in g))

    paths: dict[StageId, int] = {}
    missed: dict[StageId, int] = {}  # routes on from a stage entered after the clock started that reach no stop
    before: dict[StageId, tuple[int, int]] = {}  # routes on from a stage entered before: never start, never stop
    for v in reversed(list(nx.topological_sort(g))):
        moves = out_by.get(v, [])
        paths[v] = sum(paths[t.to] for t in moves) or 1
        missed[v] = 0 if v in stops else paths[v] if v not in can_stop else _sum(missed, moves)
        if v == clock.start:
            before[v] = (0, _sum(missed, moves) if moves else 1)
        elif v not in can_start:
            before[v] = (paths[v], 0)
        else:
            before[v] = _pair_sum(before, moves) if moves else (1, 0)

    def stops_missed(v: StageId, at_start: bool) -> int:
        return before[v][1] if at_start else missed[v]

    def starts_missed(v: StageId, root: bool) -> tuple[int, int]:
        if root and v != clock.start:
            moves = out_by.get(v, [])
            return _pair_sum(before, moves) if moves else (1, 0)
        return before[v]

    parted = Parting()
    parted.total_starts, parted.total_stops = starts_missed(begin, True)
    walk: list[Transition] = []

    def enter(v: StageId, root: bool, started: bool) -> tuple[list[Transition], bool] | None:
        """The moves to search on from ``v`` and whether the clock has started; None once a group is noted."""
        if started or v == clock.start:
            if started and v in stops:
                return None
            if started and v not in can_stop:
                _add(parted.never_stops, walk, paths[v])
                return None
            moves = out_by.get(v, [])
            if not moves:
                _add(parted.never_stops, walk, 1)
                return None
            return [t for t in moves if stops_missed(t.to, False)], True
        if not root and v not in can_start:
            _add(parted.never_starts, walk, paths[v])
            return None
        moves = out_by.get(v, [])
        if not moves:
            _add(parted.never_starts, walk, 1)
            return None
        return [t for t in moves if any(starts_missed(t.to, False))], False

    def wanted(t: Transition, started: bool) -> bool:
        room_starts, room_stops = len(parted.never_starts) < MAX_GROUPS, len(parted.never_stops) < MAX_GROUPS
        if started:
            return room_stops
        starts, stops_ = starts_missed(t.to, False)
        return bool((starts and room_starts) or (stops_ and room_stops))

    # Depth first in the order of the moves, without recursion (a route may be thousands of stages
    # long), entering only where some group still to list lies ahead.
    first = enter(begin, True, False)
    frames = [_Frame(first[0], first[1], 0)] if first else []
    while frames:
        f = frames[-1]
        del walk[f.depth :]
        while f.at < len(f.kids) and not wanted(f.kids[f.at], f.started):
            f.at += 1
        if f.at == len(f.kids):
            frames.pop()
            continue
        t = f.kids[f.at]
        f.at += 1
        walk.append(t)
        nxt = enter(t.to, False, f.started)
        if nxt is not None:
            frames.append(_Frame(nxt[0], nxt[1], len(walk)))
    return parted


@dataclass
class _Frame:
    """One stage of the search: the moves on from it, whether the clock has started, the route's length there."""

    kids: list[Transition]
    started: bool
    depth: int
    at: int = 0


def _sum(table: dict[StageId, int], moves: list[Transition]) -> int:
    return sum(table[t.to] for t in moves) if moves else 1


def _pair_sum(table: dict[StageId, tuple[int, int]], moves: list[Transition]) -> tuple[int, int]:
    return sum(table[t.to][0] for t in moves), sum(table[t.to][1] for t in moves)


def _add(groups: dict[Walk, int], walk: list[Transition], n: int) -> None:
    if len(groups) < MAX_GROUPS:
        key = tuple(walk)
        groups[key] = groups.get(key, 0) + n
