"""Estimate a scenario from an authority's own records of its challenges, with confidence intervals.

RECORDS is a CSV with one row per request to a stage (case_id,route,stage,request_date,
reply_date,outcome; route may be left out for one procedure; outcome satisfied, unsatisfied or
no reply, blank while open) or an XES event log such as the events.xes of a simulation run.
Per stage it fits the reply time (exponential, gamma, lognormal, uniform, triangular, by maximum
likelihood, requests still open at export included as censored, chosen by AIC or BIC, with a fit
test), the chance a reply satisfies and of no reply by the deadline (Wilson intervals); per route
its share and the choices made; and challenges raised per working day by month. It writes a
scenario whose assumptions say every figure came from the records, over which period, from how
many challenges; run it with cpsim simulate. See docs/calibration.md.

Example:
  cpsim simulate scenarios/redcar-unlimited-staff.yaml -n 1 --seed 7 -o runs/records
  cpsim calibrate runs/records/events.xes -o calibrated.yaml --id calibrated-redcar
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from cpsim.commands._common import print_json
from cpsim.model import shipped_procedure_paths
from cpsim.model.errors import CpsimError, FileError
from cpsim.model.procedure.classes import Procedure
from cpsim.model.procedure.load import load_procedure
from cpsim.model.scenario.classes import load_scenario_data
from cpsim.reports.outputs import refuse_existing, write_atomic
from cpsim.simulate.calibrate.estimate import calibrate
from cpsim.simulate.calibrate.records import Records, parse_moment, read_records
from cpsim.simulate.calibrate.scenario import scenario_data, to_yaml
from cpsim.simulate.calibrate.summary import summary, summary_lines

NAME = "calibrate"
HELP = "estimate a scenario from your records of challenges (CSV or XES)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register this command's options."""
    parser.add_argument("records", metavar="RECORDS", help="CSV of requests, or an XES event log (.xes)")
    parser.add_argument(
        "--procedure",
        action="append",
        default=[],
        metavar="ID_OR_FILE",
        help="a procedure the records are of (repeatable; default: the shipped procedures the records name)",
    )
    parser.add_argument(
        "-o", "--output", metavar="SCENARIO.yaml", help="scenario to write (default: RECORDS.scenario.yaml)"
    )
    parser.add_argument("--force", action="store_true", help="replace the scenario file if it exists")
    parser.add_argument(
        "--as-of", metavar="DATE", help="export date: later events are left out (default: the latest in the file)"
    )
    parser.add_argument("--id", metavar="ID", help="the scenario's id (default: from the output file's name)")
    parser.add_argument("--title", metavar="TEXT", help="the scenario's title")
    nations = ["england-and-wales", "scotland", "northern-ireland"]
    parser.add_argument("--nation", default="england-and-wales", choices=nations,
                        help="whose bank holidays are closed days (default: england-and-wales)")  # fmt: skip
    parser.add_argument(
        "--hours-per-day", type=float, default=7.5, metavar="H", help="working hours in a day (default 7.5)"
    )
    parser.add_argument(
        "--criterion", choices=["aic", "bic"], default="aic", help="how the reply-time family is chosen"
    )
    parser.add_argument("--json", action="store_true", help="print the summary as JSON only")


def _procedures(args: argparse.Namespace, records: Records) -> dict[str, tuple[Procedure, str]]:
    shipped = {p.stem: p for p in shipped_procedure_paths()}
    out: dict[str, tuple[Procedure, str]] = {}
    for ref in args.procedure:
        path = Path(ref) if Path(ref).exists() or ref.endswith((".yaml", ".yml")) else shipped.get(ref)
        if path is None:
            raise CpsimError(
                f"{ref}: no such procedure file or shipped procedure (shipped: {', '.join(sorted(shipped))})"
            )
        proc = load_procedure(path)
        out[proc.id] = (proc, str(path))
    if not out:
        for route in sorted({v.route for v in records.visits if v.route}):
            if route in shipped:
                out[route] = (load_procedure(shipped[route]), str(shipped[route]))
    if not out:
        raise CpsimError(
            f"{records.path}: the records name no shipped procedure; say which with --procedure ID_OR_FILE"
        )
    return out


def _slug(text: str) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")
    slug = "-".join(part for part in slug.split("-") if part)
    return (slug if slug[:1].isalpha() else f"calibrated-{slug}")[:64] or "calibrated"


def run(args: argparse.Namespace) -> int:
    """Read the records, estimate, write the scenario and print the summary."""
    source = Path(args.records)
    out = Path(args.output) if args.output else source.with_name(source.stem + ".scenario.yaml")
    refuse_existing(out, args.force)  # before any work: a refused file must not cost a calibration
    as_of = parse_moment(args.as_of) if args.as_of else None
    if args.as_of and as_of is None:
        raise CpsimError(f"--as-of {args.as_of!r} is not a date; write it like 2026-06-30 or 30/06/2026")
    if args.hours_per_day <= 0 or args.hours_per_day > 24:
        raise CpsimError("--hours-per-day must be above 0 and at most 24")
    records = read_records(source)
    procedures = _procedures(args, records)
    cal = calibrate(records, procedures, as_of=as_of, nation=args.nation, hours_per_day=args.hours_per_day,
                    criterion=args.criterion)  # fmt: skip
    sid = args.id or _slug(out.name.removesuffix(".yaml").removesuffix(".scenario"))
    title = args.title or f"Calibrated from {source.name} ({cal.first} to {cal.until})"
    data = scenario_data(cal, scenario_id=sid, title=title, out_dir=out.parent)
    try:
        load_scenario_data(data, base_dir=out.parent, name=str(out))
    except FileError as exc:
        raise CpsimError(
            "the calibrated scenario does not pass the scenario checks, so it was not written:\n" + str(exc)
        ) from None
    header = (
        f"Calibrated by cpsim calibrate on {dt.date.today()} from {source.name}.\n"
        "Every figure is an estimate from those records; the assumptions say from how many. See docs/calibration.md."
    )
    write_atomic(out, to_yaml(data, header).encode(), force=args.force)
    if args.json:
        print_json(summary(cal, str(out)))
    else:
        print("\n".join(summary_lines(cal, str(out))))
    return 0
