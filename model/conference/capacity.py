"""Capacity in a conference scenario: chairs, minute takers and core group chairs, each one piece of work at a time.

Examples
--------
>>> Chairs(headcount=4, conferences_per_week=5).time_per_conference_mean
1.0
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from cpsim.model.conference.base import Frozen
from cpsim.model.distributions import Distribution, Fixed
from cpsim.model.scenario.spec import Absence, Headcount, Probability, StaffSpec

__all__ = ["Capacity", "Chairs", "CoreGroupChairs", "MinuteTakers"]


class Chairs(Frozen):
    """Conference chairs: each holds one conference at a time, preparation included."""

    headcount: Headcount = Field(description="Number of chairs, or 'unlimited'.")
    conferences_per_week: Annotated[float, Field(gt=0)] | None = Field(
        default=None, description="Conferences one chair holds in a week (each takes 5 / this many working days)."
    )
    time_per_conference: Distribution | None = Field(
        default=None, description="Working days of a chair's time per conference, preparation included."
    )
    absence: Absence = Field(default_factory=Absence)
    same_chair: Probability = Field(
        default=0.0,
        description="Share of reviews chaired by the child's previous chair when that chair is free "
        "(the rest go to a free chair at random).",
    )

    @model_validator(mode="after")
    def _one_pace(self) -> Chairs:
        if (self.conferences_per_week is None) == (self.time_per_conference is None):
            raise ValueError("give either 'conferences_per_week' or 'time_per_conference', not both or neither")
        return self

    @property
    def time(self) -> Distribution:
        """The chair's time per conference, in working days."""
        if self.time_per_conference is not None:
            return self.time_per_conference
        return Fixed(value=5 / float(self.conferences_per_week or 1))

    @property
    def time_per_conference_mean(self) -> float:
        """Mean working days of a chair's time per conference."""
        return self.time.mean


class MinuteTakers(Frozen):
    """Minute takers: each writes up one conference's minutes at a time."""

    headcount: Headcount
    minutes_time: Distribution = Field(description="Working days from starting the minutes to circulating them.")
    absence: Absence = Field(default_factory=Absence)


class CoreGroupChairs(Frozen):
    """Those who chair core groups (e.g. team managers): one meeting at a time."""

    headcount: Headcount
    meeting_time: Distribution = Field(
        default_factory=lambda: Fixed(value=0.5), description="Working days of a chair's time per core group."
    )
    absence: Absence = Field(default_factory=Absence)


class Capacity(Frozen):
    """Who does the work that has to wait for someone free."""

    chairs: Chairs
    minute_takers: MinuteTakers
    core_group_chairs: CoreGroupChairs

    def staff(self) -> dict[str, StaffSpec]:
        """The three roles as staff pools (one piece of work at a time per person)."""
        return {
            "chair": StaffSpec(headcount=self.chairs.headcount, absence=self.chairs.absence),
            "minute_taker": StaffSpec(headcount=self.minute_takers.headcount, absence=self.minute_takers.absence),
            "core_group_chair": StaffSpec(
                headcount=self.core_group_chairs.headcount, absence=self.core_group_chairs.absence
            ),
        }
