"""The JSON Schema of the procedure format, generated from the model classes.

Examples
--------
>>> procedure_schema()["title"]
'cpsim procedure'
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cpsim.model.procedure.classes import Procedure

__all__ = ["SCHEMA_PATH", "procedure_schema", "schema_text"]

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schema" / "procedure.schema.json"


def procedure_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that procedure files satisfy."""
    schema = Procedure.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://cpsim.invalid/procedure.schema.json"
    schema["title"] = "cpsim procedure"
    return schema


def schema_text() -> str:
    """The schema as the text checked in at :data:`SCHEMA_PATH`."""
    return json.dumps(procedure_schema(), indent=2, sort_keys=True) + "\n"
