"""Procedure files written for the first version of the format load unchanged.

``tests/data/v1/`` holds the shipped procedures exactly as the first version had them. Each is
checked to use none of the keys the format gained since (so the test really is of first-version
files), and to load with its stages, moves and targets as written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from cpsim.model import load_procedure
from cpsim.model.types import Unit

V1 = sorted((Path(__file__).parent / "data" / "v1").glob("*.yaml"))
ADDED_TOP = {"duties", "quorums", "decision_rules", "checklists", "milestones"}
ADDED_STAGE = {"send", "meeting", "responders", "reply"}
ADDED_MOVE = {"repeats_unspecified"}
ADDED_TIMED = {"provisional", "up_to"}
FIRST_UNITS = {
    u.value for u in (Unit.WORKING_DAYS, Unit.WORKING_HOURS, Unit.CALENDAR_DAYS, Unit.HOURS, Unit.IMMEDIATELY)
}


def keys_everywhere(node: Any) -> set[str]:
    if isinstance(node, dict):
        return set(node) | {k for v in node.values() for k in keys_everywhere(v)}
    if isinstance(node, list):
        return {k for v in node for k in keys_everywhere(v)}
    return set()


def units(node: Any) -> set[str]:
    if isinstance(node, dict):
        own = {node["unit"]} if isinstance(node.get("unit"), str) else set()
        return own | {u for v in node.values() for u in units(v)}
    if isinstance(node, list):
        return {u for v in node for u in units(v)}
    return set()


def test_there_are_twelve_first_version_files():
    assert len(V1) == 12


@pytest.mark.parametrize("path", V1, ids=lambda p: p.stem)
def test_a_first_version_file_uses_no_added_key_and_loads_unchanged(path: Path):
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    assert not ADDED_TOP & set(data)
    assert not ADDED_STAGE & {k for s in data["stages"] for k in s}
    assert not ADDED_MOVE & {k for t in data["transitions"] for k in t}
    assert not ADDED_TIMED & keys_everywhere(data)
    assert units(data) <= FIRST_UNITS
    proc = load_procedure(path)
    assert [s.id for s in proc.stages] == [s["id"] for s in data["stages"]]
    assert [(t.from_, t.to, t.on) for t in proc.transitions] == [
        (t["from"], t["to"], t["on"]) for t in data["transitions"]
    ]
    assert [t.id for t in proc.targets] == [t["id"] for t in data.get("targets", [])]
    assert all(s.responders == () and s.send is None and s.meeting is None for s in proc.stages)
