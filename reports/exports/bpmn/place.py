"""Where every shape, label and waypoint of the BPMN diagram goes, in pixels (y downwards).

Lanes and columns come from the shared swimlane layout, so the diagram reads like the drawn
flowchart; sizes come from the text. A task is as large as its name needs (:func:`task_size`), a lane
as tall as its title on one line, and each column as wide as its widest stage, with a joining gateway
before and a forking gateway after where the stage has them. Timers sit on the lower edge of their
task, and a non-interrupting timer's end event below it. Routes are orthogonal, avoiding other shapes.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> from cpsim.reports.exports.bpmn.graph import bpmn_graph
>>> proc = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
>>> where = place(proc, bpmn_graph(proc))
>>> x, y, w, h = where.shapes["level1"]
>>> tx, ty, tw, th = where.shapes["level1__deadline"]
>>> ty + th / 2 == y + h, x < tx < x + w
(True, True)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from cpsim.model.procedure import Procedure
from cpsim.model.types import StageKind
from cpsim.reports.exports.bpmn.graph import BpmnGraph, Node
from cpsim.reports.exports.bpmn.text import SLACK, label_size, task_size, text_width, wrap
from cpsim.reports.flowchart.connectors import route_points
from cpsim.reports.flowchart.geometry import Box
from cpsim.reports.flowchart.layout import LaneBy, layout

__all__ = ["HEAD", "Placement", "Rect", "place", "shape_size", "title_room"]

Rect = tuple[float, float, float, float]
"""x, y, width, height in pixels; y grows downwards."""

HEAD = 30.0
"""Width of the title strip at the left of the pool and of each lane."""

_EVENT, _GATEWAY, _GAP, _COL_GAP, _MARGIN, _DROP = 36.0, 50.0, 30.0, 60.0, 40.0, 40.0
_U = 60.0  # pixels per unit of the shared router


@dataclass
class Placement:
    """Shapes and external labels by element id, lanes (id, title, bounds) top first, the pool, edges by flow id."""

    shapes: dict[str, Rect] = field(default_factory=dict)
    labels: dict[str, Rect] = field(default_factory=dict)
    lanes: list[tuple[str, str, Rect]] = field(default_factory=list)
    pool: Rect = (0.0, 0.0, 0.0, 0.0)
    edges: dict[str, tuple[tuple[float, float], ...]] = field(default_factory=dict)


def shape_size(n: Node) -> tuple[float, float]:
    """Width and height of ``n``'s shape: tasks from their name, gateways 50, events 36."""
    if n.tag == "userTask":
        return task_size(n.name)
    return (_GATEWAY, _GATEWAY) if n.tag == "exclusiveGateway" else (_EVENT, _EVENT)


def title_room(title: str, at_least: float) -> float:
    """The height a lane (or the pool) needs, at least ``at_least``, for its title in two lines at most.

    bpmn-js writes the title across the lane's 30 px strip, which holds two lines of 12 px text, and
    fills each line as far as it goes; the height is raised until its lines leave room at both ends.

    >>> title_room("Case ends", 120.0), title_room("Assistant director of children's services", 120.0)
    (120.0, 150.0)
    """
    height = at_least
    while True:
        lines = wrap(title, height * SLACK)  # as bpmn-js breaks it, measuring without the slack
        if len(lines) <= 2 and max(text_width(line) for line in lines) <= height - 14:
            return height
        height += 10


def _label(n: Node) -> tuple[float, float]:
    return (0.0, 0.0) if not n.name or n.tag == "userTask" else label_size(n.name)[:2]


def _columns(parts: dict[str, dict[str, Node]], col: dict[str, int]) -> dict[int, tuple[float, float, float]]:
    """Per column: x of its left edge, width of the stage slot, whether it has a join slot (as 0 or 1)."""
    by_col: dict[int, list[str]] = defaultdict(list)
    for sid, c in col.items():
        by_col[c].append(sid)
    out: dict[int, tuple[float, float, float]] = {}
    x = 2 * HEAD + _MARGIN
    for c in range(max(col.values()) + 1):
        sids = by_col.get(c, [])
        join = any("join" in parts[s] or "begin" in parts[s] for s in sids)
        main = max((max(shape_size(parts[s]["main"])[0], _label(parts[s]["main"])[0]) for s in sids), default=120.0)
        after = [parts[s][k] for s in sids for k in ("split", "stuck") if k in parts[s]]
        split = max((max(_GATEWAY, _label(n)[0]) for n in after), default=0.0)
        out[c] = (x, main, float(join))
        x += (_GATEWAY + _GAP) * join + main + (_GAP + split if split else 0.0) + _COL_GAP
    out[-1] = (x, 0.0, 0.0)
    return out


