"""Flowcharts, charts and self-contained reports: the only package that draws.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> to_mermaid(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")).startswith("flowchart LR")
True
"""

from cpsim.reports.documents.build import report_for, write_all, write_report
from cpsim.reports.documents.content import Report, procedure_report, run_report
from cpsim.reports.documents.html import render_html
from cpsim.reports.documents.markdown import render_markdown
from cpsim.reports.exports.bpmn import to_bpmn
from cpsim.reports.exports.dot import to_dot
from cpsim.reports.exports.mermaid import to_mermaid
from cpsim.reports.exports.render import FLOWCHART_FORMATS, render_flowchart
from cpsim.reports.flowchart.draw import draw_flowchart
from cpsim.reports.flowchart.layout import layout
from cpsim.reports.outputs import write_atomic
from cpsim.reports.rundir.read import RunResults, load_run
from cpsim.reports.style import Flags

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
