r"""Write a procedure as a Graphviz DOT digraph, one cluster per swimlane.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> text = to_dot(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml"))
>>> text.splitlines()[0]
'digraph "redcar-internal" {'
>>> '"level1" -> "level2" [label="unsatisfied (time not\\ngiven)"' in text
True
"""

from __future__ import annotations

import textwrap

from cpsim.model.procedure import Procedure
from cpsim.model.types import StageKind
from cpsim.reports.flowchart.layout import LaneBy, layout
from cpsim.reports.style import FILL, Flags, route_colour, stage_edge

__all__ = ["FONT", "quote", "to_dot", "wrap"]

FONT = "Helvetica"
"""The one font family of every label: title, lanes, stages and routes."""

NODE_WRAP, EDGE_WRAP, LANE_WRAP = 24, 22, 48
"""Characters per line of stage, route and lane labels, so a long procedure stays a readable size."""

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
        out.append("  }")
    for r in lay.routes:
        flagged = (r.source, r.target) in flags.routes
        colour = route_colour(r.skip, flagged)
        style = "dashed" if r.skip else "solid"
        out.append(
            f"  {quote(r.source)} -> {quote(r.target)} [label={quote(wrap(r.label, EDGE_WRAP))}, style={style}, "
            f'color="{colour}", fontcolor="{colour}", penwidth={3 if flagged else 1}];'
        )
    out.append("}")
    return "\n".join(out) + "\n"
