"""Words for a time or a reply-time distribution written as text where a mapping belongs.

``deadline: 3 days`` or ``reply_time: 2 days`` is the commonest slip in a hand-written file: the
message says exactly what to write instead, reading the phrase when it can be read one way
(``within two working days`` is ``{amount: 2, unit: working-days}``) and saying what must be
decided when it cannot (plain "days" may be working or calendar days).

Examples
--------
>>> read_time("within two working days"), read_time("24 hours")
((2, 'working-days'), (24, 'hours|working-hours'))
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cpsim.model.files.pydantic_errors import Detail

__all__ = ["MAPPING_KINDS", "distribution_words", "duration_words", "is_scalar", "read_time"]

MAPPING_KINDS = frozenset({"model_type", "dict_type", "model_attributes_type"})
_NUMBER_WORDS = dict(
    zip(
        "a an one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty".split(),
        (1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 20, 30),
        strict=True,
    )
)
_DAYS, _HOURS = "working-days|calendar-days", "hours|working-hours"
_MEANS = {"calendar-days": "calendar days", "working-hours": "working hours"}
_UNIT_WORDS = (
    (r"working[ -]days?", "working-days"),
    (r"working[ -]hours?", "working-hours"),
    (r"calendar[ -]days?|clear days?", "calendar-days"),
    (r"clock hours?", "hours"),
    (r"weeks?", "weeks"),
    (r"(?:calendar )?months?", "months"),
    (r"days?", _DAYS),  # working or calendar: the source must be read
    (r"hours?", _HOURS),  # clock or working hours: likewise
)
_UNITS = "working-days, working-hours, calendar-days, hours, weeks, months, same-day, immediately"
_SOURCE = ", source: {doc: …, ref: …, quote: …}"


def is_scalar(value: Any) -> bool:
    """True for text or a number (not true/false): a value an author may have meant as a time."""
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def read_time(text: str) -> tuple[float, str] | None:
    """A time written in words as ``(amount, unit)``; a unit that can be read two ways gives both, first|second.

    >>> read_time("within 2 working days"), read_time("3 days"), read_time("the same day"), read_time("soon")
    ((2, 'working-days'), (3, 'working-days|calendar-days'), (0, 'same-day'), None)
    """
    words = re.sub(r"^(?:within|in|by|after|no later than|up to)\s+", "", text.strip().lower().rstrip(".")).strip()
    if words in ("immediately", "at once", "straight away"):
        return 0, "immediately"
    if words in ("same day", "the same day", "same-day", "on the same day"):
        return 0, "same-day"
    found = re.fullmatch(r"(\d+(?:\.\d+)?|[a-z]+)\s+(.+)", words)
    if found is None:
        return None
    number, rest = found.groups()
    amount = float(number) if number[0].isdigit() else _NUMBER_WORDS.get(number)
    unit = next((u for pattern, u in _UNIT_WORDS if re.fullmatch(pattern, rest)), None)
    if amount is None or unit is None:
        return None
    return (int(amount) if float(amount).is_integer() else amount), unit


def _shown(value: Any) -> str:
    return f"the text {value!r}" if isinstance(value, str) else f"the number {value!r}"


def duration_words(d: Detail, *, sourced: bool, worded: str) -> tuple[str, str]:
    """Message and hint for a time written as ``d.value``.

    ``sourced``: the mapping takes a source; ``worded``: where the source's words and reading go
    ("inside" the mapping, "beside" it, or "" when the file has no place for them).
    """
    read = read_time(d.value) if isinstance(d.value, str) else (d.value, _DAYS)
    src = _SOURCE if sourced else ""
    message = f"{d.where()} must be a mapping, not {_shown(d.value)}"
    if read is None:
        return message, f"write it like {d.field}: {{amount: 3, unit: working-days{src}}}; units: {_UNITS}"
    amount, unit = read
    if unit in ("immediately", "same-day"):
        return message, f"write {d.field}: {{unit: {unit}{src}}}"
    if "|" not in unit:
        return message, f"write {d.field}: {{amount: {amount:g}, unit: {unit}{src}}}"
    first, other = unit.split("|")
    hint = (
        f"write {d.field}: {{amount: {amount:g}, unit: {first}{src}}}, "
        f"or unit: {other} if the source means {_MEANS[other]}"
    )
    if worded and isinstance(d.value, str):
        word = "days" if unit == _DAYS else "hours"
        where = f" beside {d.field}" if worded == "beside" else ""
        hint += f"; '{word}' can be read either way, so add{where} as_written: {d.value!r}, ambiguous: true"
        hint += " and reading: why"
    return message, hint


def distribution_words(d: Detail, guide: str) -> tuple[str, str]:
    """Message and hint for a reply-time distribution written as ``d.value``, pointing at ``guide``."""
    read = read_time(d.value) if isinstance(d.value, str) else (d.value, "working-days")
    message = f"{d.where()} must be a distribution of working days, not {_shown(d.value)}"
    spread = "{dist: triangular, low: 1, mode: 2, high: 4}"
    see = f"; see {guide}" if guide else ""
    if read is not None and read[1] in ("working-days", _DAYS) and read[0] > 0:
        days = f"{read[0]:g} working day" + "s" * (read[0] != 1)
        return (
            message,
            f"write {d.field}: {{dist: fixed, value: {read[0]:g}}} for always {days}, "
            f"or a spread such as {spread}{see}",
        )
    return message, f"times are in working days: write e.g. {d.field}: {spread}, or {{dist: fixed, value: 2}}{see}"
