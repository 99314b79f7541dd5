"""How validation errors in a procedure file are worded where that differs from the other formats.

Procedure files have their own wording for numbers (any number, as amounts may be fractional),
lower bounds and dates (a date may also be ``unspecified``); the rest is shared
(:mod:`cpsim.model.files.pydantic_errors`).
"""

from __future__ import annotations

from cpsim.model.files.pydantic_errors import Detail, ErrorFormat
from cpsim.model.procedure.classes import Procedure

__all__ = ["PROCEDURE_ERRORS"]


def _number(d: Detail) -> tuple[str, str]:
    return f"{d.field} must be a number, got {d.value!r}", "write digits, e.g. 3"


def _lower_bound(d: Detail) -> tuple[str, str]:
    limit = d.ctx.get("ge", d.ctx.get("gt"))
    if limit == 0:
        return f"{d.field} must not be negative, got {d.value!r}", "use a number above 0, e.g. 3"
    return f"{d.field} must be at least {limit}, got {d.value!r}", f"use {limit} or more"


def _date(d: Detail) -> tuple[str, str]:
    return f"{d.field} must be a date like 2019-04-01 or 'unspecified', got {d.value!r}", ""


_DATES = ("date_from_datetime_parsing", "date_parsing", "date_type", "date_from_datetime_inexact")

PROCEDURE_ERRORS = ErrorFormat(
    Procedure,
    wording={
        **dict.fromkeys(("int_type", "float_type", "int_parsing", "float_parsing"), _number),
        **dict.fromkeys(("greater_than_equal", "greater_than"), _lower_bound),
        **dict.fromkeys(_DATES, _date),
    },
    merge_misspelt=True,
    guide="docs/procedure-format.md",
)
"""Errors in procedure files: an unknown key that misspells a required one is reported once."""
