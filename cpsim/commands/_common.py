"""Helpers shared by the sub-commands: expanding procedure paths, printing JSON and problems."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from cpsim.model import shipped_procedure_paths
from cpsim.model.errors import Problem
from cpsim.model.files.kinds import Kind, file_kind

__all__ = ["by_kind", "expand_paths", "path_kind", "print_json", "print_problems", "say_skipped"]


def expand_paths(paths: list[str]) -> list[Path]:
    """Procedure files named by ``paths`` (folders expand to their ``*.yaml``); shipped ones if empty."""
    if not paths:
        return shipped_procedure_paths()
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(sorted(p.glob("*.yaml")) if p.is_dir() else [p])
    return out


def path_kind(path: Path) -> Kind:
    """The kind of file at ``path``; a missing file counts as a procedure, so its loader names the problem."""
    return file_kind(path) if path.exists() else "procedure"


def by_kind(paths: list[Path]) -> dict[Kind, list[Path]]:
    """``paths`` sorted by what kind of cpsim file each is, in their order within each kind."""
    out: dict[Kind, list[Path]] = {}
    for path in paths:
        out.setdefault(path_kind(path), []).append(path)
    return out


def say_skipped(kinds: dict[Kind, list[Path]], *, keep: tuple[Kind, ...], why: str) -> None:
    """One line on standard error per kind of file left out, with how many and what they are for."""
    for kind, paths in kinds.items():
        if kind not in keep:
            noun = "file" if len(paths) == 1 else "files"
            print(f"cpsim: left out {len(paths)} {kind} {noun} ({why})", file=sys.stderr)


def print_json(data: Any) -> None:
    """Print ``data`` as indented, key-sorted JSON on standard output."""
    json.dump(data, sys.stdout, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def print_problems(problems: list[Problem]) -> None:
    """Print each problem on its own line on standard error."""
    for p in problems:
        print(p, file=sys.stderr)
