"""Check procedure files and report every problem as FILE:LINE:COL: message (hint).

With --sources, also check that every cited quote appears in its source document
(whitespace folded). Scenario and behaviour files (in a folder, or named) are checked as what
they are. Exit 0 when every file is valid, 1 when any is not, 2 on a usage error.

Example:
  cpsim validate --sources ../shared/seeds model/procedures/*.yaml
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cpsim.commands._common import expand_paths, path_kind, print_json
from cpsim.model import FileError, Problem, check_procedure_file
from cpsim.model.errors import collapsed

NAME = "validate"
HELP = "check procedure files (and, with --sources, their quotes)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register this command's options."""
    parser.add_argument("files", nargs="+", metavar="FILE", help="procedure (or scenario) YAML files or folders")
    parser.add_argument("--sources", metavar="DIR", help="folder of source documents to check quotes against")
    parser.add_argument("--json", action="store_true", help="print a JSON report instead of text")


def run(args: argparse.Namespace) -> int:
    """Validate each file; print problems; return 0 if all are valid, else 1."""
    if args.sources and not Path(args.sources).is_dir():  # said once, not once for every file
        message = f"sources folder {args.sources!r} does not exist"
        hint = "pass the folder holding the source documents, e.g. --sources ../shared/seeds"
        if args.json:
            print_json({"valid": False, "error": message, "hint": hint, "files": []})
        else:
            print(f"cpsim: {message}\n  {hint}", file=sys.stderr)
        return 1
    report = []
    for path in expand_paths(args.files):
        problems = _check(path, args.sources)
        report.append({"file": str(path), "valid": not problems, "problems": [p.as_dict() for p in problems]})
        if not args.json:
            for line in collapsed(problems):  # the same problem many times is one line, with a count
                print(line, file=sys.stderr)
            status = "ok" if not problems else f"{len(problems)} problem{'s' * (len(problems) != 1)}"
            print(f"{path}: {status}", file=sys.stdout if not problems else sys.stderr)
    valid = all(r["valid"] for r in report)
    if args.json:
        print_json({"valid": valid, "files": report})
    return 0 if valid else 1


def _check(path: Path, sources: str | None) -> list[Problem]:
    """Every problem in ``path``, checked as the kind of file it is."""
    kind = path_kind(path)
    if kind == "scenario":
        from cpsim.model.scenario import check_scenario_file

        return check_scenario_file(path)
    if kind == "conference":
        from cpsim.model.conference.load import check_conference_file

        return list(check_conference_file(path))
    if kind == "behaviour":
        from cpsim.model.behaviour import load_behaviour

        try:
            load_behaviour(path)
        except FileError as exc:
            return list(exc.problems)
        return []
    return check_procedure_file(path, sources=sources)
