"""Files other tools read: BPMN, DOT, Mermaid, PNML and PRISM, and flowcharts in any format."""

from __future__ import annotations

from cpsim.reports.exports.bpmn import to_bpmn
from cpsim.reports.exports.dot import to_dot
from cpsim.reports.exports.mermaid import to_mermaid
from cpsim.reports.exports.pnml import to_pnml
from cpsim.reports.exports.prism import target_properties, to_prism, within_property
from cpsim.reports.exports.render import (
    FLOWCHART_FORMATS,
    figure_bytes,
    findings_for,
    render_flowchart,
)

__all__ = [
    "FLOWCHART_FORMATS",
    "figure_bytes",
    "findings_for",
    "render_flowchart",
    "target_properties",
    "to_bpmn",
    "to_dot",
    "to_mermaid",
    "to_pnml",
    "to_prism",
    "within_property",
]
