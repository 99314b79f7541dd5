"""Safe YAML reading that remembers where every key and item came from.

Nothing else in cpsim parses YAML: the procedure and scenario loaders call :func:`read_yaml`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.reader import ReaderError

from cpsim.model.errors import FileError, Problem
from cpsim.model.files.guard import GuardedComposer, Refused, read_text

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


class _Constructor(RoundTripConstructor):
    """The round-trip constructor, but an impossible date or an infinite number is an error at its own line."""

    def construct_yaml_float(self, node: Any) -> Any:
        value = super().construct_yaml_float(node)
        if not math.isfinite(value):
            what = "not a number" if math.isnan(value) else "infinite" if "inf" in node.value.lower() else "too large"
            message = f"{node.value!r} is {what}: cpsim reads only ordinary numbers"
            raise Refused(message, node.start_mark, "write a number such as 3 or 0.5")
        return value

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError as exc:
            raise ConstructorError(None, None, f"{node.value!r} is not a real date ({exc})", node.start_mark) from None


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)
_Constructor.add_constructor("tag:yaml.org,2002:float", _Constructor.construct_yaml_float)


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
            if isinstance(node, CommentedMap) and part in node:
                line, col = (
                    node.lc.value(part)
                    if not isinstance(node[part], (CommentedMap, CommentedSeq))
                    else node.lc.key(part)
                )
                where, node = (line + 1, col + 1), node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
                line, col = node.lc.item(part)
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
        if isinstance(parent, CommentedMap) and loc and loc[-1] in parent:
            line, col = parent.lc.key(loc[-1])
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
    yaml = YAML(typ="rt", pure=True)
    yaml.Constructor = _Constructor
    yaml.Composer = GuardedComposer
    yaml.allow_duplicate_keys = False
    try:
        tree = yaml.load(text)
    except Refused as exc:
        raise FileError([_at(name, exc.problem_mark, str(exc.problem), exc.hint)]) from None
    except MarkedYAMLError as exc:
        raise FileError([_syntax_problem(name, text, exc)]) from None
    except ReaderError as exc:
        line, col = _offset_position(text, exc.position)
        message = f"the file holds a control character (code {exc.character!r}) that YAML does not allow"
        raise FileError([Problem(name, line, col, message, "delete it, or retype the line")]) from None
    except Exception as exc:  # ruamel raises a few unmarked errors
        raise FileError([Problem(name, 1, 1, f"not valid YAML: {exc}", "check the file's syntax")]) from None
    if not isinstance(tree, CommentedMap):
        raise FileError([_not_a_mapping(name, tree)])
    return YamlDoc(name, tree)


def _at(name: str, mark: Any, message: str, hint: str) -> Problem:
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return Problem(name, line, col, message, hint)


def _syntax_problem(name: str, text: str, exc: MarkedYAMLError) -> Problem:
    """The problem for a YAML syntax error: a tab used for indentation is named as such."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = here[: len(here) - len(here.lstrip(" \t"))]
    if "\t" in indent:
        hint = "replace each tab at the start of the line with spaces, 2 a level"
        return Problem(name, line, indent.index("\t") + 1, "tabs are not allowed for indentation; use spaces", hint)
    what = " ".join(str(x) for x in (exc.context, exc.problem) if x)
    hint = "each key may appear once in a mapping" if "duplicate" in what else "check indentation and quoting"
    if "not a real date" in what:
        hint = "write a real date as YYYY-MM-DD"
    return Problem(name, line, col, f"not valid YAML: {what}", hint)


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    r"""1-based (line, column) of character ``offset`` in ``text``.

    >>> _offset_position("ab\ncd", 4)
    (2, 2)
    """
    start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - start + 1


def _not_a_mapping(name: str, tree: Any) -> Problem:
    """Why a file whose top level is not a mapping is refused, at the start of what it holds."""
    hint = "start each top-level line with a key at the left margin, e.g. 'id: my-procedure'"
    if tree is None:
        return Problem(name, 1, 1, "the file is empty: it must be a YAML mapping of keys to values", hint)
    what = "a list" if isinstance(tree, CommentedSeq) else "a single value"
    line, col = (tree.lc.line + 1, tree.lc.col + 1) if isinstance(tree, CommentedSeq) else (1, 1)
    return Problem(name, line, col, f"the file is {what}: it must be a YAML mapping of keys to values", hint)


def _plain(node: Any) -> Any:
    if isinstance(node, CommentedMap):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, CommentedSeq):
        return [_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node
