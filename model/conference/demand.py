"""Demand in a conference scenario besides strategy discussions: children moving in, and unborn children at risk.

Examples
--------
>>> delay = {"dist": "fixed", "value": 5}
>>> TransfersIn(rate=0.1, plan_share=0.9, booking_delay=delay, monthly_factors={"august": 0.5}).factor(8)
0.5
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag

from cpsim.model.conference.base import Frozen
from cpsim.model.distributions import Distribution
from cpsim.model.scenario.spec import MONTHS, Month, PoissonArrivals, Probability, Text

__all__ = ["Demand", "PreBirth", "ReplayedDemand", "TransfersIn"]


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


class ReplayedDemand(Frozen):
    """Strategy discussions leading to an initial conference on the dates listed in a CSV file (column ``date``)."""

    kind: Literal["replay"] = Field(description="Replay the dates of a file instead of drawing them at random.")
    file: Text = Field(description="CSV file with a 'date' column, relative to the scenario file.")


def _demand_kind(value: Any) -> str:
    kind = value.get("kind", "poisson") if isinstance(value, dict) else getattr(value, "kind", "poisson")
    return "replay" if kind == "replay" else "poisson"


Demand = Annotated[
    Annotated[PoissonArrivals, Tag("poisson")] | Annotated[ReplayedDemand, Tag("replay")],
    Discriminator(_demand_kind),
]
"""Strategy discussions: a Poisson rate (``kind: poisson`` or no ``kind``), or replayed dates (``kind: replay``)."""
