"""List procedures: id, authority, title, number of stages and their time targets.

With no PATH, lists the procedures that ship with cpsim. A folder may also hold scenarios and
behaviour files: they are left out, and a line says how many.

Example:
  cpsim list
  cpsim list --json model/procedures/
"""

from __future__ import annotations

import argparse
from typing import Any

from cpsim.commands._common import by_kind, expand_paths, print_json, say_skipped
from cpsim.model import FileError, Problem, Procedure, load_procedure

NAME = "list"
HELP = "catalogue of procedures"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register this command's options."""
    parser.add_argument("paths", nargs="*", metavar="PATH", help="procedure files or folders (default: shipped)")
    parser.add_argument("--json", action="store_true", help="print a JSON list")


def entry(path: str, proc: Procedure) -> dict[str, Any]:
    """The catalogue record of one procedure (the documented ``list --json`` shape)."""
    return {
        "id": proc.id,
        "title": proc.title,
        "authority": proc.authority,
        "version": proc.version,
        "file": path,
        "stages": len(proc.stages),
        "targets": [{"id": t.id, "title": t.title, "within": t.within.label} for t in proc.targets],
    }


def run(args: argparse.Namespace) -> int:
    """Print the catalogue; raise FileError for any invalid file."""
    entries = []
    problems: list[Problem] = []
    kinds = by_kind(expand_paths(args.paths))
    say_skipped(kinds, keep=("procedure", "unknown"), why="cpsim list shows procedures")
    for path in [*kinds.get("procedure", []), *kinds.get("unknown", [])]:
        try:
            entries.append(entry(str(path), load_procedure(path)))
        except FileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise FileError(problems)
    if args.json:
        print_json(entries)
        return 0
    width = max((len(e["id"]) for e in entries), default=2)
    for e in entries:
        targets = "; ".join(f"{t['title']}" for t in e["targets"]) or "no time target"
        print(f"{e['id']:<{width}}  {e['authority']} — {e['title']} ({e['stages']} stages; {targets})")
    return 0
