"""Vocabulary of the procedure format: identifiers, units, stage kinds, endings and outcomes.

Examples
--------
>>> Unit("working-days").label(3)
'3 working days'
>>> default_outcomes(StageKind.REQUEST)
('satisfied', 'unsatisfied', 'no-reply')
"""

from __future__ import annotations

from enum import StrEnum

StageId = str
RoleId = str
OutcomeId = str
WorkingDays = float

__all__ = [
    "OUTCOMES",
    "SKIP_OUTCOMES",
    "Ending",
    "OutcomeId",
    "RoleId",
    "StageId",
    "StageKind",
    "Unit",
    "WorkingDays",
    "default_outcomes",
]


class Unit(StrEnum):
    """Unit of a deadline or time target, as a procedure states it."""

    WORKING_DAYS = "working-days"
    WORKING_HOURS = "working-hours"
    CALENDAR_DAYS = "calendar-days"
    HOURS = "hours"
    IMMEDIATELY = "immediately"

    def label(self, amount: float) -> str:
        """Plain-English rendering of ``amount`` in this unit.

        >>> Unit.HOURS.label(24)
        '24 hours'
        >>> Unit.WORKING_DAYS.label(1)
        '1 working day'
        >>> Unit.IMMEDIATELY.label(0)
        'immediately'
        """
        if self is Unit.IMMEDIATELY:
            return "immediately"
        number = f"{amount:g}"
        noun = self.value.replace("-", " ")
        if amount == 1:
            noun = noun[:-1]
        return f"{number} {noun}"


class StageKind(StrEnum):
    """What happens at a stage."""

    START = "start"
    DIALOGUE = "dialogue"
    REQUEST = "request"
    DECISION = "decision"
    TERMINAL = "terminal"


class Ending(StrEnum):
    """How a case ended at a terminal stage."""

    RESOLVED = "resolved"
    REFERRED_ELSEWHERE = "referred-elsewhere"
    CLOSED_UNRESOLVED = "closed-unresolved"
    DECISION_MADE = "decision-made"


OUTCOMES: dict[OutcomeId, str] = {
    "raised": "the concern is raised and the process begins",
    "resolved": "the matter is resolved by discussion",
    "unresolved": "the matter cannot be resolved by discussion",
    "satisfied": "the reply satisfies the person who asked for it",
    "unsatisfied": "the reply does not satisfy the person who asked for it",
    "no-reply": "no reply arrives by the deadline",
    "serious-concern": "serious concerns emerge (a route that may skip rungs)",
    "repeated-concern": "the concern is a repeat or a pattern (a route that may skip rungs)",
    "immediate-concern": "there are significant immediate safeguarding concerns",
    "urgent": "the matter needs a quick decision",
}
"""Outcomes any stage may use without declaring them. Decision stages declare their own."""

SKIP_OUTCOMES: frozenset[OutcomeId] = frozenset({"serious-concern", "repeated-concern", "immediate-concern", "urgent"})
"""Outcomes that mark exceptional routes (drawn dashed, checked for bypassed rungs)."""

_DEFAULTS: dict[StageKind, tuple[OutcomeId, ...]] = {
    StageKind.REQUEST: ("satisfied", "unsatisfied", "no-reply"),
    StageKind.DIALOGUE: ("resolved", "unresolved"),
    StageKind.START: ("raised",),
    StageKind.DECISION: (),
    StageKind.TERMINAL: (),
}


def default_outcomes(kind: StageKind) -> tuple[OutcomeId, ...]:
    """The outcomes a stage of ``kind`` is expected to handle when it declares none.

    >>> default_outcomes(StageKind.DIALOGUE)
    ('resolved', 'unresolved')
    """
    return _DEFAULTS[kind]
