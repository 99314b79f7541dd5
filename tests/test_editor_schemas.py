"""The JSON Schemas that editors use accept every shipped file and reject malformed ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from cpsim.model import shipped_procedure_paths
from cpsim.model.files.yaml import read_yaml
from cpsim.model.procedure.schema import procedure_schema
from cpsim.model.scenario.classes import shipped_scenario_paths
from cpsim.model.scenario.schema import scenario_schema

MALFORMED = Path(__file__).parent / "malformed"


def plain(path: Path) -> Any:
    """The file's data as JSON would carry it (dates as ISO strings)."""
    return json.loads(json.dumps(read_yaml(path).data, default=lambda o: o.isoformat()))


def errors(schema: dict[str, Any], data: Any) -> list[str]:
    return [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]


@pytest.mark.parametrize("path", shipped_procedure_paths(), ids=lambda p: p.stem)
def test_every_shipped_procedure_satisfies_the_procedure_schema(path: Path):
    assert errors(procedure_schema(), plain(path)) == []


@pytest.mark.parametrize("path", shipped_scenario_paths(), ids=lambda p: p.stem)
def test_every_shipped_scenario_satisfies_the_scenario_schema(path: Path):
    assert errors(scenario_schema(), plain(path)) == []


@pytest.mark.parametrize("name", ["01-unknown-key", "05-wrong-unit", "07-non-numeric-deadline", "09-missing-citation"])
def test_the_procedure_schema_flags_what_the_loader_flags(name: str):
    assert errors(procedure_schema(), plain(MALFORMED / f"{name}.yaml"))


def test_a_scenario_without_extend_must_be_complete_and_one_with_extend_need_not_be():
    base = plain(shipped_scenario_paths()[0])
    assert errors(scenario_schema(), {"id": base["id"]})
    assert errors(scenario_schema(), {"extend": "other.yaml", "id": "x"}) == []
    assert errors(scenario_schema(), {"extend": "other.yaml", "no_such_key": 1})
