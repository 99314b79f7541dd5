"""Scenario inheritance: a scenario may ``extend: other.yaml`` and override only what changes.

The merge is a pure function of plain data (:func:`merge`): mappings merge key by key, at any
depth; anything else in the child (a list, a number, a string) replaces the parent's value whole.
``extend: base.yaml`` names the parent relative to the child's folder; parents may extend in turn.
Every file of the chain must lie inside the folders the first file may read
(:mod:`cpsim.model.scenario.paths`): a parent outside them is refused at its ``extend`` line.
A missing parent, or a chain that comes back to a file already in it, is reported at the
``extend`` line of the file that names it.

:func:`read_scenario_yaml` reads a file and its parents and returns an :class:`ExtendedDoc`:
the merged data, plus a ``problem`` method that locates any later problem in the file of the
chain that wrote the value (the child when it sets it, else the nearest parent that does).

Examples
--------
>>> merge({"a": {"x": 1, "y": 2}, "l": [1, 2]}, {"a": {"y": 3}, "l": [9]})
{'a': {'x': 1, 'y': 3}, 'l': [9]}
>>> merge({"staff": {"sm": {"headcount": 3, "capacity": 1}}}, {"staff": {"sm": {"headcount": 1}}})
{'staff': {'sm': {'headcount': 1, 'capacity': 1}}}
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cpsim.model.errors import FileError, Problem
from cpsim.model.files.table import is_file
from cpsim.model.files.yaml import Loc, YamlDoc, read_yaml
from cpsim.model.scenario.paths import inside, outside_message, roots_for

__all__ = ["EXTEND_KEY", "ExtendedDoc", "merge", "read_scenario_yaml"]

EXTEND_KEY = "extend"


def merge(parent: Any, child: Any) -> Any:
    """``child`` laid over ``parent``: mappings merge recursively, every other value replaces whole.

    Neither argument is changed; the result shares no mutable parts with them.

    >>> merge({"a": 1}, {"b": 2})
    {'a': 1, 'b': 2}
    >>> merge({"a": {"b": 1}}, {"a": None})
    {'a': None}
    """
    if not (isinstance(parent, dict) and isinstance(child, dict)):
        return copy.deepcopy(child)
    out = copy.deepcopy(parent)
    for key, value in child.items():
        out[key] = merge(parent[key], value) if key in parent else copy.deepcopy(value)
    return out


def _depth(data: Any, loc: Loc) -> int:
    """How many leading parts of ``loc`` exist in ``data``."""
    n = 0
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            break
        n += 1
    return n


@dataclass(frozen=True)
class ExtendedDoc:
    """A scenario file merged with the files it extends, able to locate problems in the right one.

    ``docs`` runs from the file named on the command line to its furthest parent.
    """

    docs: tuple[YamlDoc, ...]
    data: Any

    @property
    def path(self) -> str:
        """The file named by the user (the child)."""
        return self.docs[0].path

    @property
    def parents(self) -> tuple[str, ...]:
        """The files this one extends, nearest first."""
        return tuple(d.path for d in self.docs[1:])

    def owner(self, loc: Loc) -> YamlDoc:
        """The file in the chain that wrote the value at ``loc``.

        The nearest file (child first) that sets the whole of ``loc``; when none does (a missing
        key), the file that sets the longest part of it, the child on ties.
        """
        for doc in self.docs:
            if _depth(doc.data, loc) == len(loc):
                return doc
        best, depth = self.docs[0], -1
        for doc in self.docs:
            d = _depth(doc.data, loc)
            if d > depth:
                best, depth = doc, d
        return best

    def problem(self, loc: Loc, message: str, hint: str = "", *, key: bool = False) -> Problem:
        """A :class:`Problem` at ``loc``, in whichever file of the chain set that value."""
        return self.owner(loc).problem(loc, message, hint, key=key)


def read_scenario_yaml(path: str | Path) -> YamlDoc | ExtendedDoc:
    """Read a scenario file and, if it says ``extend: FILE``, every file it extends, merged.

    Returns the plain :class:`~cpsim.model.files.yaml.YamlDoc` when the file extends nothing.

    Raises
    ------
    FileError
        If a file in the chain cannot be read, a parent is missing, or the chain has a cycle.
    """
    docs: list[YamlDoc] = []
    seen: list[Path] = []
    current = Path(path)
    roots = roots_for(current)
    while True:
        doc = read_yaml(current)
        docs.append(doc)
        seen.append(current.resolve())
        ref = doc.data.get(EXTEND_KEY)
        if ref is None:
            break
        current = _parent_path(doc, current, ref, seen, roots)
    if len(docs) == 1:
        return docs[0]
    return ExtendedDoc(tuple(docs), _merged(docs))


def _parent_path(doc: YamlDoc, current: Path, ref: Any, seen: list[Path], roots: tuple[Path, ...]) -> Path:
    if not isinstance(ref, str) or not ref.strip():
        raise FileError([doc.problem((EXTEND_KEY,), "'extend' must name a scenario file", "e.g. extend: base.yaml")])
    parent = current.parent / ref
    if not inside(parent, roots):  # before looking: whether a file exists out there is not told either
        message, hint = outside_message("the scenario this extends,", ref[:100], roots)
        raise FileError([doc.problem((EXTEND_KEY,), message, hint)])
    if not is_file(parent):
        here = sorted(p.name for p in current.parent.glob("*.yaml") if p.resolve() != current.resolve())
        from cpsim.model.errors import did_you_mean

        hint = did_you_mean(ref[:100], here) + " (a path relative to this file)"
        shown = ref if len(ref) <= 60 else ref[:57] + "..."
        raise FileError([doc.problem((EXTEND_KEY,), f"the scenario this extends, {shown!r}, was not found", hint)])
    if parent.resolve() in seen:
        chain = " → ".join(p.name for p in [*seen, parent.resolve()])
        msg = f"'extend' goes round in a circle: {chain}"
        raise FileError(
            [doc.problem((EXTEND_KEY,), msg, "a scenario may not extend itself, directly or through others")]
        )
    return parent


def _merged(docs: list[YamlDoc]) -> dict[str, Any]:
    """Merge from the furthest parent down, rebasing each parent's relative file references on the child."""
    child_dir = Path(docs[0].path).resolve().parent
    data: dict[str, Any] = {}
    for doc in reversed(docs):
        layer = _rebase(doc.data, Path(doc.path).resolve().parent, child_dir)
        layer.pop(EXTEND_KEY, None)
        data = merge(data, layer)
    return data


