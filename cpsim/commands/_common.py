"""Helpers shared by the sub-commands: expanding procedure paths, printing JSON and problems, run sizes."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cpsim.model import shipped_procedure_paths
from cpsim.model.errors import Problem
from cpsim.model.files.kinds import Kind, file_kind

if TYPE_CHECKING:
    from cpsim.simulate.experiments.budget import Estimate

__all__ = [
    "add_size_option",
    "by_kind",
    "check_size",
    "count",
    "expand_paths",
    "path_kind",
    "print_json",
    "print_problems",
    "say_skipped",
]


def expand_paths(paths: list[str]) -> list[Path]:
    """Procedure files named by ``paths`` (folders expand to their ``*.yaml``); shipped ones if empty."""
    if not paths:
        return shipped_procedure_paths()
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(sorted(p.glob("*.yaml")) if _safely(p.is_dir) else [p])
    return out


def _safely(test: Any) -> bool:
    """``test()``, False where the system cannot even look the path up (a name too long, say).

    The file's loader then names the problem at the path, as for a missing file.
    """
    try:
        return bool(test())
    except OSError:
        return False


def path_kind(path: Path) -> Kind:
    """The kind of file at ``path``; a missing file counts as a procedure, so its loader names the problem."""
    return file_kind(path) if _safely(path.exists) else "procedure"


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


def count(text: str) -> int:
    """A count given on the command line: digits, or a whole number written like ``1e6``.

    >>> count("20"), count("1e6")
    (20, 1000000)
    """
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number; write digits, e.g. 20") from None
    if not math.isfinite(value) or not value.is_integer():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number; write digits, e.g. 20")
    return int(value)


def add_size_option(parser: argparse.ArgumentParser) -> None:
    """The option that lifts the ceiling on a run's size (see docs/limits.md)."""
    from cpsim.simulate.experiments.budget import LIFT_FLAG  # not at import: validate loads no simulator

    parser.add_argument(
        LIFT_FLAG,
        dest="no_size_limit",
        action="store_true",
        help="run even when the estimate says it takes more than about ten minutes (see docs/limits.md)",
    )


def check_size(parts: Iterable[Estimate], args: argparse.Namespace) -> None:
    """Refuse, before any work, a run whose estimated size crosses a ceiling (CpsimError, exit 1)."""
    from cpsim.simulate.experiments.budget import check, total

    check(total(parts), lifted=bool(getattr(args, "no_size_limit", False)))
