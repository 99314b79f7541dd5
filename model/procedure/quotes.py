r"""Check that every quote a procedure cites appears in the cited source document.

Quotes are compared with whitespace folded, because the sources were extracted from PDFs.

Examples
--------
>>> fold("resolved  within\n five")
'resolved within five'
"""

from __future__ import annotations

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
