"""Draw a procedure as a swimlane flowchart, in the format named by the output file's extension.

Formats: .svg .png .pdf (a printable A4 drawing), .mmd (Mermaid, for GitHub and Markdown tools),
.dot (Graphviz) and .bpmn (BPMN 2.0 with diagram, opens in bpmn.io and Camunda Modeler).
One lane per role, most senior at the top; requests show who replies and by when; skip routes dashed.
With --findings, stages and routes with verification violations or warnings are drawn in vermillion.
An existing file is never overwritten unless --force is given; a symbolic link is never written through.

Example:
  cpsim flowchart model/procedures/redcar-internal.yaml -o redcar-internal.svg
  cpsim flowchart model/procedures/redcar-internal.yaml -o redcar.bpmn --by agency --force
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cpsim.model import load_procedure
from cpsim.reports.exports.render import FLOWCHART_FORMATS, findings_for, render_flowchart
from cpsim.reports.outputs import refuse_existing, write_atomic
from cpsim.reports.style import flagged_findings

NAME = "flowchart"
HELP = "draw a procedure as a swimlane flowchart (.svg .png .pdf .mmd .dot .bpmn)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register this command's options."""
    parser.add_argument("procedure", metavar="PROCEDURE", help="procedure YAML file")
    parser.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="output file: " + ", ".join(FLOWCHART_FORMATS)
    )
    parser.add_argument("--findings", action="store_true", help="colour the stages and routes verification flags")
    parser.add_argument(
        "--by", choices=("role", "agency"), default="role", help="one lane per role (default) or agency"
    )
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")


def run(args: argparse.Namespace) -> int:
    """Draw the flowchart and write it; raise CpsimError for bad input or an existing file."""
    out = Path(args.output)
    if out.suffix.lower() not in FLOWCHART_FORMATS:
        render_flowchart(load_procedure(args.procedure), out.suffix)  # raises with the list of formats
    refuse_existing(out, args.force)
    proc = load_procedure(args.procedure)
    findings = flagged_findings(findings_for(proc)) if args.findings else []
    write_atomic(out, render_flowchart(proc, out.suffix, findings, args.by), force=args.force)
    print(f"wrote {out}")
    return 0
