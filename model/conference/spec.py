"""The conference scenario format: what a conference scenario file may say, as typed, validated classes.

A conference scenario is told from a challenge scenario by its ``lifecycle`` key
(:func:`cpsim.model.files.kinds.kind_of`). Every figure that does not come from the life-cycle
procedure's milestones is an assumption: the file states it, and it is shown with every result.

Examples
--------
>>> Journeys(plan_share=0.8, plan_months={"dist": "fixed", "value": 9}, endings={"no-longer-at-risk": 1}).plan_share
0.8
>>> Chairs(headcount=4, conferences_per_week=5).time_per_conference_mean
1.0
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator

from cpsim.model.distributions import Distribution, Fixed
from cpsim.model.procedure.classes import Citation, Duration
from cpsim.model.scenario.spec import (
    MONTHS,
    Absence,
    CalendarSpec,
    Headcount,
    Month,
    PoissonArrivals,
    Probability,
    RouteSpec,
    Slug,
    StaffSpec,
    Text,
)
from cpsim.model.types import RoleId

__all__ = [
    "ENDINGS",
    "Attendance",
    "AT_REVIEW",
    "Capacity",
    "Chairs",
    "ConferenceFile",
    "CoreGroupChairs",
    "Ending",
    "Escalation",
    "Journeys",
    "MinuteTakers",
    "Practice",
    "QACheck",
    "Reports",
    "StatedTimescale",
    "TimescaleId",
    "Timescales",
    "TransfersIn",
    "PreBirth",
]

Ending = Literal["no-longer-at-risk", "moved-away", "eighteenth-birthday", "died", "left-uk"]
ENDINGS: tuple[Ending, ...] = ("no-longer-at-risk", "moved-away", "eighteenth-birthday", "died", "left-uk")
AT_REVIEW: frozenset[str] = frozenset({"no-longer-at-risk", "eighteenth-birthday"})
"""Endings decided at a review conference (the others end the plan on the day they happen)."""
TimescaleId = Literal[
    "icpc",
    "review",
    "core-group",
    "minutes",
    "plan-circulated",
    "reconvened",
    "receiving-in",
    "pre-birth",
    "reports-to-chair",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Attendance(_Frozen):
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


class Journeys(_Frozen):
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


class Chairs(_Frozen):
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


class MinuteTakers(_Frozen):
    """Minute takers: each writes up one conference's minutes at a time."""

    headcount: Headcount
    minutes_time: Distribution = Field(description="Working days from starting the minutes to circulating them.")
    absence: Absence = Field(default_factory=Absence)


class CoreGroupChairs(_Frozen):
    """Those who chair core groups (e.g. team managers): one meeting at a time."""

    headcount: Headcount
    meeting_time: Distribution = Field(
        default_factory=lambda: Fixed(value=0.5), description="Working days of a chair's time per core group."
    )
    absence: Absence = Field(default_factory=Absence)


class Capacity(_Frozen):
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


class Practice(_Frozen):
    """When things are planned in practice (assumptions; the rules they are measured against are timescales)."""

    booking_delay: Distribution = Field(
        description="Working days from the strategy discussion until the conference is put to the chairs "
        "(booking form, reports)."
    )
    review_margin: StrictInt = Field(
        default=0, ge=0, description="Working days before a review falls due that it is planned for."
    )
    first_core_group: Distribution = Field(
        description="Working days from the initial conference to the first core group."
    )
    core_group_every: Duration | None = Field(
        default=None, description="How often later core groups are planned; the life cycle's interval if omitted."
    )
    plan_circulated: Distribution = Field(
        default_factory=lambda: Fixed(value=1),
        description="Working days from a conference that makes a plan to the plan being circulated.",
    )

    @model_validator(mode="after")
    def _cadence_in_calendar_units(self) -> Practice:
        every = self.core_group_every
        if every is not None and (every.unit.value not in ("weeks", "calendar-days") or every.is_range):
            raise ValueError("core_group_every is one amount of weeks or calendar-days, e.g. {amount: 4, unit: weeks}")
        return self


class QACheck(_Frozen):
    """One quality assurance check the chair makes before a conference; a failed one raises a challenge."""

    id: Slug
    title: Text
    before: Literal["initial", "review", "both"] = Field(
        default="both", description="Which conferences it is made before."
    )
    p_fail: Probability = Field(description="Chance the check fails (an assumption).")
    source: Citation | None = Field(default=None, description="Where the check is listed (e.g. the IRO QA tool).")


