r"""Write a procedure as a Graphviz DOT digraph, one cluster per swimlane.

Work beside the route is a parallel branch: each duty a dashed purple box in its role's lane,
reached by a dotted fork from the stage that starts it; a join runs from the duty to a purple bar
in the lane of the stage that waits for it, and on into that stage. A meeting stage is tied by a
bold sky-blue line to a hexagon in the lane of every other role that meets.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> text = to_dot(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml"))
>>> text.splitlines()[0]
'digraph "redcar-internal" {'
>>> '"level1" -> "level2" [label="unsatisfied (time not\\ngiven)"' in text
True
>>> dissent = to_dot(load_procedure(PROCEDURES_DIR / "wakefield-conference-dissent.yaml"))
>>> '"join:minutes-forwarded:group_review" -> "group_review"' in dissent
True
"""

from __future__ import annotations

import textwrap

from cpsim.model.procedure import Procedure
from cpsim.model.types import StageKind
from cpsim.reports.flowchart.geometry import Route
from cpsim.reports.flowchart.labels import PARALLEL
from cpsim.reports.flowchart.layout import LaneBy, Layout, layout
from cpsim.reports.flowchart.legend import DUTY_FILL
from cpsim.reports.style import FILL, PALETTE, Flags, route_colour, stage_edge

__all__ = ["FONT", "bar_id", "quote", "to_dot", "wrap"]

FONT = "Helvetica"
"""The one font family of every label: title, lanes, stages and routes."""

NODE_WRAP, EDGE_WRAP, LANE_WRAP, DUTY_WRAP = 24, 22, 48, 34
"""Characters per line of stage, route, lane and duty labels, so a long procedure stays a readable size."""

_SHAPES = {
    StageKind.START: 'shape=box, style="rounded,filled"',
    StageKind.TERMINAL: 'shape=box, style="rounded,filled"',
    StageKind.DECISION: 'shape=diamond, style="filled"',
    StageKind.REQUEST: 'shape=box, style="filled"',
    StageKind.DIALOGUE: 'shape=box, style="filled"',
}


def quote(text: str) -> str:
    r"""A DOT double-quoted string; line breaks become centred ``\n`` breaks.

    >>> quote('Chair says "no"\nthen stops')
    '"Chair says \\"no\\"\\nthen stops"'
    """
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def wrap(text: str, width: int) -> str:
    r"""``text`` broken into lines of at most ``width`` characters, keeping its own line breaks.

    >>> wrap("Chair facilitates the conference towards a consensus", 24)
    'Chair facilitates the\nconference towards a\nconsensus'
    """
    return "\n".join(
        part for line in text.split("\n") for part in (textwrap.wrap(line, width, break_on_hyphens=False) or [""])
    )


