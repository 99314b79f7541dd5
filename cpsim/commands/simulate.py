"""Simulate a scenario's caseload and report how often each target is missed, with 95% confidence intervals.

Runs the scenario's replications across local processes (identical results for any --workers),
prints the summary, and writes a run directory: manifest.json, summary.json, cases.csv,
staff.csv, and the event log events.csv and events.xes. SCENARIO is a scenario file or the id of
a shipped one.

--events chooses which replications' events the event log holds: 'all', 'none', 'first:K', or
'auto' (the default): every replication in a run of up to 50, the first 50 of a larger run. Every
replication's challenges are in cases.csv whatever the choice, and the manifest says which
replications the event log holds. --gzip writes it as events.csv.gz and events.xes.gz, which
pandas, pm4py and cpsim calibrate read as they are.
With --open-cases, the challenges open today (CSV: id,route,current_rung,date_raised,date_asked)
start in flight, so the summary says how many of them will miss their targets.
A progress bar shows on a terminal; --json prints only the summary object (warnings go to stderr).
Each replication's records are written as it finishes, so memory does not grow with the
replications. Ctrl-C stops the run at once and writes the replications that finished, marked as
interrupted in the manifest and the summary (exit code 130); a Ctrl-C while they are being
written (a second one included) waits until the run directory is whole.

Before any work the run's size is estimated (challenges x stages x replications) and a run that
would take more than about ten minutes is refused, saying how to make it smaller; --no-size-limit
runs it anyway. A run too large for memory is refused whatever the options (see docs/limits.md).

The summary warns when the follow-up is shorter than the longest target (challenges still open
then are reported as unfinished, beside every rate and mean) and when the warm-up is shorter than
the MSER-5 estimate from the run's own daily results (see docs/simulation.md).

With --scheduler ADDRESS the replications run on a Dask cluster instead (same seeds, same results).

A conference scenario (one with a 'lifecycle' key, see docs/conference-simulation.md) prints the
timescale table (initial conferences, reviews, core groups, minutes, reports to the chair) with 95%
CIs next to the challenges its failed QA checks raise.

Example:
  cpsim simulate scenarios/redcar-baseline.yaml -n 20 --seed 1 -o runs/baseline
  cpsim simulate scenarios/wakefield-conference-baseline.yaml -n 2 --seed 1 -o runs/conference
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from functools import partial
from pathlib import Path
from typing import Any

from cpsim.commands._common import add_size_option, check_size, count, print_json
from cpsim.commands._conference import is_conference, run_conference
from cpsim.commands._whatif import progress
from cpsim.executors import executor_from
from cpsim.model.errors import CpsimError
from cpsim.model.scenario.classes import Scenario, load_scenario, shipped_scenario_paths
from cpsim.model.scenario.open_cases import read_open_cases
from cpsim.reports.rundir.encoded import encode
from cpsim.reports.rundir.eventlog import EventLog, parse_events
from cpsim.reports.rundir.stream import RunWriter
from cpsim.reports.rundir.write import check_output_dir
from cpsim.reports.text.run_summary import summary_lines
from cpsim.simulate.experiments.budget import estimate
from cpsim.simulate.experiments.interrupts import held_interrupts
from cpsim.simulate.experiments.runner import RunResult, default_workers, now
from cpsim.simulate.experiments.runner import run as run_scenario

NAME = "simulate"
HELP = "simulate a scenario's caseload: breach rates with confidence intervals"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register this command's options."""
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file, or the id of a shipped scenario")
    parser.add_argument(
        "-n", "--replications", type=count, metavar="REPS", help="replications (default: the scenario's)"
    )
    parser.add_argument("--seed", type=int, metavar="S", help="random seed (default: the scenario's)")
    parser.add_argument("--workers", type=int, metavar="W", help="local worker processes (default: one per CPU)")
    parser.add_argument("-o", "--output", metavar="RUN_DIR", help="run directory (default: runs/<scenario>-<time>)")
    parser.add_argument("--force", action="store_true", help="replace RUN_DIR if it exists")
    parser.add_argument("--open-cases", metavar="FILE.csv", help="challenges open at the start of the run")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON only")
    parser.add_argument(
        "--scheduler", metavar="ADDRESS", help="run on a Dask cluster, e.g. tcp://10.0.0.5:8786 (see docs/what-if.md)"
    )
    parser.add_argument(
        "--events",
        default="auto",
        metavar="WHICH",
        help="replications whose events are written: auto (default: all up to 50, else the first 50), all, none, "
        "first:K",
    )
    parser.add_argument(
        "--gzip", action="store_true", help="write the event log gzipped (events.csv.gz, events.xes.gz)"
    )
    add_size_option(parser)


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


