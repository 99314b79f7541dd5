"""Write a procedure as BPMN 2.0 XML with diagram interchange, so it opens in bpmn.io or Camunda Modeler.

Each stage is exactly one flow node whose id is the stage id: request, dialogue and start stages are
user tasks, decisions are exclusive gateways and endings are end events. One unnamed start event leads
into the start stage. Lanes follow the shared swimlane layout; routes are sequence flows named by
their outcome, with the outcome as a condition. Shapes and waypoints come from the same layout as the
drawn flowchart, so the picture matches.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> xml = to_bpmn(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml"))
>>> xml.startswith('<?xml version="1.0" encoding="UTF-8"?>')
True
>>> '<bpmn:exclusiveGateway id="immediate_choice"' in xml
True
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from cpsim.model.procedure import Procedure
from cpsim.model.types import StageKind
from cpsim.reports.flowchart.layout import Box, LaneBy, Layout, layout

__all__ = ["NS", "element_for", "to_bpmn"]

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
PX = 60.0  # pixels per layout unit
_EVENT, _GATEWAY = 36.0, 50.0


def element_for(kind: StageKind) -> str:
    """The BPMN element a stage of ``kind`` becomes.

    >>> element_for(StageKind.DECISION), element_for(StageKind.TERMINAL)
    ('exclusiveGateway', 'endEvent')
    """
    return {StageKind.DECISION: "exclusiveGateway", StageKind.TERMINAL: "endEvent"}.get(kind, "userTask")


def _q(prefix: str, tag: str) -> str:
    return f"{{{NS[prefix]}}}{tag}"


def _sub(parent: ET.Element, prefix: str, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, _q(prefix, tag), {k.rstrip("_"): v for k, v in attrs.items()})


def _num(v: float) -> str:
    return f"{v:.0f}"


def _bounds(box: Box, height: float) -> tuple[float, float, float, float]:
    """x, y, w, h in pixels (y downwards) of the shape drawn for ``box``."""
    cx, cy = box.x * PX, (height - box.y) * PX
    if box.kind is StageKind.TERMINAL:
        w = h = _EVENT
    elif box.kind is StageKind.DECISION:
        w = h = _GATEWAY
    else:
        w, h = box.w * PX, box.h * PX
    return cx - w / 2, cy - h / 2, w, h


def _snap(points: list[tuple[float, float]], box: Box, height: float, at_end: bool) -> None:
    """Move a waypoint on the layout box's border onto the smaller event or gateway shape."""
    if box.kind not in (StageKind.TERMINAL, StageKind.DECISION):
        return
    i = -1 if at_end else 0
    x, y = points[i]
    cx, cy = box.x * PX, (height - box.y) * PX
    half = (_EVENT if box.kind is StageKind.TERMINAL else _GATEWAY) / 2
    if abs(y - cy) < 1e-6:
        points[i] = (cx + half * (1 if x > cx else -1), cy)
    else:
        points[i] = (cx, cy + half * (1 if y > cy else -1))


