"""Swimlane flowcharts: the layout every drawing shares, connectors, and the matplotlib drawing."""

from __future__ import annotations

from cpsim.reports.flowchart.draw import draw_flowchart
from cpsim.reports.flowchart.layout import Layout, layout

__all__ = ["Layout", "draw_flowchart", "layout"]
