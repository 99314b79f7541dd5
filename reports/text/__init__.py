"""Results in plain English for the terminal and for Markdown papers: run summaries, comparisons, diffs."""

from __future__ import annotations

from cpsim.reports.text.compare import comparison_json, comparison_markdown, verdict
from cpsim.reports.text.diff import findings_markdown, procedure_diff_markdown
from cpsim.reports.text.run_summary import summary_lines

__all__ = [
    "comparison_json",
    "comparison_markdown",
    "findings_markdown",
    "procedure_diff_markdown",
    "summary_lines",
    "verdict",
]
