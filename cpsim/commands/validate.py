"""Check procedure files and report every problem as FILE:LINE:COL: message (hint).

With --sources, also check that every cited quote appears in its source document
(whitespace folded). Exit 0 when every file is valid, 1 when any is not, 2 on a usage error.

Example:
  cpsim validate --sources ../shared/seeds model/procedures/*.yaml
"""

from __future__ import annotations

import argparse
import sys

from cpsim.commands._common import expand_paths, print_json, print_problems
from cpsim.model import check_procedure_file

NAME = "validate"
HELP = "check procedure files (and, with --sources, their quotes)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register this command's options."""
    parser.add_argument("files", nargs="+", metavar="FILE", help="procedure YAML files or folders")
    parser.add_argument("--sources", metavar="DIR", help="folder of source documents to check quotes against")
    parser.add_argument("--json", action="store_true", help="print a JSON report instead of text")


def run(args: argparse.Namespace) -> int:
    """Validate each file; print problems; return 0 if all are valid, else 1."""
    report = []
    for path in expand_paths(args.files):
        problems = check_procedure_file(path, sources=args.sources)
        report.append({"file": str(path), "valid": not problems, "problems": [p.as_dict() for p in problems]})
        if not args.json:
            print_problems(problems)
            status = "ok" if not problems else f"{len(problems)} problem{'s' * (len(problems) != 1)}"
            print(f"{path}: {status}", file=sys.stdout if not problems else sys.stderr)
    valid = all(r["valid"] for r in report)
    if args.json:
        print_json({"valid": valid, "files": report})
    return 0 if valid else 1
