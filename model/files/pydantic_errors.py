"""Rewrite pydantic's validation errors as plain-English, located problems."""

from __future__ import annotations

from difflib import get_close_matches
from typing import Any

from pydantic import BaseModel, ValidationError

from cpsim.model.errors import Problem, did_you_mean
from cpsim.model.files.where import where
from cpsim.model.files.yaml import YamlDoc
from cpsim.model.procedure.classes import (
    Citation,
    Deadline,
    Duration,
    Procedure,
    Record,
    Role,
    SourceDoc,
    Stage,
    Target,
    Timescale,
    Transition,
)

_SECTION_MODELS: dict[str, type[BaseModel]] = {
    "sources": SourceDoc,
    "roles": Role,
    "stages": Stage,
    "transitions": Transition,
    "targets": Target,
    "timescales": Timescale,
}
_FIELD_MODELS: dict[str, type[BaseModel]] = {
    "source": Citation,
    "deadline": Deadline,
    "within": Duration,  # Target.within; Transition.within is resolved below
    "records": Record,
}


def _keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _model_at(loc: tuple[str | int, ...]) -> type[BaseModel]:
    model: type[BaseModel] = Procedure
    for part in loc:
        if isinstance(part, int):
            continue
        if part == "within" and model is Transition:
            model = Deadline
        elif part in _FIELD_MODELS:
            model = _FIELD_MODELS[part]
        elif model is Procedure and part in _SECTION_MODELS:
            model = _SECTION_MODELS[part]
    return model


def _clean_loc(loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """Drop pydantic's union-branch labels (e.g. 'int', 'literal[...]') from a location."""
    keep: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and (
            part.startswith(("literal[", "tuple[", "function-")) or part in {"int", "float", "str", "date"}
        ):
            continue
        keep.append(part)
    return tuple(keep)


def translate(doc: YamlDoc, exc: ValidationError) -> list[Problem]:
    """One :class:`Problem` per distinct pydantic error, worded for a policy author."""
    seen: set[tuple[tuple[str | int, ...], str]] = set()
    problems: list[Problem] = []
    errors = exc.errors(include_url=False)
    renamed = _misspelt_keys(errors)
    for err in errors:
        loc = _clean_loc(tuple(err["loc"]))
        kind = err["type"]
        if (loc, kind) in seen or (loc, "*") in seen or (kind == "missing" and loc in renamed):
            continue
        seen.add((loc, kind))
        problem = _one(doc, loc, kind, err)
        if problem is not None:
            if kind in {"literal_error", "enum", "int_type", "float_type", "date_from_datetime_parsing"}:
                seen.add((loc, "*"))
            problems.append(problem)
    return problems


def _misspelt_keys(errors: list[Any]) -> set[tuple[str | int, ...]]:
    """Locations of missing keys that an unknown key in the same mapping is a misspelling of."""
    out = set()
    for err in errors:
        loc = _clean_loc(tuple(err["loc"]))
        if err["type"] == "extra_forbidden" and loc:
            for near in get_close_matches(str(loc[-1]), _keys(_model_at(loc[:-1])), n=1, cutoff=0.6):
                out.add((*loc[:-1], near))
    return out


def _one(doc: YamlDoc, loc: tuple[str | int, ...], kind: str, err: Any) -> Problem | None:
    value = err.get("input")
    data = doc.data

    def _where(at: tuple[str | int, ...]) -> str:
        return where(data, at)

    field = str(loc[-1]) if loc else ""
    if kind == "extra_forbidden":
        allowed = _keys(_model_at(loc[:-1]))
        return doc.problem(loc, f"unknown key {field!r} in {_where(loc[:-1])}", did_you_mean(field, allowed), key=True)
    if kind == "missing":
        return doc.problem(loc[:-1], f"missing required key {field!r} in {_where(loc[:-1])}", "add it")
    if kind in {"enum", "literal_error"}:
        expected = err.get("ctx", {}).get("expected", "")
        choices = [c.strip().strip("'") for c in expected.replace(" or ", ",").split(",") if c.strip()]
        return doc.problem(loc, f"{value!r} is not a valid {field or 'value'}", did_you_mean(str(value), choices))
    if kind in {"int_type", "float_type", "int_parsing", "float_parsing"}:
        return doc.problem(loc, f"{field} must be a number, got {value!r}", "write digits, e.g. 3")
    if kind in {"greater_than_equal", "greater_than"}:
        limit = err.get("ctx", {}).get("ge", err.get("ctx", {}).get("gt"))
        if limit == 0:
            return doc.problem(loc, f"{field} must not be negative, got {value!r}", "use a number above 0, e.g. 3")
        return doc.problem(loc, f"{field} must be at least {limit}, got {value!r}", f"use {limit} or more")
    if kind == "string_pattern_mismatch":
        return doc.problem(
            loc, f"{value!r} is not a valid id", "use lower-case letters, digits, '-' or '_', starting with a letter"
        )
    if kind == "too_short":
        return doc.problem(loc, f"{_where(loc)} must not be empty", "add at least one entry")
    if kind == "value_error":
        message = str(err.get("msg", "")).removeprefix("Value error, ")
        return doc.problem(loc, f"{_where(loc)}: {message}")
    if kind in {"date_from_datetime_parsing", "date_parsing", "date_type"}:
        return doc.problem(loc, f"{field} must be a date like 2019-04-01 or 'unspecified', got {value!r}")
    if kind in {"model_type", "dict_type"}:
        return doc.problem(loc, f"{_where(loc)} must be a mapping of keys to values, got {type(value).__name__}")
    if kind in {"tuple_type", "list_type"}:
        return doc.problem(loc, f"{_where(loc)} must be a list, got {type(value).__name__}")
    if kind in {"string_type", "bool_type"}:
        want = "text" if kind == "string_type" else "true or false"
        return doc.problem(loc, f"{_where(loc)} must be {want}, got {value!r}")
    return doc.problem(loc, f"{_where(loc)}: {err.get('msg')}")
