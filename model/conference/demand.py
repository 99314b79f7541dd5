"""Demand in a conference scenario besides strategy discussions: children moving in, and unborn children at risk.

Examples
--------
>>> delay = {"dist": "fixed", "value": 5}
>>> TransfersIn(rate=0.1, plan_share=0.9, booking_delay=delay, monthly_factors={"august": 0.5}).factor(8)
0.5
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from cpsim.model.conference.base import Frozen
from cpsim.model.distributions import Distribution
from cpsim.model.scenario.spec import MONTHS, Month, Probability

__all__ = ["PreBirth", "TransfersIn"]


class TransfersIn(Frozen):
    """Children on another authority's plan moving in for good: decisions to hold a receiving-in conference."""

    rate: Annotated[float, Field(gt=0)] = Field(
        description="Decisions to hold a receiving-in conference per working day."
    )
    monthly_factors: dict[Month, Annotated[float, Field(ge=0)]] = Field(default_factory=dict)
    plan_share: Probability = Field(description="Share of receiving-in conferences that keep the child on a plan.")
    booking_delay: Distribution = Field(
        description="Working days from the decision until the conference is put to the chairs."
    )

    def factor(self, month: int) -> float:
        """The factor for calendar month ``month`` (1 = January)."""
        return float(self.monthly_factors.get(MONTHS[month - 1], 1.0))


class PreBirth(Frozen):
    """Unborn children found at risk of significant harm: decisions to convene a pre-birth conference."""

    rate: Annotated[float, Field(gt=0)] = Field(
        description="Decisions to convene a pre-birth conference per working day."
    )
    monthly_factors: dict[Month, Annotated[float, Field(ge=0)]] = Field(default_factory=dict)
    gestation_weeks: Distribution = Field(description="Weeks of gestation when the conference is decided on.")
    plan_share: Probability = Field(description="Share of pre-birth conferences that make the child subject to a plan.")

    def factor(self, month: int) -> float:
        """The factor for calendar month ``month`` (1 = January)."""
        return float(self.monthly_factors.get(MONTHS[month - 1], 1.0))
