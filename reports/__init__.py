"""Flowcharts, charts and self-contained reports: the only package that draws.

Examples
--------
>>> from model import PROCEDURES_DIR, load_procedure
>>> to_mermaid(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")).startswith("flowchart LR")
True
"""

from reports.bpmn import to_bpmn
from reports.build import report_for, write_all, write_report
from reports.content import Report, procedure_report, run_report
from reports.dot import to_dot
from reports.export import FLOWCHART_FORMATS, render_flowchart, write_atomic
from reports.flowchart_mpl import draw_flowchart
from reports.html import render_html
from reports.layout import layout
from reports.markdown import render_markdown
from reports.mermaid import to_mermaid
from reports.results import RunResults, load_run
from reports.style import Flags

__all__ = [
    "FLOWCHART_FORMATS",
    "Flags",
    "Report",
    "RunResults",
    "draw_flowchart",
    "layout",
    "load_run",
    "procedure_report",
    "render_flowchart",
    "render_html",
    "render_markdown",
    "report_for",
    "run_report",
    "to_bpmn",
    "to_dot",
    "to_mermaid",
    "write_all",
    "write_atomic",
    "write_report",
]