def _process(procedure: Procedure, lay: Layout, root: ET.Element) -> None:
    proc = _sub(root, "bpmn", "process", id="Process_1", isExecutable="false", name=procedure.title)
    lanes = _sub(proc, "bpmn", "laneSet", id="LaneSet_1")
    for n, lane in enumerate(lay.lanes):
        el = _sub(lanes, "bpmn", "lane", id=f"Lane_{n}", name=lane.title)
        for b in lay.boxes.values():
            if b.lane == lane.id:
                _sub(el, "bpmn", "flowNodeRef").text = b.stage
        if lane.id == lay.boxes[procedure.start.id].lane:
            _sub(el, "bpmn", "flowNodeRef").text = "StartEvent_1"
    start = _sub(proc, "bpmn", "startEvent", id="StartEvent_1")
    _sub(start, "bpmn", "outgoing").text = "Flow_start"
    flows = [("Flow_start", "StartEvent_1", procedure.start.id, "")] + [
        (f"Flow_{i}", r.source, r.target, r.label) for i, r in enumerate(lay.routes)
    ]
    for s in procedure.stages:
        el = _sub(proc, "bpmn", element_for(s.kind), id=s.id, name="\n".join(lay.boxes[s.id].lines))
        for fid, _src, dst, _ in flows:
            if dst == s.id:
                _sub(el, "bpmn", "incoming").text = fid
        for fid, src, _, _ in flows:
            if src == s.id:
                _sub(el, "bpmn", "outgoing").text = fid
    for (fid, src, dst, name), r in zip(flows, (None, *lay.routes), strict=True):
        attrs = {"id": fid, "sourceRef": src, "targetRef": dst} | ({"name": name} if name else {})
        flow = _sub(proc, "bpmn", "sequenceFlow", **attrs)
        if r is not None:
            cond = _sub(flow, "bpmn", "conditionExpression", **{_q("xsi", "type"): "bpmn:tFormalExpression"})
            cond.text = f"outcome = '{r.outcome}'"


def _diagram(procedure: Procedure, lay: Layout, root: ET.Element) -> None:
    h = lay.height
    plane = _sub(_sub(root, "bpmndi", "BPMNDiagram", id="BPMNDiagram_1"), "bpmndi", "BPMNPlane", id="BPMNPlane_1")
    plane.set("bpmnElement", "Collaboration_1")
    width = (lay.width + 0.3) * PX

    def shape(element: str, x: float, y: float, w: float, hh: float, **extra: str) -> None:
        el = _sub(plane, "bpmndi", "BPMNShape", id=f"{element}_di", bpmnElement=element, **extra)
        _sub(el, "dc", "Bounds", x=_num(x), y=_num(y), width=_num(w), height=_num(hh))

    shape("Participant_1", 0, 0, width, h * PX, isHorizontal="true")
    for n, lane in enumerate(lay.lanes):
        shape(f"Lane_{n}", 30, (h - lane.y1) * PX, width - 30, (lane.y1 - lane.y0) * PX, isHorizontal="true")
    for b in lay.boxes.values():
        shape(b.stage, *_bounds(b, h))
    sx, sy, _, sh = _bounds(lay.boxes[procedure.start.id], h)
    shape("StartEvent_1", sx - 50, sy + sh / 2 - _EVENT / 2, _EVENT, _EVENT)
    edge = _sub(plane, "bpmndi", "BPMNEdge", id="Flow_start_di", bpmnElement="Flow_start")
    for x in (sx - 50 + _EVENT, sx):
        _sub(edge, "di", "waypoint", x=_num(x), y=_num(sy + sh / 2))
    for i, r in enumerate(lay.routes):
        pts = [(x * PX, (h - y) * PX) for x, y in r.points]
        _snap(pts, lay.boxes[r.source], h, at_end=False)
        _snap(pts, lay.boxes[r.target], h, at_end=True)
        edge = _sub(plane, "bpmndi", "BPMNEdge", id=f"Flow_{i}_di", bpmnElement=f"Flow_{i}")
        for x, y in pts:
            _sub(edge, "di", "waypoint", x=_num(x), y=_num(y))


def to_bpmn(procedure: Procedure, by: LaneBy = "role") -> str:
    """BPMN 2.0 XML (with diagram interchange) of ``procedure``'s swimlane flowchart.

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
    lay = layout(procedure, by)
    root = ET.Element(
        _q("bpmn", "definitions"), {"id": "Definitions_1", "targetNamespace": "urn:cpsim:" + procedure.id}
    )
    root.set("exporter", "cpsim")
    collab = _sub(root, "bpmn", "collaboration", id="Collaboration_1")
    _sub(collab, "bpmn", "participant", id="Participant_1", name=procedure.title, processRef="Process_1")
    _process(procedure, lay, root)
    _diagram(procedure, lay, root)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
