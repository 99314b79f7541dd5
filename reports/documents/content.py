"""What a report says, independent of its format: sections of paragraphs, lists, tables and images.

:func:`procedure_report` covers one procedure (plain English with citations, flowchart, findings);
:func:`run_report` adds a simulation run's results, charts, assumptions and manifest.
:mod:`cpsim.reports.documents.html` and :mod:`cpsim.reports.documents.markdown` render the same :class:`Report`.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> rep = procedure_report([load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")])
>>> [s.id for s in rep.sections]
['summary', 'procedure', 'flowchart', 'findings', 'glossary', 'manifest']
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from cpsim.model.procedure import Citation, Procedure, ladder, stage_order
from cpsim.model.scenario import Scenario
from cpsim.reports import charts
from cpsim.reports.documents.blocks import Block, Bullets, Image, Paragraph, Report, Section, Steps, Table
from cpsim.reports.documents.steps import step_blocks
from cpsim.reports.documents.summary import glossary_section, procedure_summary, run_summary, source_title
from cpsim.reports.exports.mermaid import to_mermaid
from cpsim.reports.exports.render import figure_bytes, findings_for
from cpsim.reports.flowchart.draw import draw_flowchart
from cpsim.reports.outputs import cpsim_version
from cpsim.reports.rundir.read import RunResults
from cpsim.reports.style import Flags, flagged_findings
from cpsim.reports.text import summary_lines
from cpsim.simulate.engine.calendar import closed_days
from cpsim.verify import Finding

__all__ = [
    "Block",
    "Bullets",
    "Image",
    "Paragraph",
    "Report",
    "Section",
    "Steps",
    "Table",
    "procedure_report",
    "run_report",
    "severity_counts",
]

SECTION_TITLES = {
    "procedure": "The procedure in plain English",
    "flowchart": "Flowchart",
    "findings": "Verification findings",
    "results": "Simulation results",
    "assumptions": "Assumptions",
    "manifest": "Manifest: how to reproduce this report",
}


SEVERITY_ORDER = ("violation", "warning", "gap", "info")
"""The order findings are listed in a report: what must be fixed first."""


def severity_counts(
    findings: Iterable[Finding], severities: Sequence[str] = SEVERITY_ORDER, zeros: bool = False
) -> str:
    """How many findings there are of each severity, in words; ``zeros`` keeps severities none has.

    >>> f = Finding("DEAD_END", "violation", "p", (), (), "Stuck.")
    >>> severity_counts([f, f]), severity_counts([f], ("violation", "gap"), zeros=True)
    ('2 violations', '1 violation, 0 gaps')
    """
    found: list[str] = [f.severity for f in findings]
    counts = {sev: found.count(sev) for sev in severities}
    return ", ".join(f"{n} {sev}{'s' if n != 1 else ''}" for sev, n in counts.items() if n or zeros)


def _where(proc: Procedure, doc: str, ref: str) -> str:
    """A clause by its source's title, e.g. "Escalation Policy §2.3" (the file is listed under Sources)."""
    return f"{source_title(proc, doc)} §{ref}"


def _cite(proc: Procedure, c: Citation) -> str:
    return _where(proc, c.doc, c.ref)


def _procedure_blocks(proc: Procedure) -> list[Block]:
    blocks: list[Block] = [Paragraph(f"{proc.title} — {proc.authority}", heading=True)]
    if proc.summary:
        blocks.append(Paragraph(proc.summary))
    rungs = ladder(proc)
    if rungs:
        blocks.append(Paragraph("The ladder: who must reply at each rung, and by when."))
        blocks.append(
            Table(
                ("Rung", "Who replies", "Deadline", "Source"),
                tuple((r.title, r.responder, r.deadline, _cite(proc, proc.stage(r.stage).source)) for r in rungs),
            )
        )
    else:
        blocks.append(Paragraph("No stage asks anyone to reply by a deadline, so the procedure has no ladder."))
    blocks.extend(step_blocks(proc))
    rows = []
    for sid in stage_order(proc):
        s = proc.stage(sid)
        rows.append((s.title, _cite(proc, s.source), f"“{s.source.quote}”"))
    for t in proc.transitions:
        rows.append(
            (
                f"{proc.stage(t.from_).title} → {proc.stage(t.to).title} ({t.on})",
                _cite(proc, t.source),
                f"“{t.source.quote}”",
            )
        )
    blocks.append(Paragraph("Citations: every stage and route, with the words of the source."))
    blocks.append(Table(("Stage or route", "Source", "Quote"), tuple(rows)))
    blocks.append(Paragraph("Sources:"))
    blocks.append(Bullets(tuple(f"{d.title or d.doc} (file {d.doc})" for d in proc.sources)))
    return blocks


def _route_text(proc: Procedure, route: Sequence[str]) -> str:
    names = []
    for sid in route:
        try:
            names.append(proc.stage(sid).title)
        except KeyError:
            names.append(str(sid))
    return " → ".join(names)


def _findings_blocks(proc: Procedure, findings: list[Finding]) -> list[Block]:
    head: list[Block] = [Paragraph(f"{proc.title}", heading=True)]
    if not findings:
        return [*head, Paragraph("The verifier found nothing to report.")]
    order = SEVERITY_ORDER
    findings = sorted(findings, key=lambda f: order.index(f.severity) if f.severity in order else len(order))
    rows = tuple(
        (
            f.severity,
            f.code,
            f.message,
            _route_text(proc, f.route) if f.route else ", ".join(f.stages),
            _where(proc, f.source["doc"], f.source["ref"]) if f.source else "",
        )
        for f in findings
    )
    return [
        *head,
        Paragraph(f"Findings: {severity_counts(findings)}."),
        Table(("Severity", "Code", "Finding", "Route or stages", "Source"), rows),
    ]