def _lane_extent(stages: list[dict[str, Node]]) -> tuple[float, float]:
    """Room needed above and below a lane's centre line."""
    up, down = 40.0, 40.0
    for parts in stages:
        for n in parts.values():
            w, h = shape_size(n)
            lw, lh = _label(n)
            if n.part in ("timer", "overdue"):
                continue
            if n.tag == "exclusiveGateway":
                up = max(up, h / 2 + 5 + lh)
            down = max(down, h / 2 + (5 + lh if n.tag.endswith("Event") else 0.0))
        main_h = shape_size(parts["main"])[1]
        if "begin" in parts:
            down = max(down, main_h / 2 + _DROP + _EVENT + 5 + _label(parts["begin"])[1])
        if "timer" in parts:
            timer_label = _label(parts["timer"])[1]
            down = max(down, main_h / 2 + _EVENT / 2 + 5 + timer_label)
            if "overdue" in parts:
                down = max(down, main_h / 2 + _EVENT / 2 + _DROP + _EVENT + 5 + _label(parts["overdue"])[1])
            else:
                down = max(down, main_h / 2 + _EVENT / 2 + _DROP)
    return up, down


def place(procedure: Procedure, graph: BpmnGraph, by: LaneBy = "role") -> Placement:  # long: lanes, then shapes
    """Bounds for every shape, label, lane and route of ``graph`` (drawn from ``procedure``)."""
    lay = layout(procedure, by, parallel=False)
    parts: dict[str, dict[str, Node]] = defaultdict(dict)
    for n in graph.nodes:
        parts[n.stage][n.part] = n
    col = {sid: lay.boxes[sid].col for sid in parts}
    cols = _columns(parts, col)
    out = Placement()
    y = 0.0
    centre: dict[str, float] = {}
    for lane in lay.lanes:
        members = [p for sid, p in parts.items() if lay.boxes[sid].lane == lane.id]
        up, down = _lane_extent(members)
        h = title_room(lane.title, max(20 + up + down + 20, 120.0))
        centre[lane.id] = y + 20 + up
        out.lanes.append((lane.id, lane.title, (HEAD, y, cols[-1][0] - HEAD, h)))
        y += h
    if (need := title_room(procedure.title, y)) > y:  # the pool is tall enough for its title
        lid, title, (lx, ly, lw, lh) = out.lanes[-1]
        out.lanes[-1] = (lid, title, (lx, ly, lw, lh + need - y))
        y = need
    out.pool = (0.0, 0.0, cols[-1][0], y)
    for sid, p in parts.items():
        x0, main_w, join = cols[col[sid]]
        cy = centre[lay.boxes[sid].lane]
        mx = x0 + (_GATEWAY + _GAP) * join + main_w / 2
        _put(out, p["main"], mx, cy)
        mw, mh = shape_size(p["main"])
        if "join" in p:
            _put(out, p["join"], x0 + _GATEWAY / 2, cy)
        if "begin" in p:
            _put(out, p["begin"], x0 + _GATEWAY / 2, cy + mh / 2 + _DROP + _EVENT / 2)
        for k in ("split", "stuck"):
            if k in p:
                _put(out, p[k], mx + main_w / 2 + _GAP + max(_GATEWAY, _label(p[k])[0]) / 2, cy)
        if "timer" in p:
            tx = mx + mw / 2 - _EVENT / 2 - 12
            _put(out, p["timer"], tx, cy + mh / 2, label_right=True)
            if "overdue" in p:
                _put(out, p["overdue"], tx, cy + mh / 2 + _DROP + _EVENT)
    _route(graph, out)
    return out


