"""What a report says, independent of its format: sections of paragraphs, lists, tables and images.

:func:`procedure_report` covers one procedure (plain English with citations, flowchart, findings);
:func:`run_report` adds a simulation run's results, charts, assumptions and manifest.
:mod:`cpsim.reports.documents.html` and :mod:`cpsim.reports.documents.markdown` render the same :class:`Report`.

Examples
--------
>>> from model import PROCEDURES_DIR, load_procedure
>>> rep = procedure_report([load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")])
>>> [s.id for s in rep.sections]
['procedure', 'flowchart', 'findings', 'manifest']
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cpsim.model.procedure.classes import Procedure
from cpsim.model.procedure.describe import describe, ladder, stage_order
from cpsim.reports.exports.render import cpsim_version, figure_bytes, findings_for

__all__ = ["Bullets", "Image", "Paragraph", "Report", "Section", "Steps", "Table", "procedure_report", "run_report"]

SECTION_TITLES = {
    "procedure": "The procedure in plain English",
    "flowchart": "Flowchart",
    "findings": "Verification findings",
    "results": "Simulation results",
    "assumptions": "Assumptions",
    "manifest": "Manifest: how to reproduce this report",
}


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text; ``heading`` makes it a sub-heading instead."""

    text: str
    heading: bool = False


@dataclass(frozen=True)
class Bullets:
    """A bulleted list."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Steps:
    """A numbered list of steps, each with its sub-points."""

    items: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Table:
    """A table with a header row."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Image:
    """An image with its caption: ``data`` in ``mime`` (image/svg+xml or image/png)."""

    id: str
    caption: str
    mime: str
    data: bytes
    mermaid: str | None = None


Block = Paragraph | Bullets | Steps | Table | Image


@dataclass(frozen=True)
class Section:
    """A titled section of blocks."""

    id: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Report:
    """A whole report."""

    title: str
    subtitle: str
    sections: tuple[Section, ...] = field(default=())

    @property
    def images(self) -> list[Image]:
        """Every image, in order."""
        return [b for s in self.sections for b in s.blocks if isinstance(b, Image)]


def _cite(c: Any) -> str:
    return f"{c.doc} §{c.ref}" if c else ""


def _procedure_blocks(proc: Procedure) -> list[Block]:
    blocks: list[Block] = [Paragraph(f"{proc.title} — {proc.authority}", heading=True)]
    if proc.summary:
        blocks.append(Paragraph(proc.summary))
    blocks.append(Paragraph("The ladder: who must reply at each rung, and by when."))
    rungs = ladder(proc)
    blocks.append(
        Table(
            ("Rung", "Who replies", "Deadline", "Source"),
            tuple((r.title, r.responder, r.deadline, _cite(proc.stage(r.stage).source)) for r in rungs),
        )
    )
    blocks.append(Paragraph("Step by step (UNSPECIFIED marks what the source does not say):"))
    blocks.append(_steps(describe(proc)[1:]))
    rows = []
    for sid in stage_order(proc):
        s = proc.stage(sid)
        rows.append((s.title, _cite(s.source), f"“{s.source.quote}”"))
    for t in proc.transitions:
        rows.append(
            (f"{proc.stage(t.from_).title} → {proc.stage(t.to).title} ({t.on})", _cite(t.source), f"“{t.source.quote}”")
        )
    blocks.append(Paragraph("Citations: every stage and route, with the words of the source."))
    blocks.append(Table(("Stage or route", "Source", "Quote"), tuple(rows)))
    sources = tuple(f"{d.doc}: {d.title}" for d in proc.sources)
    blocks.append(Bullets(sources))
    return blocks


def _steps(lines: list[str]) -> Block:
    """Numbered stage lines with their indented next steps; lines after the stages become bullets."""
    steps: list[tuple[str, list[str]]] = []
    rest: list[str] = []
    for line in lines:
        head = line.strip()
        m = re.match(r"^\s{0,3}(\d+)\. (.*)$", line)
        if m and not line.startswith("      "):
            steps.append((m.group(2), []))
        elif line.startswith("      ") and steps:
            steps[-1][1].append(head)
        else:
            rest.append(head)
    return Steps(tuple((t, tuple(sub)) for t, sub in steps) + tuple((r, ()) for r in rest))


def _route_text(proc: Procedure, route: Sequence[str]) -> str:
    names = []
    for sid in route:
        try:
            names.append(proc.stage(sid).title)
        except KeyError:
            names.append(str(sid))
    return " → ".join(names)


def _findings_blocks(proc: Procedure, findings: list[Any] | None) -> list[Block]:
    head: list[Block] = [Paragraph(f"{proc.title}", heading=True)]
    if findings is None:
        return [*head, Paragraph("The verifier is not available in this installation.")]
    if not findings:
        return [*head, Paragraph("The verifier found nothing to report.")]
    order = ("violation", "warning", "gap", "info")
    findings = sorted(findings, key=lambda f: order.index(f.severity) if f.severity in order else len(order))
    counts = {sev: sum(f.severity == sev for f in findings) for sev in order}
    summary = ", ".join(f"{n} {sev}{'s' if n != 1 else ''}" for sev, n in counts.items() if n)
    rows = tuple(
        (
            f.severity,
            f.code,
            f.message,
            _route_text(proc, f.route) if f.route else ", ".join(f.stages),
            f"{f.source['doc']} §{f.source['ref']}" if f.source else "",
        )
        for f in findings
    )
    return [
        *head,
        Paragraph(f"Findings: {summary}."),
        Table(("Severity", "Code", "Finding", "Route or stages", "Source"), rows),
    ]