def _rebase(data: dict[str, Any], here: Path, child_dir: Path) -> dict[str, Any]:
    """``data`` with its file paths (procedures, arrivals; a conference's too) made relative to ``child_dir``."""
    if here == child_dir:
        return dict(data)
    out = copy.deepcopy(data)
    escalation, dissent = out.get("escalation"), out.get("dissent")  # conference scenarios' routes
    routes = list(out.get("procedures") or [])
    routes += list(escalation.get("procedures") or []) if isinstance(escalation, dict) else []
    routes += list(dissent.values()) if isinstance(dissent, dict) else []
    for entry in routes:
        ref = entry.get("procedure") if isinstance(entry, dict) else None
        if isinstance(ref, str) and (ref.endswith((".yaml", ".yml")) or "/" in ref):
            entry["procedure"] = os.path.relpath(here / ref, child_dir)
    for key in ("arrivals", "demand"):
        section = out.get(key)
        if isinstance(section, dict) and isinstance(section.get("file"), str):
            section["file"] = os.path.relpath(here / section["file"], child_dir)
    for key in ("lifecycle", "open_plans"):  # conference scenarios: a life cycle given as a path, the open plans
        ref = out.get(key)
        if isinstance(ref, str) and (key == "open_plans" or ref.endswith((".yaml", ".yml")) or "/" in ref):
            out[key] = os.path.relpath(here / ref, child_dir)
    return out
