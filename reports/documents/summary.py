"""The summary that opens every report: the answer a head of service reads in a minute.

Per target the breach rate with its 95% confidence interval; the findings by severity, with the
three that matter most in plain English and the clauses they rest on. Details follow in the
report's other sections.

Examples
--------
>>> s = {"targets": {"p/five": {"title": "Resolved within five working days", "within": "5 working days",
...      "breach_rate": {"mean": 0.25, "ci95": [0.2, 0.3]}, "challenges": 100, "unfinished": 2}}}
>>> target_rows(s)
(('Resolved within five working days (p)', '25.0%', '20.0% to 30.0%', '100', '2'),)
>>> headline(s)
'Resolved within five working days (p): missed by 25.0% (95% CI 20.0% to 30.0%)'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cpsim.model.procedure import Procedure
from cpsim.reports.documents.blocks import Block, Bullets, Paragraph, Section, Table
from cpsim.reports.text.run_summary import ci_words, percent
from cpsim.verify import Finding

__all__ = [
    "GLOSSARY",
    "finding_blocks",
    "glossary_section",
    "headline",
    "procedure_summary",
    "run_summary",
    "source_title",
    "target_rows",
]

SEVERITY_RANK = {"violation": 0, "warning": 1, "gap": 2, "info": 3}
SEVERITY_WORDS = {
    "violation": "must be fixed: the procedure breaks a rule it sets itself",
    "warning": "should be looked at: a route that can go wrong",
    "gap": "the source is silent: a decision the procedure leaves open",
    "info": "for information",
}

GLOSSARY = (
    ("Working day", "Monday to Friday, not a bank holiday in England and Wales nor a closure the scenario lists."),
    ("Breach", "A challenge that missed a target: it was not resolved within the time the procedure promises."),
    (
        "Breach rate",
        "The share of the challenges decided (met or missed) that missed the target; challenges still open "
        "at the end of the simulated period are counted apart as unfinished, never as met.",
    ),
    (
        "95% CI",
        "95% confidence interval: the range the true rate lies in, given the randomness of the simulation; "
        "run more replications to narrow it.",
    ),
    ("Replication", "One run of the simulated period with its own random draws; results are pooled over them."),
    ("Rung", "A step of the escalation ladder: one role asked to reply within a deadline."),
    ("Violation, warning, gap", "How serious a verification finding is; see the findings section."),
)
"""Words the reports use that a policy author may not: each with its meaning."""


def _ci(rate: Mapping[str, Any]) -> str:
    return ci_words(rate.get("ci95")) or "not enough replications"


def _target_name(key: str, target: Mapping[str, Any]) -> str:
    return f"{target.get('title', key)} ({key.split('/')[0]})"


def target_rows(summary: Mapping[str, Any]) -> tuple[tuple[str, str, str, str, str], ...]:
    """One row per target: name, breach rate, its 95% CI, challenges decided, unfinished."""
    rows = []
    for key, t in summary.get("targets", {}).items():
        rate = t.get("breach_rate") or {}
        rows.append(
            (
                _target_name(key, t),
                percent(rate.get("mean")),
                _ci(rate),
                str(t.get("challenges", "")),
                str(t.get("unfinished", 0)),
            )
        )
    return tuple(rows)


def headline(summary: Mapping[str, Any]) -> str:
    """Each target's breach rate with its CI, in one line (the index page's description)."""
    parts = []
    for key, t in summary.get("targets", {}).items():
        rate = t.get("breach_rate") or {}
        if rate.get("mean") is not None:
            parts.append(f"{_target_name(key, t)}: missed by {percent(rate['mean'])} (95% CI {_ci(rate)})")
    return "; ".join(parts) if parts else "no time target to measure"


def source_title(proc: Procedure, doc: str) -> str:
    """The title of the source ``doc`` of ``proc`` (the file name if the procedure gives no title)."""
    for s in proc.sources:
        if s.doc == doc:
            return s.title or doc
    return doc


def _top_findings(procs: Sequence[Procedure], found: Mapping[str, Sequence[Finding]], n: int = 3) -> list[str]:
    by_id = {p.id: p for p in procs}
    ranked = sorted(
        (f for p in procs for f in found.get(p.id, ()) if f.severity != "info"),
        key=lambda f: SEVERITY_RANK.get(f.severity, 9),
    )
    items = []
    for f in ranked[:n]:
        where = ""
        if f.source:
            proc = by_id.get(f.procedure)
            title = source_title(proc, f.source["doc"]) if proc else f.source["doc"]
            where = f" (source: {title}, {f.source['ref']})"
        items.append(f"{f.severity.capitalize()} in {by_id[f.procedure].title}: {f.message}{where}")
    return items


def _count(severity: str, n: int) -> str:
    """``n`` findings of ``severity`` in words: "1 gap", "2 warnings", "3 notes for information".

    >>> _count("gap", 1), _count("warning", 2), _count("info", 3)
    ('1 gap', '2 warnings', '3 notes for information')
    """
    if severity == "info":
        return f"{n} note{'s' if n != 1 else ''} for information"
    return f"{n} {severity}{'s' if n != 1 else ''}"


def finding_blocks(procs: Sequence[Procedure], found: Mapping[str, Sequence[Finding]]) -> list[Block]:
    """The findings by severity and the three that matter most, in plain English with their clauses."""
    everything = [f for p in procs for f in found.get(p.id, ())]
    if not everything:
        return [Paragraph("Verification found nothing to report.")]
    counts = [(sev, sum(1 for f in everything if f.severity == sev)) for sev in SEVERITY_RANK]
    blocks: list[Block] = [
        Paragraph("What verification found:"),
        Bullets(tuple(f"{_count(sev, n)}: {SEVERITY_WORDS[sev]}" for sev, n in counts if n)),
    ]
    top = _top_findings(procs, found)
    if top:
        blocks += [Paragraph("The findings that matter most:"), Bullets(tuple(top))]
    return blocks


def procedure_summary(procs: Sequence[Procedure], found: Mapping[str, Sequence[Finding]]) -> Section:
    """The summary that opens a procedure report: findings by severity, the three that matter most."""
    return Section("summary", "Summary", tuple(finding_blocks(procs, found)))


def run_summary(
    summary: Mapping[str, Any], procs: Sequence[Procedure], found: Mapping[str, Sequence[Finding]]
) -> Section:
    """The summary that opens a scenario report: each target's breach rate with its CI, then the findings."""
    rows = target_rows(summary)
    blocks: list[Block] = []
    if rows:
        blocks += [
            Paragraph(
                f"How often the procedure's promises were broken, over {summary.get('replications')} replications "
                "of the simulated period:"
            ),
            Table(("Target", "Breach rate", "95% CI", "Challenges decided", "Unfinished"), rows),
        ]
    else:
        blocks.append(Paragraph("The procedure sets no time target, so there is no breach rate to report."))
    return Section("summary", "Summary", (*blocks, *finding_blocks(procs, found)))


def glossary_section() -> Section:
    """The short glossary that closes every report."""
    return Section("glossary", "Words used in this report", (Table(("Word", "Meaning"), GLOSSARY),))
