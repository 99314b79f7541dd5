r"""Build a file's data from the events of the C YAML parser, in one pass, keeping every position.

The pure-Python parser takes minutes over a procedure of thousands of stages; libyaml (through
PyYAML) reads the same file in a second. Its events are turned here into mappings and lists that
remember where each key, value and item starts, with the YAML 1.2 reading of plain scalars that
cpsim has always used (``yes`` and ``no`` stay words; ``2024-04-01`` is a date). The guards of
:mod:`cpsim.model.files.guard` apply as the events arrive, so an alias bomb or a thousand nested
brackets stop at their first sign, before anything is built from them.

Examples
--------
>>> tree = build("id: x\nstages:\n  - {id: a, amount: 1_000}\n")
>>> tree["stages"][0]["amount"], tree.kpos["stages"], tree["stages"].ipos[0]
(1000, (1, 0), (2, 4))
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import re
from typing import Any

import yaml  # type: ignore[import-untyped]
from yaml import events as ev

from cpsim.model.files.guard import MAX_DEPTH, Refused, tag_hint

__all__ = ["Duplicate", "PMap", "PSeq", "build", "resolve"]

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml: the same events, more slowly
    _Loader = yaml.SafeLoader

Pos = tuple[int, int]


class PMap(dict[str, Any]):
    """A mapping that remembers the 0-based (line, column) of each key (``kpos``) and value (``vpos``)."""

    __slots__ = ("kpos", "vpos")

    def __init__(self) -> None:
        super().__init__()
        self.kpos: dict[str, Pos] = {}
        self.vpos: dict[str, Pos] = {}


class PSeq(list[Any]):
    """A list that remembers the 0-based (line, column) of each item (``ipos``)."""

    __slots__ = ("ipos",)

    def __init__(self) -> None:
        super().__init__()
        self.ipos: list[Pos] = []


class Duplicate(Refused):
    """A key given twice in one mapping (worded as the YAML library words it)."""


_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NULL = frozenset({"~", "null", "Null", "NULL", ""})
_INT = re.compile(r"[-+]?(?:0b[0-1_]+|0o[0-7_]+|0x[0-9a-fA-F_]+|[0-9_]+)")
_FLOAT = re.compile(
    r"[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)"
    r"|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_STAMP = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?"
)


def resolve(value: str, mark: Any) -> Any:
    """A plain scalar read as YAML 1.2 reads it: null, true/false, a whole or decimal number, a date, or text.

    >>> [resolve(v, None) for v in ("yes", "~", "True", "0x1F", "010", "1.5e3", "2024-04-01")]
    ['yes', None, True, 31, 10, 1500.0, datetime.date(2024, 4, 1)]
    """
    if value in _NULL:
        return None
    first = value[0]
    if first in "tTfF" and value in _BOOL:
        return _BOOL[value]
    if first not in "-+0123456789.":
        return value
    if _INT.fullmatch(value):
        digits = value.replace("_", "")
        sign, body = (-1, digits[1:]) if digits[0] == "-" else (1, digits.lstrip("+"))
        base = {"0b": 2, "0o": 8, "0x": 16}.get(body[:2], 10)
        return sign * int(body[2:] if base != 10 else body, base)
    if _FLOAT.fullmatch(value):
        number = float(value.replace("_", "").replace(".inf", "inf").replace(".Inf", "inf").replace(".INF", "inf"))
        if not math.isfinite(number):
            what = "not a number" if math.isnan(number) else "infinite" if "inf" in value.lower() else "too large"
            raise Refused(
                f"{value!r} is {what}: cpsim reads only ordinary numbers", mark, "write a number such as 3 or 0.5"
            )
        return number
    return _timestamp(value, mark)


def _timestamp(value: str, mark: Any) -> Any:
    date = _DATE.fullmatch(value)
    try:
        if date:
            return dt.date(int(date[1]), int(date[2]), int(date[3]))
        if _STAMP.fullmatch(value):
            text = re.sub(r"[ \t]+(?=[0-9]{1,2}:)", "T", value.strip()).replace("t", "T").replace("Z", "+00:00")
            text = re.sub(r"[ \t]+(?=[-+])", "", text)
            return dt.datetime.fromisoformat(text)
    except ValueError as exc:
        message = f"not valid YAML: {value!r} is not a real date ({exc})"
        raise Refused(message, mark, "write a real date as YYYY-MM-DD") from None
    return value


def _node_checks(event: Any) -> None:
    if isinstance(event, ev.AliasEvent):
        raise Refused(
            f"YAML aliases (*{event.anchor}) are not allowed",
            event.start_mark,
            f"write the value out in full here instead of referring to '&{event.anchor}'",
        )
    if event.anchor is not None:
        raise Refused(
            f"YAML anchors (&{event.anchor}) are not allowed",
            event.start_mark,
            "remove the anchor; write the value out in full wherever it is needed",
        )
    if event.tag is not None and event.tag != "!":
        raise Refused(f"YAML tags such as {event.tag} are not allowed", event.start_mark, tag_hint(event.tag))


def _scalar(event: Any) -> Any:
    return resolve(event.value, event.start_mark) if not event.style and event.tag is None else event.value


def build(text: str) -> Any:
    """The data of the one YAML document in ``text``, as :class:`PMap`, :class:`PSeq` and scalars.

    Raises
    ------
    Refused
        At the first YAML feature cpsim refuses, duplicate key or impossible date.
    yaml.YAMLError
        If the text is not valid YAML (the caller words the message).
    """
    enabled = gc.isenabled()
    gc.disable()  # millions of small objects: the collector would run over all of them again and again
    try:
        return _build(text)
    finally:
        if enabled:
            gc.enable()


class _Mark:
    """A 0-based position, as the error classes expect of a mark."""

    __slots__ = ("line", "column")

    def __init__(self, at: Pos) -> None:
        self.line, self.column = at


def _build(text: str) -> Any:  # long: one loop over the event stream, with its small state machine inline
    stack: list[list[Any]] = []  # frames: [container, pending key or None, key position, open child's position]
    root: Any = None
    documents = 0
    for event in yaml.parse(text, Loader=_Loader):
        kind = type(event)
        if kind is ev.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise Refused(
                    "the file holds more than one YAML document ('---')",
                    event.start_mark,
                    "keep one document: remove the second '---' and what follows, or move it to its own file",
                )
            continue
        if kind in (ev.StreamStartEvent, ev.StreamEndEvent, ev.DocumentEndEvent):
            continue
        if kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
            done = stack.pop()[0]
            if stack:
                _place(stack[-1], done, stack[-1][3])
            else:
                root = done
            continue
        _node_checks(event)
        frame = stack[-1] if stack else None
        at = (event.start_mark.line, event.start_mark.column)
        if frame is not None and frame[1] is None and isinstance(frame[0], PMap):
            frame[1], frame[2] = _key(event), at
            continue
        if kind is ev.ScalarEvent:
            value = _scalar(event)
            if frame is None:
                root = value
            else:
                _place(frame, value, at)
            continue
        if len(stack) >= MAX_DEPTH:
            raise Refused(
                f"the data is nested more than {MAX_DEPTH} levels deep",
                event.start_mark,
                "cpsim files need only a few levels of indentation or brackets; check for unclosed '[' or '{'",
            )
        if frame is not None:
            frame[3] = at
        stack.append([PMap() if kind is ev.MappingStartEvent else PSeq(), None, None, None])
    return root


def _key(event: Any) -> str:
    if type(event) is not ev.ScalarEvent:
        raise Refused(
            "a key must be a plain word, not a list or a mapping",
            event.start_mark,
            "write the key as text followed by ':', e.g. 'title: ...'",
        )
    if event.value == "<<" and not event.style:
        raise Refused(
            "YAML merge keys (<<:) are not allowed",
            event.start_mark,
            "write the keys out in this mapping instead of merging them in from elsewhere",
        )
    return str(_scalar(event))


def _place(frame: list[Any], value: Any, at: Pos) -> None:
    parent = frame[0]
    if type(parent) is PSeq:
        parent.append(value)
        parent.ipos.append(at)
        return
    key = frame[1]
    if key in parent:
        message = (
            f'not valid YAML: while constructing a mapping found duplicate key "{key}" with value '
            f'"{_shown(value)}" (original value: "{_shown(parent[key])}")'
        )
        raise Duplicate(message, _Mark(frame[2]), "each key may appear once in a mapping")
    parent[key] = value
    parent.kpos[key] = frame[2]
    parent.vpos[key] = at
    frame[1] = None


def _shown(value: Any) -> str:
    return str(value) if not isinstance(value, dict | list) else "..."
