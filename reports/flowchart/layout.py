"""Swimlane layout of a procedure, shared by every drawing exporter.

One horizontal lane per role (or per agency), the most senior at the top, so the escalation climbs
the page as it climbs the line of authority; roles outside the line (such as the conference chair)
sit below the ranked roles and the endings in a lane of their own at the bottom. Stages are placed
in columns by their distance from the start along forward routes. Routes are orthogonal polylines
that avoid crossing other stages where they can.

Coordinates are abstract units (one unit is about an inch on the printed page); y grows upwards.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> proc = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
>>> lay = layout(proc)
>>> [lane.title for lane in lay.lanes][:2]
["Assistant director of children's services", "Social worker's service manager"]
>>> lay.lanes[-1].title, len(lay.routes) == len(proc.transitions)
('Case ends', True)
"""

from __future__ import annotations

from typing import Literal

import networkx as nx

from cpsim.model.procedure import Procedure, Stage, Transition
from cpsim.model.procedure.joint import replying, replying_words
from cpsim.model.types import StageId, StageKind
from cpsim.reports.flowchart.connectors import route_points
from cpsim.reports.flowchart.geometry import Box, Lane, Layout, Meeting, Path, Route
from cpsim.reports.flowchart.parallel import (
    JOINT_TEXT,
    MARKER_TEXT,
    NOBODY_LANE,
    duty_box,
    lane_span,
    marker_box,
    marks,
    meeting_band,
    meeting_lanes,
    meeting_roles,
    parallel_routes,
    role_lane,
    stage_role,
    timed_words,
)

__all__ = [
    "LANE_H",
    "MAX_LANE_H",
    "Box",
    "Lane",
    "LaneBy",
    "Layout",
    "Route",
    "box_lines",
    "drawn_lines",
    "layout",
    "route_label",
]

LaneBy = Literal["role", "agency"]
"""What each swimlane stands for: one role, or one agency."""

END_LANE = "_end"
COL_W, LANE_H, BOX_W, BOX_H, HEADER_W = 3.5, 1.9, 2.55, 1.3, 1.45
DIAMOND_W = 2.55
"""A decision is wider than a box: text in a diamond has half its width and height to use."""
MAX_LANE_H = 4.8
"""The tallest a lane is drawn when the page has height to spare."""


def box_lines(procedure: Procedure, s: Stage) -> tuple[str, ...]:
    """The words of a stage: title, who replies or meets, the time to send, the deadline or meeting time.

    Timed rules carry their marks (UNSPECIFIED, PROVISIONAL, AMBIGUOUS).

    >>> from cpsim.model import PROCEDURES_DIR, load_procedure
    >>> p = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
    >>> box_lines(p, p.stage("level2"))[-1]
    'reply within 2 working days AMBIGUOUS'
    """
    lines = [s.title]
    if s.kind is StageKind.REQUEST:
        who = replying_words(procedure, s) if replying(s) else "UNSPECIFIED"
        lines.append(f"replies: {who}")
        if s.responders and s.reply is not None:
            lines.append(
                f"joint reply, due {s.reply.phrase}" + marks(s.reply)
                if s.reply.is_specified
                else "joint reply: who replies UNSPECIFIED"
            )
        if s.send is not None:
            lines.append(timed_words(s.send, "sent {}", "time to send UNSPECIFIED"))
        reply = "reply deadline UNSPECIFIED"
        lines.append(reply if s.deadline is None else timed_words(s.deadline, "reply {}", reply))
    elif s.meeting is not None:
        lines.append("meets: " + ", ".join(procedure.role(r).title for r in s.meeting.with_))
        lines.append(timed_words(s.meeting.within, "meeting {}", "meeting time UNSPECIFIED"))
    elif s.kind is StageKind.TERMINAL:
        if s.refers_to:
            lines.append(f"handed to {s.refers_to}")
    return tuple(lines)


def drawn_lines(procedure: Procedure, s: Stage) -> tuple[str, ...]:
    """The text in a stage's box: its words, with a rung's two clocks numbered in order, send then reply.

    >>> from cpsim.model import PROCEDURES_DIR, load_procedure
    >>> ext = load_procedure(PROCEDURES_DIR / "redcar-external.yaml")
    >>> drawn_lines(ext, ext.stage("level2"))[-2:]
    ('1. time to send UNSPECIFIED', '2. then reply within 2 working days AMBIGUOUS')
    """
    lines = box_lines(procedure, s)
    if s.kind is StageKind.REQUEST and s.send is not None:
        return (*lines[:-2], "1. " + lines[-2], "2. then " + lines[-1])
    return lines


