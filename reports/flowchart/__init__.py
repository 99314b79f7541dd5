"""Swimlane flowcharts: the shapes, the layout every drawing shares, connectors, and the matplotlib drawing.

Beside the stages and routes, a drawing carries what runs alongside the route (duties, their forks
and joins), meetings of several roles, a rung's two clocks, and, for a life cycle, its milestones
as a timetable under the lanes.
"""

from __future__ import annotations

from cpsim.reports.flowchart.connectors import route_points
from cpsim.reports.flowchart.draw import A4_LANDSCAPE, PAGES, agg_renderer, draw_flowchart, text_boxes
from cpsim.reports.flowchart.geometry import Box, Lane, Layout, Meeting, Path, Point, Route
from cpsim.reports.flowchart.layout import LaneBy, box_lines, drawn_lines, layout, route_label
from cpsim.reports.flowchart.timeline import Timeline, milestone_words, tracks

__all__ = [
    "A4_LANDSCAPE",
    "PAGES",
    "Box",
    "Lane",
    "LaneBy",
    "Layout",
    "Meeting",
    "Path",
    "Point",
    "Route",
    "Timeline",
    "agg_renderer",
    "box_lines",
    "draw_flowchart",
    "drawn_lines",
    "layout",
    "milestone_words",
    "route_label",
    "route_points",
    "text_boxes",
    "tracks",
]
