"""Swimlane flowcharts: the layout every drawing shares, connectors, and the matplotlib drawing."""

from __future__ import annotations

from reports.flowchart.draw import draw_flowchart
from reports.flowchart.layout import Layout, layout

__all__ = ["Layout", "draw_flowchart", "layout"]
