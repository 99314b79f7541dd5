"""What a finished run shows: per measure each side's figure with its CI, the paired difference, the charts, the report.

The figures are the comparison's (:func:`cpsim.reports.text.compare.comparison_json`, the shape
``cpsim compare --json`` prints); the charts are those the HTML report draws for a run
(:func:`cpsim.reports.documents.run_report`) and the comparison chart
(:func:`cpsim.reports.charts.compare_chart`); the report is that run report with the comparison
as its first section.

Examples
--------
>>> rate(0.2064), days(3.3)
('20.6%', '3.30 days')
>>> interval((0.18, 0.23), "breach_rate")
'18.0% to 23.0%'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cpsim import __version__
from cpsim.app.whatif import WhatIf
from cpsim.model.scenario import Scenario
from cpsim.reports.charts import compare_chart
from cpsim.reports.documents import Bullets, Image, Paragraph, Report, Section, Table, render_html, run_report
from cpsim.reports.exports.render import figure_bytes
from cpsim.reports.rundir.read import load_run
from cpsim.reports.rundir.write import write_run
from cpsim.reports.text.compare import comparison_json
from cpsim.simulate.experiments.compare import Comparison
from cpsim.simulate.experiments.runner import RunResult

__all__ = ["Outcome", "Row", "days", "interval", "outcome_of", "rate"]


def rate(x: float | None) -> str:
    """A breach rate as a percentage with one decimal."""
    return "—" if x is None or math.isnan(x) else f"{100 * x:.1f}%"


def days(x: float | None) -> str:
    """Working days with two decimals."""
    return "—" if x is None or math.isnan(x) else f"{x:.2f} days"


def interval(ci: Sequence[float] | None, kind: str) -> str:
    """A 95% interval in the measure's unit."""
    if not ci:
        return "—"
    show = rate if kind == "breach_rate" else days
    return f"{show(ci[0])} to {show(ci[1])}"


def _difference(x: float | None, ci: Sequence[float] | None, kind: str) -> str:
    if x is None:
        return "—"
    if kind == "breach_rate":
        text = f"{100 * x:+.1f} pp"
        return text + (f" ({100 * ci[0]:+.1f} to {100 * ci[1]:+.1f})" if ci else "")
    return f"{x:+.2f} days" + (f" ({ci[0]:+.2f} to {ci[1]:+.2f})" if ci else "")


@dataclass(frozen=True)
class Row:
    """One measure as the results table shows it; the numbers are kept for the page's data attributes."""

    measure: str
    kind: str
    a: str
    a_ci: str
    b: str
    b_ci: str
    difference: str
    noise: str
    numbers: dict[str, Any]

    @classmethod
    def of(cls, m: dict[str, Any]) -> Row:
        """The row of a measure from a comparison's JSON."""
        kind = m["kind"]
        show = rate if kind == "breach_rate" else days
        d = m["distinguishable"]
        if m["ci95"] == [0.0, 0.0] and m["difference"] == 0:
            noise = "no difference"
        else:
            noise = {True: "yes", False: "no: within the noise", None: "cannot tell (too few replications)"}[d]
        return cls(
            m["measure"],
            kind,
            show(m["a"]),
            interval(m["a_ci95"], kind),
            show(m["b"]),
            interval(m["b_ci95"], kind),
            _difference(m["difference"], m["ci95"], kind),
            noise,
            m,
        )


@dataclass(frozen=True)
class Outcome:
    """A finished run: the comparison as JSON, its table rows and sentences, charts and the HTML report."""

    comparison: dict[str, Any]
    rows: tuple[Row, ...]
    verdict: tuple[str, ...]
    compare_svg: bytes
    charts: tuple[Image, ...]
    report_html: bytes


def _comparison_section(c: dict[str, Any], spec: WhatIf, rows: Sequence[Row], svg: bytes) -> Section:
    table = Table(
        (
            "Measure",
            "Baseline",
            "95% CI",
            "What-if",
            "95% CI",
            "What-if − baseline (paired 95% CI)",
            "Distinguishable?",
        ),
        tuple((r.measure, r.a, r.a_ci, r.b, r.b_ci, r.difference, r.noise) for r in rows),
    )
    head = Paragraph(
        f"{c['b']['title']} compared with {c['a']['title']}: {c['replications']} replications each, seed "
        f"{c['seed']}, common random numbers (replication i of both sides sees the same arrivals and draws)."
    )
    changes = Bullets(tuple(e.sentence for e in spec.edits))
    image = Image("chart-compare", "What changes, with the 95% CI of each paired difference", "image/svg+xml", svg)
    return Section(
        "comparison",
        "Compared with the baseline",
        (head, Paragraph("What the what-if changes:"), changes, table, Bullets(tuple(c["verdict"])), image),
    )


def outcome_of(
    baseline: Scenario, whatif: Scenario, spec: WhatIf, comparison: Comparison, result: RunResult, scratch: Path
) -> Outcome:
    """The outcome of a run: ``comparison`` of the two sides and ``result``, the what-if's run with its records."""
    c = comparison_json(comparison)
    rows = tuple(Row.of(m) for m in c["measures"])
    svg = figure_bytes(compare_chart(c), ".svg")
    run_dir = write_run(result, scratch / "run", version=__version__, workers=1, force=True)
    report = run_report(load_run(run_dir), [r.procedure for r in whatif.routes], whatif)
    charts = tuple(b for s in report.sections if s.id == "results" for b in s.blocks if isinstance(b, Image))
    full = Report(
        f"What-if: {whatif.title}",
        f"Compared with {baseline.title}",
        (_comparison_section(c, spec, rows, svg), *report.sections),
    )
    return Outcome(c, rows, tuple(c["verdict"]), svg, charts, render_html(full).encode("utf-8"))