class Reports(_Frozen):
    """Social workers' reports to the chair before initial and review conferences: late or missing with a chance.

    A report on time reaches the chair on its due day; a late one ``late_by`` working days after it
    (rounded up, at least 1); a missing one never. The due day is the life cycle's ``reports-to-chair``
    timescale (or the scenario's stated one) before the day the conference is held.

    >>> Reports(p_late=0.2, late_by={"dist": "fixed", "value": 2}).p_on_time
    0.8
    """

    p_late: Probability = Field(description="Chance a report reaches the chair late (an assumption).")
    p_missing: Probability = Field(default=0.0, description="Chance a report never reaches the chair (an assumption).")
    late_by: Distribution = Field(
        default_factory=lambda: Fixed(value=1),
        description="Working days after its due day that a late report arrives (rounded up, at least 1).",
    )

    @model_validator(mode="after")
    def _shares(self) -> Reports:
        if self.p_late + self.p_missing > 1 + 1e-9:
            raise ValueError(f"p_late and p_missing add up to {self.p_late + self.p_missing:g}, more than 1")
        return self

    @property
    def p_on_time(self) -> float:
        """The chance a report reaches the chair by its due day."""
        return round(1 - self.p_late - self.p_missing, 12)


class StatedTimescale(_Frozen):
    """A timescale the life-cycle procedure does not give, stated by the scenario with why."""

    within: Duration = Field(
        description="The time allowed (for reviews: the first review's; for reports to the chair: "
        "how long before an initial conference)."
    )
    then: Duration | None = Field(
        default=None,
        description="For reviews and core groups: the interval after the first; for reports to the chair: "
        "how long before a review conference.",
    )
    assumption: Text = Field(description="Why this timescale is used, and that the procedure does not give it.")


class Timescales(_Frozen):
    """The timescales a scenario states because its life cycle leaves them unspecified (each with why)."""

    icpc: StatedTimescale | None = None
    review: StatedTimescale | None = None
    core_group: StatedTimescale | None = Field(default=None, alias="core-group")
    minutes: StatedTimescale | None = None
    plan_circulated: StatedTimescale | None = Field(default=None, alias="plan-circulated")
    reconvened: StatedTimescale | None = None
    receiving_in: StatedTimescale | None = Field(default=None, alias="receiving-in")
    pre_birth: StatedTimescale | None = Field(default=None, alias="pre-birth")
    reports_to_chair: StatedTimescale | None = Field(default=None, alias="reports-to-chair")

    def stated(self) -> dict[TimescaleId, StatedTimescale]:
        """The stated ones, by timescale id."""
        ids: tuple[TimescaleId, ...] = get_args(TimescaleId)
        return {i: v for i in ids if (v := getattr(self, i.replace("-", "_"))) is not None}


class TransfersIn(_Frozen):
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


class PreBirth(_Frozen):
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


class Escalation(_Frozen):
    """The escalation procedure(s) a failed check's challenge runs through, with their behaviour and staff.

    The same shape as a challenge scenario's ``procedures`` and ``staff`` (docs/scenario-format.md).
    """

    procedures: tuple[RouteSpec, ...] = Field(min_length=1)
    staff: dict[RoleId, StaffSpec] = Field(default_factory=dict)


class ConferenceFile(_Frozen):
    """A conference scenario file as written."""

    id: Slug
    title: Text
    description: str | None = None
    assumptions: tuple[Text, ...] = Field(default=(), description="Assumptions shown with every result.")
    lifecycle: Text = Field(description="The life-cycle procedure (shipped id or path) whose milestones time it.")
    calendar: CalendarSpec
    demand: PoissonArrivals = Field(
        description="Strategy discussions leading to an initial conference, per working day."
    )
    transfers_in: TransfersIn | None = Field(
        default=None, description="Receiving-in conferences for children moving in."
    )
    pre_birth: PreBirth | None = Field(default=None, description="Pre-birth conferences for unborn children at risk.")
    journeys: Journeys
    capacity: Capacity
    practice: Practice
    timescales: Timescales = Field(
        default_factory=Timescales, description="Timescales the life cycle leaves unspecified, stated as assumptions."
    )
    checks: tuple[QACheck, ...] = Field(default=(), description="QA checks before each conference.")
    reports: Reports | None = Field(
        default=None, description="Social workers' reports to the chair: the chance each is late or missing."
    )
    escalation: Escalation
    open_plans: Text | None = Field(
        default=None, description="CSV of children already on a plan at the start, relative to this file."
    )
    replications: StrictInt = Field(default=10, ge=1)
    seed: StrictInt = Field(default=0, ge=0)
