"""The building blocks of a report, independent of its format: paragraphs, lists, tables, images.

A :class:`Report` is titled sections of blocks; :mod:`cpsim.reports.documents.html` and
:mod:`cpsim.reports.documents.markdown` render the same report.

>>> Report("T", "S", (Section("s", "S", (Paragraph("p"),)),)).sections[0].blocks[0].text
'p'
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Block", "Bullets", "Image", "Paragraph", "Report", "Section", "Steps", "Table"]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text; ``heading`` makes it a sub-heading instead."""

    text: str
    heading: bool = False


@dataclass(frozen=True)
class Bullets:
    """A bulleted list."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Steps:
    """A numbered list of steps, each with its sub-points."""

    items: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Table:
    """A table with a header row."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Image:
    """An image with its caption: ``data`` in ``mime`` (image/svg+xml or image/png)."""

    id: str
    caption: str
    mime: str
    data: bytes
    mermaid: str | None = None


Block = Paragraph | Bullets | Steps | Table | Image


@dataclass(frozen=True)
class Section:
    """A titled section of blocks."""

    id: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Report:
    """A whole report."""

    title: str
    subtitle: str
    sections: tuple[Section, ...] = field(default=())

    @property
    def images(self) -> list[Image]:
        """Every image, in order."""
        return [b for s in self.sections for b in s.blocks if isinstance(b, Image)]
