"""The JSON Schema of the conference scenario format, generated from the model classes.

Editors validate and autocomplete a conference scenario file whose first line is
``# yaml-language-server: $schema=../model/schema/conference.schema.json``; ``cpsim schema --kind
conference`` prints it.

Examples
--------
>>> conference_schema()["title"]
'cpsim conference scenario'
>>> sorted(conference_schema()["$defs"]["ConferenceFull"]["required"])[:3]
['calendar', 'capacity', 'demand']
>>> CONFERENCE_SCHEMA_PATH.read_text(encoding="utf-8") == conference_schema_text()
True
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cpsim.model.conference.spec import ConferenceFile

__all__ = ["CONFERENCE_SCHEMA_PATH", "conference_schema", "conference_schema_text"]

CONFERENCE_SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schema" / "conference.schema.json"


def conference_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that conference scenario files satisfy.

    A file with ``extend`` (a what-if on a baseline) only overrides what changes, so for it no key
    is required at any depth.
    """
    full = ConferenceFile.model_json_schema(by_alias=True)
    defs = full.pop("$defs", {})
    full["properties"]["extend"] = {
        "type": "string",
        "title": "Extend",
        "description": "Path (relative to this file) of a conference scenario this one builds on; "
        "only the keys given here override it.",
    }
    all_defs = {**defs, **{f"Partial{k}": _partial(v) for k, v in defs.items()}}
    all_defs["ConferenceFull"] = full
    all_defs["ConferencePartial"] = _partial(full)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://cpsim.invalid/conference.schema.json",
        "title": "cpsim conference scenario",
        "$defs": all_defs,
        "if": {"required": ["extend"]},
        "then": {"$ref": "#/$defs/ConferencePartial"},
        "else": {"$ref": "#/$defs/ConferenceFull"},
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


def conference_schema_text() -> str:
    """The schema as the text checked in at :data:`CONFERENCE_SCHEMA_PATH`."""
    return json.dumps(conference_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
