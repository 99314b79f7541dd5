"""The conference scenario JSON Schema: current, written by ``cpsim schema``, accepting every shipped file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from cpsim.model.conference.load import CONFERENCE_SCENARIOS
from cpsim.model.conference.schema import CONFERENCE_SCHEMA_PATH, conference_schema, conference_schema_text
from cpsim.model.files.yaml import read_yaml


def _plain(path: Path) -> Any:
    """The file's data as JSON would carry it (dates as ISO strings)."""
    return json.loads(json.dumps(read_yaml(path).data, default=lambda o: o.isoformat()))


def _errors(data: Any) -> list[str]:
    return [e.message for e in jsonschema.Draft202012Validator(conference_schema()).iter_errors(data)]


def test_the_shipped_conference_schema_is_current() -> None:
    assert CONFERENCE_SCHEMA_PATH.read_text(encoding="utf-8") == conference_schema_text()


@pytest.mark.parametrize("path", sorted(CONFERENCE_SCENARIOS.values()), ids=lambda p: p.stem)
def test_every_shipped_conference_scenario_satisfies_the_schema(path: Path) -> None:
    assert _errors(_plain(path)) == []


def test_the_schema_rejects_what_the_loader_rejects() -> None:
    base = _plain(CONFERENCE_SCENARIOS["wakefield-conference-baseline"])
    assert _errors({**base, "reports": {"p_late": 1.5}})
    assert _errors({**base, "no_such_key": 1})
    chairs = {**base["capacity"]["chairs"], "same_chair": -0.1}
    assert _errors({**base, "capacity": {**base["capacity"], "chairs": chairs}})
    assert _errors({"id": base["id"]})  # a baseline must be complete
    assert _errors({"extend": "baseline.yaml", "capacity": {"chairs": {"headcount": 5}}}) == []


def test_cpsim_schema_prints_and_checks_the_conference_schema() -> None:
    cmd = [sys.executable, "-m", "cpsim", "schema", "--kind", "conference"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0 and out.stdout == conference_schema_text()
    check = subprocess.run([*cmd, "--check"], capture_output=True, text=True, timeout=120, check=False)
    assert check.returncode == 0 and "conference.schema.json: current" in check.stdout
