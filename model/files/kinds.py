"""Tell what kind of cpsim file a YAML document is, from its top-level keys.

A folder a policy author keeps may hold procedures, scenarios and behaviour files side by side;
commands sort such a folder by kind instead of failing on the files that are not theirs.

Examples
--------
>>> kind_of({"id": "x", "roles": [], "stages": [], "transitions": []})
'procedure'
>>> kind_of({"extend": "redcar-baseline.yaml", "arrivals": {"rate": 2}})
'scenario'
>>> kind_of({"stages": {"level1": {"p_satisfied": 0.5}}})
'behaviour'
>>> kind_of({"lifecycle": "stoke-conference-lifecycle", "calendar": {}})
'conference'
>>> kind_of(["a list"])
'unknown'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from cpsim.model.errors import FileError
from cpsim.model.files.yaml import read_yaml

__all__ = ["Kind", "file_kind", "kind_of"]

Kind = Literal["procedure", "scenario", "conference", "behaviour", "unknown"]

_PROCEDURE = frozenset({"roles", "transitions", "authority", "sources"})
_SCENARIO = frozenset({"procedures", "extend", "arrivals", "staff", "calendar", "replications"})
_BEHAVIOUR = frozenset({"stages", "hours_per_day"})


def kind_of(data: Any) -> Kind:
    """The kind of file whose top-level data is ``data``: the keys only one kind has decide."""
    if not isinstance(data, dict):
        return "unknown"
    keys = set(data)
    if keys & _PROCEDURE:
        return "procedure"
    if "lifecycle" in keys:  # a conference scenario: a life cycle's caseload (docs/conference-simulation.md)
        return "conference"
    if keys & _SCENARIO:
        return "scenario"
    if "stages" in keys and keys <= _BEHAVIOUR:
        return "behaviour"
    return "unknown"


def file_kind(path: str | Path) -> Kind:
    """The kind of the YAML file at ``path`` (``'unknown'`` when it cannot be read as YAML)."""
    try:
        return kind_of(read_yaml(path).data)
    except FileError:
        return "unknown"
