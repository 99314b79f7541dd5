"""Results in plain English for the terminal."""

from __future__ import annotations

from cpsim.reports.text.run_summary import summary_lines

__all__ = ["summary_lines"]
