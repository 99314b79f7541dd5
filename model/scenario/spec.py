"""The scenario file format: what a scenario YAML file may say, as typed, validated classes.

:class:`ScenarioFile` is a file as written (after ``extend`` is merged), before its procedures are
resolved; the loader (:mod:`cpsim.model.scenario.load`) turns it into a
:class:`~cpsim.model.scenario.classes.Scenario`. The layout is documented for authors in
``docs/scenario-format.md``.

Examples
--------
>>> StaffSpec(headcount="unlimited").unlimited
True
>>> PoissonArrivals(rate=1.5, monthly_factors={"december": 0.7}).factor(12)
0.7
"""

from __future__ import annotations

import datetime as dt
import typing
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator, model_validator

from cpsim.model.behaviour import StageBehaviour
from cpsim.model.types import OutcomeId, RoleId, StageId

__all__ = [
    "MONTHS",
    "Month",
    "Absence",
    "AbsencePeriod",
    "Arrivals",
    "BehaviourSpec",
    "CalendarSpec",
    "Closure",
    "Headcount",
    "MAX_CAPACITY",
    "MAX_HEADCOUNT",
    "MAX_REPLAY_ROWS",
    "MAX_WORKING_DAYS",
    "PoissonArrivals",
    "ReplayArrivals",
    "RouteSpec",
    "ScenarioFile",
    "StaffSpec",
]

