"""Export a procedure for model checkers: a PRISM DTMC (--prism) or a PNML workflow net (--pnml).

The PRISM model needs a behaviour whose times are whole working days (--behaviour FILE); the
chance a case is resolved within k working days is then P=? [ F ("done" & t<=k) ]. The PNML net
needs only the procedure; with --behaviour it also has the routes that behaviour assumes (such as
a no-reply escalation), so a simulated event log replays on it. Output goes to standard output,
or to -o FILE (never overwriting a file without --force).

Example:
  cpsim export --prism -o redcar.prism model/procedures/redcar-external.yaml \
    --behaviour scenarios/behaviours/redcar-external-whole-days.yaml
  cpsim export --pnml model/procedures/redcar-external.yaml
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cpsim.model import load_procedure
from cpsim.model.behaviour import Behaviour, load_behaviour
from cpsim.reports.exports.pnml import to_pnml
from cpsim.reports.exports.prism import to_prism
from cpsim.reports.outputs import refuse_existing, write_atomic

NAME = "export"
HELP = "a procedure as a PRISM DTMC or a PNML Petri net"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register this command's options."""
    kind = parser.add_mutually_exclusive_group(required=True)
    kind.add_argument("--prism", action="store_true", help="PRISM DTMC with discrete reply times")
    kind.add_argument("--pnml", action="store_true", help="Petri-net workflow net (PNML)")
    parser.add_argument("procedure", metavar="PROCEDURE", help="procedure YAML file")
    parser.add_argument(
        "--behaviour", metavar="FILE", help="behaviour YAML file (needed for --prism; adds assumed routes to --pnml)"
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    parser.add_argument(
        "--unroll-loops",
        action="store_true",
        help="PNML: one place per stage and repeat count (bounded loops unrolled)",
    )
    parser.add_argument("--step", type=float, default=1.0, help="PRISM time step in working days (default 1)")
    parser.add_argument("--horizon", type=float, default=60.0, help="PRISM time horizon in working days")


def run(args: argparse.Namespace) -> int:
    """Write the export."""
    if args.output:
        refuse_existing(Path(args.output), args.force)
    proc = load_procedure(args.procedure)
    beh = load_behaviour(args.behaviour) if args.behaviour else None
    if args.prism:
        text = to_prism(proc, beh or Behaviour(), step=args.step, horizon=args.horizon)
    else:
        text = to_pnml(proc, unroll_loops=args.unroll_loops, behaviour=beh)
    if not args.output:
        print(text, end="")
        return 0
    write_atomic(args.output, text.encode("utf-8"), force=args.force)
    return 0
