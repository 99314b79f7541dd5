"""Write a procedure as a Graphviz DOT digraph, one cluster per swimlane.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> text = to_dot(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml"))
>>> text.splitlines()[0]
'digraph "redcar-internal" {'
>>> '"level1" -> "level2" [label="unsatisfied (time not given)"' in text
True
"""

from __future__ import annotations

from cpsim.model.procedure import Procedure
from cpsim.model.types import StageKind
from cpsim.reports.flowchart.layout import LaneBy, layout
from cpsim.reports.style import FILL, Flags, route_colour, stage_edge

__all__ = ["quote", "to_dot"]

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


def to_dot(procedure: Procedure, flags: Flags | None = None, by: LaneBy = "role") -> str:
    """The DOT source of ``procedure``'s swimlane flowchart (left to right, skip routes dashed).

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
        f"  label={quote(procedure.title + ' — ' + procedure.authority)}; labelloc=t; fontsize=16;",
        "  rankdir=LR; newrank=true;",
        '  node [fontname="Helvetica", fontsize=10]; edge [fontname="Helvetica", fontsize=9];',
    ]
    for n, lane in enumerate(lay.lanes):
        out.append(f"  subgraph cluster_{n} {{")
        out.append(f'    label={quote(lane.title)}; style=filled; fillcolor="#F2F2F2"; color="#BBBBBB";')
        for b in (b for b in lay.boxes.values() if b.lane == lane.id):
            colour = stage_edge(b.stage in flags.stages)
            width = 3 if b.stage in flags.stages else 1
            out.append(
                f"    {quote(b.stage)} [label={quote(chr(10).join(b.lines))}, {_SHAPES[b.kind]}, "
                f'fillcolor="{FILL[b.kind.value]}", color="{colour}", penwidth={width}];'
            )
        out.append("  }")
    for r in lay.routes:
        flagged = (r.source, r.target) in flags.routes
        colour = route_colour(r.skip, flagged)
        style = "dashed" if r.skip else "solid"
        out.append(
            f'  {quote(r.source)} -> {quote(r.target)} [label={quote(r.label)}, style={style}, color="{colour}", '
            f'fontcolor="{colour}", penwidth={3 if flagged else 1}];'
        )
    out.append("}")
    return "\n".join(out) + "\n"
