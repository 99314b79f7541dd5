"""BPMN 2.0 XML with diagram interchange from a process graph and its placement.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> xml = to_bpmn(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml"))
>>> xml.startswith('<?xml version="1.0" encoding="UTF-8"?>')
True
>>> '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P2D</bpmn:timeDuration>' in xml
True
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from cpsim.model.procedure import Procedure
from cpsim.reports.exports.bpmn.graph import BpmnGraph, Node, bpmn_graph
from cpsim.reports.exports.bpmn.place import Placement, Rect, place
from cpsim.reports.flowchart.layout import LaneBy

__all__ = ["NS", "PROCESS_ID", "process_documentation", "to_bpmn"]

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
PROCESS_ID = "Process_1"
"""The id of the one process; a BPMN engine starts it by this id."""


def _q(prefix: str, tag: str) -> str:
    return f"{{{NS[prefix]}}}{tag}"


def _sub(parent: ET.Element, prefix: str, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, _q(prefix, tag), {k.rstrip("_"): v for k, v in attrs.items()})


def _doc(parent: ET.Element, text: str) -> None:
    if text:
        _sub(parent, "bpmn", "documentation", textFormat="text/plain").text = text


def _node(proc: ET.Element, n: Node, graph: BpmnGraph) -> None:
    attrs = {"id": n.id} | ({"name": n.name} if n.name else {})
    if n.tag == "boundaryEvent":
        assert n.attached_to is not None
        attrs |= {"attachedToRef": n.attached_to, "cancelActivity": "true" if n.interrupting else "false"}
    el = _sub(proc, "bpmn", n.tag, **attrs)
    _doc(el, n.doc)
    for f in graph.flows:
        if f.target == n.id:
            _sub(el, "bpmn", "incoming").text = f.id
    for f in graph.flows:
        if f.source == n.id:
            _sub(el, "bpmn", "outgoing").text = f.id
    if n.duration is not None:
        timer = _sub(el, "bpmn", "timerEventDefinition", id=f"{n.id}__timer")
        _sub(timer, "bpmn", "timeDuration", **{_q("xsi", "type"): "bpmn:tFormalExpression"}).text = n.duration


def process_documentation(procedure: Procedure) -> str:
    """The procedure's summary and its time targets, which span several stages and so are not timers.

    >>> from cpsim.model import PROCEDURES_DIR, load_procedure
    >>> process_documentation(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")).split("Target: ")[1]
    'Resolved within five working days (within 5 working days, timed from level1 to any ending).'
    """
    parts = [f"{procedure.authority}: {procedure.title}."]
    if procedure.summary:
        parts.append(" ".join(procedure.summary.split()))
    for t in procedure.targets:
        stops = "any ending" if t.to == "any-terminal" else ", ".join(t.to)
        parts.append(f"Target: {t.title.rstrip('.')} ({t.within.phrase}, timed from {t.from_} to {stops}).")
    return " ".join(parts)


def _process(procedure: Procedure, graph: BpmnGraph, where: Placement, root: ET.Element) -> None:
    proc = _sub(root, "bpmn", "process", id=PROCESS_ID, isExecutable="true", name=procedure.title)
    _doc(proc, process_documentation(procedure))
    lanes = _sub(proc, "bpmn", "laneSet", id="LaneSet_1")
    for i, (_, title, (_, y, _, h)) in enumerate(where.lanes):
        lane = _sub(lanes, "bpmn", "lane", id=f"Lane_{i}", name=title)
        for n in graph.nodes:
            cy = where.shapes[n.id][1] + where.shapes[n.id][3] / 2
            if y <= cy < y + h:
                _sub(lane, "bpmn", "flowNodeRef").text = n.id
    for n in graph.nodes:
        _node(proc, n, graph)
    for f in graph.flows:
        flow = _sub(proc, "bpmn", "sequenceFlow", id=f.id, sourceRef=f.source, targetRef=f.target)
        if f.name:
            flow.set("name", f.name)
        _doc(flow, f.doc)
        if f.condition is not None:
            expr = _sub(flow, "bpmn", "conditionExpression", **{_q("xsi", "type"): "bpmn:tFormalExpression"})
            expr.text = f.condition


def _bounds(parent: ET.Element, r: Rect) -> None:
    x, y, w, h = r
    _sub(parent, "dc", "Bounds", x=f"{x:.0f}", y=f"{y:.0f}", width=f"{w:.0f}", height=f"{h:.0f}")


def _diagram(graph: BpmnGraph, where: Placement, root: ET.Element) -> None:
    diagram = _sub(root, "bpmndi", "BPMNDiagram", id="BPMNDiagram_1")
    plane = _sub(diagram, "bpmndi", "BPMNPlane", id="BPMNPlane_1", bpmnElement="Collaboration_1")
    _bounds(
        _sub(plane, "bpmndi", "BPMNShape", id="Participant_1_di", bpmnElement="Participant_1", isHorizontal="true"),
        where.pool,
    )
    for i, (_, _, r) in enumerate(where.lanes):
        _bounds(_sub(plane, "bpmndi", "BPMNShape", id=f"Lane_{i}_di", bpmnElement=f"Lane_{i}", isHorizontal="true"), r)
    for n in graph.nodes:
        extra = {"isMarkerVisible": "true"} if n.tag == "exclusiveGateway" else {}
        shape = _sub(plane, "bpmndi", "BPMNShape", id=f"{n.id}_di", bpmnElement=n.id, **extra)
        _bounds(shape, where.shapes[n.id])
        if n.id in where.labels:
            _bounds(_sub(shape, "bpmndi", "BPMNLabel"), where.labels[n.id])
    for f in graph.flows:
        edge = _sub(plane, "bpmndi", "BPMNEdge", id=f"{f.id}_di", bpmnElement=f.id)
        for x, y in where.edges[f.id]:
            _sub(edge, "di", "waypoint", x=f"{x:.0f}", y=f"{y:.0f}")
        if f.id in where.labels:
            _bounds(_sub(edge, "bpmndi", "BPMNLabel"), where.labels[f.id])


def to_bpmn(procedure: Procedure, by: LaneBy = "role") -> str:
    """BPMN 2.0 XML (with diagram interchange) of ``procedure``, as a modeller draws it.

    Parameters
    ----------
    procedure
        The procedure to write.
    by
        ``"role"`` or ``"agency"``: what each lane stands for.

    Returns
    -------
    str
        The XML document, UTF-8 declared, ending in a newline.
    """
    for prefix, uri in NS.items():
        ET.register_namespace(prefix, uri)
    graph = bpmn_graph(procedure)
    where = place(procedure, graph, by)
    root = ET.Element(
        _q("bpmn", "definitions"), {"id": "Definitions_1", "targetNamespace": "urn:cpsim:" + procedure.id}
    )
    root.set("exporter", "cpsim")
    collab = _sub(root, "bpmn", "collaboration", id="Collaboration_1")
    _sub(collab, "bpmn", "participant", id="Participant_1", name=procedure.title, processRef=PROCESS_ID)
    _process(procedure, graph, where, root)
    _diagram(graph, where, root)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
