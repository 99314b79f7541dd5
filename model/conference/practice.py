"""Practice and behaviour in a conference scenario: when things are planned, the QA checks, reports to the chair.

Examples
--------
>>> Reports(p_late=0.2, late_by={"dist": "fixed", "value": 2}).p_on_time
0.8
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictInt, model_validator

from cpsim.model.conference.base import Frozen
from cpsim.model.distributions import Distribution, Fixed
from cpsim.model.procedure.classes import Citation, Duration
from cpsim.model.scenario.spec import Probability, Slug, Text

__all__ = ["Practice", "QACheck", "Reports"]


class Practice(Frozen):
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


class QACheck(Frozen):
    """One quality assurance check the chair makes before a conference; a failed one raises a challenge."""

    id: Slug
    title: Text
    before: Literal["initial", "review", "both"] = Field(
        default="both", description="Which conferences it is made before."
    )
    p_fail: Probability | None = Field(
        default=None,
        description="Chance the check fails (an assumption); with fails_when_report_late, the chance it fails "
        "when the report was in time (default 0).",
    )
    fails_when_report_late: bool = Field(
        default=False,
        description="The check fails whenever the social worker's report to the chair (reports:) was late or "
        "missing; only initial and review conferences have such a report.",
    )
    source: Citation | None = Field(default=None, description="Where the check is listed (e.g. the IRO QA tool).")

    @model_validator(mode="after")
    def _how_it_fails(self) -> QACheck:
        if self.p_fail is None and not self.fails_when_report_late:
            raise ValueError("give the check's chance of failing, p_fail, or fails_when_report_late: true")
        return self

    @property
    def chance(self) -> float:
        """The chance the check fails on its own draw (besides a late report, when it follows reports)."""
        return self.p_fail or 0.0

    def describe(self) -> str:
        """How the check fails, in words, as the assumptions list it.

        >>> QACheck(id="r", title="Report shared", fails_when_report_late=True).describe()
        'when the report to the chair is late or missing'
        """
        if not self.fails_when_report_late:
            return f"with chance {self.chance:g}"
        also = f", and otherwise with chance {self.chance:g}" if self.chance else ""
        return "when the report to the chair is late or missing" + also


class Reports(Frozen):
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