Probability = Annotated[float, Field(ge=0, le=1)]
Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=64)]
Text = Annotated[str, Field(min_length=1)]
Nation = Literal["england-and-wales", "scotland", "northern-ireland"]
Month = Literal[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
MONTHS: tuple[Month, ...] = typing.get_args(Month)
Headcount = StrictInt | Literal["unlimited"]

MAX_HEADCOUNT = 1_000
"""The most people a role may have: more than any partnership employs in one role (write ``unlimited``)."""
MAX_CAPACITY = 1_000
"""The most challenges one person may handle at once."""
MAX_REPLAY_ROWS = 100_000
"""The most arrivals a replay file may list (decades of a partnership's challenges)."""
MAX_WORKING_DAYS = 25_000
"""The longest horizon or follow-up, in working days (about a hundred years)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False)


class BehaviourSpec(_Frozen):
    """How people behave on one route: defaults per role, then per stage (stage values win key by key)."""

    roles: dict[RoleId, StageBehaviour] = Field(
        default_factory=dict,
        description="Behaviour for every stage where this role replies (request stages) or acts (other stages).",
    )
    stages: dict[StageId, StageBehaviour] = Field(default_factory=dict, description="Behaviour at one stage.")


class RouteSpec(_Frozen):
    """One procedure in the scenario's mix, as written in the file."""

    procedure: Text = Field(description="A shipped procedure id, or a path to a procedure file relative to this file.")
    share: Probability = Field(default=1.0, description="Share of arriving challenges that take this route.")
    flagged: dict[OutcomeId, Probability] = Field(
        default_factory=dict,
        description="Share of this route's challenges that take a skip route from the start stage "
        "(e.g. immediate-concern: 0.05); the rest take the ordinary route.",
    )
    behaviour: BehaviourSpec = Field(default_factory=BehaviourSpec)


class Closure(_Frozen):
    """Days the office is closed (both ends included), e.g. between Christmas and New Year."""

    from_: dt.date = Field(alias="from")
    to: dt.date
    note: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Closure:
        if self.to < self.from_:
            raise ValueError("'to' must not be before 'from'")
        return self


class CalendarSpec(_Frozen):
    """The working-day calendar the clock runs on, and the period simulated."""

    start: dt.date = Field(description="First day of the simulated period.")
    horizon: StrictInt = Field(gt=0, le=MAX_WORKING_DAYS, description="Working days during which challenges arrive.")
    warm_up: StrictInt = Field(
        default=0, ge=0, description="Working days at the start whose challenges are simulated but not counted."
    )
    follow_up: StrictInt = Field(
        default=250,
        ge=0,
        le=MAX_WORKING_DAYS,
        description="Working days after the horizon during which open challenges are followed to their end.",
    )
    nation: Nation = Field(default="england-and-wales", description="Whose bank holidays are closed days.")
    closures: tuple[Closure, ...] = Field(default=(), description="Extra closed days.")
    hours_per_day: Annotated[float, Field(gt=0, le=24)] = Field(default=7.5, description="Working hours in a day.")
    opening: dt.time = Field(default=dt.time(9, 0), description="Time the working day starts (for timestamps).")

    @model_validator(mode="after")
    def _warm_up_fits(self) -> CalendarSpec:
        if self.warm_up >= self.horizon:
            raise ValueError("warm_up must be shorter than horizon")
        return self


class PoissonArrivals(_Frozen):
    """Challenges arrive at random (a Poisson process) at ``rate`` per working day."""

    kind: Literal["poisson"] = "poisson"
    rate: Annotated[float, Field(gt=0)] = Field(description="Mean challenges raised per working day.")
    monthly_factors: dict[Month, Annotated[float, Field(ge=0)]] = Field(
        default_factory=dict,
        description="Multiply the rate in a month (e.g. december: 0.7); months not listed use 1.",
    )

    def factor(self, month: int) -> float:
        """The factor for calendar month ``month`` (1 = January)."""
        return float(self.monthly_factors.get(MONTHS[month - 1], 1.0))


class ReplayArrivals(_Frozen):
    """Challenges arrive on the dates listed in a CSV file (column ``date``; optional ``route``)."""

    kind: Literal["replay"] = "replay"
    file: Text = Field(description="CSV file relative to the scenario file.")


Arrivals = Annotated[PoissonArrivals | ReplayArrivals, Field(discriminator="kind")]


class AbsencePeriod(_Frozen):
    """An explicit absence: ``people`` of the role away from ``from`` to ``to`` (both included)."""

    from_: dt.date = Field(alias="from")
    to: dt.date
    people: StrictInt | None = Field(default=None, ge=1, description="How many are away; all of them if omitted.")
    note: str | None = None


class Absence(_Frozen):
    """Leave and sickness: a share of working days each person is away, and/or explicit periods."""

    share: Probability = Field(default=0.0, description="Share of working days each person is absent.")
    periods: tuple[AbsencePeriod, ...] = ()


def _headcount_schema(schema: dict[str, typing.Any]) -> None:
    """The headcount's range in the JSON Schema (the check itself is :meth:`StaffSpec._headcount_in_range`)."""
    for branch in schema.get("anyOf", []):
        if branch.get("type") == "integer":
            branch.update(minimum=1, maximum=MAX_HEADCOUNT)


class StaffSpec(_Frozen):
    """The people in one role and how much they can take on."""

    headcount: Headcount = Field(description="Number of people, or 'unlimited'.", json_schema_extra=_headcount_schema)
    capacity: StrictInt = Field(
        default=1, ge=1, le=MAX_CAPACITY, description="Open challenges one person handles at once."
    )
    absence: Absence = Field(default_factory=Absence)
    deputy: RoleId | None = Field(
        default=None, description="Role that covers when everyone in this role is away; null: the work waits."
    )

    @field_validator("headcount")
    @classmethod
    def _headcount_in_range(cls, value: Headcount) -> Headcount:
        if isinstance(value, int) and not 1 <= value <= MAX_HEADCOUNT:
            raise ValueError(
                f"must be from 1 to {MAX_HEADCOUNT:,} people, got {value};"
                " for more people, or no limit, write 'headcount: unlimited'"
            )
        return value

    @property
    def unlimited(self) -> bool:
        """True when the role never makes anyone wait."""
        return self.headcount == "unlimited"


class ScenarioFile(_Frozen):
    """A scenario file as written, before procedures are resolved."""

    id: Slug
    title: Text
    description: str | None = None
    assumptions: tuple[Text, ...] = Field(default=(), description="Assumptions shown with every result.")
    procedures: tuple[RouteSpec, ...] = Field(min_length=1)
    calendar: CalendarSpec
    arrivals: Arrivals
    staff: dict[RoleId, StaffSpec] = Field(
        default_factory=dict, description="People per role; roles not listed are unlimited (and say so)."
    )
    replications: StrictInt = Field(default=20, ge=1)
    seed: StrictInt = Field(default=0, ge=0)
