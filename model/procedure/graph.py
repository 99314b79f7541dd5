"""Compile a procedure to a networkx MultiDiGraph of its escalation paths.

Nodes are stage ids carrying the :class:`~cpsim.model.procedure.classes.Stage` and its main attributes; edges are
keyed by outcome and carry the :class:`~cpsim.model.procedure.classes.Transition`.

Examples
--------
>>> from model import PROCEDURES_DIR, load_procedure
>>> g = to_graph(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml"))
>>> g.graph["start"] in g
True
"""

from __future__ import annotations

import networkx as nx

from cpsim.model.procedure.classes import Procedure
from cpsim.model.types import OutcomeId, StageId

__all__ = ["step", "to_graph"]


def to_graph(procedure: Procedure) -> nx.MultiDiGraph[StageId]:
    """The escalation graph of ``procedure``."""
    g: nx.MultiDiGraph[StageId] = nx.MultiDiGraph(
        procedure=procedure.id, start=procedure.start.id, title=procedure.title
    )
    for s in procedure.stages:
        g.add_node(
            s.id,
            stage=s,
            kind=s.kind.value,
            title=s.title,
            owner=s.owner,
            responder=s.responder,
            deadline=s.deadline.duration if s.deadline else None,
            deadline_unspecified=bool(s.deadline and not s.deadline.is_specified),
            ending=s.ending.value if s.ending else None,
            source=s.source,
        )
    for t in procedure.transitions:
        g.add_edge(
            t.from_,
            t.to,
            key=t.on,
            transition=t,
            outcome=t.on,
            skip=t.skip,
            within=t.within,
            max_repeats=t.max_repeats,
            source=t.source,
        )
    return g


def step(graph: nx.MultiDiGraph[StageId], stage: StageId, outcome: OutcomeId) -> StageId | None:
    """The stage reached from ``stage`` on ``outcome``, or None if the graph has no such edge."""
    for _, dest, key in graph.out_edges(stage, keys=True):
        if key == outcome:
            return str(dest)
    return None
