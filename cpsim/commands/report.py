"""Write a self-contained report a policy author can circulate: HTML (default) or Markdown.

RUN_DIR_OR_PROCEDURE is a run directory from 'cpsim simulate' or a procedure YAML file. The report
opens with its answer, then gives the procedure in plain English with citations, its flowchart, the
verification findings with their routes, and for a run the simulation results with charts, every
assumption and the manifest (versions, file hashes, seed). A conference run's report opens with the
conference timescales met and the challenges' deadlines missed, each with its 95% CI; it finds the
scenario at the path the run recorded, by its id (a shipped one) or by --scenario FILE, and uses it
only if its assumptions are the run's and no file the run read has changed since (the run's
manifest.json records the sha256 of each; a changed one is named, and the scenario is to be
simulated again). HTML files carry their images inline and make no external requests.
--all writes a report for every shipped procedure, scenario and conference scenario (simulated here)
and an index page.
Existing files are never overwritten unless --force is given, and then only the report named by -o
and files cpsim wrote before (listed in the manifest.json of their folder); anything else is refused.

Example:
  cpsim simulate redcar-baseline -o runs/baseline
  cpsim report runs/baseline -o baseline.html
  cpsim simulate scenarios/stoke-conference-baseline.yaml -n 2 --seed 1 -o runs/stoke
  cpsim report runs/stoke -o stoke.html
  cpsim report model/procedures/redcar-internal.yaml -o redcar-internal.md
  cpsim report --all -o reports/out/
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cpsim.commands._common import add_size_option, check_size, count
from cpsim.model.errors import CpsimError
from cpsim.reports.documents.build import check_report_output, report_for, write_all, write_report

NAME = "report"
HELP = "a self-contained HTML or Markdown report of a procedure or a simulation run"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register this command's options."""
    parser.add_argument("subject", nargs="?", metavar="RUN_DIR_OR_PROCEDURE", help="run directory or procedure file")
    parser.add_argument(
        "-o", "--output", required=True, metavar="FILE_OR_DIR", help="report file (a folder with --all)"
    )
    parser.add_argument(
        "--format", choices=("html", "md"), help="html or md (default: from the file extension, else html)"
    )
    parser.add_argument(
        "--scenario", metavar="FILE", help="for a conference run: the scenario file it simulated, if it has moved since"
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help="reports for every shipped procedure, scenario and conference scenario, with an index",
    )
    parser.add_argument(
        "-n", "--replications", type=count, metavar="REPS", help="with --all: replications per scenario"
    )
    parser.add_argument("--workers", type=int, metavar="W", help="with --all: local worker processes")
    parser.add_argument("--force", action="store_true", help="overwrite the report, and files cpsim wrote before")
    add_size_option(parser)


def run(args: argparse.Namespace) -> int:
    """Write the report (or all reports); raise CpsimError for bad input or an existing file."""
    out = Path(args.output)
    if args.all:
        if args.subject or args.scenario:
            raise CpsimError("give either RUN_DIR_OR_PROCEDURE (and --scenario) or --all, not both")
        if args.replications is not None and args.replications < 1:
            raise CpsimError("-n must be at least 1")
        if args.replications is not None:  # the shipped scenarios' own replications are small
            _check_size(args)
        index = write_all(out, args.replications, args.workers, args.force)
        print(f"Reports index: {index}")
        return 0
    if not args.subject:
        raise CpsimError("name a run directory or procedure file to report on, or use --all")
    fmt = args.format or ("md" if out.suffix.lower() in (".md", ".markdown") else "html")
    check_report_output(out, fmt, args.force)
    scenario = Path(args.scenario) if args.scenario else None
    written = write_report(report_for(args.subject, scenario), out, fmt, force=args.force)
    print(f"wrote {written[-1]}")
    return 0


def _check_size(args: argparse.Namespace) -> None:
    """Refuse ``--all -n N`` before any work when the shipped scenarios' simulations would be too large."""
    from cpsim.model.scenario import load_scenario, shipped_scenario_paths
    from cpsim.simulate.experiments.budget import estimate

    check_size([estimate(load_scenario(p), args.replications) for p in shipped_scenario_paths()], args)
