r"""Run a scenario over a grid of parameter values, or find the smallest value that keeps breaches under a bound.

--vary PATH=VALUES sets a dotted path into the scenario file (as written) to each
value in turn: a comma list (1,2,3 or 0.8,1.2) or an inclusive whole-number range (1..8). Several
--vary options make a full grid. Every point runs the same replications with the same seed.
Prints a table of breach rates with 95% CIs; -o DIR writes results.csv, sweep.json and chart.png
(breach rate against the first varied parameter, with CI bands), listed in DIR/manifest.json. DIR is
checked before the sweep starts: a file there is replaced only with --force and only if cpsim wrote it.
The sweep's size is checked first too (see --no-size-limit and docs/limits.md). Ctrl-C stops it at
once and keeps the points whose every replication finished: the table (and DIR's files) hold
those, marked as interrupted, with exit code 130. An interrupted --find-min search claims no
value: it shows (and writes) the values it had tried in full, marked as interrupted.

--find-min PATH --max-breach 0.05 searches the values given for PATH by bisection for the
smallest whose breach rate has its upper 95% confidence bound below the bound (for --target, or
every target). It assumes the breach rate does not rise as the value rises, and says so.

Example:
  cpsim sweep scenarios/redcar-baseline.yaml --vary staff.iro_team_manager.headcount=1,2,3 -n 10 -o sweep-out
  cpsim sweep scenarios/redcar-demand-plus-50.yaml --vary staff.iro_team_manager.headcount=1..6 \
      --find-min staff.iro_team_manager.headcount --max-breach 0.3 --target five-working-days
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cpsim.commands._common import check_size
from cpsim.commands._whatif import add_run_arguments, progress
from cpsim.executors import executor_from
from cpsim.model.errors import CpsimError
from cpsim.model.scenario import Scenario, load_scenario
from cpsim.simulate.experiments.budget import estimate
from cpsim.simulate.experiments.interrupts import held_interrupts
from cpsim.simulate.experiments.sweep import FindMin, Sweep, find_min, parse_values, run_sweep

NAME = "sweep"
HELP = "run a scenario over a grid of values, or find the smallest value meeting a breach bound"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register this command's options."""
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    parser.add_argument(
        "--vary", action="append", default=[], metavar="PATH=VALUES", help="e.g. arrivals.rate=1,1.5,2 or ...=1..8"
    )
    parser.add_argument(
        "--find-min", metavar="PATH", help="search PATH's --vary values for the smallest meeting the bound"
    )
    parser.add_argument("--max-breach", type=float, metavar="RATE", help="bound on the breach rate, e.g. 0.05")
    parser.add_argument("--target", metavar="ID", help="target id (or procedure/target) for --find-min; default: all")
    add_run_arguments(parser)
    parser.add_argument("-o", "--output", metavar="DIR", help="write results.csv, sweep.json and chart.png here")
    parser.add_argument("--force", action="store_true", help="replace the files cpsim wrote in DIR before")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


Vary = list[tuple[str, list[Any]]]
OUTPUT_FILES = ("results.csv", "sweep.json", "chart.png")
"""The files -o DIR receives."""


def _vary(items: list[str]) -> Vary:
    out = []
    for item in items:
        path, sep, values = item.partition("=")
        if not sep or not path or not values:
            raise CpsimError(f"--vary {item!r}: write PATH=VALUES, e.g. --vary staff.service_manager.headcount=1,2,3")
        out.append((path.strip(), parse_values(values)))
    return out


def run(args: argparse.Namespace) -> int:
    """Run the grid (or the search) and report it."""
    base = load_scenario(args.scenario)
    vary = _vary(args.vary)
    if not vary:
        raise CpsimError("give at least one --vary PATH=VALUES, e.g. --vary arrivals.rate=1,1.5,2")
    n = args.replications or base.replications
    seed = base.seed if args.seed is None else args.seed
    if args.output:
        from cpsim.reports.outputs import check_output_files

        check_output_files(Path(args.output), OUTPUT_FILES, args.force)
    if args.find_min:
        return _find_min(args, base, vary, n, seed)
    total = n * _grid_size(vary)

    def size(points: Sequence[Scenario]) -> None:
        check_size([estimate(sc, n) for sc in points], args)  # every point built, none run yet

    result: Sweep | None = None
    late = False
    try:
        with executor_from(args.scheduler, args.workers) as ex, progress(total, not args.json, "sweeping") as tick:
            result = run_sweep(
                base, vary, replications=n, seed=seed, executor=ex, on_done=tick, before=size, keep_interrupted=True
            )
    except KeyboardInterrupt:  # as the workers were being stopped (a second Ctrl-C): keep what finished
        if result is None:
            raise
        late = True
    with held_interrupts(reraise=False):  # what finished is written whole, a second Ctrl-C or not
        if not result.points:
            print("cpsim: interrupted before any point finished; nothing written", file=sys.stderr)
            return 130
        if args.output:
            _write(Path(args.output), result, None, args.force)
        print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False) if args.json else _table(result))
        if not args.json:
            print(_assumptions(base.all_assumptions))
    if result.interrupted:
        where = f" in {args.output}" if args.output else ""
        kept = f"{len(result.points)} of {result.points_requested} points"
        print(f"cpsim: interrupted; kept the {kept} whose every replication finished{where}", file=sys.stderr)
    return 130 if result.interrupted or late else 0


