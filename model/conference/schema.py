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
from cpsim.model.scenario.schema import extendable_schema

__all__ = ["CONFERENCE_SCHEMA_PATH", "conference_schema", "conference_schema_text"]

CONFERENCE_SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schema" / "conference.schema.json"


def conference_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that conference scenario files satisfy.

    A file with ``extend`` (a what-if on a baseline) only overrides what changes, so for it no key
    is required at any depth.
    """
    return extendable_schema(
        ConferenceFile, name="Conference", title="cpsim conference scenario", what="a conference scenario"
    )


def conference_schema_text() -> str:
    """The schema as the text checked in at :data:`CONFERENCE_SCHEMA_PATH`."""
    return json.dumps(conference_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
