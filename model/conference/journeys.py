"""Children's journeys in a conference scenario: a plan or not, its length, why it ends, and quoracy.

Examples
--------
>>> Journeys(plan_share=0.8, plan_months={"dist": "fixed", "value": 9}, endings={"no-longer-at-risk": 1}).plan_share
0.8
>>> sorted(AT_REVIEW)
['eighteenth-birthday', 'no-longer-at-risk']
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictInt, model_validator

from cpsim.model.conference.base import Frozen
from cpsim.model.distributions import Distribution
from cpsim.model.procedure.classes import Citation
from cpsim.model.scenario.spec import Probability

__all__ = ["AT_REVIEW", "ENDINGS", "Attendance", "Ending", "Journeys", "TransfersOut"]

Ending = Literal["no-longer-at-risk", "moved-away", "eighteenth-birthday", "died", "left-uk"]
ENDINGS: tuple[Ending, ...] = ("no-longer-at-risk", "moved-away", "eighteenth-birthday", "died", "left-uk")
AT_REVIEW: frozenset[str] = frozenset({"no-longer-at-risk", "eighteenth-birthday"})
"""Endings decided at a review conference (the others end the plan on the day they happen)."""


class Attendance(Frozen):
    """Quoracy from the agencies present: each invited agency attends with a chance; fewer than ``quorum`` is inquorate.

    When a conference is inquorate the chair decides whether it has enough information to proceed
    (chance ``p_proceed``); otherwise it is not held and is reconvened.
    """

    agencies_invited: StrictInt = Field(ge=1, description="Agencies invited to each conference.")
    p_attend: Probability = Field(description="Chance each invited agency attends (an assumption).")
    quorum: StrictInt = Field(ge=1, description="Agencies that must attend, as the source sets it.")
    p_proceed: Probability = Field(default=0.0, description="Chance the chair proceeds when inquorate.")
    source: Citation = Field(description="Where the source sets the quorum.")

    @model_validator(mode="after")
    def _can_be_quorate(self) -> Attendance:
        never = self.p_attend == 0 or self.agencies_invited < self.quorum
        if never and self.p_proceed == 0:
            raise ValueError("no conference could ever be quorate or proceed, so each would be reconvened forever")
        return self

    def p_inquorate(self) -> float:
        """Chance fewer than ``quorum`` of the invited agencies attend.

        >>> cite = {"doc": "d", "ref": "r", "quote": "q"}
        >>> round(Attendance(agencies_invited=4, p_attend=0.5, quorum=3, source=cite).p_inquorate(), 4)
        0.6875
        """
        from math import comb

        n, p = self.agencies_invited, self.p_attend
        return sum(comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(min(self.quorum, n + 1)))


class Journeys(Frozen):
    """What happens to the children: a plan or not, how long it lasts and why it ends."""

    plan_share: Probability = Field(description="Share of initial conferences that make the child subject to a plan.")
    plan_months: Distribution = Field(description="Length of a plan, in months (30.4375 calendar days each).")
    endings: dict[Ending, Probability] = Field(
        description="Why plans end, as shares adding up to 1; no-longer-at-risk and eighteenth-birthday end "
        "at a review conference, the others on the day they happen."
    )
    inquorate: Annotated[float, Field(ge=0, lt=1)] = Field(
        default=0.0,
        description="Share of conferences not quorate with too little information to proceed, so reconvened.",
    )
    attendance: Attendance | None = Field(
        default=None, description="Quoracy from the agencies present instead of a flat 'inquorate' share."
    )

    @model_validator(mode="after")
    def _endings_add_up(self) -> Journeys:
        if self.attendance is not None and self.inquorate:
            raise ValueError("give either 'inquorate' or 'attendance', not both")
        if abs(sum(self.endings.values()) - 1) > 1e-9:
            raise ValueError(f"the endings' shares must add up to 1 (they add up to {sum(self.endings.values()):g})")
        return self


class TransfersOut(Frozen):
    """A child on a plan here who moves away for good: the plan goes on here until the receiving authority's conference.

    The life cycle gives the receiving authority's timescale (its milestone after ``moved-away``);
    when that authority's conference is held is its own affair, so the time is an assumption.
    ``source`` cites the sending authority's duty until then.
    """

    conference_after: Distribution = Field(
        description="Working days from the move (and its immediate notification) to the receiving authority's "
        "conference, when the plan ends here (an assumption: the receiving authority's timing)."
    )
    source: Citation = Field(
        description="Where the source sets the sending authority's duty until the receiving authority's conference."
    )
