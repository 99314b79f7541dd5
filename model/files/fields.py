"""Walk a pydantic model's field types: which model applies at a place in a file's data.

Used to name the keys allowed where an unknown key was written, and to recognise the tags of
discriminated unions that pydantic puts into error locations.

Examples
--------
>>> from cpsim.model.behaviour import Behaviour
>>> model_at(Behaviour, {"stages": {"level1": {"reply_time": {"dist": "fixed"}}}}, ("stages", "level1", "reply_time"))
<class 'cpsim.model.distributions.Fixed'>
>>> sorted(union_tags(Behaviour))[:3]
['discrete', 'exponential', 'fixed']
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from cpsim.model.files.yaml import Loc

__all__ = ["model_at", "union_tags"]


# --- walking the model's field types -------------------------------------------------------------


def _unwrap(tp: Any) -> tuple[Any, str | None]:
    """``tp`` without ``Annotated`` and ``None`` options, and the discriminator the annotation names."""
    disc: str | None = None
    while True:
        if typing.get_origin(tp) is typing.Annotated:
            for meta in tp.__metadata__:
                if isinstance(meta, FieldInfo) and isinstance(meta.discriminator, str):
                    disc = meta.discriminator
            tp = tp.__origin__
        elif _is_union(tp) and sum(a is not type(None) for a in typing.get_args(tp)) == 1:
            tp = next(a for a in typing.get_args(tp) if a is not type(None))
        else:
            return tp, disc


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _field_type(info: FieldInfo) -> Any:
    disc = info.discriminator
    if isinstance(disc, str):  # keep the discriminator, which pydantic moves from the annotation to the field
        return typing.Annotated[info.annotation, FieldInfo(discriminator=disc)]
    return info.annotation


def _resolve(tp: Any, node: Any) -> Any:
    """The concrete type ``tp`` takes for the value ``node``: a discriminated union's branch by its tag."""
    tp, disc = _unwrap(tp)
    if not _is_union(tp):
        return tp
    models = [a for a in typing.get_args(tp) if _is_model(a)]
    if disc is None:
        return models[0] if len(models) == 1 else None
    tag = node.get(disc) if isinstance(node, dict) else None
    return next((m for m in models if tag in _literals(m.model_fields.get(disc))), None)


def _literals(info: FieldInfo | None) -> tuple[Any, ...]:
    tp = _unwrap(info.annotation)[0] if info is not None else None
    return typing.get_args(tp) if typing.get_origin(tp) is Literal else ()


def _step(tp: Any, part: str | int) -> Any:
    """The type of item ``part`` of a value of (resolved) type ``tp``; None when unknown."""
    if _is_model(tp):
        fields = tp.model_fields
        name = next((n for n, f in fields.items() if part in (n, f.alias)), None)
        return _field_type(fields[name]) if name is not None else None
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (tuple, list) and isinstance(part, int) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def model_at(root: type[BaseModel], data: Any, loc: Loc) -> type[BaseModel] | None:
    """The model whose keys are allowed at ``loc`` in ``data`` (None when it is not a model)."""
    tp: Any = root
    node = data
    for part in loc:
        tp = _step(_resolve(tp, node), part)
        if tp is None:
            return None
        node = _child(node, part)
    found = _resolve(tp, node)
    return found if _is_model(found) else None


def _child(node: Any, part: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


def union_tags(root: type[BaseModel]) -> frozenset[str]:
    """Every tag of a discriminated union anywhere in ``root`` (pydantic puts them in error locations)."""
    return frozenset(_tags(root, set()))


def _tags(tp: Any, seen: set[type[BaseModel]]) -> Iterator[str]:
    tp, disc = _unwrap(tp)
    if _is_model(tp):
        if tp in seen:
            return
        seen.add(tp)
        for info in tp.model_fields.values():
            yield from _tags(_field_type(info), seen)
        return
    args = typing.get_args(tp)
    if disc is not None:
        for branch in args:
            yield from (str(t) for t in _literals(branch.model_fields.get(disc)) if _is_model(branch))
    for arg in args:
        yield from _tags(arg, seen)
