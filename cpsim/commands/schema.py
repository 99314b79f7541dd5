"""Print the JSON Schema of the procedure format, or check the shipped copy is current.

Editors such as VS Code (with the YAML extension) validate and autocomplete a procedure file
whose first line is:
  # yaml-language-server: $schema=<path to model/schema/procedure.schema.json>

Example:
  cpsim schema --check
"""

from __future__ import annotations

import argparse
import sys

from cpsim.model.procedure.schema import SCHEMA_PATH, schema_text

NAME = "schema"
HELP = "print or check the procedure JSON Schema"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register this command's options."""
    parser.add_argument("--check", action="store_true", help="exit 1 if the shipped schema is out of date")


def run(args: argparse.Namespace) -> int:
    """Print the schema, or compare it with the shipped file."""
    text = schema_text()
    if not args.check:
        sys.stdout.write(text)
        return 0
    current = SCHEMA_PATH.read_text(encoding="utf-8") if SCHEMA_PATH.exists() else ""
    if current == text:
        print(f"{SCHEMA_PATH}: current")
        return 0
    print(f"{SCHEMA_PATH}: out of date; regenerate with 'cpsim schema > {SCHEMA_PATH}'", file=sys.stderr)
    return 1
