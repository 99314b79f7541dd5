"""How validation errors in a scenario file are worded where that differs from the other formats.

Only ``headcount`` has wording of its own (a whole number, or ``unlimited``); the rest is shared
(:mod:`cpsim.model.files.pydantic_errors`).
"""

from __future__ import annotations

from cpsim.model.files.pydantic_errors import Detail, ErrorFormat
from cpsim.model.scenario.spec import ScenarioFile

__all__ = ["SCENARIO_ERRORS"]

_HEADCOUNT_KINDS = frozenset({"int_type", "literal_error", "int_from_float", "int_parsing"})


def _headcount(d: Detail) -> tuple[str, str] | None:
    if d.field == "headcount" and d.kind in _HEADCOUNT_KINDS:
        return f"headcount must be a whole number or 'unlimited', got {d.value!r}", "e.g. headcount: 2"
    return None


SCENARIO_ERRORS = ErrorFormat(ScenarioFile, hook=_headcount, guide="docs/scenario-format.md")
"""Errors in scenario files (and in scenario data after a sweep sets a value)."""
