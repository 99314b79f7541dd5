"""The JSON Schema of the scenario format, generated from the model classes.

Editors validate and autocomplete a scenario file whose first line is
``# yaml-language-server: $schema=../model/schema/scenario.schema.json``.

Examples
--------
>>> scenario_schema()["title"]
'cpsim scenario'
>>> SCENARIO_SCHEMA_PATH.read_text(encoding="utf-8") == scenario_schema_text()
True
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from model.scenario import ScenarioFile

__all__ = ["SCENARIO_SCHEMA_PATH", "scenario_schema", "scenario_schema_text"]

SCENARIO_SCHEMA_PATH = Path(__file__).parent / "schema" / "scenario.schema.json"


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that scenario files satisfy."""
    schema = ScenarioFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://cpsim.invalid/scenario.schema.json"
    schema["title"] = "cpsim scenario"
    return schema


def scenario_schema_text() -> str:
    """The schema as the text checked in at :data:`SCENARIO_SCHEMA_PATH`."""
    return json.dumps(scenario_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # regenerate: python -m model.scenario_schema
    SCENARIO_SCHEMA_PATH.write_text(scenario_schema_text(), encoding="utf-8")
