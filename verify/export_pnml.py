"""Export a procedure as a Petri-net workflow net in PNML, for process-mining and soundness tools.

Each stage is a place and each transition of the procedure a Petri-net transition moving the
case's single token from one stage's place to the next. A source place ``i`` feeds the start
stage (net transition ``begin``) and every terminal stage drains into a sink place ``o`` (net
transition ``end_<stage>``), which makes the net a workflow net. The net is a state machine, so
it is sound exactly when every stage lies on a path from the start to a terminal stage. Bounds on
repeats (``max_repeats``) are kept as tool-specific annotations; soundness does not see them.

Examples
--------
>>> from model import load_procedure, shipped_procedure_paths
>>> proc = load_procedure([p for p in shipped_procedure_paths() if p.stem == "redcar-external"][0])
>>> text = to_pnml(proc)
>>> text.startswith("<?xml") and 'id="p_level1"' in text
True
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from model.procedure import Procedure

__all__ = ["PNML_NET_TYPE", "to_pnml"]

PNML_NET_TYPE = "http://www.pnml.org/version-2009/grammar/ptnet"


def to_pnml(procedure: Procedure) -> str:
    """The PNML text of ``procedure`` as a workflow net (source place ``i``, sink place ``o``)."""
    root = ET.Element("pnml")
    net = ET.SubElement(root, "net", id=procedure.id, type=PNML_NET_TYPE)
    _text(net, "name", procedure.title)
    page = ET.SubElement(net, "page", id="page1")
    _place(page, "i", "source", tokens=1)
    _place(page, "o", "sink")
    for s in procedure.stages:
        _place(page, f"p_{s.id}", s.title)
    arcs = [("i", "t_begin"), ("t_begin", f"p_{procedure.start.id}")]
    _transition(page, "t_begin", "begin")
    for n, tr in enumerate(procedure.transitions):
        tid = f"t{n}_{tr.from_}_{tr.on}"
        node = _transition(page, tid, f"{tr.from_} {tr.on} -> {tr.to}")
        if tr.max_repeats is not None:
            tool = ET.SubElement(node, "toolspecific", tool="cpsim", version="1")
            tool.set("max_repeats", str(tr.max_repeats))
        arcs += [(f"p_{tr.from_}", tid), (tid, f"p_{tr.to}")]
    for s in procedure.stages:
        if s.is_terminal:
            _transition(page, f"t_end_{s.id}", f"end {s.id}")
            arcs += [(f"p_{s.id}", f"t_end_{s.id}"), (f"t_end_{s.id}", "o")]
    for k, (src, dst) in enumerate(arcs):
        arc = ET.SubElement(page, "arc", id=f"a{k}", source=src, target=dst)
        _text(arc, "inscription", "1")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


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
