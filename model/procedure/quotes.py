r"""Check that every quote a procedure cites appears in the cited source document.

Quotes are compared with whitespace folded, because the sources were extracted from PDFs.
A citation names a document inside the sources folder: an absolute path, a ``..`` that climbs
out or a link that points out is refused without reading it, so the check cannot be used to
learn what a file elsewhere holds.

Examples
--------
>>> fold("resolved  within\n five")
'resolved within five'
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from cpsim.model.errors import Problem
from cpsim.model.files.yaml import YamlDoc
from cpsim.model.procedure.checks import citations

__all__ = ["check_quotes", "fold"]


def fold(text: str) -> str:
    """Collapse every run of whitespace to one space and trim the ends."""
    return re.sub(r"\s+", " ", text).strip()


def _within(folder: Path, name: str) -> bool:
    """True when ``name`` is a document inside ``folder``: no absolute path, no ``..`` out, no link out.

    >>> _within(Path("."), "a.txt"), _within(Path("."), "../a.txt"), _within(Path("."), "/etc/passwd")
    (True, False, False)
    """
    root = Path(os.path.realpath(folder))
    return not Path(name).is_absolute() and Path(os.path.realpath(folder / name)).is_relative_to(root)


def check_quotes(doc: YamlDoc, data: dict[str, Any], folder: Path) -> list[Problem]:
    """A problem for each citation whose document is missing or does not contain its quote."""
    texts: dict[str, str | None] = {}
    out: list[Problem] = []
    if not folder.is_dir():
        return [
            Problem(
                doc.path,
                1,
                1,
                f"sources folder {str(folder)!r} does not exist",
                "pass the folder holding the source documents",
            )
        ]
    for loc, cite in citations(data):
        name, quote = cite.get("doc"), cite.get("quote")
        if not isinstance(name, str) or not isinstance(quote, str):
            continue
        if not _within(folder, name):
            out.append(
                doc.problem(
                    (*loc, "doc"),
                    f"source document {name[:100]!r} is outside the sources folder {str(folder)!r}",
                    "name a document inside the sources folder, by its file name there",
                )
            )
            continue
        if name not in texts:
            path = folder / name
            texts[name] = fold(path.read_text(encoding="utf-8")) if path.is_file() else None
        text = texts[name]
        if text is None:
            out.append(
                doc.problem((*loc, "doc"), f"source document {name!r} is not in {str(folder)!r}", "check the file name")
            )
        elif fold(quote) not in text:
            out.append(
                doc.problem(
                    (*loc, "quote"),
                    f"quote not found in {name}: {fold(quote)[:80]!r}",
                    "copy the words exactly from the source",
                )
            )
    return out
