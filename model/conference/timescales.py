"""Timescales a conference scenario states because its life cycle leaves them unspecified, each with why.

Examples
--------
>>> t = Timescales.model_validate({"review": {"within": {"amount": 3, "unit": "months"}, "assumption": "statutory"}})
>>> list(t.stated())
['review']
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field

from cpsim.model.conference.base import Frozen
from cpsim.model.procedure.classes import Duration
from cpsim.model.scenario.spec import Text

__all__ = ["StatedTimescale", "TimescaleId", "Timescales"]

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
    "transfer-out",
]
"""Every timescale a conference run measures. ``transfer-out`` (the receiving authority's conference after a
child moves away) is only ever read from the life cycle: a scenario cannot state it."""


class StatedTimescale(Frozen):
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


class Timescales(Frozen):
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
        return {i: v for i in ids if (v := getattr(self, i.replace("-", "_"), None)) is not None}
