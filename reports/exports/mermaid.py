"""Write a procedure as a Mermaid flowchart (renders in GitHub, GitLab and most Markdown tools).

One subgraph per swimlane, most senior first; requests as boxes with who replies and by when,
decisions as diamonds ``{}``, starts and endings as stadiums ``([ ])``, skip routes dashed ``-.->``.
Work beside the route is a parallel branch: each duty a subroutine box ``[[ ]]`` in its role's lane,
reached by a dotted fork ``-.->`` from the stage that starts it and joined by a thick ``==>`` to each
stage that waits for it (both purple). A meeting stage is linked ``---`` to a hexagon ``{{ }}`` in the
lane of every other role that meets (or, for a joint reply, owes the reply).

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> text = to_mermaid(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml"))
>>> text.splitlines()[0]
'flowchart LR'
>>> '  level1 -->|"unsatisfied (time not given)"| level2' in text
True
>>> dissent = to_mermaid(load_procedure(PROCEDURES_DIR / "wakefield-conference-dissent.yaml"))
>>> '  duty_minutes_forwarded ==>|"join: waits for it"| group_review' in dissent
True
"""

from __future__ import annotations

import textwrap

from cpsim.model.procedure import Procedure
from cpsim.model.types import StageKind
from cpsim.reports.flowchart.labels import PARALLEL
from cpsim.reports.flowchart.layout import Box, LaneBy, layout
from cpsim.reports.flowchart.legend import DUTY_FILL
from cpsim.reports.style import FILL, PALETTE, Flags

__all__ = ["duty_node", "escape", "lines_html", "marker_node", "node_id", "to_mermaid"]

NODE_WRAP, LANE_WRAP = 28, 28
"""Characters per line of stage and lane labels. Mermaid widens a subgraph to fit its title only after
laying it out, so a title wider than the stages under it would push into the next subgraph."""

_SHAPES = {
    StageKind.START: ('(["', '"])'),
    StageKind.TERMINAL: ('(["', '"])'),
    StageKind.DECISION: ('{"', '"}'),
    StageKind.REQUEST: ('["', '"]'),
    StageKind.DIALOGUE: ('["', '"]'),
}


def escape(text: str) -> str:
    """Text safe inside a quoted Mermaid label.

    >>> escape('say "no" & <stop>')
    'say #quot;no#quot; #amp; #lt;stop#gt;'
    """
    return text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def node_id(stage_id: str) -> str:
    """A Mermaid-safe node id for a stage id (hyphens become underscores; reserved words avoided).

    >>> node_id("level-2"), node_id("end")
    ('level_2', 'end_')
    """
    out = stage_id.replace("-", "_")
    return out + "_" if out in {"end", "graph", "subgraph", "flowchart", "style", "class"} else out


def lines_html(lines: tuple[str, ...] | list[str], width: int) -> str:
    """``lines`` escaped and wrapped at ``width`` characters, joined by Mermaid's ``<br/>``.

    >>> lines_html(["Multi-agency group chaired by the Principal Social Worker"], 28)
    'Multi-agency group chaired<br/>by the Principal Social<br/>Worker'
    """
    return "<br/>".join(
        escape(part) for line in lines for part in (textwrap.wrap(line, width, break_on_hyphens=False) or [""])
    )


def duty_node(duty_id: str) -> str:
    """The Mermaid node id of a duty (``duty_`` and its id), apart from every stage's.

    >>> duty_node("seek-advice")
    'duty_seek_advice'
    """
    return "duty_" + duty_id.replace("-", "_")


def marker_node(marker_id: str) -> str:
    """The Mermaid node id of a meeting's marker (``stage@lane`` in the layout).

    >>> marker_node("stage3@head_service")
    'meets_stage3_head_service'
    """
    return "meets_" + "".join(c if c.isalnum() else "_" for c in marker_id)


def _ident(box: Box) -> str:
    return {"stage": node_id, "duty": duty_node, "meets": marker_node}[box.part](box.stage)


def _node(box: Box) -> str:
    left, right = {"stage": _SHAPES[box.kind], "duty": ('[["', '"]]'), "meets": ('{{"', '"}}')}[box.part]
    return f"{_ident(box)}{left}{lines_html(box.lines, NODE_WRAP)}{right}"


def to_mermaid(procedure: Procedure, flags: Flags | None = None, by: LaneBy = "role") -> str:
    """The Mermaid source of ``procedure``'s swimlane flowchart.

    Parameters
    ----------
    procedure
        The procedure to write.
    flags
        Stages and routes flagged by verification (given the ``flagged`` class and a thick red line).
    by
        ``"role"`` or ``"agency"``: what each subgraph stands for.

    Returns
    -------
    str
        Mermaid flowchart text ending in a newline.
    """
    flags = flags or Flags()
    lay = layout(procedure, by)
    out = ["flowchart LR", f"  %% {procedure.title} ({procedure.authority}, version {procedure.version})"]
    markers = [m for meeting in lay.meetings for m in meeting.markers]
    shapes = [*lay.boxes.values(), *lay.duties.values(), *markers]
    for n, lane in enumerate(lay.lanes):
        out.append(f'  subgraph lane{n}["{lines_html([lane.title], LANE_WRAP)}"]')
        out.append("    direction LR")
        out.extend(f"    {_node(b)}" for b in sorted(shapes, key=lambda b: b.col) if b.lane == lane.id)
        out.append("  end")
    for r in lay.routes:
        arrow = "-.->" if r.skip else "-->"
        out.append(f'  {node_id(r.source)} {arrow}|"{escape(r.label)}"| {node_id(r.target)}')
    parallel = len(lay.routes)
    for r in lay.parallel:
        if r.part == "fork":
            out.append(f'  {node_id(r.source)} -.->|"{escape(r.label)}"| {duty_node(r.target)}')
        else:
            out.append(f'  {duty_node(r.source)} ==>|"{escape(r.label)}"| {node_id(r.target)}')
    for meeting in lay.meetings:
        tie = "meets" if lay.boxes[meeting.stage].kind is not StageKind.REQUEST else "replies jointly"
        out.extend(f'  {marker_node(m.stage)} ---|"{tie}"| {node_id(meeting.stage)}' for m in meeting.markers)
    for kind in StageKind:
        out.append(f"  classDef {kind.value} fill:{FILL[kind.value]},stroke:{PALETTE['grey']},color:#000")
    out.append(f"  classDef flagged stroke:{PALETTE['vermillion']},stroke-width:3px")
    out.append(f"  classDef duty fill:{DUTY_FILL},stroke:{PARALLEL},stroke-dasharray:5,color:#000")
    out.append(f"  classDef meets fill:#FFFFFF,stroke:{PALETTE['sky']},color:#000")
    for b in lay.boxes.values():
        out.append(f"  class {node_id(b.stage)} {b.kind.value}")
    out.extend(f"  class {duty_node(b.stage)} duty" for b in lay.duties.values())
    out.extend(f"  class {marker_node(b.stage)} meets" for b in markers)
    for i in range(parallel, parallel + len(lay.parallel)):
        out.append(f"  linkStyle {i} stroke:{PARALLEL},stroke-width:2px")
    if flags.stages & set(lay.boxes):
        out.append(f"  class {','.join(node_id(s) for s in sorted(flags.stages & set(lay.boxes)))} flagged")
    for i, r in enumerate(lay.routes):
        if (r.source, r.target) in flags.routes:
            out.append(f"  linkStyle {i} stroke:{PALETTE['vermillion']},stroke-width:3px")
    return "\n".join(out) + "\n"
