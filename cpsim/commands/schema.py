"""Print the JSON Schema of the procedure format (or the scenario or conference scenario format), or check it.

Editors such as VS Code (with the YAML extension) validate and autocomplete a procedure file
whose first line is:
  # yaml-language-server: $schema=<path to model/schema/procedure.schema.json>

Conference scenario files use model/schema/conference.schema.json (``--kind conference``),
challenge scenario files model/schema/scenario.schema.json (``--kind scenario``).

Example:
  cpsim schema --check
  cpsim schema --kind conference --check
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from cpsim.model.conference.schema import CONFERENCE_SCHEMA_PATH, conference_schema_text
from cpsim.model.procedure.schema import SCHEMA_PATH, schema_text
from cpsim.model.scenario.schema import SCENARIO_SCHEMA_PATH, scenario_schema_text

NAME = "schema"
HELP = "print or check the procedure JSON Schema"

KINDS: dict[str, tuple[Path, Callable[[], str]]] = {
    "procedure": (SCHEMA_PATH, schema_text),
    "scenario": (SCENARIO_SCHEMA_PATH, scenario_schema_text),
    "conference": (CONFERENCE_SCHEMA_PATH, conference_schema_text),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register this command's options."""
    parser.add_argument("--check", action="store_true", help="exit 1 if the shipped schema is out of date")
    parser.add_argument(
        "--kind",
        choices=sorted(KINDS),
        default="procedure",
        help="which file format's schema (default: procedure; conference: conference scenario files)",
    )


def run(args: argparse.Namespace) -> int:
    """Print the schema, or compare it with the shipped file."""
    path, make = KINDS[args.kind]
    text = make()
    if not args.check:
        sys.stdout.write(text)
        return 0
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if current == text:
        print(f"{path}: current")
        return 0
    kind = "" if args.kind == "procedure" else f" --kind {args.kind}"
    print(f"{path}: out of date; regenerate with 'cpsim schema{kind} > {path}'", file=sys.stderr)
    return 1
