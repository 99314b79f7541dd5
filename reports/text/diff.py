"""A procedure change as Markdown for a committee paper: the structural diff and its effect on the findings.

The records come from :mod:`cpsim.verify.diff`; this module only words them.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> from cpsim.verify.diff import diff_findings, diff_procedures
>>> old = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
>>> procedure_diff_markdown(diff_procedures(old, old), old_name="a.yaml", new_name="b.yaml")[-2]
'No changes: the two procedures are the same.'
>>> findings_markdown(diff_findings([], []))[2]
'0 fixed, 0 new, 0 unchanged.'
"""

from __future__ import annotations

from collections import Counter

from cpsim.verify.diff import SECTIONS, FindingsDiff, ProcedureDiff

__all__ = ["findings_markdown", "procedure_diff_markdown"]


_HEADINGS = {
    "stage": "Stages",
    "transition": "Transitions",
    "deadline": "Deadlines and time limits",
    "duty": "Duties alongside the route",
    "target": "Targets",
    "role": "Roles",
    "source": "Source documents",
    "citation": "Citations",
}


def procedure_diff_markdown(diff: ProcedureDiff, *, old_name: str, new_name: str) -> list[str]:
    """Markdown lines describing ``diff``, one sub-section per section that changed."""
    lines = [
        f"## What changed in {diff.new_id}",
        "",
        f"Comparing `{old_name}` (version {diff.old_version}) with `{new_name}` (version {diff.new_version}).",
        "",
    ]
    if diff.empty:
        return [*lines, "No changes: the two procedures are the same.", ""]
    for name in SECTIONS:
        items = diff.section(name)
        if items:
            lines += [f"### {_HEADINGS[name]}", ""]
            lines += [f"- **{c.kind}** — {_md(c.summary)}" for c in items]
            lines.append("")
    return lines


def findings_markdown(d: FindingsDiff) -> list[str]:
    """Markdown lines listing fixed, new and unchanged findings."""
    lines = ["## Effect on the verification findings", ""]
    lines.append(f"{len(d.fixed)} fixed, {len(d.new)} new, {len(d.unchanged)} unchanged.")
    lines.append("")
    for title, items in (("Fixed by the change", d.fixed), ("New with the change", d.new)):
        if items:
            lines += [f"### {title}", ""]
            lines += [f"- `{f.code}` ({f.severity}) at {', '.join(f.stages) or '—'}: {_md(f.message)}" for f in items]
            lines.append("")
    if d.reworded:
        lines += ["### Still found, with a different account", ""]
        lines += [f"- `{b.code}` at {', '.join(b.stages) or '—'}: {_md(b.message)}" for _, b in d.reworded]
        lines.append("")
    if d.unchanged:
        counts = Counter(f.severity for f in d.unchanged)
        parts = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        lines += [f"Unchanged: {parts}.", ""]
    return lines


def _md(text: str) -> str:
    """Escape characters that Markdown would read as formatting."""
    return text.replace("|", "\\|").replace("*", "\\*")
