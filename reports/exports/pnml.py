"""Export a procedure as a Petri-net workflow net in PNML, for process-mining and soundness tools.

Each stage is a place and each transition of the procedure a Petri-net transition moving the
case's single token from one stage's place to the next. A source place ``i`` feeds the start
stage (net transition ``begin``) and every terminal stage drains into a sink place ``o`` (net
transition ``end_<stage>``), which makes the net a workflow net. The net is a state machine, so
it is sound exactly when every stage lies on a path from the start to a terminal stage.

By default bounds on repeats (``max_repeats``) are kept only as tool-specific annotations. With
``unroll_loops=True`` each place is instead a stage together with how often each bounded
transition has fired, for every such configuration reachable from the start; a transition that
has used up its repeats cannot fire. That net is sound exactly when every configuration a case
can reach can still reach a terminal stage. Loops without a bound stay loops: soundness asks
only that a case *can* finish, so it does not see them.

Examples
--------
>>> from cpsim.model import load_procedure, shipped_procedure_paths
>>> proc = load_procedure([p for p in shipped_procedure_paths() if p.stem == "redcar-external"][0])
>>> text = to_pnml(proc)
>>> text.startswith("<?xml") and 'id="p_level1"' in text
True
>>> 'id="p_level1"' in to_pnml(proc, unroll_loops=True)
True
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from cpsim.model.procedure.classes import Procedure, Transition

__all__ = ["PNML_NET_TYPE", "to_pnml"]

PNML_NET_TYPE = "http://www.pnml.org/version-2009/grammar/ptnet"


def to_pnml(procedure: Procedure, *, unroll_loops: bool = False) -> str:
    """The PNML text of ``procedure`` as a workflow net (source place ``i``, sink place ``o``)."""
    root = ET.Element("pnml")
    net = ET.SubElement(root, "net", id=procedure.id, type=PNML_NET_TYPE)
    _text(net, "name", procedure.title)
    page = ET.SubElement(net, "page", id="page1")
    _place(page, "i", "source", tokens=1)
    _place(page, "o", "sink")
    nodes, edges = _unrolled(procedure) if unroll_loops else _plain(procedure)
    for pid, name in nodes.items():
        _place(page, pid, name)
    arcs = [("i", "t_begin"), ("t_begin", next(iter(nodes)))]
    _transition(page, "t_begin", "begin")
    for n, (src, dst, tr) in enumerate(edges):
        tid = f"t{n}_{tr.from_}_{tr.on}"
        node = _transition(page, tid, f"{tr.from_} {tr.on} -> {tr.to}")
        if tr.max_repeats is not None:
            tool = ET.SubElement(node, "toolspecific", tool="cpsim", version="1")
            tool.set("max_repeats", str(tr.max_repeats))
        arcs += [(src, tid), (tid, dst)]
    terminal = {s.id for s in procedure.stages if s.is_terminal}
    for pid, name in nodes.items():
        if name.split(" ")[0] in terminal:
            _transition(page, f"t_end_{pid}", f"end {name}")
            arcs += [(pid, f"t_end_{pid}"), (f"t_end_{pid}", "o")]
    for k, (src, dst) in enumerate(arcs):
        arc = ET.SubElement(page, "arc", id=f"a{k}", source=src, target=dst)
        _text(arc, "inscription", "1")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


Edge = tuple[str, str, Transition]


def _plain(procedure: Procedure) -> tuple[dict[str, str], list[Edge]]:
    start = procedure.start.id
    order = [start] + [s.id for s in procedure.stages if s.id != start]
    nodes = {f"p_{sid}": sid for sid in order}
    return nodes, [(f"p_{t.from_}", f"p_{t.to}", t) for t in procedure.transitions]


def _unrolled(procedure: Procedure) -> tuple[dict[str, str], list[Edge]]:
    bounded = [t for t in procedure.transitions if t.max_repeats is not None]

    def pid(stage: str, counts: tuple[int, ...]) -> str:
        return f"p_{stage}" + ("" if not any(counts) else "__" + "_".join(map(str, counts)))

    first = (procedure.start.id, (0,) * len(bounded))
    nodes, edges, todo = {pid(*first): first[0]}, [], [first]
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
                nodes[dest] = t.to if not any(new) else f"{t.to} (repeats {new})"
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


def _transition(page: ET.Element, tid: str, name: str) -> ET.Element:
    node = ET.SubElement(page, "transition", id=tid)
    _text(node, "name", name)
    return node
