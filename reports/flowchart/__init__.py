"""Swimlane flowcharts: the shapes, the layout every drawing shares, connectors, and the matplotlib drawing."""

from __future__ import annotations

from cpsim.reports.flowchart.connectors import route_points
from cpsim.reports.flowchart.draw import A4_LANDSCAPE, PAGES, agg_renderer, draw_flowchart, text_boxes
from cpsim.reports.flowchart.geometry import Box, Lane, Layout, Path, Point, Route
from cpsim.reports.flowchart.layout import LaneBy, box_lines, layout, route_label

__all__ = [
    "A4_LANDSCAPE",
    "PAGES",
    "Box",
    "Lane",
    "LaneBy",
    "Layout",
    "Path",
    "Point",
    "Route",
    "agg_renderer",
    "box_lines",
    "draw_flowchart",
    "layout",
    "route_label",
    "route_points",
    "text_boxes",
]
