"""Helpers shared by the sub-commands: expanding procedure paths, printing JSON and problems."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from cpsim.model import shipped_procedure_paths
from cpsim.model.errors import Problem

__all__ = ["expand_paths", "print_json", "print_problems"]


def expand_paths(paths: list[str]) -> list[Path]:
    """Procedure files named by ``paths`` (folders expand to their ``*.yaml``); shipped ones if empty."""
    if not paths:
        return shipped_procedure_paths()
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(sorted(p.glob("*.yaml")) if p.is_dir() else [p])
    return out


def print_json(data: Any) -> None:
    """Print ``data`` as indented, key-sorted JSON on standard output."""
    json.dump(data, sys.stdout, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def print_problems(problems: list[Problem]) -> None:
    """Print each problem on its own line on standard error."""
    for p in problems:
        print(p, file=sys.stderr)
