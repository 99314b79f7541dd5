"""Verify procedures: what is wrong or missing, each shown on a route through the procedure.

Checks that every route ends, that every stage can be reached, that every outcome leads
somewhere, that deadlines meet the procedure's time targets, that escalation climbs the line of
authority, that someone owns each step, and that units of time are clear. Findings are grouped
by severity (violation, gap, warning, info), each with its route and the source it rests on.

--target-days N adds a target "from the start to any ending within N working days" (replacing
any target over that same span). --json prints a list of findings, each with code, severity,
procedure, stages, route, message and source (see docs/verification.md).

Exit 0 when no violations are found, 3 when there are violations, 1 on invalid input.

Example:
  cpsim verify model/procedures/redcar-internal.yaml
  cpsim verify --target-days 5 --json model/procedures/
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cpsim.commands._common import expand_paths, print_json
from cpsim.model import Procedure, load_procedure
from cpsim.model.errors import FileError, Problem
from cpsim.verify import SEVERITIES, Finding, verify_procedure
from cpsim.verify.checks.wording import render

NAME = "verify"
HELP = "find defects and gaps in procedures: termination, deadlines, authority, duties"

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
    if args.json:
        print_json([f.as_dict() for _, _, found in results for f in found])
    else:
        print("\n\n".join(format_report(path, proc, found) for path, proc, found in results))
    violated = any(f.severity == "violation" for _, _, found in results for f in found)
    return 3 if violated else 0


def format_report(path: Path, procedure: Procedure, findings: list[Finding]) -> str:
    """The findings on one procedure as text, grouped by severity."""
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITIES}
    lines = [f"{procedure.title} — {procedure.authority} ({path})"]
    lines.append(", ".join(f"{n} {s}{'s' if n != 1 and s != 'info' else ''}" for s, n in counts.items()))
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
