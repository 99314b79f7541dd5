r"""Compare two scenarios, or two versions of a procedure under one scenario, with common random numbers.

A and B are scenario files; or, with --scenario S, procedure files each run in S in place of the
procedure with A's id. Both run the same replications with the same seed (common random
numbers), so the comparison is paired: for each target's breach rate and for mean working days
to resolution it reports B − A with a paired 95% confidence interval, and says plainly whether
the change is distinguishable from noise at the replications used. Each side's assumptions are
shown. Output is Markdown (paste it into a paper); --json prints the stable shape in
docs/what-if.md. The comparison's size is checked before any work (see --no-size-limit and
docs/limits.md); Ctrl-C stops it at once and writes nothing.

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
from cpsim.simulate.experiments.compare import compare_scenarios

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
    try:
        with executor_from(args.scheduler, args.workers) as ex, progress(2 * n, not args.json, "simulating") as tick:
            result = compare_scenarios(a, b, replications=n, seed=args.seed, executor=ex, on_done=tick)
    except KeyboardInterrupt:
        print("cpsim: interrupted; nothing written (a comparison needs every replication)", file=sys.stderr)
        return 130
    if args.json:
        text = json.dumps(comparison_json(result), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    else:
        head = [f"# {a.title} compared with {b.title}", ""]
        text = "\n".join(head + comparison_markdown(result)).rstrip() + "\n"
    if args.output:
        write_atomic(Path(args.output), text.encode("utf-8"), force=args.force)
    else:
        print(text, end="")
    return 0
