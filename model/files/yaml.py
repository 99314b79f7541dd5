"""Safe YAML reading that remembers where every key and item came from.

Nothing else in cpsim parses YAML: the procedure and scenario loaders call :func:`read_yaml`. The
file is read by libyaml (:mod:`cpsim.model.files.events`); when it is not valid YAML, the message
is worded by the pure-Python parser as it always was (:mod:`cpsim.model.files.wording`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml  # type: ignore[import-untyped]

from cpsim.model.errors import FileError, Problem
from cpsim.model.files.events import PMap, PSeq, build
from cpsim.model.files.guard import Refused, read_text
from cpsim.model.files.wording import at, not_a_mapping, syntax_problem

__all__ = ["Loc", "Locator", "PlainDoc", "YamlDoc", "read_yaml"]

Loc = Sequence[str | int]


class Locator(Protocol):
    """Anything that turns a location in a file's data into a located :class:`Problem`."""

    def problem(self, loc: Loc, message: str, hint: str = "", *, key: bool = False) -> Problem:
        """A problem at ``loc`` (at the key that ends ``loc`` when ``key`` is true)."""
        ...


class PlainDoc:
    """Stand-in for a file when the data did not come from one: every problem is at line 1, naming its place.

    >>> str(PlainDoc("<scenario>").problem(("staff", "sm", "headcount"), "must be a whole number"))
    '<scenario>:1:1: staff.sm.headcount: must be a whole number'
    """

    def __init__(self, path: str) -> None:
        self.path = path

    def problem(self, loc: Loc, message: str, hint: str = "", *, key: bool = False) -> Problem:
        """A problem at line 1 naming ``loc`` in the message."""
        place = ".".join(str(p) for p in loc)
        return Problem(self.path, 1, 1, f"{place}: {message}" if place else message, hint)


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML file: plain data plus the tree that knows line numbers."""

    path: str
    tree: Any

    @property
    def data(self) -> Any:
        """The document as plain dicts, lists and scalars."""
        return _plain(self.tree)

    def locate(self, loc: Loc) -> tuple[int, int]:
        """1-based (line, column) of the value at ``loc``, or its nearest existing parent."""
        node, where = self.tree, (1, 1)
        for part in loc:
            if isinstance(node, PMap) and part in node:
                key = str(part)
                line, col = node.vpos[key] if not isinstance(node[key], PMap | PSeq) else node.kpos[key]
                where, node = (line + 1, col + 1), node[key]
            elif isinstance(node, PSeq) and isinstance(part, int) and 0 <= part < len(node):
                line, col = node.ipos[part]
                where, node = (line + 1, col + 1), node[part]
            else:
                break
        return where

    def locate_key(self, loc: Loc) -> tuple[int, int]:
        """1-based (line, column) of the key that ends ``loc`` (for unknown or duplicate keys)."""
        parent = self.tree
        for part in loc[:-1]:
            try:
                parent = parent[part]
            except (KeyError, IndexError, TypeError):
                return self.locate(loc)
        if isinstance(parent, PMap) and loc and loc[-1] in parent:
            line, col = parent.kpos[str(loc[-1])]
            return line + 1, col + 1
        return self.locate(loc)

    def problem(self, loc: Loc, message: str, hint: str = "", *, key: bool = False) -> Problem:
        """A :class:`Problem` located at ``loc`` in this file."""
        line, col = self.locate_key(loc) if key else self.locate(loc)
        return Problem(self.path, line, col, message, hint)


def read_yaml(path: str | Path) -> YamlDoc:
    """Parse ``path`` safely (no tags, no code, no aliases, bounded nesting), keeping positions.

    Raises
    ------
    FileError
        If the file cannot be read, is not valid YAML, uses a YAML feature cpsim refuses (see
        :mod:`cpsim.model.files.guard`) or is not a mapping of keys to values.
    """
    name = str(path)
    text = read_text(path)
    try:
        tree = _LAST[0][1] if _LAST and _LAST[0][0] == text else build(text)
    except Refused as exc:
        raise FileError([at(name, exc.problem_mark, str(exc.problem), exc.hint)]) from None
    except yaml.YAMLError as exc:
        raise FileError([syntax_problem(name, text, exc)]) from None
    if not isinstance(tree, PMap):
        raise FileError([not_a_mapping(name, tree)])
    if len(text) >= _REMEMBERED:
        _LAST[:] = [(text, tree)]
    return YamlDoc(name, tree)


_REMEMBERED = 100_000
"""A file of this many characters or more keeps its parsed tree until the next such file is read: a
command that first asks what kind of file it is and then loads it parses a large file once, not twice."""
_LAST: list[tuple[str, Any]] = []


def _plain(node: Any) -> Any:
    if isinstance(node, PMap):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, PSeq):
        return [_plain(v) for v in node]
    return node
