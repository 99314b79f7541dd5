"""Write a procedure as a Mermaid flowchart (renders in GitHub, GitLab and most Markdown tools).

One subgraph per swimlane, most senior first; requests as boxes with who replies and by when,
decisions as diamonds ``{}``, starts and endings as stadiums ``([ ])``, skip routes dashed ``-.->``.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> text = to_mermaid(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml"))
>>> text.splitlines()[0]
'flowchart LR'
>>> '  level1 -->|"unsatisfied (time not given)"| level2' in text
True
"""

from __future__ import annotations

import textwrap

from cpsim.model.procedure import Procedure
from cpsim.model.types import StageKind
from cpsim.reports.flowchart.layout import Box, LaneBy, layout
from cpsim.reports.style import FILL, PALETTE, Flags

__all__ = ["escape", "lines_html", "node_id", "to_mermaid"]

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


def _node(box: Box) -> str:
    left, right = _SHAPES[box.kind]
    return f"{node_id(box.stage)}{left}{lines_html(box.lines, NODE_WRAP)}{right}"


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
    for n, lane in enumerate(lay.lanes):
        out.append(f'  subgraph lane{n}["{lines_html([lane.title], LANE_WRAP)}"]')
        out.append("    direction LR")
        out.extend(f"    {_node(b)}" for b in sorted(lay.boxes.values(), key=lambda b: b.col) if b.lane == lane.id)
        out.append("  end")
    for r in lay.routes:
        arrow = "-.->" if r.skip else "-->"
        out.append(f'  {node_id(r.source)} {arrow}|"{escape(r.label)}"| {node_id(r.target)}')
    for kind in StageKind:
        out.append(f"  classDef {kind.value} fill:{FILL[kind.value]},stroke:{PALETTE['grey']},color:#000")
    out.append(f"  classDef flagged stroke:{PALETTE['vermillion']},stroke-width:3px")
    for b in lay.boxes.values():
        out.append(f"  class {node_id(b.stage)} {b.kind.value}")
    if flags.stages & set(lay.boxes):
        out.append(f"  class {','.join(node_id(s) for s in sorted(flags.stages & set(lay.boxes)))} flagged")
    for i, r in enumerate(lay.routes):
        if (r.source, r.target) in flags.routes:
            out.append(f"  linkStyle {i} stroke:{PALETTE['vermillion']},stroke-width:3px")
    return "\n".join(out) + "\n"
