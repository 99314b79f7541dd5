r"""What a user file may hold before it is parsed: text, of bounded size, nesting and YAML features.

cpsim's files are plain data written by hand. YAML has features that such files never need and that
can make a tiny file cost minutes or gigabytes (an alias bomb: a few lines of anchors and aliases
that expand to a billion items), run code (``!!python/object``) or crash a parser (thousands of
nested brackets). Every one of these is refused here, at its own line and column, with a message
saying what to write instead. The ceilings are listed in docs/limits.md.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.yaml"
>>> _ = p.write_bytes(b"id: caf\xe9\n")
>>> try:
...     read_text(p)
... except FileError as exc:
...     print(exc.problems[0].line, exc.problems[0].column, exc.problems[0].message[:37])
1 8 the file is not UTF-8 text: byte 0xe9
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from ruamel.yaml.nodes import MappingNode

from cpsim.model.errors import FileError, Problem

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "GuardedComposer", "Refused", "read_text", "tag_hint"]

MAX_FILE_BYTES = 20_000_000
"""The largest file read, in bytes (a 10,000-stage procedure is about 4 MB)."""

MAX_DEPTH = 40
"""The deepest nesting of mappings and lists (the shipped files go 6 deep)."""

_TAG_HINTS = {
    "omap": "remove the tag and write the keys as a plain mapping",
    "set": "remove the tag and write the items as a list, one '- item' a line",
    "binary": "remove the tag and write the value as text",
    "pairs": "remove the tag and write the keys as a plain mapping",
}


class Refused(MarkedYAMLError):
    """A YAML feature cpsim files may not use, found at ``problem_mark``, with a ``hint`` on what to write."""

    def __init__(self, problem: str, mark: Any, hint: str) -> None:
        super().__init__(problem=problem, problem_mark=mark)
        self.hint = hint


def tag_hint(tag: str) -> str:
    """What to write instead of the YAML tag ``tag``."""
    name = tag.rsplit(":", 1)[-1] if tag.startswith("tag:yaml.org,2002:") else ""
    return _TAG_HINTS.get(name, "remove the tag")


class GuardedComposer(Composer):
    """The YAML composer, refusing anchors, aliases, merge keys, explicit tags, non-text keys and deep nesting.

    Each is refused where it is first met, before anything is built from it, so that a file of any
    shape costs no more than reading it once.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Check the next node, then compose it as the ordinary composer would."""
        event = self.parser.peek_event()
        mark = event.start_mark
        if isinstance(event, AliasEvent):
            raise Refused(
                f"YAML aliases (*{event.anchor}) are not allowed",
                mark,
                f"write the value out in full here instead of referring to '&{event.anchor}'",
            )
        if event.anchor is not None:
            raise Refused(
                f"YAML anchors (&{event.anchor}) are not allowed",
                mark,
                "remove the anchor; write the value out in full wherever it is needed",
            )
        tag = event.ctag
        if tag is not None and str(tag) != "!":
            raise Refused(f"YAML tags such as {tag} are not allowed", mark, tag_hint(str(tag)))
        if isinstance(parent, MappingNode) and index is None:
            _check_key(event, mark)
        if isinstance(event, MappingStartEvent | SequenceStartEvent) and self.depth >= MAX_DEPTH:
            raise Refused(
                f"the data is nested more than {MAX_DEPTH} levels deep",
                mark,
                "cpsim files need only a few levels of indentation or brackets; check for unclosed '[' or '{'",
            )
        return super().compose_node(parent, index)


def _check_key(event: Any, mark: Any) -> None:
    if not isinstance(event, ScalarEvent):
        raise Refused(
            "a key must be a plain word, not a list or a mapping",
            mark,
            "write the key as text followed by ':', e.g. 'title: ...'",
        )
    if event.value == "<<" and event.style is None:
        raise Refused(
            "YAML merge keys (<<:) are not allowed",
            mark,
            "write the keys out in this mapping instead of merging them in from elsewhere",
        )


def read_text(path: str | Path) -> str:
    """The text of ``path``: UTF-8 (a byte-order mark is dropped), at most :data:`MAX_FILE_BYTES` long.

    A file whose size on disk is over the ceiling is refused before it is opened, so a huge file
    costs no memory; the read itself is bounded too, for a pipe or a file that grows meanwhile.

    Raises
    ------
    FileError
        If the file cannot be read, is too big, holds binary data or is not UTF-8, each at its line.
    """
    name = str(path)
    too_big = Problem(
        name,
        1,
        1,
        f"the file is larger than {MAX_FILE_BYTES // 1_000_000} MB, the most cpsim reads",
        "split it, or check that it is the file you meant",
    )
    try:
        if os.stat(path).st_size > MAX_FILE_BYTES:  # refused before a byte is read
            raise FileError([too_big])
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)  # bounded still: a pipe or a growing file has no size to trust
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise FileError([Problem(name, 1, 1, f"cannot read file: {reason}", "check the path")]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise FileError([too_big])
    zero = raw.find(b"\x00")
    if zero >= 0:
        line, col = _position(raw, zero)
        message = "the file holds binary data (a zero byte), not text"
        raise FileError([Problem(name, line, col, message, "give a text file saved as UTF-8")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _position(raw, exc.start)
        message = f"the file is not UTF-8 text: byte 0x{raw[exc.start]:02x} cannot be read"
        hint = "save the file as UTF-8: in most editors, Save As and choose the encoding UTF-8"
        raise FileError([Problem(name, line, col, message, hint)]) from None
    return text.removeprefix("\ufeff")


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    r"""1-based (line, column) of byte ``offset``; the column counts characters before it on its line.

    >>> _position(b"ab\nc\xc3\xa9d", 6)
    (2, 3)
    """
    start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[start:offset].decode("utf-8", errors="replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, column