def _flowchart_image(proc: Procedure, findings: list[Finding]) -> Image:
    flags = Flags.from_findings(flagged_findings(findings))
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
        procedure_summary(procs, found),
        Section("procedure", SECTION_TITLES["procedure"], tuple(b for p in procs for b in _procedure_blocks(p))),
        Section("flowchart", SECTION_TITLES["flowchart"], tuple(_flowchart_image(p, found[p.id]) for p in procs)),
        Section(
            "findings", SECTION_TITLES["findings"], tuple(b for p in procs for b in _findings_blocks(p, found[p.id]))
        ),
        glossary_section(),
        Section("manifest", SECTION_TITLES["manifest"], (Table(("Item", "Value"), tuple(manifest)),)),
    )
    first = procs[0]
    return Report(title or first.title, f"{first.authority} · version {first.version}", sections)


def _closed(scenario: Scenario | None) -> set[dt.date]:
    """Bank holidays and closures of the scenario's calendar over three years from its start."""
    if scenario is None:
        return set()
    cal = scenario.calendar
    end = cal.start + dt.timedelta(days=3 * 366)
    return closed_days(cal.start, end, cal.nation, [(c.from_, c.to) for c in cal.closures])


def run_report(results: RunResults, procs: Sequence[Procedure], scenario: Scenario | None = None) -> Report:
    """A report on a simulation run, its answer first.

    The summary (breach rates with CIs, findings) opens it; results, charts, assumptions, the
    procedures in detail, a glossary and the manifest follow.
    """
    s = results.summary
    found = {p.id: findings_for(p) for p in procs}
    detail = [x for x in procedure_report(procs).sections if x.id not in ("summary", "glossary", "manifest")]
    return Report(
        s["scenario"]["title"],
        f"Simulation of {', '.join(p.title for p in procs)}",
        (
            run_summary(s, procs, found),
            _results_section(results, procs, scenario),
            _assumptions_section(s),
            *detail,
            glossary_section(),
            _run_manifest(results),
        ),
    )


def _chart_images(results: RunResults, procs: Sequence[Procedure], scenario: Scenario | None) -> tuple[Image, ...]:
    s = results.summary
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
            charts.workload_chart(results, _closed(scenario)),
        ),
    ]
    return tuple(Image(f"chart-{k}", cap, "image/png", figure_bytes(f, ".png", dpi=130)) for k, cap, f in figs)


def _results_section(results: RunResults, procs: Sequence[Procedure], scenario: Scenario | None) -> Section:
    s = results.summary
    lines = summary_lines(s)
    head = Paragraph(f"{s['scenario']['title']} — {s['replications']} replications, seed {s['seed']}.")
    how = Paragraph(
        "Rates are shares of the decided challenges of all replications together, and means are over the "
        "challenges that finished, each with a 95% confidence interval. A challenge still open when the "
        "follow-up ended, before its target was missed, is counted as unfinished beside the rate, never as met."
    )
    return Section(
        "results",
        SECTION_TITLES["results"],
        (
            head,
            how,
            *_nested(lines[1:]),
            *([Paragraph(results.events_note)] if results.events_note else []),
            *_chart_images(results, procs, scenario),
        ),
    )


def _nested(lines: Sequence[str]) -> list[Block]:
    """Summary lines as blocks, in order: an unindented line ending in ":" heads the indented items below it.

    The assumptions, listed in a section of their own, are left out.

    >>> [type(b).__name__ for b in _nested(["Count 3", "Targets:", "  a", "  b", "Mean 3", "Assumptions:", "  - x"])]
    ['Bullets', 'Paragraph', 'Bullets', 'Bullets']
    """
    groups: list[tuple[str | None, list[str]]] = []
    for line in lines:
        if not line.strip():
            continue
        if line.startswith("  "):
            if groups and groups[-1][0] is not None:
                groups[-1][1].append(line.strip().removeprefix("- "))
        elif line.rstrip().endswith(":"):
            groups.append((line.strip(), []))
        elif groups and groups[-1][0] is None:
            groups[-1][1].append(line.strip())
        else:
            groups.append((None, [line.strip()]))
    blocks: list[Block] = []
    for head, items in groups:
        if head == "Assumptions:":
            continue
        if head is not None:
            blocks.append(Paragraph(head))
        blocks.append(Bullets(tuple(items)))
    return blocks


def _assumptions_section(summary: dict[str, Any]) -> Section:
    return Section(
        "assumptions",
        SECTION_TITLES["assumptions"],
        (
            Paragraph("Every result above rests on these assumptions, as the scenario states them:"),
            Bullets(tuple(a for a in summary.get("assumptions", ()) if str(a).strip())),
        ),
    )


def _run_manifest(results: RunResults) -> Section:
    m = results.manifest
    rows = [
        ("cpsim version", str(m.get("cpsim_version"))),
        ("scenario", f"{m.get('scenario', {}).get('id')} ({m.get('scenario', {}).get('path')})"),
        ("seed", str(m.get("seed"))),
        ("replications", f"{m.get('replications_finished')} of {m.get('replications_requested')}"),
        ("run started / finished", f"{m.get('started')} / {m.get('finished')}"),
        ("interrupted", str(m.get("interrupted"))),
    ] + [(f"sha256 of {k}", v) for k, v in m.get("files_sha256", {}).items()]
    return Section("manifest", SECTION_TITLES["manifest"], (Table(("Item", "Value"), tuple(rows)),))
