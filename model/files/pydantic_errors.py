"""Rewrite pydantic's validation errors as plain-English problems located at FILE:LINE:COL.

One translator serves every file format cpsim reads (procedures, scenarios, behaviour files). An
:class:`ErrorFormat` says what differs between them: the model the file is validated against, how
some errors are worded, and whether an unknown key that misspells a required one also reports the
missing key. Everything else is shared:

- locations are fitted to the data: pydantic's union-branch labels (``'int'``, ``"literal['x']"``,
  ``'function-after[...]'``, and the tags of discriminated unions such as ``'exponential'``) are
  dropped, so a problem is reported where the author wrote the value;
- one problem per place: after a wrong choice or a wrong type, the other branches' complaints
  about the same value are not repeated;
- an unknown key names the nearest allowed key of the model at that place, found by walking the
  model's field types (discriminated unions are resolved by the tag written in the data).

Examples
--------
>>> from pydantic import BaseModel, ConfigDict, ValidationError
>>> from cpsim.model.files.yaml import PlainDoc
>>> class Team(BaseModel):
...     model_config = ConfigDict(extra="forbid")
...     size: int
>>> data = {"sise": 2}
>>> try:
...     Team.model_validate(data)
... except ValidationError as exc:
...     problems = ErrorFormat(Team).translate(PlainDoc("team.yaml"), data, exc)
>>> for p in problems:
...     print(p)
team.yaml:1:1: missing required key 'size' in the top level (add it)
team.yaml:1:1: sise: unknown key 'sise' in the top level (did you mean 'size'?)
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ValidationError

from cpsim.model.errors import Problem, did_you_mean
from cpsim.model.files.fields import model_at, union_tags
from cpsim.model.files.where import where
from cpsim.model.files.written import MAPPING_KINDS, distribution_words, duration_words, is_scalar
from cpsim.model.files.yaml import Loc, Locator

__all__ = ["DEFAULT_WORDING", "Detail", "ErrorFormat", "Wording"]

Place = tuple[str | int, ...]

_LABEL_PREFIXES = ("literal[", "tuple[", "function-")
_LABELS = frozenset({"int", "float", "str", "date"})
# After one of these, other errors at the same place are other union branches saying the same thing.
_SETTLING = frozenset(
    {
        "literal_error",
        "enum",
        "int_type",
        "float_type",
        "date_from_datetime_parsing",
        "date_from_datetime_inexact",
        "union_tag_invalid",
    }
)


@dataclass(frozen=True)
class Detail:
    """One pydantic error, its location fitted to the data it was raised on."""

    data: Any
    loc: Place
    kind: str
    value: Any
    ctx: Mapping[str, Any]
    msg: str

    @property
    def field(self) -> str:
        """The last key of the location ('' at the top level)."""
        return str(self.loc[-1]) if self.loc else ""

    def where(self, loc: Loc | None = None) -> str:
        """Plain words for ``loc`` (default: this error's location), e.g. "stage 'level1', deadline"."""
        return where(self.data, self.loc if loc is None else loc)


Wording = Callable[[Detail], tuple[str, str]]
"""Message and hint for one kind of error, reported at the error's location."""


@dataclass(frozen=True)
class ErrorFormat:
    """How validation errors on one file format become problems.

    Parameters
    ----------
    root
        The model the whole file is validated against.
    wording
        Per error kind, wording that replaces the default one (see :data:`DEFAULT_WORDING`).
    hook
        Tried first on every error: wording for a special case, or None to word it as usual.
    merge_misspelt
        When an unknown key is a misspelling of a missing required key, report only the unknown key.
    guide
        Where the format is documented, for unknown keys at a place where no key list is known.
    """

    root: type[BaseModel]
    wording: Mapping[str, Wording] = field(default_factory=dict)
    hook: Callable[[Detail], tuple[str, str] | None] | None = None
    merge_misspelt: bool = False
    guide: str = ""

    def translate(self, doc: Locator, data: Any, exc: ValidationError) -> list[Problem]:
        """One :class:`Problem` per distinct error in ``exc`` on ``data``, located by ``doc``."""
        seen: set[tuple[Place, str]] = set()
        problems: list[Problem] = []
        details = list(self._details(data, exc))
        renamed = self._misspelt(details) if self.merge_misspelt else set()
        for d in details:
            if _cascade(d):
                continue
            if (d.loc, d.kind) in seen or (d.loc, "*") in seen or (d.kind == "missing" and d.loc in renamed):
                continue
            seen.add((d.loc, d.kind))
            if d.kind in _SETTLING:
                seen.add((d.loc, "*"))
            problems.append(self._problem(doc, d))
        return problems

    @cached_property
    def _tags(self) -> frozenset[str]:
        return union_tags(self.root)

    def _details(self, data: Any, exc: ValidationError) -> Iterator[Detail]:
        for err in exc.errors(include_url=False):
            ctx = err.get("ctx") or {}
            loc = _fit(data, tuple(err["loc"]), self._is_label)
            yield Detail(data, loc, err["type"], err.get("input"), ctx, str(err.get("msg", "")))

    def _is_label(self, part: str | int) -> bool:
        return isinstance(part, str) and (part.startswith(_LABEL_PREFIXES) or part in _LABELS or part in self._tags)

    def keys_at(self, data: Any, loc: Loc) -> list[str] | None:
        """The keys allowed in the mapping at ``loc`` in ``data``, or None when any key would do."""
        model = model_at(self.root, data, loc)
        return None if model is None else [f.alias or name for name, f in model.model_fields.items()]

    def _misspelt(self, details: list[Detail]) -> set[Place]:
        """Locations of missing keys that an unknown key in the same mapping is a misspelling of."""
        out: set[Place] = set()
        for d in details:
            if d.kind == "extra_forbidden" and d.loc:
                allowed = self.keys_at(d.data, d.loc[:-1]) or []
                for near in get_close_matches(d.field, allowed, n=1, cutoff=0.6):
                    out.add((*d.loc[:-1], near))
        return out

    def _problem(self, doc: Locator, d: Detail) -> Problem:
        special = self.hook(d) if self.hook is not None else None
        if special is not None:
            return doc.problem(d.loc, *special)
        if d.kind == "extra_forbidden":
            allowed = self.keys_at(d.data, d.loc[:-1])
            hint = did_you_mean(d.field, allowed) if allowed is not None else f"see {self.guide}"
            return doc.problem(d.loc, f"unknown key {d.field!r} in {d.where(d.loc[:-1])}", hint, key=True)
        if d.kind == "missing":
            return doc.problem(d.loc[:-1], f"missing required key {d.field!r} in {d.where(d.loc[:-1])}", "add it")
        if d.kind == "union_tag_invalid":
            choices = [c.strip().strip("'") for c in str(d.ctx.get("expected_tags", "")).split(",")]
            disc, tag = str(d.ctx.get("discriminator", "kind")).strip("'"), str(d.ctx.get("tag"))
            return doc.problem((*d.loc, disc), f"{tag!r} is not a valid {disc}", did_you_mean(tag, choices))
        if d.kind in MAPPING_KINDS and is_scalar(d.value) and d.loc and isinstance(d.loc[-1], str):
            written = self._written_for(d)
            if written is not None:
                return doc.problem(d.loc, *written)
        wording = self.wording.get(d.kind) or DEFAULT_WORDING.get(d.kind, _plain)
        return doc.problem(d.loc, *wording(d))

    def _written_for(self, d: Detail) -> tuple[str, str] | None:
        """Words for a time or a distribution written as text where a mapping belongs, or None."""
        parent = model_at(self.root, d.data, d.loc[:-1])
        models = _expected_models(parent, d.field)
        if models and all("amount" in m.model_fields and "unit" in m.model_fields for m in models):
            fields = models[0].model_fields
            beside = parent is not None and "ambiguous" in parent.model_fields
            worded = "inside" if "ambiguous" in fields else "beside" if beside else ""
            return duration_words(d, sourced="source" in fields, worded=worded)
        if models and all("dist" in m.model_fields for m in models):
            return distribution_words(d, self.guide)
        return None


def _cascade(d: Detail) -> bool:
    """True for a list reported too short only because an entry failed: the entry's own error is the problem."""
    least = d.ctx.get("min_length")
    return (
        d.kind == "too_short"
        and isinstance(d.value, (list, tuple))
        and isinstance(least, int)
        and (len(d.value) >= least)
    )


def _expected_models(parent: type[BaseModel] | None, name: str) -> list[type[BaseModel]]:
    """The models a field of ``parent`` accepts (every branch of a union), or [] when it takes no model."""
    if parent is None:
        return []
    info = next((f for n, f in parent.model_fields.items() if name in (n, f.alias)), None)
    out: list[type[BaseModel]] = []
    todo: list[Any] = [info.annotation] if info is not None else []
    while todo:
        tp = todo.pop()
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            out.append(tp)
        elif tp is not type(None):
            todo.extend(typing.get_args(tp))
    return out


def _fit(data: Any, loc: tuple[Any, ...], is_label: Callable[[str | int], bool]) -> Place:
    """``loc`` without pydantic's union-branch labels: the parts that exist in ``data``, and a missing last key."""
    keep: list[str | int] = []
    node = data
    for n, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            keep.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            keep.append(part)
            node = node[part]
        elif n == len(loc) - 1 and (isinstance(part, int) or (isinstance(node, dict) and not is_label(part))):
            keep.append(part)
        # else: a union label such as 'int', 'exponential' or 'function-after[...]': dropped
    return tuple(keep)


# --- default wording -------------------------------------------------------------------------------


def _choices(expected: str) -> list[str]:
    return [c.strip().strip("'") for c in expected.replace(" or ", ",").split(",") if c.strip()]


def _choice(d: Detail) -> tuple[str, str]:
    choices = _choices(str(d.ctx.get("expected", "")))
    return f"{d.value!r} is not a valid {d.field or 'value'}", did_you_mean(str(d.value), choices)


def _whole(d: Detail) -> tuple[str, str]:
    return f"{d.field} must be a whole number, got {d.value!r}", "write digits, e.g. 3"


def _number(d: Detail) -> tuple[str, str]:
    return f"{d.field} must be a number, got {d.value!r}", "write digits, e.g. 0.5"


def _finite(d: Detail) -> tuple[str, str]:
    return f"{d.field} must be an ordinary number, got {d.value!r}", "write a number such as 3 or 0.5"


def _too_long(d: Detail) -> tuple[str, str]:
    most = d.ctx.get("max_length")
    return f"{d.where()} is {len(str(d.value))} characters long, more than the {most} allowed", "shorten it"


def _lower_bound(d: Detail) -> tuple[str, str]:
    limit = d.ctx.get("ge", d.ctx.get("gt"))
    word = "at least" if d.kind == "greater_than_equal" else "more than"
    return f"{d.field} must be {word} {limit}, got {d.value!r}", f"use a number {word} {limit}"


def _upper_bound(d: Detail) -> tuple[str, str]:
    limit = d.ctx.get("le", d.ctx.get("lt"))
    hint = "probabilities and shares run from 0 to 1" if limit == 1 else f"use a number up to {limit}"
    return f"{d.field} must be at most {limit}, got {d.value!r}", hint


def _slug(d: Detail) -> tuple[str, str]:
    return f"{d.value!r} is not a valid id", "use lower-case letters, digits, '-' or '_', starting with a letter"


def _empty(d: Detail) -> tuple[str, str]:
    return f"{d.where()} must not be empty", "add at least one entry"


def _invalid(d: Detail) -> tuple[str, str]:
    return f"{d.where()}: {d.msg.removeprefix('Value error, ')}", ""


def _date(d: Detail) -> tuple[str, str]:
    return f"{d.field} must be a date like 2026-01-05, got {d.value!r}", ""


def _time(d: Detail) -> tuple[str, str]:
    return f"{d.field} must be a time like 09:00, got {d.value!r}", "quote it: '09:00'"


def _mapping(d: Detail) -> tuple[str, str]:
    return f"{d.where()} must be a mapping of keys to values, got {type(d.value).__name__}", ""


def _list(d: Detail) -> tuple[str, str]:
    return f"{d.where()} must be a list, got {type(d.value).__name__}", ""


def _text_or_flag(d: Detail) -> tuple[str, str]:
    want = "text" if d.kind == "string_type" else "true or false"
    return f"{d.where()} must be {want}, got {d.value!r}", ""


def _tag_missing(d: Detail) -> tuple[str, str]:
    disc = str(d.ctx.get("discriminator", "kind")).strip("'")
    return f"{d.where()} needs {disc!r}", f"add '{disc}:' saying which kind it is"


def _plain(d: Detail) -> tuple[str, str]:
    return f"{d.where()}: {d.msg}", ""


def _kinds(wording: Wording, *kinds: str) -> dict[str, Wording]:
    return dict.fromkeys(kinds, wording)


DEFAULT_WORDING: Mapping[str, Wording] = {
    **_kinds(_choice, "enum", "literal_error"),
    **_kinds(_whole, "int_type", "int_from_float", "int_parsing"),
    **_kinds(_number, "float_type", "float_parsing"),
    "finite_number": _finite,
    "string_too_long": _too_long,
    **_kinds(_lower_bound, "greater_than_equal", "greater_than"),
    **_kinds(_upper_bound, "less_than_equal", "less_than"),
    "union_tag_not_found": _tag_missing,
    "string_pattern_mismatch": _slug,
    "too_short": _empty,
    "value_error": _invalid,
    **_kinds(_date, "date_from_datetime_parsing", "date_parsing", "date_type", "date_from_datetime_inexact"),
    **_kinds(_time, "time_parsing", "time_type"),
    **_kinds(_mapping, "model_type", "dict_type", "model_attributes_type"),
    **_kinds(_list, "tuple_type", "list_type"),
    **_kinds(_text_or_flag, "string_type", "bool_type"),
}
"""How each kind of error is worded unless a format says otherwise; other kinds: "<where>: <pydantic's message>"."""
