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

__all__ = ["CpsimError", "FileError", "Problem", "did_you_mean"]


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
