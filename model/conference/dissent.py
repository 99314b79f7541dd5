"""Dissent from a conference decision in a conference scenario: who dissents, how often, and the route it takes.

A parent or an agency's representative dissents from a conference's decision with a stated chance
(an assumption: the sources give no figure). Each dissent runs through the procedure the scenario
names for it (for Wakefield, a simulation copy of ``wakefield-conference-dissent``), with its own
behaviour and staff, through the same engine as challenges.

Examples
--------
>>> d = Dissent.model_validate({"parents": {"p_dissent": 0.05, "procedure": "wakefield-conference-dissent"}})
>>> [(who, x.p_dissent) for who, x in d.dissenters()]
[('parents', 0.05)]
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from cpsim.model.conference.base import Frozen
from cpsim.model.scenario.spec import BehaviourSpec, Probability, StaffSpec, Text
from cpsim.model.types import RoleId

__all__ = ["WHO", "Dissent", "Dissenter", "Who"]

Who = Literal["professional", "parents"]
WHO: tuple[Who, ...] = ("professional", "parents")


class Dissenter(Frozen):
    """One kind of dissenter: the chance they dissent from a conference's decision, and the route it takes."""

    p_dissent: Probability = Field(
        description="Chance they dissent from a conference's decision (each conference held; an assumption)."
    )
    procedure: Text = Field(description="The procedure a dissent runs through: a shipped id, or a path.")
    behaviour: BehaviourSpec = Field(default_factory=BehaviourSpec, description="Behaviour on that procedure.")
    staff: dict[RoleId, StaffSpec] = Field(
        default_factory=dict, description="Staff of this route (roles not listed are unlimited)."
    )


class Dissent(Frozen):
    """Dissent from conference decisions: by an agency's representative (``professional``) and by ``parents``."""

    professional: Dissenter | None = Field(default=None, description="An agency representative's dissent.")
    parents: Dissenter | None = Field(default=None, description="Parents' / carers' disagreement with the decision.")

    @model_validator(mode="after")
    def _someone(self) -> Dissent:
        if self.professional is None and self.parents is None:
            raise ValueError("give 'professional', 'parents' or both")
        return self

    def dissenters(self) -> list[tuple[Who, Dissenter]]:
        """The dissenters given, in order (professional, then parents)."""
        return [(w, d) for w in WHO if (d := getattr(self, w)) is not None]
