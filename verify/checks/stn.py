"""Simple temporal networks: whether some timing of the replies satisfies every rule at once.

A rule ``lo ≤ t_j − t_i ≤ hi`` between two time points becomes the edges ``i → j`` (weight ``hi``)
and ``j → i`` (weight ``−lo``) of a distance graph; the rules are consistent exactly when that graph
has no negative cycle (Bellman-Ford). When they clash, :func:`conflict` returns a minimal set of
clashing rules: dropping any one of them removes the clash.

Examples
--------
>>> rules = [Rule(0, 1, 2, None, "no-reply at level 1 waits 2 days"),
...          Rule(1, 2, 3, None, "no-reply at level 2 waits 3 days"),
...          Rule(0, 2, 0, 4, "target: 4 days")]
>>> [r.label for r in conflict(rules)]
['no-reply at level 1 waits 2 days', 'no-reply at level 2 waits 3 days', 'target: 4 days']
>>> conflict(rules[1:]) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx

__all__ = ["Rule", "conflict", "consistent"]


@dataclass(frozen=True)
class Rule:
    """``lo ≤ t[later] − t[earlier] ≤ hi`` (``hi`` None for no upper limit), with a label and citation."""

    earlier: int
    later: int
    lo: float
    hi: float | None
    label: str
    source: dict[str, str] | None = None


def _distance_graph(rules: Sequence[Rule], points: set[int]) -> nx.DiGraph[int]:
    g: nx.DiGraph[int] = nx.DiGraph()
    g.add_nodes_from(points)
    for r in rules:
        for u, v, w in ((r.earlier, r.later, r.hi), (r.later, r.earlier, -r.lo)):
            if w is None:
                continue
            if not g.has_edge(u, v) or g[u][v]["weight"] > w:
                g.add_edge(u, v, weight=w)
    return g


def consistent(rules: Sequence[Rule], precedence: Sequence[tuple[int, int]] = ()) -> bool:
    """True when some timing meets every rule (``precedence`` pairs ``(i, j)`` add ``t_i ≤ t_j``)."""
    extra = [Rule(i, j, 0.0, None, "") for i, j in precedence]
    allrules = [*rules, *extra]
    points = {p for r in allrules for p in (r.earlier, r.later)}
    if not points:
        return True
    g = _distance_graph(allrules, points)
    return not nx.negative_edge_cycle(g, weight="weight")


def conflict(rules: Sequence[Rule], precedence: Sequence[tuple[int, int]] = ()) -> list[Rule] | None:
    """A minimal set of ``rules`` that cannot all hold, or None when they are consistent.

    Deletion filter: try dropping each rule in turn and keep the drop while the rest still clash.
    Time points always follow ``precedence`` (and each rule's own order when its ``lo`` is 0 or more).
    """
    if consistent(rules, precedence):
        return None
    kept = list(rules)
    for rule in list(rules):
        trial = [r for r in kept if r is not rule]
        if not consistent(trial, precedence):
            kept = trial
    return kept
