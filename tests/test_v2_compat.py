"""Files in the first format keep loading unchanged: every construct added since is optional."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from cpsim.model import load_procedure, shipped_procedure_paths

ADDED_TOP = ("duties", "quorums", "decision_rules", "checklists")
ADDED_STAGE = ("send", "meeting")
ADDED_MOVE = ("repeats_unspecified",)


def first_format(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without any key the format gained with duties, meetings, times to send and rules."""
    out = {k: v for k, v in data.items() if k not in ADDED_TOP}
    out["stages"] = [{k: v for k, v in s.items() if k not in ADDED_STAGE} for s in data["stages"]]
    out["transitions"] = [{k: v for k, v in t.items() if k not in ADDED_MOVE} for t in data["transitions"]]
    return out


@pytest.mark.parametrize("path", shipped_procedure_paths(), ids=lambda p: p.stem)
def test_a_shipped_file_without_the_added_keys_still_loads(tmp_path: Path, path: Path):
    yaml = YAML(typ="safe")
    old = first_format(yaml.load(path.read_text(encoding="utf-8")))
    copy = tmp_path / path.name
    with copy.open("w", encoding="utf-8") as fh:
        yaml.dump(old, fh)
    proc = load_procedure(copy)
    assert proc.duties == () and proc.quorums == () and all(s.send is None and s.meeting is None for s in proc.stages)


def test_the_minimal_first_format_example_loads_unchanged():
    proc = load_procedure(Path(__file__).parent / "data" / "minimal.yaml")
    assert proc.id == "minimal" and proc.duties == () and proc.checklists == ()
