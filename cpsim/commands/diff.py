"""Say what changed between two versions of a procedure, as Markdown for a committee paper.

Lists added, removed and changed stages, transitions (matched by the stage they leave and the
outcome that fires them), deadlines, targets, roles (including changes of rank), source
documents and citations; then which verification findings the change fixes and which it
introduces (matched by finding code and stages). With --scenario, also runs both versions under
that scenario with common random numbers and reports the change in each target's breach rate
with a 95% confidence interval.

Exit 0 when the report is produced (whatever it finds), 1 when a file is invalid.

Example:
  cpsim diff model/procedures/redcar-internal.yaml scenarios/procedures/redcar-internal-level2-one-day.yaml
  cpsim diff model/procedures/redcar-internal.yaml scenarios/procedures/redcar-internal-level2-one-day.yaml \
    --scenario scenarios/redcar-baseline.yaml -n 10 -o change.md
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cpsim.commands._whatif import add_run_arguments, progress, scenario_with_procedure
from cpsim.executors import executor_from
from cpsim.model import Procedure, load_procedure
from cpsim.reports.outputs import refuse_existing, write_atomic
from cpsim.reports.text.diff import findings_markdown, procedure_diff_markdown
from cpsim.verify.diff import FindingsDiff, diff_findings, diff_procedures

if TYPE_CHECKING:
    from cpsim.simulate.experiments.compare import Comparison

NAME = "diff"
HELP = "what changed between two versions of a procedure (Markdown, for a committee paper)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register this command's options."""
    parser.add_argument("old", metavar="OLD.yaml", help="the procedure as it is now")
    parser.add_argument("new", metavar="NEW.yaml", help="the procedure as redrafted")
    parser.add_argument("--scenario", metavar="S", help="also simulate both versions under this scenario file")
    add_run_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the stable JSON shape instead of Markdown")
    parser.add_argument("-o", "--output", metavar="FILE.md", help="write the Markdown (or JSON) to this file")
    parser.add_argument("--force", action="store_true", help="overwrite the output file if it exists")


def run(args: argparse.Namespace) -> int:
    """Build the diff report; print it or write it to --output."""
    if args.output:
        refuse_existing(Path(args.output), args.force)  # before any simulation, not after
    old, new = load_procedure(args.old), load_procedure(args.new)
    structure = diff_procedures(old, new)
    findings = _findings(old, new)
    simulated = _simulate(args) if args.scenario else None
    if args.json:
        text = _json_text(structure.as_dict(), findings, simulated)
    else:
        lines = [f"# Procedure change: {new.title}", ""]
        lines += procedure_diff_markdown(structure, old_name=args.old, new_name=args.new)
        lines += findings_markdown(findings)
        if simulated is not None:
            from cpsim.reports.text.compare import comparison_markdown

            lines += comparison_markdown(simulated)
        text = "\n".join(lines).rstrip() + "\n"
    if args.output:
        write_atomic(Path(args.output), text.encode("utf-8"), force=args.force)
    else:
        print(text, end="")
    return 0


def _findings(old: Procedure, new: Procedure) -> FindingsDiff:
    from cpsim.verify import verify_procedure

    return diff_findings(verify_procedure(old), verify_procedure(new))


def _simulate(args: argparse.Namespace) -> Comparison:
    from cpsim.simulate.experiments.compare import compare_scenarios

    a, b = scenario_with_procedure(args.scenario, args.old, args.new)
    n = args.replications or a.replications
    with executor_from(args.scheduler, args.workers) as ex, progress(2 * n, not args.json, "simulating") as tick:
        return compare_scenarios(a, b, replications=n, seed=args.seed, executor=ex, on_done=tick)


def _json_text(structure: dict[str, Any], findings: FindingsDiff, simulated: Comparison | None) -> str:
    from cpsim.reports.text.compare import comparison_json

    data = {
        "structure": structure,
        "findings": findings.as_dict(),
        "simulation": comparison_json(simulated) if simulated is not None else None,
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"
