"""Flowcharts, charts and self-contained reports: the only package that draws.

The names below are loaded when first used (PEP 562), so that a command which only writes a run
directory does not import matplotlib and the report builders.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> from cpsim.reports import to_mermaid
>>> to_mermaid(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")).startswith("flowchart LR")
True
"""

from __future__ import annotations

import importlib
from typing import Any

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

HOMES = {
    "documents.build": ("report_for", "write_all", "write_report"),
    "documents.content": ("Report", "procedure_report", "run_report"),
    "documents.html": ("render_html",),
    "documents.markdown": ("render_markdown",),
    "exports.bpmn": ("to_bpmn",),
    "exports.dot": ("to_dot",),
    "exports.mermaid": ("to_mermaid",),
    "exports.render": ("FLOWCHART_FORMATS", "render_flowchart"),
    "flowchart.draw": ("draw_flowchart",),
    "flowchart.layout": ("layout",),
    "outputs": ("write_atomic",),
    "rundir.read": ("RunResults", "load_run"),
    "style": ("Flags",),
}
"""The module of this package that defines each name in ``__all__``."""

_HOME_OF = {name: module for module, names in HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    """Import the module that defines ``name`` on first use (PEP 562)."""
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The package's names, loaded or not."""
    return sorted({*globals(), *__all__})
