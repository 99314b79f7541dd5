"""Reports as documents: content, its HTML and Markdown renderings, and the procedure catalogue."""

from __future__ import annotations

from cpsim.reports.documents.build import report_for, write_all, write_report
from cpsim.reports.documents.catalogue import GENERATED_MARK, procedures_markdown
from cpsim.reports.documents.content import (
    Block,
    Bullets,
    Image,
    Paragraph,
    Report,
    Section,
    Steps,
    Table,
    procedure_report,
    run_report,
    severity_counts,
)
from cpsim.reports.documents.html import render_html, render_index
from cpsim.reports.documents.markdown import render_markdown

__all__ = [
    "GENERATED_MARK",
    "Block",
    "Bullets",
    "Image",
    "Paragraph",
    "Report",
    "Section",
    "Steps",
    "Table",
    "procedure_report",
    "procedures_markdown",
    "render_html",
    "render_index",
    "render_markdown",
    "report_for",
    "run_report",
    "severity_counts",
    "write_all",
    "write_report",
]