def _flowchart_image(proc: Procedure, findings: list[Any] | None) -> Image:
    from cpsim.reports.exports.mermaid import to_mermaid
    from cpsim.reports.flowchart.draw import draw_flowchart
    from cpsim.reports.style import Flags

    flags = Flags.from_findings(f for f in (findings or []) if f.severity in ("violation", "warning"))
    data = figure_bytes(draw_flowchart(proc, flags), ".svg")
    caption = f"{proc.title}: one lane per role, most senior at the top; dashed routes skip rungs"
    if flags.stages or flags.routes:
        caption += "; vermillion marks stages and routes with violations or warnings"
    return Image(f"flowchart-{proc.id}", caption, "image/svg+xml", data, mermaid=to_mermaid(proc, flags))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "(not a file)"


def procedure_report(procs: Sequence[Procedure], paths: Sequence[Path] = (), title: str | None = None) -> Report:
    """A report on one or more procedures: plain English, flowchart, findings and manifest."""
    found = {p.id: findings_for(p) for p in procs}
    manifest = [("cpsim version", cpsim_version())]
    manifest += [(f"sha256 of {p}", _sha256(Path(p))) for p in paths]
    sections = (
        Section("procedure", SECTION_TITLES["procedure"], tuple(b for p in procs for b in _procedure_blocks(p))),
        Section("flowchart", SECTION_TITLES["flowchart"], tuple(_flowchart_image(p, found[p.id]) for p in procs)),
        Section(
            "findings", SECTION_TITLES["findings"], tuple(b for p in procs for b in _findings_blocks(p, found[p.id]))
        ),
        Section("manifest", SECTION_TITLES["manifest"], (Table(("Item", "Value"), tuple(manifest)),)),
    )
    first = procs[0]
    return Report(title or first.title, f"{first.authority} · version {first.version}", sections)


def _closed(summary: dict[str, Any], scenario: Any) -> set[dt.date]:
    from cpsim.simulate.engine.calendar import closed_days

    if scenario is None:
        return set()
    cal = scenario.calendar
    end = cal.start + dt.timedelta(days=3 * 366)
    return closed_days(cal.start, end, cal.nation, [(c.from_, c.to) for c in cal.closures])


def run_report(results: Any, procs: Sequence[Procedure], scenario: Any = None) -> Report:
    """A report on a simulation run: the procedures' sections plus results, charts, assumptions and manifest."""
    from cpsim.reports import charts
    from cpsim.reports.text.run_summary import summary_lines

    base = procedure_report(procs)
    s = results.summary
    lines = summary_lines(s)
    order = {p.id: stage_order(p) for p in procs}
    figs = [
        (
            "resolution",
            "Time to resolution with the target line and the share that missed it",
            charts.resolution_chart(results),
        ),
        (
            "breach",
            "Breach rate per target and per rung deadline, with 95% confidence intervals",
            charts.breach_chart(s),
        ),
        ("reach", "Share of challenges reaching each stage", charts.reach_chart(s, order)),
        (
            "workload",
            "Open challenges and requests per staffed role over the calendar",
            charts.workload_chart(results, _closed(s, scenario)),
        ),
    ]
    images = tuple(Image(f"chart-{k}", cap, "image/png", figure_bytes(f, ".png", dpi=130)) for k, cap, f in figs)
    head = Paragraph(f"{s['scenario']['title']} — {s['replications']} replications, seed {s['seed']}.")
    results_section = Section(
        "results",
        SECTION_TITLES["results"],
        (head, Bullets(tuple(x for x in lines[1:] if x.strip() and not x.startswith("  - "))), *images),
    )
    assumptions = Section(
        "assumptions",
        SECTION_TITLES["assumptions"],
        (
            Paragraph("Every result above rests on these assumptions, as the scenario states them:"),
            Bullets(tuple(s.get("assumptions", ()))),
        ),
    )
    m = results.manifest
    rows = [
        ("cpsim version", str(m.get("cpsim_version"))),
        ("scenario", f"{m.get('scenario', {}).get('id')} ({m.get('scenario', {}).get('path')})"),
        ("seed", str(m.get("seed"))),
        ("replications", f"{m.get('replications_finished')} of {m.get('replications_requested')}"),
        ("run started / finished", f"{m.get('started')} / {m.get('finished')}"),
        ("interrupted", str(m.get("interrupted"))),
    ] + [(f"sha256 of {k}", v) for k, v in m.get("files_sha256", {}).items()]
    manifest = Section("manifest", SECTION_TITLES["manifest"], (Table(("Item", "Value"), tuple(rows)),))
    keep = [x for x in base.sections if x.id != "manifest"]
    return Report(
        s["scenario"]["title"],
        f"Simulation of {', '.join(p.title for p in procs)}",
        (*keep, results_section, assumptions, manifest),
    )