def run(args: argparse.Namespace) -> int:
    """Check the size and the output, run the simulation writing each replication as it ends, print the summary."""
    if is_conference(args.scenario):  # a conference scenario: the life-cycle simulator
        return run_conference(args)
    if args.replications is not None and args.replications < 1:
        raise CpsimError("-n must be at least 1")
    scenario = _scenario(args.scenario)
    open_cases = read_open_cases(args.open_cases, scenario) if args.open_cases else ()
    n = scenario.replications if args.replications is None else args.replications
    events = parse_events(args.events, gzip=args.gzip).resolve(n)
    check_size([estimate(scenario, n, len(open_cases))], args)  # before any work: a run that cannot finish
    workers = default_workers(n) if args.workers is None else max(1, args.workers)
    out = Path(args.output) if args.output else Path("runs") / f"{scenario.id}-{dt.datetime.now():%Y%m%d-%H%M%S}"
    check_output_dir(out, args.force)  # before any work: a refused folder must not cost a simulation
    seed = scenario.seed if args.seed is None else args.seed
    template = RunResult(scenario, seed, n, (), (), False, now(), "")
    with RunWriter(out, args.force, template, events) as writer:
        try:
            with executor_from(args.scheduler, workers) as ex, progress(n, not args.json, "replications") as tick:
                result = run_scenario(
                    scenario, replications=n, seed=seed, workers=1, executor=ex, open_cases=open_cases, keep=True,
                    events=events.kind != "none", events_upto=events.upto, on_done=tick, sink=writer.add,
                    encode=partial(encode, events),  # rows made by the workers, in parallel
                )  # fmt: skip
        except KeyboardInterrupt:  # after the runner had stopped (a second Ctrl-C): keep what was written
            result = writer.result(interrupted=True)
        with held_interrupts(reraise=False) as held:
            if not result.stats:
                print("cpsim: interrupted before any replication finished; nothing written", file=sys.stderr)
                return 130
            from cpsim import __version__

            late = writer.finish(result, version=__version__, workers=workers)
    _print(result.summary(), out, args.json)
    _say_events(events, args.events, len(result.stats), out)
    if result.interrupted or late or held.count:
        print(f"cpsim: interrupted; kept {len(result.stats)} of {n} replications in {out}", file=sys.stderr)
        return 130
    return 0


def _say_events(events: EventLog, asked: str, finished: int, out: Path) -> None:
    """Say on standard error when the event log leaves replications out (their challenges are all in cases.csv)."""
    kept = finished if events.upto is None else min(events.upto, finished)
    if kept == finished:
        return
    what = "no event log" if kept == 0 else f"events of the first {kept} of {finished} replications"
    print(f"cpsim: {out} holds {what} (--events {asked}; --events all for every one)", file=sys.stderr)


def _print(summary: dict[str, Any], out: Path, as_json: bool) -> None:
    if as_json:
        print_json(summary)
        for warning in summary["warnings"]:
            print(f"cpsim: warning: {warning}", file=sys.stderr)
    else:
        print("\n".join(summary_lines(summary)))
        print(f"\nRun directory: {out}")
