"""Simulate a scenario's caseload and report how often each target is missed, with 95% confidence intervals.

Runs the scenario's replications across local processes (identical results for any --workers),
prints the summary, and writes a run directory: manifest.json, summary.json, cases.csv,
events.csv, staff.csv and events.xes. SCENARIO is a scenario file or the id of a shipped one.
With --open-cases, the challenges open today (CSV: id,route,current_rung,date_raised,date_asked)
start in flight, so the summary says how many of them will miss their targets.
A progress bar shows on a terminal; --json prints only the summary object (warnings go to stderr).
Ctrl-C stops the run and keeps (and writes) the replications that finished.

The summary warns when the follow-up is shorter than the longest target (challenges still open
then are reported as unfinished, beside every rate and mean) and when the warm-up is shorter than
the MSER-5 estimate from the run's own daily results (see docs/simulation.md).

With --scheduler ADDRESS the replications run on a Dask cluster instead (same seeds, same results).

Example:
  cpsim simulate scenarios/redcar-baseline.yaml -n 20 --seed 1 -o runs/baseline
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from cpsim.commands._common import print_json
from cpsim.commands._conference import is_conference, run_conference
from cpsim.executors import executor_from
from cpsim.model.errors import CpsimError
from cpsim.model.scenario.classes import Scenario, load_scenario, shipped_scenario_paths
from cpsim.model.scenario.open_cases import read_open_cases
from cpsim.reports.rundir.write import check_output_dir, write_run
from cpsim.reports.text.run_summary import summary_lines
from cpsim.simulate.experiments.runner import RunResult, default_workers
from cpsim.simulate.experiments.runner import run as run_scenario
from cpsim.simulate.experiments.tasks import run_on_executor

NAME = "simulate"
HELP = "simulate a scenario's caseload: breach rates with confidence intervals"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register this command's options."""
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file, or the id of a shipped scenario")
    parser.add_argument("-n", "--replications", type=int, metavar="REPS", help="replications (default: the scenario's)")
    parser.add_argument("--seed", type=int, metavar="S", help="random seed (default: the scenario's)")
    parser.add_argument("--workers", type=int, metavar="W", help="local worker processes (default: one per CPU)")
    parser.add_argument("-o", "--output", metavar="RUN_DIR", help="run directory (default: runs/<scenario>-<time>)")
    parser.add_argument("--force", action="store_true", help="replace RUN_DIR if it exists")
    parser.add_argument("--open-cases", metavar="FILE.csv", help="challenges open at the start of the run")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON only")
    parser.add_argument(
        "--scheduler", metavar="ADDRESS", help="run on a Dask cluster, e.g. tcp://10.0.0.5:8786 (see docs/what-if.md)"
    )


def _scenario(arg: str) -> Scenario:
    path = Path(arg)
    if not path.exists():
        shipped = {p.stem: p for p in shipped_scenario_paths()}
        if arg not in shipped:
            raise CpsimError(
                f"{arg}: no such scenario file or shipped scenario (shipped: {', '.join(sorted(shipped))})"
            )
        path = shipped[arg]
    return load_scenario(path)


def _with_progress(total: int, work: Callable[[Callable[[int], None] | None], RunResult], show: bool) -> RunResult:
    if not show:
        return work(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    columns = ("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("replications", total=total)
        return work(lambda k: bar.update(task, completed=k))


def run(args: argparse.Namespace) -> int:
    """Run the simulation, print the summary, write the run directory."""
    if is_conference(args.scenario):  # a conference scenario: the life-cycle simulator
        return run_conference(args)
    if args.replications is not None and args.replications < 1:
        raise CpsimError("-n must be at least 1")
    scenario = _scenario(args.scenario)
    open_cases = read_open_cases(args.open_cases, scenario) if args.open_cases else ()
    n = scenario.replications if args.replications is None else args.replications
    workers = default_workers(n) if args.workers is None else max(1, args.workers)
    out = Path(args.output) if args.output else Path("runs") / f"{scenario.id}-{dt.datetime.now():%Y%m%d-%H%M%S}"
    check_output_dir(out, args.force)  # before any work: a refused folder must not cost a simulation

    def work(on_done: Callable[[int], None] | None) -> RunResult:
        common = {"replications": n, "seed": args.seed, "open_cases": open_cases, "keep": True, "events": True}
        if args.scheduler:
            with executor_from(args.scheduler) as cluster:
                assert cluster is not None
                return run_on_executor(scenario, cluster, on_done=on_done, **common)
        return run_scenario(scenario, workers=workers, on_done=on_done, **common)

    result = _with_progress(n, work, show=not args.json and sys.stderr.isatty())
    if not result.stats:
        print("cpsim: interrupted before any replication finished; nothing written", file=sys.stderr)
        return 130
    from cpsim import __version__

    write_run(result, out, version=__version__, workers=workers, force=args.force)
    summary = result.summary()
    if args.json:
        print_json(summary)
        for warning in summary["warnings"]:
            print(f"cpsim: warning: {warning}", file=sys.stderr)
    else:
        print("\n".join(summary_lines(summary)))
        print(f"\nRun directory: {out}")
    if result.interrupted:
        print(f"cpsim: interrupted; kept {len(result.stats)} of {n} replications", file=sys.stderr)
        return 130
    return 0