def route_label(t: Transition) -> str:
    """The words on a drawn route: the outcome, and how soon the move happens if the file says.

    >>> from cpsim.model import PROCEDURES_DIR, load_procedure
    >>> p = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
    >>> route_label(p.transitions[0])
    'raised (immediately)'
    """
    words = t.on.replace("-", " ")
    extra = []
    if t.within is not None:
        extra.append(timed_words(t.within, "{}", "time not given"))
    if t.max_repeats:
        extra.append(f"at most {t.max_repeats}×")
    return words + (f" ({'; '.join(extra)})" if extra else "")


def _lane_key(procedure: Procedure, s: Stage, by: LaneBy) -> str:
    if s.is_terminal:
        return END_LANE
    return role_lane(procedure, stage_role(s), by)


def _lane_meta(procedure: Procedure, key: str) -> tuple[str, int | None]:
    if key == END_LANE:
        return "Case ends", None
    if key == NOBODY_LANE:
        return "No one named", None
    if key.startswith("agency:"):
        agency = key.removeprefix("agency:")
        ranks = [r.rank for r in procedure.roles if r.agency == agency and r.rank is not None]
        return agency, max(ranks) if ranks else None
    role = procedure.role(key)
    return role.title, role.rank


def _back_edges(procedure: Procedure) -> set[tuple[StageId, StageId]]:
    """Transitions that return to a stage still open in a depth-first walk from the start."""
    succ = {s.id: [t.to for t in procedure.transitions_from(s.id)] for s in procedure.stages}
    state: dict[StageId, int] = {}
    back: set[tuple[StageId, StageId]] = set()

    def visit(n: StageId) -> None:
        state[n] = 1
        for m in succ[n]:
            if state.get(m) == 1:
                back.add((n, m))
            elif m not in state:
                visit(m)
        state[n] = 2

    for sid in [procedure.start.id] + [s.id for s in procedure.stages]:
        if sid not in state:
            visit(sid)
    return back


def _columns(procedure: Procedure) -> dict[StageId, int]:
    """Longest forward distance from the start, ignoring routes that loop back."""
    back = _back_edges(procedure)
    dag = nx.DiGraph([(t.from_, t.to) for t in procedure.transitions if (t.from_, t.to) not in back])
    dag.add_nodes_from(s.id for s in procedure.stages)
    col: dict[StageId, int] = {}
    for n in nx.topological_sort(dag):
        col[n] = max((col[p] + 1 for p in dag.predecessors(n)), default=0)
    return col


def _order_lanes(procedure: Procedure, keys: list[str]) -> list[str]:
    """Ranked lanes most senior first, then unranked roles in order of first use, then endings."""
    ranked = sorted(
        (k for k in keys if _lane_meta(procedure, k)[1] is not None), key=lambda k: -(_lane_meta(procedure, k)[1] or 0)
    )
    unranked = [k for k in keys if _lane_meta(procedure, k)[1] is None and k != END_LANE]
    return ranked + unranked + ([END_LANE] if END_LANE in keys else [])


def layout(procedure: Procedure, by: LaneBy = "role", lane_h: float = LANE_H, parallel: bool = True) -> Layout:
    """Place every stage of ``procedure`` in a swimlane and route every transition.

    Parameters
    ----------
    procedure
        The procedure to draw.
    by
        ``"role"`` for one lane per role, ``"agency"`` for one lane per agency.
    lane_h
        Height of each lane (at least ``LANE_H``); taller lanes give stages more room for their text.
    parallel
        Also place the duties alongside the route (with their forks and joins) and the meetings'
        markers, each in its role's lane; False for the stages and transitions only.

    Returns
    -------
    Layout
        Lanes, boxes and routes in abstract units.
    """
    lane_of = {s.id: _lane_key(procedure, s, by) for s in procedure.stages}
    keys = list(dict.fromkeys(lane_of.values()))
    if parallel:
        keys += [role_lane(procedure, r, by) for s in procedure.stages for r in meeting_roles(s)]
        keys += [role_lane(procedure, d.by, by) for d in procedure.duties]
    lane_h = max(LANE_H, lane_h)
    lanes = _lanes(procedure, list(dict.fromkeys(keys)), lane_h)
    taken: set[tuple[str, int]] = set()
    boxes, meetings = _boxes(procedure, lane_of, lanes, lane_h, taken, by if parallel else None)
    duties = _duties(procedure, lanes, boxes, taken, lane_h, by) if parallel else {}
    cols = [b.col for b in [*boxes.values(), *duties.values()]]
    obstacles = [*boxes.values(), *duties.values(), *(m for meeting in meetings for m in meeting.markers)]
    used: list[Path] = []
    routes = _route_all(procedure, boxes, obstacles, used)
    forks = parallel_routes(procedure, boxes, duties, obstacles, used) if parallel else ()
    width = HEADER_W + COL_W * (max(cols) + 1)
    return Layout(procedure.title, lanes, boxes, routes, width, lane_h * len(lanes), duties, forks, meetings)


