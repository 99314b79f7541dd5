"""Safe YAML reading that remembers where every key and item came from.

Nothing else in cpsim parses YAML: the procedure and scenario loaders call :func:`read_yaml`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError

from cpsim.model.errors import FileError, Problem

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
    """The round-trip constructor, but an impossible date is an error at its own line."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError as exc:
            raise ConstructorError(None, None, f"{node.value!r} is not a real date ({exc})", node.start_mark) from None


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


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
    """Parse ``path`` safely (no tags, no code), keeping positions.

    Raises
    ------
    FileError
        If the file cannot be read or is not valid YAML.
    """
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FileError([Problem(name, 1, 1, f"cannot read file: {exc}")]) from None
    yaml = YAML(typ="rt", pure=True)
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    try:
        tree = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        hint = "each key may appear once in a mapping" if "duplicate" in what else "check indentation and quoting"
        if "not a real date" in what:
            hint = "write a real date as YYYY-MM-DD"
        raise FileError([Problem(name, line, col, f"not valid YAML: {what}", hint)]) from None
    except Exception as exc:  # ruamel raises a few unmarked errors (e.g. unknown tags)
        raise FileError([Problem(name, 1, 1, f"not valid YAML: {exc}", "check the file's syntax")]) from None
    if not isinstance(tree, CommentedMap):
        raise FileError([Problem(name, 1, 1, "the file must be a YAML mapping of keys to values")])
    _reject_tags(name, tree)
    return YamlDoc(name, tree)


def _reject_tags(name: str, node: Any) -> None:
    """Refuse explicit YAML tags (such as ``!!python/object``): procedure files are plain data."""
    if isinstance(node, CommentedMap):
        children = [(k, v, node.lc.value(k) if k in node.lc.data else node.lc.key(k)) for k, v in node.items()]
    elif isinstance(node, CommentedSeq):
        children = [(i, v, node.lc.item(i)) for i, v in enumerate(node)]
    else:
        return
    for _, child, (line, col) in children:
        tag = getattr(getattr(child, "tag", None), "value", None)
        if tag:
            problem = Problem(name, line + 1, col + 1, f"YAML tags such as {tag} are not allowed", "remove the tag")
            raise FileError([problem])
        _reject_tags(name, child)


def _plain(node: Any) -> Any:
    if isinstance(node, CommentedMap):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, CommentedSeq):
        return [_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node
