r"""Why a file is not valid YAML, worded as cpsim has always worded it, and where.

libyaml finds that a file is broken; the pure-Python parser then reads the file again to say why
in the words of the examples in docs/ and tests/malformed/ (only up to :data:`REWORD_BYTES`, since
it is slow; a bigger broken file gets libyaml's own words). Either way a tab used for indentation
is named as such, at its line.

Examples
--------
>>> import yaml
>>> try:
...     yaml.safe_load("a:\n\tb: 1\n")
... except yaml.YAMLError as exc:
...     print(syntax_problem("f.yaml", "a:\n\tb: 1\n", exc).message)
tabs are not allowed for indentation; use spaces
"""

from __future__ import annotations

import math
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.reader import ReaderError

from cpsim.model.errors import Problem
from cpsim.model.files.guard import GuardedComposer, Refused

__all__ = ["REWORD_BYTES", "at", "not_a_mapping", "syntax_problem"]

REWORD_BYTES = 1_000_000
"""The largest broken file whose problem is worded by the pure-Python parser."""


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


def syntax_problem(name: str, text: str, exc: Exception) -> Problem:
    """The problem with ``text``, which libyaml failed to read with ``exc``."""
    if len(text) <= REWORD_BYTES:
        yaml = YAML(typ="rt", pure=True)
        yaml.Constructor = _Constructor
        yaml.Composer = GuardedComposer
        yaml.allow_duplicate_keys = False
        try:
            yaml.load(text)
        except Refused as again:
            return at(name, again.problem_mark, str(again.problem), again.hint)
        except MarkedYAMLError as again:
            return _marked(name, text, again)
        except ReaderError as again:
            return _control(name, text, again)
        except Exception:  # the pure parser failed without a mark: libyaml's words below
            pass
    if hasattr(exc, "character") and hasattr(exc, "position"):
        return _control(name, text, exc)
    return _marked(name, text, exc)


def _control(name: str, text: str, exc: Any) -> Problem:
    line, col = _offset_position(text, exc.position)
    message = f"the file holds a control character (code {_code(exc.character)}) that YAML does not allow"
    return Problem(name, line, col, message, "delete it, or retype the line")


def _code(character: Any) -> str:
    return repr(ord(character)) if isinstance(character, str) else repr(character)


def at(name: str, mark: Any, message: str, hint: str) -> Problem:
    """A problem at ``mark`` (0-based line and column), or at the top of the file without one."""
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return Problem(name, line, col, message, hint)


def _marked(name: str, text: str, exc: Any) -> Problem:
    """The problem for a marked YAML syntax error: a tab used for indentation is named as such."""
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


def not_a_mapping(name: str, tree: Any) -> Problem:
    """Why a file whose top level is not a mapping is refused, at the start of what it holds."""
    hint = "start each top-level line with a key at the left margin, e.g. 'id: my-procedure'"
    if tree is None:
        return Problem(name, 1, 1, "the file is empty: it must be a YAML mapping of keys to values", hint)
    what = "a list" if isinstance(tree, list) else "a single value"
    first = getattr(tree, "ipos", None)
    line, col = (first[0][0] + 1, 1) if first else (1, 1)
    return Problem(name, line, col, f"the file is {what}: it must be a YAML mapping of keys to values", hint)
