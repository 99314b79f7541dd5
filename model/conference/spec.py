"""The conference scenario format: what a conference scenario file may say, as typed, validated classes.

A conference scenario is told from a challenge scenario by its ``lifecycle`` key
(:func:`cpsim.model.files.kinds.kind_of`). Every figure that does not come from the life-cycle
procedure's milestones is an assumption: the file states it, and it is shown with every result.
:class:`ConferenceFile` is the whole file; its parts are in :mod:`~cpsim.model.conference.journeys`
(children's journeys, quoracy), :mod:`~cpsim.model.conference.capacity` (chairs, minute takers,
core group chairs), :mod:`~cpsim.model.conference.demand` (transfers in, pre-birth),
:mod:`~cpsim.model.conference.practice` (planning, QA checks, reports) and
:mod:`~cpsim.model.conference.timescales` (timescales the scenario states); their names are
importable from here too.

Examples
--------
>>> Journeys(plan_share=0.8, plan_months={"dist": "fixed", "value": 9}, endings={"no-longer-at-risk": 1}).plan_share
0.8
>>> Chairs(headcount=4, conferences_per_week=5).time_per_conference_mean
1.0
"""

from __future__ import annotations

from pydantic import Field, StrictInt, model_validator

from cpsim.model.conference.base import Frozen
from cpsim.model.conference.capacity import Capacity, Chairs, CoreGroupChairs, MinuteTakers
from cpsim.model.conference.demand import Demand, PreBirth, ReplayedDemand, TransfersIn
from cpsim.model.conference.dissent import Dissent, Dissenter
from cpsim.model.conference.journeys import AT_REVIEW, ENDINGS, Attendance, Ending, Journeys, TransfersOut
from cpsim.model.conference.practice import Practice, QACheck, Reports
from cpsim.model.conference.timescales import StatedTimescale, TimescaleId, Timescales
from cpsim.model.scenario.spec import CalendarSpec, RouteSpec, Slug, StaffSpec, Text
from cpsim.model.types import RoleId

__all__ = [
    "ENDINGS",
    "Attendance",
    "AT_REVIEW",
    "Capacity",
    "Chairs",
    "ConferenceFile",
    "CoreGroupChairs",
    "Dissent",
    "Dissenter",
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
    "TransfersOut",
    "PreBirth",
    "ReplayedDemand",
]


class Escalation(Frozen):
    """The escalation procedure(s) a failed check's challenge runs through, with their behaviour and staff.

    The same shape as a challenge scenario's ``procedures`` and ``staff`` (docs/scenario-format.md).
    """

    procedures: tuple[RouteSpec, ...] = Field(min_length=1)
    staff: dict[RoleId, StaffSpec] = Field(default_factory=dict)


class ConferenceFile(Frozen):
    """A conference scenario file as written."""

    id: Slug
    title: Text
    description: str | None = None
    assumptions: tuple[Text, ...] = Field(default=(), description="Assumptions shown with every result.")
    lifecycle: Text = Field(description="The life-cycle procedure (shipped id or path) whose milestones time it.")
    calendar: CalendarSpec
    demand: Demand = Field(
        description="Strategy discussions leading to an initial conference: per working day, or replayed dates."
    )
    transfers_in: TransfersIn | None = Field(
        default=None, description="Receiving-in conferences for children moving in."
    )
    pre_birth: PreBirth | None = Field(default=None, description="Pre-birth conferences for unborn children at risk.")
    transfers_out: TransfersOut | None = Field(
        default=None,
        description="Children who move away: the plan goes on here until the receiving authority's conference "
        "(only where the life cycle describes a transfer out); omitted, a move ends the plan on the day.",
    )
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
    dissent: Dissent | None = Field(
        default=None, description="Dissent from conference decisions, run through the procedure named for it."
    )
    open_plans: Text | None = Field(
        default=None, description="CSV of children already on a plan at the start, relative to this file."
    )
    replications: StrictInt = Field(default=10, ge=1)
    seed: StrictInt = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _reports_for_checks(self) -> ConferenceFile:
        tied = [c.id for c in self.checks if c.fails_when_report_late]
        if tied and self.reports is None:
            raise ValueError(
                f"check(s) {', '.join(tied)} fail when the report to the chair is late, but the file has no "
                "'reports:' saying how often reports are late or missing"
            )
        return self
