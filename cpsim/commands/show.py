"""Show a procedure in plain English: a line per stage with who replies and by when.

Everything the source leaves unspecified is called out as UNSPECIFIED.

Example:
  cpsim show model/procedures/redcar-internal.yaml
"""

from __future__ import annotations

import argparse
from dataclasses import asdict

from cpsim.commands._common import print_json
from cpsim.model import describe, ladder, load_procedure

NAME = "show"
HELP = "a procedure in plain English"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register this command's options."""
    parser.add_argument("file", metavar="FILE", help="procedure YAML file")
    parser.add_argument("--json", action="store_true", help="print the ladder and description as JSON")


def run(args: argparse.Namespace) -> int:
    """Print the description; raise FileError if the file is invalid."""
    proc = load_procedure(args.file)
    if args.json:
        optional = ("send", "responders", "reply")  # given only where the rung has them
        rungs = [{k: v for k, v in asdict(r).items() if k not in optional or v} for r in ladder(proc)]
        print_json({"id": proc.id, "ladder": rungs, "lines": describe(proc)})
    else:
        print("\n".join(describe(proc)))
    return 0
