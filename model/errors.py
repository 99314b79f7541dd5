"""Problems found in a procedure or scenario file, and the exception that carries them.

Examples
--------
>>> p = Problem("a.yaml", 3, 5, "unknown key 'stgaes'", "did you mean 'stages'?")
>>> str(p)
"a.yaml:3:5: unknown key 'stgaes' (did you mean 'stages'?)"
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from difflib import get_close_matches
from typing import Any

__all__ = ["CpsimError", "FileError", "Problem", "collapsed", "did_you_mean"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located by line and column (1-based)."""

    file: str
    line: int
    column: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}:{self.column}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def as_dict(self) -> dict[str, Any]:
        """The problem as a JSON-ready mapping."""
        return asdict(self)


class CpsimError(Exception):
    """Base class of every error cpsim reports to a user."""


class FileError(CpsimError):
    """An input file has one or more problems; ``problems`` lists every one."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(sorted(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def collapsed(problems: Sequence[Problem], *, shown: int = 8) -> list[str]:
    """One line per distinct problem: the same message and hint in one file is printed once, with a count.

    The first occurrence keeps its FILE:LINE:COL; the others are counted and their lines listed
    (up to ``shown`` of them, then "…").

    >>> same = [Problem("a.yaml", n, 3, "source document 'x.txt' is not in 'docs'", "check the file name")
    ...         for n in (4, 9, 12)]
    >>> for line in collapsed([*same, Problem("a.yaml", 20, 1, "unknown key 'stgaes'")]):
    ...     print(line)
    a.yaml:4:3: source document 'x.txt' is not in 'docs' (check the file name) — and 2 more like it, at lines 9, 12
    a.yaml:20:1: unknown key 'stgaes'
    """
    groups: dict[tuple[str, str, str], list[Problem]] = {}
    for p in problems:
        groups.setdefault((p.file, p.message, p.hint), []).append(p)
    lines = []
    for first, *rest in groups.values():
        if not rest:
            lines.append(str(first))
            continue
        at = ", ".join(str(p.line) for p in rest[:shown]) + (", …" if len(rest) > shown else "")
        word = "line" if len(rest) == 1 else "lines"
        lines.append(f"{first} — and {len(rest)} more like it, at {word} {at}")
    return lines


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    """A hint naming the nearest of ``choices`` to ``word``, or listing them.

    >>> did_you_mean("level2", ["level1", "level_2", "resolved"])
    "did you mean 'level_2'?"
    >>> did_you_mean("zzz", ["a", "b"])
    "expected one of: 'a', 'b'"
    """
    close = get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    listed = ", ".join(repr(c) for c in sorted(choices)[:12])
    return f"expected one of: {listed}" if listed else "none are defined"
