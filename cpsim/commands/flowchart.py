"""Draw a procedure as a swimlane flowchart, in the format named by the output file's extension.

Formats: .svg .png .pdf (a printable A4 drawing), .mmd (Mermaid, for GitHub and Markdown tools),
.dot (Graphviz) and .bpmn (BPMN 2.0 with diagram, opens in bpmn.io and Camunda Modeler).
One lane per role, most senior at the top; requests show who replies and by when; skip routes dashed.
With --findings, stages and routes with verification violations or warnings are drawn in vermillion.
An existing file is never overwritten unless --force is given.

Example:
  cpsim flowchart model/procedures/redcar-internal.yaml -o redcar-internal.svg
  cpsim flowchart model/procedures/redcar-internal.yaml -o redcar.bpmn --by agency --force
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cpsim.model import load_procedure
from cpsim.model.errors import CpsimError
from cpsim.reports.exports.render import FLOWCHART_FORMATS, findings_for, render_flowchart, write_atomic

NAME = "flowchart"
FLAGGED = ("violation", "warning")
"""Severities drawn in vermillion with --findings (gaps are already shown as UNSPECIFIED)."""
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
    if out.exists() and not args.force:
        raise CpsimError(f"{out}: file exists; choose another name or add --force to overwrite it")
    proc = load_procedure(args.procedure)
    findings = findings_for(proc) if args.findings else []
    if findings is None:
        raise CpsimError("--findings needs the verifier, which is not available in this installation")
    findings = [f for f in findings if f.severity in FLAGGED]
    write_atomic(out, render_flowchart(proc, out.suffix, findings or [], args.by), force=args.force)
    print(f"wrote {out}")
    return 0
