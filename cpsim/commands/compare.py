r"""Compare two scenarios, or two versions of a procedure under one scenario, with common random numbers.

A and B are scenario files; or, with --scenario S, procedure files each run in S in place of the
procedure with A's id. Both run the same replications with the same seed (common random
numbers), so the comparison is paired: for each target's breach rate and for mean working days
to resolution it reports B − A with a paired 95% confidence interval, and says plainly whether
the change is distinguishable from noise at the replications used. Each side's assumptions are
shown. Output is Markdown (paste it into a paper); --json prints the stable shape in
docs/what-if.md. The comparison's size is checked before any work (see --no-size-limit and
docs/limits.md). Ctrl-C stops it at once and keeps the pairs of replications that finished on both
sides: the comparison over them is printed (or written) marked as interrupted, with exit code 130;
with fewer than two pairs there is no confidence interval, and nothing is written.

Example:
  cpsim compare scenarios/redcar-baseline.yaml scenarios/redcar-sickness-service-managers.yaml -n 20
  cd scenarios && cpsim compare --scenario redcar-baseline.yaml -n 20 \
    ../model/procedures/redcar-internal.yaml procedures/redcar-internal-level2-one-day.yaml
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cpsim.commands._common import check_size
from cpsim.commands._conference import compare_conference, is_conference
from cpsim.commands._whatif import add_run_arguments, progress, scenario_with_procedure
from cpsim.executors import executor_from
from cpsim.model.scenario.classes import load_scenario
from cpsim.reports.outputs import refuse_existing, write_atomic
from cpsim.reports.text.compare import comparison_json, comparison_markdown
from cpsim.simulate.experiments.budget import estimate
from cpsim.simulate.experiments.compare import Comparison, compare_scenarios
from cpsim.simulate.experiments.interrupts import held_interrupts

NAME = "compare"
HELP = "compare two scenarios or procedure versions (paired differences with confidence intervals)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register this command's options."""
    parser.add_argument("a", metavar="A", help="scenario file (or, with --scenario, procedure file) as it is")
    parser.add_argument("b", metavar="B", help="scenario file (or, with --scenario, procedure file) to compare")
    parser.add_argument("--scenario", metavar="S", help="A and B are procedure files, both run under this scenario")
    add_run_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report to this file instead of printing it")
    parser.add_argument("--force", action="store_true", help="overwrite the output file if it exists")


def run(args: argparse.Namespace) -> int:
    """Run both sides and print (or write) the comparison."""
    if not getattr(args, "scenario", None) and is_conference(args.a):  # conference scenarios
        return compare_conference(args)
    if args.output:
        refuse_existing(Path(args.output), args.force)  # before the simulation, not after
    if args.scenario:
        a, b = scenario_with_procedure(args.scenario, args.a, args.b)
    else:
        a, b = load_scenario(args.a), load_scenario(args.b)
    n = args.replications or a.replications
    check_size([estimate(a, n), estimate(b, n)], args)  # before any work: a comparison that cannot finish
    result: Comparison | None = None
    late = False
    try:
        with executor_from(args.scheduler, args.workers) as ex, progress(2 * n, not args.json, "simulating") as tick:
            result = compare_scenarios(
                a, b, replications=n, seed=args.seed, executor=ex, on_done=tick, keep_interrupted=True
            )
    except KeyboardInterrupt:  # as the workers were being stopped (a second Ctrl-C): keep what finished
        if result is None:
            raise
        late = True
    with held_interrupts(reraise=False):  # what finished is written whole, a second Ctrl-C or not
        if result.interrupted and result.replications < MIN_PAIRS:
            print(
                f"cpsim: interrupted after {result.replications} of {n} paired replications; a comparison needs at "
                f"least {MIN_PAIRS} for a confidence interval, so nothing was written",
                file=sys.stderr,
            )
            return 130
        _emit(args, a.title, b.title, result)
    if result.interrupted:
        where = f" in {args.output}" if args.output else ""
        print(f"cpsim: interrupted; kept {result.replications} of {n} paired replications{where}", file=sys.stderr)
    return 130 if result.interrupted or late else 0


MIN_PAIRS = 2
"""Paired replications an interrupted comparison needs to be kept: fewer give no interval."""


def _emit(args: argparse.Namespace, title_a: str, title_b: str, result: Comparison) -> None:
    """Print or write the comparison, as JSON or Markdown; an interrupted one says so first."""
    if args.json:
        text = json.dumps(comparison_json(result), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    else:
        head = [f"# {title_a} compared with {title_b}", ""]
        if result.interrupted:
            head += [
                f"**Interrupted:** {result.replications} of {result.requested} paired replications finished on both "
                "sides; every figure below is over those only.",
                "",
            ]
        text = "\n".join(head + comparison_markdown(result)).rstrip() + "\n"
    if args.output:
        write_atomic(Path(args.output), text.encode("utf-8"), force=args.force)
    else:
        print(text, end="")
