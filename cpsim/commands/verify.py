"""Verify procedures: what is wrong or missing, each shown on a route through the procedure.

Checks that every route ends, that every stage can be reached, that every outcome leads
somewhere, that deadlines meet the procedure's time targets, that escalation climbs the line of
authority, that someone owns each step, and that units of time are clear.

The answer comes first: the total, then one line per procedure counting its findings by severity
(violation, gap, warning, info), under it each violation and warning in one sentence with the
section of the source it rests on. --verbose prints every finding, grouped by severity, with its
route and its source.

--across also compares the procedures named with each other: a rule on the same topic (minutes
circulated, core groups, reports to the chair) timed differently by different authorities is an
ACROSS_CONFLICT warning, one that an authority names without a time an ACROSS_UNTIMED gap.

--target-days N adds a target "from the start to any ending within N working days" (replacing
any target over that same span). --json prints a list of findings, each with code, severity,
procedure, stages, route, message and source (see docs/verification.md).

Exit 0 when no violations are found, 3 when there are violations, 1 on invalid input.

Example:
  cpsim verify model/procedures/redcar-internal.yaml
  cpsim verify --verbose model/procedures/redcar-internal.yaml
  cpsim verify --target-days 5 --json model/procedures/
  cpsim verify --across model/procedures/
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from cpsim.commands._common import expand_paths, print_json
from cpsim.model import Procedure, load_procedure
from cpsim.model.errors import FileError, Problem
from cpsim.verify import SEVERITIES, Finding, Severity, verify_procedure
from cpsim.verify.checks.across import compare_across
from cpsim.verify.checks.wording import render

NAME = "verify"
HELP = "find defects and gaps in procedures: termination, deadlines, authority, duties"

_SHORT: tuple[Severity, ...] = ("violation", "warning")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"'(])")
_HEADINGS = {"violation": "Violations", "gap": "Gaps in the source", "warning": "Warnings", "info": "For information"}


def _days(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of working days, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"the target must be more than 0 working days, got {text!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register this command's options."""
    parser.add_argument(
        "files", nargs="*", metavar="PROCEDURE", help="procedure YAML files or folders (default: shipped)"
    )
    parser.add_argument("--target-days", type=_days, metavar="N", help="also check: any ending within N working days")
    parser.add_argument("--json", action="store_true", help="print the findings as a JSON list")
    parser.add_argument(
        "--across", action="store_true", help="also compare the same topic's timescales across authorities"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="print every finding with its route and source")


def _load_all(paths: list[Path]) -> list[tuple[Path, Procedure]]:
    loaded: list[tuple[Path, Procedure]] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            loaded.append((path, load_procedure(path)))
        except FileError as exc:
            problems.extend(exc.problems)
    if not paths:
        problems.append(Problem("(command line)", 0, 0, "no procedure files found", "name a .yaml file or a folder"))
    if problems:
        raise FileError(problems)
    return loaded


def run(args: argparse.Namespace) -> int:
    """Verify each procedure; print findings; return 3 if any violation, else 0."""
    loaded = _load_all(expand_paths(args.files))
    results = [(path, proc, verify_procedure(proc, args.target_days)) for path, proc in loaded]
    across = compare_across(proc for _, proc in loaded) if args.across else []
    if args.json:
        print_json([f.as_dict() for _, _, found in results for f in found] + [f.as_dict() for f in across])
    elif args.verbose:
        print("\n\n".join(format_report(path, proc, found) for path, proc, found in results))
    else:
        print(format_summary(results))
    if args.across and not args.json:
        print("\n" + format_across(across, args.verbose))
    violated = any(f.severity == "violation" for _, _, found in results for f in found)
    return 3 if violated else 0


def format_across(findings: list[Finding], verbose: bool) -> str:
    """The comparison across authorities: its counts, then each conflict (verbose: every finding) with its clause."""
    lines = [f"Across the procedures: {format_counts(findings)}"]
    for f in findings:
        if verbose or f.severity in _SHORT:
            lines.append(f"  [{f.code}] {f.message}" if verbose else f"  {f.severity}: {f.message}")
    if not verbose and any(f.severity not in _SHORT for f in findings):
        lines.append("  (gaps and information: --verbose)")
    return "\n".join(lines)


def format_counts(findings: list[Finding]) -> str:
    """How many findings of each severity, e.g. ``0 violations, 8 gaps, 0 warnings, 1 info``."""
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITIES}
    return ", ".join(f"{n} {s}{'s' if n != 1 and s != 'info' else ''}" for s, n in counts.items())


def format_summary(results: list[tuple[Path, Procedure, list[Finding]]]) -> str:
    """The answer first: totals, then per procedure its counts and its violations and warnings, one line each."""
    everything = [f for _, _, found in results for f in found]
    noun = "procedure" if len(results) == 1 else "procedures"
    lines = [f"{len(results)} {noun} verified: {format_counts(everything)}", ""]
    for path, procedure, found in results:
        lines.append(f"{procedure.title} — {procedure.authority} ({path}): {format_counts(found)}")
        seen: dict[str, int] = {}
        for f in sorted((f for f in found if f.severity in _SHORT), key=lambda f: _SHORT.index(f.severity)):
            line = f"  {f.severity}: {_first_sentence(f.message)}{_clause(procedure, f)}"
            seen[line] = seen.get(line, 0) + 1
        lines.extend(line if n == 1 else f"{line} ({n} findings)" for line, n in seen.items())
    if any(f.severity not in _SHORT for f in everything):
        lines.append("")
        lines.append("Gaps and information are counted, not listed: `cpsim verify --verbose` shows every finding")
        lines.append("with its route and source (see docs/verification.md for what each one means).")
    return "\n".join(lines)


def _first_sentence(message: str) -> str:
    parts = _SENTENCE_END.split(message, maxsplit=1)
    return parts[0].rstrip()


def _clause(procedure: Procedure, f: Finding) -> str:
    """Where the finding rests in the source, e.g. `` (section 3.3)``; the title too if there are several."""
    if not f.source:
        return ""
    ref = f.source["ref"]
    where = f"section {ref}" if ref[:1].isdigit() else f"section “{ref}”"
    if len(procedure.sources) > 1:
        titles = {s.doc: s.title for s in procedure.sources}
        where += f" of {titles.get(f.source['doc'], f.source['doc'])}"
    return f" ({where})"


def format_report(path: Path, procedure: Procedure, findings: list[Finding]) -> str:
    """The findings on one procedure as text, grouped by severity, each with its route and source."""
    lines = [f"{procedure.title} — {procedure.authority} ({path})", format_counts(findings)]
    for severity in SEVERITIES:
        group = [f for f in findings if f.severity == severity]
        if not group:
            continue
        lines.append("")
        lines.append(f"{_HEADINGS[severity]} ({len(group)}):")
        for f in group:
            lines.extend(_finding_lines(procedure, f))
    return "\n".join(lines)


def _finding_lines(procedure: Procedure, f: Finding) -> list[str]:
    lines = [f"  [{f.code}] {f.message}"]
    if f.route:
        lines.append(f"      route: {render(procedure, f.route)}")
    if f.source:
        lines.append(f"      source: {f.source['doc']} §{f.source['ref']}: “{f.source['quote']}”")
    return lines