def _duties(
    procedure: Procedure,
    lanes: tuple[Lane, ...],
    boxes: dict[StageId, Box],
    taken: set[tuple[str, int]],
    lane_h: float,
    by: LaneBy,
) -> dict[str, Box]:
    """A box per duty in its role's lane, at the free column nearest the one after the stage that starts it."""
    lane_y = {ln.id: (ln.y0 + ln.y1) / 2 for ln in lanes}
    out: dict[str, Box] = {}
    for d in procedure.duties:
        lane = role_lane(procedure, d.by, by)
        c = _free_column(boxes[StageId(d.starts)].col + 1, lane, taken, False)
        taken.add((lane, c))
        out[d.id] = duty_box(procedure, d, lane, c, HEADER_W + COL_W * (c + 0.5), lane_y[lane], lane_h)
    return out


def _lanes(procedure: Procedure, keys: list[str], lane_h: float) -> tuple[Lane, ...]:
    """The lanes of ``keys`` (in order of first use), top first, each ``lane_h`` high."""
    order = _order_lanes(procedure, keys)
    height = lane_h * len(order)
    lanes = []
    for i, k in enumerate(order):
        title, rank = _lane_meta(procedure, k)
        lanes.append(Lane(k, title, rank, height - lane_h * (i + 1), height - lane_h * i))
    return tuple(lanes)


def _boxes(
    procedure: Procedure,
    lane_of: dict[StageId, str],
    lanes: tuple[Lane, ...],
    lane_h: float,
    taken: set[tuple[str, int]],
    meet_by: LaneBy | None,
) -> tuple[dict[StageId, Box], tuple[Meeting, ...]]:
    """A box per stage, in its lane, at the free column nearest its distance from the start.

    With ``meet_by``, a meeting stage takes a column free in every lane its meeting spans, and a
    marker is placed in the lane of each other role that meets.
    """
    cols = _columns(procedure)
    lane_y = {ln.id: (ln.y0 + ln.y1) / 2 for ln in lanes}
    file_order = [s.id for s in procedure.stages]
    boxes: dict[StageId, Box] = {}
    meetings: list[Meeting] = []
    for sid in sorted(cols, key=lambda x: (cols[x], file_order.index(x))):
        s = procedure.stage(sid)
        others = meeting_lanes(procedure, s, meet_by) if meet_by else []
        span = lane_span(lanes, [lane_of[sid], *others]) if others else [lane_of[sid]]
        c = _free_column(cols[sid], lane_of[sid], taken, s.is_terminal, span)
        taken.update((k, c) for k in span)
        x = HEADER_W + COL_W * (c + 0.5)
        lines = drawn_lines(procedure, s)
        decision = s.kind is StageKind.DECISION
        tall = decision or sum(map(len, lines)) > 100
        h = min(lane_h - 0.25, 2.4) if tall else min(lane_h - 0.3, max(BOX_H, 0.62 * lane_h), 1.8)
        w = DIAMOND_W if decision else BOX_W
        boxes[sid] = Box(sid, s.kind, lane_of[sid], c, x, lane_y[lane_of[sid]], w, h, lines)
        if others:
            text = MARKER_TEXT if s.meeting is not None else JOINT_TEXT
            meetings.append(meeting_band(boxes[sid], [marker_box(boxes[sid], k, lane_y[k], text) for k in others]))
    return boxes, tuple(meetings)


def _free_column(
    want: int, lane: str, taken: set[tuple[str, int]], either_way: bool, span: list[str] | None = None
) -> int:
    """The free column in ``lane`` (and every lane of ``span``) nearest ``want``.

    Rightwards only, or (for endings) either way.
    """
    steps = [want + d for d in range(0, 200)]
    if either_way:
        steps = sorted(range(max(1, want - 200), want + 200), key=lambda c: (abs(c - want), -c))
    need = span or [lane]
    return next(c for c in steps if all((k, c) not in taken for k in need))


def _route_all(
    procedure: Procedure, boxes: dict[StageId, Box], obstacles: list[Box], used: list[Path]
) -> tuple[Route, ...]:
    routes: list[Route] = []
    for t in procedure.transitions:
        pts = route_points(boxes[t.from_], boxes[t.to], obstacles, used)
        used.append(pts)
        routes.append(Route(t.from_, t.to, t.on, t.skip, route_label(t), pts))
    return tuple(routes)