def to_dot(procedure: Procedure, flags: Flags | None = None, by: LaneBy = "role") -> str:
    """The DOT source of ``procedure``'s swimlane flowchart (top to bottom, lanes side by side, skip routes dashed).

    Parameters
    ----------
    procedure
        The procedure to write.
    flags
        Stages and routes flagged by verification, drawn in vermillion.
    by
        ``"role"`` or ``"agency"``: what each cluster stands for.

    Returns
    -------
    str
        DOT text ending in a newline.
    """
    flags = flags or Flags()
    lay = layout(procedure, by)
    out = [
        f"digraph {quote(procedure.id)} {{",
        f'  graph [fontname="{FONT}"]; node [fontname="{FONT}", fontsize=10]; edge [fontname="{FONT}", fontsize=9];',
        f"  label={quote(procedure.title + ' — ' + procedure.authority)}; labelloc=t; fontsize=16;",
        "  rankdir=TB; newrank=true; nodesep=0.25; ranksep=0.35;",
    ]
    for n, lane in enumerate(lay.lanes):
        out.append(f"  subgraph cluster_{n} {{")
        out.append(
            f'    label={quote(wrap(lane.title, LANE_WRAP))}; labeljust=l; fontname="{FONT}"; fontsize=11; '
            'style=filled; fillcolor="#F2F2F2"; color="#BBBBBB";'
        )
        for b in (b for b in lay.boxes.values() if b.lane == lane.id):
            colour = stage_edge(b.stage in flags.stages)
            width = 3 if b.stage in flags.stages else 1
            out.append(
                f"    {quote(b.stage)} [label={quote(wrap(chr(10).join(b.lines), NODE_WRAP))}, {_SHAPES[b.kind]}, "
                f'fillcolor="{FILL[b.kind.value]}", color="{colour}", penwidth={width}];'
            )
        out.extend(_beside(lay, lane.id))
        out.append("  }")
    for r in lay.routes:
        flagged = (r.source, r.target) in flags.routes
        colour = route_colour(r.skip, flagged)
        style = "dashed" if r.skip else "solid"
        out.append(
            f"  {quote(r.source)} -> {quote(r.target)} [label={quote(wrap(r.label, EDGE_WRAP))}, style={style}, "
            f'color="{colour}", fontcolor="{colour}", penwidth={3 if flagged else 1}];'
        )
    out.extend(_beside_edges(lay))
    out.append("}")
    return "\n".join(out) + "\n"


def _beside(lay: Layout, lane: str) -> list[str]:
    """The nodes of work beside the route in ``lane``: duties, join bars and meeting markers."""
    out = []
    for b in (b for b in lay.duties.values() if b.lane == lane):
        out.append(
            f"    {quote(b.stage)} [label={quote(wrap(chr(10).join(b.lines), DUTY_WRAP))}, shape=box, "
            f'style="dashed,filled", fillcolor="{DUTY_FILL}", color="{PARALLEL}"];'
        )
    for m in (m for meeting in lay.meetings for m in meeting.markers if m.lane == lane):
        out.append(
            f"    {quote(m.stage)} [label={quote(wrap(chr(10).join(m.lines), NODE_WRAP))}, shape=hexagon, "
            f'style=filled, fillcolor="#FFFFFF", color="{PALETTE["sky"]}"];'
        )
    return out


def bar_id(r: Route) -> str:
    """The node id of a join's bar: ``join:<duty>:<stage>``."""
    return f"join:{r.source}:{r.target}"


def _beside_edges(lay: Layout) -> list[str]:
    """Forks to duties, joins through their bars (between the lanes), and meeting ties."""
    out = [
        f'  {quote(bar_id(r))} [label="", shape=box, style=filled, width=0.7, height=0.06, '
        f'fillcolor="{PARALLEL}", color="{PARALLEL}"];'
        for r in lay.parallel
        if r.part == "join"
    ]
    style = f'color="{PARALLEL}", fontcolor="{PARALLEL}"'
    for r in lay.parallel:
        label = quote(wrap(r.label, EDGE_WRAP))
        if r.part == "fork":
            out.append(f"  {quote(r.source)} -> {quote(r.target)} [label={label}, style=dotted, {style}];")
        else:
            # The bar sits beside the stage that waits; the join does not pull the stages' ranks apart.
            out.append(f"  {{rank=same; {quote(bar_id(r))}; {quote(r.target)}}}")
            out.append(
                f"  {quote(r.source)} -> {quote(bar_id(r))} [label={label}, arrowhead=none, constraint=false, {style}];"
            )
            out.append(f"  {quote(bar_id(r))} -> {quote(r.target)} [constraint=false, {style}];")
    for meeting in lay.meetings:
        tie = "meets" if lay.boxes[meeting.stage].kind is not StageKind.REQUEST else "replies jointly"
        out.extend(
            f'  {quote(m.stage)} -> {quote(meeting.stage)} [label="{tie}", dir=none, style=bold, '
            f'color="{PALETTE["sky"]}", fontcolor="{PALETTE["grey"]}"];'
            for m in meeting.markers
        )
    return out
