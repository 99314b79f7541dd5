r"""CSV files read row by row: each row at its line, bad bytes at their line, and at most 20 problems listed.

A CSV file is never loaded whole. :func:`count_rows` counts the data rows first, so that a file
with more rows than a command can use is refused before any row is checked; :func:`csv_rows`
then yields the rows one at a time with their line numbers. A file that is binary or not UTF-8
is a :class:`~cpsim.model.errors.FileError` at the line of the first bad byte, never a traceback.
:class:`Problems` keeps the first :data:`MAX_LISTED` problems and counts the rest.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = p.write_bytes(b"\xef\xbb\xbfid,date\nA,2026-01-05\nB,2026-01-06\n")
>>> count_rows(p)
2
>>> [(n, row["id"]) for n, row in csv_rows(p)]
[(2, 'A'), (3, 'B')]
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cpsim.model.errors import FileError, Problem

__all__ = ["MAX_LINE_BYTES", "MAX_LISTED", "Problems", "count_rows", "csv_header", "csv_rows", "is_file"]

MAX_LISTED = 20
"""Problems listed from one file; the rest are counted in one last line."""

MAX_LINE_BYTES = 100_000
"""The longest line read from a CSV file."""


def is_file(path: str | Path) -> bool:
    """Whether ``path`` is a file; False (not an exception) for a name the system cannot even look up.

    >>> is_file("x" * 5000)
    False
    """
    try:
        return Path(path).is_file()
    except (OSError, ValueError):
        return False


class Problems:
    """The problems found in one file: the first :data:`MAX_LISTED` kept, the others counted.

    >>> found = Problems("a.csv")
    >>> for n in range(2, 30):
    ...     found.add(Problem("a.csv", n, 1, f"row {n}: bad"))
    >>> [str(p) for p in found.listed()][-2:]
    ['a.csv:21:1: row 21: bad', 'a.csv:22:1: and 8 more problems like these (fix those listed and check again)']
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.kept: list[Problem] = []
        self.more = 0
        self._first_more = (1, 1)

    def add(self, problem: Problem) -> None:
        """Keep ``problem``, or count it once :data:`MAX_LISTED` are kept."""
        if len(self.kept) < MAX_LISTED:
            self.kept.append(problem)
            return
        if not self.more:
            self._first_more = (problem.line, problem.column)
        self.more += 1

    def __bool__(self) -> bool:
        return bool(self.kept)

    def listed(self) -> list[Problem]:
        """The problems kept, then one line counting the others (at the place of the first not listed)."""
        out = list(self.kept)
        if self.more:
            message = f"and {self.more:,} more problem{'s' if self.more != 1 else ''} like these"
            line, column = self._first_more  # where the first one not listed is, so that sorting keeps this last
            out.append(Problem(self.name, line, column, message, "fix those listed and check again"))
        return out

    def raise_if_any(self) -> None:
        """Raise :class:`FileError` listing the problems, if there are any."""
        if self.kept:
            raise FileError(self.listed())


def _lines(handle: BinaryIO, name: str) -> Iterator[str]:
    """The file's lines as text, checked one at a time so that a bad byte is reported at its own line."""
    number = 0
    while True:
        raw = handle.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES:
            message = f"line {number} is longer than {MAX_LINE_BYTES:,} characters"
            raise FileError([Problem(name, number, 1, message, "check that this is the CSV file you meant")])
        if b"\x00" in raw:
            raise FileError(
                [Problem(name, number, 1, "the file holds binary data (a zero byte), not text", "give a CSV file")]
            )
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            column = len(raw[: exc.start].decode("utf-8", errors="replace")) + 1
            message = f"the file is not UTF-8 text: byte 0x{raw[exc.start]:02x} cannot be read"
            hint = "save the file as CSV UTF-8: in a spreadsheet, Save As and choose 'CSV UTF-8'"
            raise FileError([Problem(name, number, column, message, hint)]) from None
        yield text.removeprefix("\ufeff") if number == 1 else text


def _open(path: str | Path) -> BinaryIO:
    try:
        return open(path, "rb")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise FileError([Problem(str(path), 1, 1, f"cannot read file: {reason}", "check the path")]) from None


def _records(path: str | Path) -> Iterator[tuple[int, list[str]]]:
    """Each CSV record with the line it ends on; a malformed record is a problem at its line."""
    name = str(path)
    with _open(path) as handle:
        reader = csv.reader(_lines(handle, name))
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise FileError(
                    [Problem(name, reader.line_num, 1, f"not valid CSV: {exc}", "check the quoting")]
                ) from None
            yield reader.line_num, record


def csv_header(path: str | Path) -> list[str]:
    """The column names on the first line of ``path`` (empty for an empty file), stripped of spaces."""
    for _, record in _records(path):
        if record:
            return [c.strip() for c in record]
    return []


def count_rows(path: str | Path) -> int:
    """The number of data rows (records after the header, blank lines not counted) in ``path``."""
    return max(sum(1 for _, record in _records(path) if record) - 1, 0)


def csv_rows(path: str | Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Each data row of ``path`` as ``(line, {column: value})``, one at a time; blank lines skipped."""
    records = _records(path)
    header: list[str] | None = None
    for line, record in records:
        if not record:
            continue
        if header is None:
            header = [c.strip() for c in record]
            continue
        yield line, dict(zip(header, record, strict=False))
