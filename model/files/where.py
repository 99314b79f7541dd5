"""Name a place in a procedure or scenario file the way its author would: "stage 'level1'"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

_SINGULAR = {
    "stages": "stage",
    "roles": "role",
    "targets": "target",
    "sources": "source",
    "timescales": "timescale",
    "milestones": "milestone",
}


def where(data: Any, loc: Sequence[str | int]) -> str:
    """Plain words for ``loc`` in ``data``.

    >>> data = {"stages": [{"id": "raise"}, {"id": "level1"}], "transitions": [{"from": "a", "to": "b"}]}
    >>> where(data, ("stages", 1, "deadline"))
    "stage 'level1', deadline"
    >>> where(data, ("transitions", 0))
    'transition a → b'
    >>> where(data, ())
    'the top level'
    """
    words: list[str] = []
    node = data
    for i, part in enumerate(loc):
        child = _child(node, part)
        if isinstance(part, int):
            section = str(loc[i - 1]) if i else ""
            words[-1:] = [_item_name(section, part, child)]
        else:
            words.append(str(part))
        node = child
    return ", ".join(words) if words else "the top level"


def _child(node: Any, part: str | int) -> Any:
    try:
        return node[part]
    except (KeyError, IndexError, TypeError):
        return None


def _item_name(section: str, index: int, item: Any) -> str:
    if isinstance(item, dict):
        if isinstance(item.get("id"), str):
            return f"{_SINGULAR.get(section, section)} {item['id']!r}"
        if section == "transitions" and "from" in item:
            return f"transition {item.get('from')} → {item.get('to')}"
    return f"{_SINGULAR.get(section, section)} number {index + 1}"