def _put(out: Placement, n: Node, cx: float, cy: float, label_right: bool = False) -> None:
    w, h = shape_size(n)
    out.shapes[n.id] = (cx - w / 2, cy - h / 2, w, h)
    lw, lh = _label(n)
    if not lw:
        return
    if label_right:
        out.labels[n.id] = (cx + w / 2 + 4, cy + 4, lw, lh)
    elif n.tag == "exclusiveGateway":
        out.labels[n.id] = (cx - lw / 2, cy - h / 2 - 4 - lh, lw, lh)
    else:
        out.labels[n.id] = (cx - lw / 2, cy + h / 2 + 5, lw, lh)


def _box(node_id: str, r: Rect) -> Box:
    x, y, w, h = r
    return Box(node_id, StageKind.REQUEST, "", 0, (x + w / 2) / _U, (y + h / 2) / _U, w / _U, h / _U, ())


def _route(graph: BpmnGraph, out: Placement) -> None:
    """Route every flow around the shapes and the labels beside them, and label it where it leaves."""
    boxes = {nid: _box(nid, r) for nid, r in out.shapes.items()}
    around = list(boxes.values()) + [_box(f"{nid}__label", r) for nid, r in out.labels.items()]
    used: list[tuple[tuple[float, float], ...]] = []
    borders = [(HEAD, y - 1, w, 2.0) for _, _, (_, y, w, _) in out.lanes[1:]]  # a label should not cross a lane
    # the short flows inside a stage (join, task, fork) first: they go straight, and the routes avoid their ports
    for f in sorted(graph.flows, key=lambda f: f.transition is not None):
        pts = route_points(boxes[f.source], boxes[f.target], around, used)
        used += [pts, _stub(pts[0], pts[1]), _stub(pts[-1], pts[-2])]  # a later route avoids this port
        edge = tuple((x * _U, y * _U) for x, y in pts)
        out.edges[f.id] = edge
        if f.name:
            taken = list(out.shapes.values()) + list(out.labels.values()) + borders
            out.labels[f.id] = _flow_label(f.name, edge, out.pool, taken)


def _overlap_area(a: Rect, b: Rect) -> float:
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(0.0, w) * max(0.0, h)


def _beside(lw: float, lh: float, p: tuple[float, float], q: tuple[float, float]) -> list[Rect]:
    """Places for a label along segment p-q, nearest p first: above or below it if level, beside it if upright."""
    (ax, ay), (bx, by) = p, q
    out: list[Rect] = []
    if ay == by:
        step = 1 if bx > ax else -1
        for x in (ax + 4 * step, (ax + bx) / 2, bx - 4 * step):
            lx = x if step > 0 else x - lw
            out += [(lx, ay - lh - 2, lw, lh), (lx, ay + 2, lw, lh), (lx, ay - 2 * lh - 4, lw, lh)]
        return out
    step = 1 if by > ay else -1
    for y in (ay + 4 * step, (ay + by) / 2, by - 4 * step):
        ly = y if step > 0 else y - lh
        out += [(ax + 4, ly, lw, lh), (ax - 4 - lw, ly, lw, lh), (ax + 4, ly + step * (lh + 4), lw, lh)]
    return out


def _stub(port: tuple[float, float], nxt: tuple[float, float]) -> tuple[tuple[float, float], ...]:
    """A short line out of ``port`` towards ``nxt``: a route sharing the port costs as much as a long overlap."""
    dx, dy = nxt[0] - port[0], nxt[1] - port[1]
    norm = max(abs(dx) + abs(dy), 1e-9)
    return (port, (port[0] + 1.5 * dx / norm, port[1] + 1.5 * dy / norm))


def _flow_label(name: str, edge: tuple[tuple[float, float], ...], pool: Rect, taken: list[Rect]) -> Rect:
    """A route's label beside it, near where it leaves, covering as little of other shapes and labels as can be."""
    lw, lh, _ = label_size(name, max_width=120.0)
    px, py, pw, ph = pool
    spots = [r for p, q in zip(edge, edge[1:], strict=False) for r in _beside(lw, lh, p, q)]
    spots += [r for p, q in zip(edge[::-1], edge[-2::-1], strict=False) for r in _beside(lw, lh, p, q)]
    inside = [
        (min(max(x, px + 2 * HEAD + 2), px + pw - lw - 2), min(max(y, py + 2), py + ph - lh - 2), w, h)
        for x, y, w, h in spots
    ]
    return min(inside, key=lambda r: sum(_overlap_area(r, t) for t in taken))
