"""Rewrite pydantic's validation errors on a scenario file as located, plain-English problems.

Reuses the wording of :mod:`cpsim.model.files.pydantic_errors` and adds the scenario's own map from sections
to models (for "did you mean" on unknown keys) and a location fitter that drops pydantic's union
labels (``poisson``, ``exponential`` ...) by walking the data.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from cpsim.model.behaviour import StageBehaviour
from cpsim.model.errors import Problem, did_you_mean
from cpsim.model.files.where import where

__all__ = ["translate"]


def _keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _section_models() -> dict[str, type[BaseModel]]:
    from cpsim.model.scenario import classes as s

    return {
        "procedures": s.RouteSpec,
        "behaviour": s.BehaviourSpec,
        "calendar": s.CalendarSpec,
        "closures": s.Closure,
        "staff": s.StaffSpec,
        "absence": s.Absence,
        "periods": s.AbsencePeriod,
    }


def _model_at(data: Any, loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model whose keys are allowed at ``loc`` (a mapping in the data)."""
    from cpsim.model.scenario import classes as s

    model: type[BaseModel] | None = s.ScenarioFile
    sections = _section_models()
    node = data
    parent: str | int | None = None
    for part in loc:
        node = node.get(part) if isinstance(node, dict) else node[part] if isinstance(node, list) else None
        if parent in {"roles", "stages"} and model is s.BehaviourSpec:
            model = StageBehaviour
        elif parent == "staff":
            model = s.StaffSpec
        elif isinstance(part, str) and part in sections:
            model = sections[part] if part != "staff" else None
        elif part == "arrivals":
            kind = node.get("kind") if isinstance(node, dict) else None
            model = s.ReplayArrivals if kind == "replay" else s.PoissonArrivals
        elif isinstance(part, str) and model is StageBehaviour:
            model = None  # inside a distribution: keys depend on 'dist'
        parent = part
    return model


def _fit(data: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """Keep only the parts of ``loc`` that exist in ``data`` (the last part may be missing)."""
    keep: list[str | int] = []
    node = data
    for n, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            keep.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            keep.append(part)
            node = node[part]
        elif n == len(loc) - 1 and (isinstance(node, dict) or isinstance(part, int)):
            keep.append(part)
        # else: a union label such as 'exponential' or 'function-after[...]': dropped
    return tuple(keep)


def translate(doc: Any, data: Any, exc: ValidationError) -> list[Problem]:
    """One :class:`Problem` per distinct error in ``exc``, located in ``doc`` (a YamlDoc or stand-in)."""
    seen: set[tuple[tuple[str | int, ...], str]] = set()
    problems: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = _fit(data, tuple(err["loc"]))
        kind = err["type"]
        if (loc, kind) in seen or (loc, "*") in seen:
            continue
        seen.add((loc, kind))
        if kind in {"literal_error", "enum", "int_type", "float_type", "union_tag_invalid"}:
            seen.add((loc, "*"))
        problems.append(_one(doc, data, loc, kind, err))
    return problems


def _one(doc: Any, data: Any, loc: tuple[str | int, ...], kind: str, err: Any) -> Problem:
    field, value, ctx = (str(loc[-1]) if loc else ""), err.get("input"), err.get("ctx", {})
    if field == "headcount" and kind in {"int_type", "literal_error", "int_from_float", "int_parsing"}:
        return doc.problem(loc, f"headcount must be a whole number or 'unlimited', got {value!r}", "e.g. headcount: 2")
    if kind == "extra_forbidden":
        model = _model_at(data, loc[:-1])
        hint = did_you_mean(field, _keys(model)) if model is not None else "see docs/scenario-format.md"
        return doc.problem(loc, f"unknown key {field!r} in {where(data, loc[:-1])}", hint, key=True)
    if kind == "missing":
        return doc.problem(loc[:-1], f"missing required key {field!r} in {where(data, loc[:-1])}", "add it")
    if kind == "union_tag_invalid":
        choices = [c.strip().strip("'") for c in str(ctx.get("expected_tags", "")).split(",")]
        disc = str(ctx.get("discriminator", "kind")).strip("'")
        return doc.problem(
            (*loc, disc), f"{ctx.get('tag')!r} is not a valid {disc}", did_you_mean(str(ctx.get("tag")), choices)
        )
    if kind == "union_tag_not_found":
        disc = str(ctx.get("discriminator", "kind")).strip("'")
        return doc.problem(loc, f"{where(data, loc)} needs {disc!r}", f"add '{disc}:' saying which kind it is")
    if kind in {"enum", "literal_error"}:
        expected = str(ctx.get("expected", ""))
        choices = [c.strip().strip("'") for c in expected.replace(" or ", ",").split(",") if c.strip()]
        return doc.problem(loc, f"{value!r} is not a valid {field or 'value'}", did_you_mean(str(value), choices))
    return doc.problem(loc, *_plain_message(data, loc, field, kind, value, ctx, err))


def _plain_message(
    data: Any, loc: tuple[str | int, ...], field: str, kind: str, value: Any, ctx: dict[str, Any], err: Any
) -> tuple[str, str]:
    if kind in {"int_type", "int_from_float", "int_parsing"}:
        return f"{field} must be a whole number, got {value!r}", "write digits, e.g. 3"
    if kind in {"float_type", "float_parsing"}:
        return f"{field} must be a number, got {value!r}", "write digits, e.g. 0.5"
    if kind in {"greater_than_equal", "greater_than"}:
        limit = ctx.get("ge", ctx.get("gt"))
        word = "at least" if kind == "greater_than_equal" else "more than"
        return f"{field} must be {word} {limit}, got {value!r}", f"use a number {word} {limit}"
    if kind in {"less_than_equal", "less_than"}:
        limit = ctx.get("le", ctx.get("lt"))
        return f"{field} must be at most {limit}, got {value!r}", "probabilities and shares run from 0 to 1"
    if kind == "string_pattern_mismatch":
        return f"{value!r} is not a valid id", "use lower-case letters, digits, '-' or '_', starting with a letter"
    if kind == "too_short":
        return f"{where(data, loc)} must not be empty", "add at least one entry"
    if kind == "value_error":
        return f"{where(data, loc)}: {str(err.get('msg', '')).removeprefix('Value error, ')}", ""
    if kind in {"date_from_datetime_parsing", "date_parsing", "date_type", "date_from_datetime_inexact"}:
        return f"{field} must be a date like 2026-01-05, got {value!r}", ""
    if kind in {"time_parsing", "time_type"}:
        return f"{field} must be a time like 09:00, got {value!r}", "quote it: '09:00'"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return f"{where(data, loc)} must be a mapping of keys to values, got {type(value).__name__}", ""
    if kind in {"tuple_type", "list_type"}:
        return f"{where(data, loc)} must be a list, got {type(value).__name__}", ""
    if kind in {"string_type", "bool_type"}:
        want = "text" if kind == "string_type" else "true or false"
        return f"{where(data, loc)} must be {want}, got {value!r}", ""
    return f"{where(data, loc)}: {err.get('msg')}", ""