def _interrupted() -> int:
    print("cpsim: interrupted before any value was tried in full; nothing written", file=sys.stderr)
    return 130


def _grid_size(vary: Vary) -> int:
    size = 1
    for _, values in vary:
        size *= len(values)
    return size


def _find_min(args: argparse.Namespace, base: Scenario, vary: Vary, n: int, seed: int) -> int:
    if args.max_breach is None:
        raise CpsimError("--find-min needs --max-breach, e.g. --max-breach 0.05")
    values = dict(vary).get(args.find_min)
    if values is None:
        raise CpsimError(f"--find-min {args.find_min}: give its candidate values with --vary {args.find_min}=1..8")
    fixed = {}
    for path, vals in vary:
        if path != args.find_min:
            if len(vals) != 1:
                raise CpsimError(f"--find-min varies only {args.find_min}; give {path} a single value")
            fixed[path] = vals[0]
    if n < 2:
        raise CpsimError("--find-min needs at least 2 replications for a confidence bound (-n 2 or more)")
    ends = [base.with_settings({**fixed, args.find_min: v}) for v in (values[0], values[-1])]
    probes = math.ceil(math.log2(len(values))) + 1 if len(values) > 1 else 1
    check_size([max((estimate(sc, n) for sc in ends), key=lambda e: e.events)] * probes, args)
    with executor_from(args.scheduler, args.workers) as ex:
        found = find_min(
            base, args.find_min, values, max_breach=args.max_breach, target=args.target,
            replications=n, seed=seed, executor=ex, fixed=fixed, keep_interrupted=True,
        )  # fmt: skip
    with held_interrupts(reraise=False):  # what finished is written whole, a second Ctrl-C or not
        if found.interrupted and not found.tried:
            return _interrupted()
        if args.output:
            sweep = Sweep(base.id, (args.find_min,), found.targets, seed, n, found.tried, interrupted=found.interrupted)
            _write(Path(args.output), sweep, found, args.force)
        if args.json:
            print(json.dumps(found.as_dict(), indent=2, ensure_ascii=False))
        else:
            print(_found_text(found, n))
            print(_assumptions(base.all_assumptions))
    if found.interrupted:
        tried = f"{len(found.tried)} value{'' if len(found.tried) == 1 else 's'} tried"
        print(f"cpsim: interrupted; the search claims no value ({tried})", file=sys.stderr)
        return 130
    return 0


def _pct(b: dict[str, Any], digits: int = 1) -> str:
    if b["mean"] is None:
        return "—"
    ci = b["ci95"]
    return f"{b['mean']:.{digits}%}" + (f" ({ci[0]:.{digits}%} to {ci[1]:.{digits}%})" if ci else "")


def _assumptions(items: tuple[str, ...]) -> str:
    lines = ["", "Assumptions of the scenario (each point changes only the varied values):"]
    return "\n".join(lines + [f"- {x}" for x in items])


def _table(result: Sweep) -> str:
    head = [*result.paths, "target", "breach rate (95% CI)", "mean days to resolution"]
    lines = [
        f"Sweep of {result.scenario}: {result.replications} replications per point, seed {result.seed}, "
        "common random numbers.",
        *(
            [f"Interrupted: {len(result.points)} of {result.points_requested} points finished; the rest are not shown."]
            if result.interrupted
            else []
        ),
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for p in result.points:
        res = p.resolution()["mean"]
        for key in result.targets:
            cells = [str(v) for _, v in p.values] + [key, _pct(p.breach(key)), "—" if res is None else f"{res:.2f}"]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _found_text(found: FindMin, n: int) -> str:
    goal = f"upper 95% bound of the breach rate below {found.max_breach:.1%} for {', '.join(found.targets)}"
    if found.interrupted:
        first = f"Interrupted: the search for the smallest {found.path} with the {goal} stopped before it ended."
    elif found.found:
        first = f"Smallest {found.path} with the {goal}: {found.value}"
    else:
        first = f"No value of {found.path} tried keeps the {goal}; the largest did not."
    lines = [
        first,
        f"Values tried by bisection ({n} replications each):",
    ]
    for p in found.tried:
        value = dict(p.values)[found.path]
        lines.append(f"  {found.path}={value}: " + "; ".join(f"{k} {_pct(p.breach(k), 2)}" for k in found.targets))
    lines.append(f"Assumption: {found.assumption}")
    return "\n".join(lines)


def _write(folder: Path, result: Sweep, found: FindMin | None, force: bool) -> None:
    from cpsim.reports.charts.sweep import sweep_chart
    from cpsim.reports.exports.render import figure_bytes
    from cpsim.reports.outputs import write_files

    rows = result.rows()
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["target"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    doc = {"sweep": result.as_dict(), "find_min": found.as_dict() if found else None}
    fig = sweep_chart(result, max_breach=found.max_breach if found else None)
    files = {
        "results.csv": buf.getvalue().encode("utf-8"),
        "sweep.json": (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode(),
        "chart.png": figure_bytes(fig, ".png", dpi=150),
    }
    write_files(folder, files, force)
