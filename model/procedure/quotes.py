r"""Check that every quote a procedure cites appears in the cited source document.

Quotes are compared folded, because the sources were extracted from PDFs and a file is typed on a
keyboard: runs of whitespace (non-breaking spaces too) are one space, and typographic quotes and
dashes are their plain forms (’ is ', “ and ” are ", – and — are -). A quote that is still not found
is pointed at: the source's nearest passage and the first character where the two differ.
A citation names a document inside the sources folder: an absolute path, a ``..`` that climbs
out or a link that points out is refused without reading it, so the check cannot be used to
learn what a file elsewhere holds.

Examples
--------
>>> fold("resolved  within\n five")
'resolved within five'
>>> fold("the chair’s “informal” step – now")
'the chair\'s "informal" step - now'
"""

from __future__ import annotations

import os
import re
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from cpsim.model.errors import Problem
from cpsim.model.files.yaml import YamlDoc
from cpsim.model.procedure.checks import citations

__all__ = ["check_quotes", "fold", "nearest"]


_PLAIN = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′´`", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        "­": None,  # a soft hyphen is invisible
        "…": "...",
    }
)


def fold(text: str) -> str:
    """Typographic quotes, dashes and spaces as their plain forms; every run of whitespace one space, ends trimmed."""
    return re.sub(r"\s+", " ", text.translate(_PLAIN)).strip()


def nearest(quote: str, text: str) -> str:
    """Where ``quote`` (folded) first differs from the passage of ``text`` (folded) most like it.

    >>> nearest("within two days", "respond within one day")
    "differs at character 8: the file has 't', the source has 'o', in “within one day”"
    >>> nearest("zebra", "respond within one day")
    'nothing like it is in the source'
    """
    match = SequenceMatcher(None, text, quote, autojunk=False).find_longest_match(0, len(text), 0, len(quote))
    if match.size < min(8, max(4, len(quote) // 3)):
        return "nothing like it is in the source"
    start = max(match.a - match.b, 0)
    passage = text[start : start + len(quote)]
    at = next((i for i, (x, y) in enumerate(zip(quote, passage, strict=False)) if x != y), len(passage))
    if at == len(quote):
        return "the source has it only split across other words"
    theirs = repr(passage[at]) if at < len(passage) else "nothing more"
    end = start + min(max(len(quote), at + 12), 90) + 20
    shown = text[start:end]
    if end < len(text) and " " in shown[len(quote) // 2 :]:
        shown = shown[: shown.rfind(" ")]  # end at a word
    return f"differs at character {at + 1}: the file has {quote[at]!r}, the source has {theirs}, in “{shown}”"


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
                    f"{nearest(fold(quote), text)}; copy the words exactly from the source",
                )
            )
    return out
