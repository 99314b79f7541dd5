"""Deadlines as BPMN timers: an ISO 8601 duration, and the procedure's own wording beside it.

ISO 8601 has no working days: ``P3D`` is three calendar days. The timer carries the nearest ISO
figure and says, in its name and documentation, that the procedure counts working days, so an engine
with a working-day calendar can set the exact date.

Examples
--------
>>> from cpsim.model.procedure import Duration
>>> iso_duration(Duration(amount=3, unit="working-days")), iso_duration(Duration(amount=24, unit="hours"))
('P3D', 'PT24H')
"""

from __future__ import annotations

from cpsim.model.procedure import Deadline, Duration, Stage
from cpsim.model.types import Unit

__all__ = ["iso_duration", "timer_documentation", "timer_name"]

_ISO = {
    Unit.WORKING_DAYS: "P{}D",
    Unit.CALENDAR_DAYS: "P{}D",
    Unit.WORKING_HOURS: "PT{}H",
    Unit.HOURS: "PT{}H",
    Unit.WEEKS: "P{}W",
    Unit.MONTHS: "P{}M",
}


def iso_duration(d: Duration) -> str:
    """The ISO 8601 duration nearest ``d`` (working days become days, the same day one day).

    >>> from cpsim.model.procedure import Duration
    >>> [iso_duration(Duration(amount=n, unit=u)) for n, u in [(1.5, "working-days"), (2, "weeks"), (0, "same-day")]]
    ['P1.5D', 'P2W', 'P1D']
    """
    if d.unit is Unit.IMMEDIATELY:
        return "PT0S"
    if d.unit is Unit.SAME_DAY:
        return "P1D"
    amount = d.up_to if d.up_to is not None else d.amount
    return _ISO[d.unit].format(f"{amount:g}")


def timer_name(stage: Stage, interrupting: bool) -> str:
    """The words on a stage's timer: 'No reply within 3 working days' or 'Reply due within 3 working days'."""
    assert stage.deadline is not None
    who = "reply" if stage.responder else "outcome"
    if interrupting:
        return f"No {who} {stage.deadline.label}"
    return f"{who.capitalize()} due {stage.deadline.label}"


def _unit_note(d: Duration) -> str:
    if d.unit is Unit.WORKING_DAYS:
        return (
            f"The procedure counts {d.label} (Monday to Friday, less bank holidays); {iso_duration(d)} is "
            f"{d.amount:g} calendar day{'s' if d.amount != 1 else ''}, so an engine needs a working-day "
            "calendar to set the exact due date."
        )
    if d.unit is Unit.WORKING_HOURS:
        return f"The procedure counts {d.label}; {iso_duration(d)} counts clock hours."
    if d.unit is Unit.SAME_DAY:
        return "The procedure says the same day; P1D is the longest that can be."
    return f"The procedure says {d.label}."


def timer_documentation(stage: Stage, deadline: Deadline, interrupting: bool) -> str:
    """What the timer stands for: the deadline in the source's words, its reading, and what follows."""
    d = deadline.duration
    assert d is not None
    parts = [_unit_note(d)]
    if deadline.as_written:
        parts.append(f"As written: '{deadline.as_written}'.")
    if deadline.reading:
        parts.append(f"Reading taken: {' '.join(deadline.reading.split()).rstrip('.')}.")
    if interrupting:
        parts.append("When no reply arrives in time the case moves on (the no-reply route).")
    else:
        note = stage.unspecified.get("no-reply", "The source does not say what happens when the time passes.")
        parts.append(f"The deadline is a target only: the stage goes on. {note}")
    if deadline.source is not None:
        src = deadline.source
        parts.append(f"Source: {src.doc}, {src.ref}: '{src.quote.rstrip('.')}'.")
    return " ".join(parts)
