"""Export a procedure as a Petri-net workflow net in PNML, for process-mining and soundness tools.

The net speaks the language of the simulator's event log (``events.xes``): each stage is one
visible transition labelled with the stage's id, the activity of its ``complete`` event in the
log. Which way a case goes after a stage is decided by silent (tau) transitions, one per
transition of the procedure, named ``<stage> <outcome> -> <next stage>``. So the net has, per
stage, a place ``p_<stage>`` (the case is at the stage) and, for a stage that is not terminal, a
place ``d_<stage>`` (the stage is done, its outcome not yet taken). A source place ``i`` holds the
initial token and feeds the start stage through a silent ``begin``; each terminal stage's
transition puts the token in the sink place ``o``, the final marking, which the file states (PNML
``finalmarkings``), so a process-mining tool imports the net with both markings.

Given the scenario's ``behaviour`` for the route, the net also has the transitions the scenario
assumes (such as a ``no-reply`` escalation the source leaves unsaid): every route the simulator
can take is then a path of the net. The net is a state machine, so it is a sound workflow net
exactly when every stage lies on a path from the start to a terminal stage, and easy sound (the
final marking can be reached) whenever one terminal stage can be reached.

By default bounds on repeats (``max_repeats``) are kept only as tool-specific annotations. With
``unroll_loops=True`` each place is instead a stage together with how often each bounded
transition has fired, for every such configuration reachable from the start; a transition that
has used up its repeats cannot fire. That net is sound exactly when every configuration a case
can reach can still reach a terminal stage (its stage transitions repeat labels, so it is for
soundness checks; the plain net is the one to replay a log against). Loops without a bound stay
loops: soundness asks only that a case *can* finish, so it does not see them.

Examples
--------
>>> from cpsim.model import load_procedure, shipped_procedure_paths
>>> proc = load_procedure([p for p in shipped_procedure_paths() if p.stem == "redcar-external"][0])
>>> text = to_pnml(proc)
>>> text.startswith("<?xml") and 'id="p_level1"' in text and "<finalmarkings>" in text
True
>>> 'id="p_level1"' in to_pnml(proc, unroll_loops=True)
True
>>> '<transition id="t_level1">' in text and "level1 unsatisfied -&gt; level2" in text
True
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from cpsim.model.behaviour import Behaviour
from cpsim.model.procedure.classes import Procedure, Transition
from cpsim.model.scenario.routes import effective_procedure

__all__ = ["PNML_NET_TYPE", "to_pnml"]

PNML_NET_TYPE = "http://www.pnml.org/version-2009/grammar/ptnet"

Edge = tuple[str, str, Transition]
Nodes = dict[str, tuple[str, str]]
"""Place id -> (stage id, place name)."""


def to_pnml(procedure: Procedure, *, unroll_loops: bool = False, behaviour: Behaviour | None = None) -> str:
    """The PNML text of ``procedure`` as a workflow net (source place ``i``, sink place ``o``).

    ``behaviour`` adds the transitions a scenario assumes for this procedure.
    """
    proc = effective_procedure(procedure, behaviour) if behaviour is not None else procedure
    root = ET.Element("pnml")
    net = ET.SubElement(root, "net", id=proc.id, type=PNML_NET_TYPE)
    _text(net, "name", proc.title)
    page = ET.SubElement(net, "page", id="page1")
    _place(page, "i", "source", tokens=1)
    _place(page, "o", "sink")
    nodes, edges = _unrolled(proc) if unroll_loops else _plain(proc)
    terminal = {s.id for s in proc.stages if s.is_terminal}
    arcs = [("i", "t_begin"), ("t_begin", next(iter(nodes)))]
    _transition(page, "t_begin", "begin", silent=True)
    for pid, (stage, name) in nodes.items():
        _place(page, pid, name)
        tid = "t_" + pid[2:]
        _transition(page, tid, stage)
        if stage in terminal:
            arcs += [(pid, tid), (tid, "o")]
        else:
            _place(page, "d_" + pid[2:], f"{name} done")
            arcs += [(pid, tid), (tid, "d_" + pid[2:])]
    for n, (src, dst, tr) in enumerate(edges):
        tid = f"r{n}_{tr.from_}_{tr.on}"
        node = _transition(page, tid, f"{tr.from_} {tr.on} -> {tr.to}", silent=True)
        if tr.max_repeats is not None:
            tool = ET.SubElement(node, "toolspecific", tool="cpsim", version="1")
            tool.set("max_repeats", str(tr.max_repeats))
        arcs += [("d_" + src[2:], tid), (tid, dst)]
    for k, (src, dst) in enumerate(arcs):
        arc = ET.SubElement(page, "arc", id=f"a{k}", source=src, target=dst)
        _text(arc, "inscription", "1")
    marking = ET.SubElement(ET.SubElement(net, "finalmarkings"), "marking")
    ET.SubElement(ET.SubElement(marking, "place", idref="o"), "text").text = "1"
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _plain(procedure: Procedure) -> tuple[Nodes, list[Edge]]:
    start = procedure.start.id
    order = [start] + [s.id for s in procedure.stages if s.id != start]
    nodes = {f"p_{sid}": (sid, sid) for sid in order}
    return nodes, [(f"p_{t.from_}", f"p_{t.to}", t) for t in procedure.transitions]


def _unrolled(procedure: Procedure) -> tuple[Nodes, list[Edge]]:
    bounded = [t for t in procedure.transitions if t.max_repeats is not None]

    def pid(stage: str, counts: tuple[int, ...]) -> str:
        return f"p_{stage}" + ("" if not any(counts) else "__" + "_".join(map(str, counts)))

    first = (procedure.start.id, (0,) * len(bounded))
    nodes: Nodes = {pid(*first): (first[0], first[0])}
    edges: list[Edge] = []
    todo = [first]
    while todo:
        stage, counts = todo.pop()
        for t in procedure.transitions_from(stage):
            new = counts
            if t in bounded:
                i = bounded.index(t)
                if counts[i] >= (t.max_repeats or 0):
                    continue
                new = counts[:i] + (counts[i] + 1,) + counts[i + 1 :]
            dest = pid(t.to, new)
            if dest not in nodes:
                nodes[dest] = (t.to, t.to if not any(new) else f"{t.to} (repeats {new})")
                todo.append((t.to, new))
            edges.append((pid(stage, counts), dest, t))
    return nodes, edges


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    node = ET.SubElement(parent, tag)
    ET.SubElement(node, "text").text = value
    return node


def _place(page: ET.Element, pid: str, name: str, *, tokens: int = 0) -> None:
    place = ET.SubElement(page, "place", id=pid)
    _text(place, "name", name)
    if tokens:
        _text(place, "initialMarking", str(tokens))


def _transition(page: ET.Element, tid: str, name: str, *, silent: bool = False) -> ET.Element:
    """A transition; a silent one carries ProM's ``$invisible$`` mark, which pm4py and ProM read."""
    node = ET.SubElement(page, "transition", id=tid)
    _text(node, "name", name)
    if silent:
        ET.SubElement(node, "toolspecific", tool="ProM", version="6.4", activity="$invisible$", localNodeID=tid)
    return node
