"""The JSON Schema of the scenario format, generated from the model classes.

Editors validate and autocomplete a scenario file whose first line is
``# yaml-language-server: $schema=../model/schema/scenario.schema.json``.

Examples
--------
>>> scenario_schema()["title"]
'cpsim scenario'
>>> scenario_schema()["$defs"]["ScenarioFull"]["properties"]["extend"]["type"]
'string'
>>> SCENARIO_SCHEMA_PATH.read_text(encoding="utf-8") == scenario_schema_text()
True
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from cpsim.model.scenario.spec import ScenarioFile

__all__ = ["SCENARIO_SCHEMA_PATH", "extendable_schema", "scenario_schema", "scenario_schema_text"]

SCENARIO_SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schema" / "scenario.schema.json"


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that scenario files satisfy.

    A file with ``extend`` only overrides what changes, so for it no key is required at any depth.
    """
    return extendable_schema(ScenarioFile, name="Scenario", title="cpsim scenario", what="a scenario")


def extendable_schema(model: type[BaseModel], *, name: str, title: str, what: str) -> dict[str, Any]:
    """The JSON Schema of a file format read by ``model`` whose files may ``extend`` another of ``what``.

    A file with ``extend`` only overrides what changes: it is checked against ``<name>Partial``, a
    copy with no key required at any depth; any other file against ``<name>Full``.
    """
    full = model.model_json_schema(by_alias=True)
    defs = full.pop("$defs", {})
    full["properties"]["extend"] = {
        "type": "string",
        "title": "Extend",
        "description": f"Path (relative to this file) of {what} this one builds on; "
        "only the keys given here override it.",
    }
    all_defs = {**defs, **{f"Partial{k}": _partial(v) for k, v in defs.items()}}
    all_defs[f"{name}Full"] = full
    all_defs[f"{name}Partial"] = _partial(full)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://cpsim.invalid/{name.lower()}.schema.json",
        "title": title,
        "$defs": all_defs,
        "if": {"required": ["extend"]},
        "then": {"$ref": f"#/$defs/{name}Partial"},
        "else": {"$ref": f"#/$defs/{name}Full"},
    }


def _partial(node: Any) -> Any:
    """A copy of a schema node with every ``required`` list dropped and refs pointed at partial definitions."""
    if isinstance(node, dict):
        out = {k: _partial(v) for k, v in node.items() if k != "required"}
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            out["$ref"] = "#/$defs/Partial" + ref.removeprefix("#/$defs/")
        return out
    if isinstance(node, list):
        return [_partial(v) for v in node]
    return node


def scenario_schema_text() -> str:
    """The schema as the text checked in at :data:`SCENARIO_SCHEMA_PATH`."""
    return json.dumps(scenario_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # regenerate: python -m cpsim.model.scenario.schema
    SCENARIO_SCHEMA_PATH.write_text(scenario_schema_text(), encoding="utf-8")
