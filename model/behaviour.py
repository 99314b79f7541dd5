"""How the people in a procedure behave: the data both the exact analysis and the simulator consume.

A :class:`Behaviour` gives, per stage, how long a reply takes and which outcome follows. It is
part of a scenario; the exact contention-free analysis (``verify``) and the caseload simulator
(``simulate``) must give the same meaning to it. That meaning, for one visit to a stage, is:

**Request stage** with reply deadline ``D`` (working days; None when unspecified):

1. With probability ``p_no_reply`` the responder never replies; otherwise the reply arrives
   ``reply_time`` working days after the stage is entered.
2. If the stage has a ``no-reply`` transition and ``D`` is given, a timer races the reply: when
   there is no reply, or the reply time exceeds ``D``, the case takes the ``no-reply`` transition at
   time ``D`` (and the late reply is discarded). Otherwise, at the reply time, the outcome is
   ``satisfied`` with probability ``p_satisfied``, else ``unsatisfied``.
3. If the stage has no ``no-reply`` transition, the case waits for the reply whenever it comes
   (a reply later than ``D`` counts as a breach of that rung's deadline); ``p_no_reply`` must then
   be 0, because nothing in the procedure says what happens next.

**Time to send** (``send_time``, on a request stage whose procedure gives ``send:``): when the
stage is entered, its owner (the role who sends the request) works for ``send_time`` working days,
holding a slot if staffed, and only then does the request go: the reply clock, the deadline and
step 1 above start when it is sent. A stage with ``send:`` needs ``send_time`` in a scenario.

**Joint reply** (a request stage with ``responders`` and ``reply: {from: all}`` or ``{from: any}``):
each responder replies after its own ``reply_time`` (``responders: {<role>: {reply_time: ...}}``, else
the stage's), holding a slot of its own pool if it spends time on the reply; the joint reply comes
with the last of them (``all``) or the first (``any``, the others' work then stops), and is timed
against the deadline as one reply is. Steps 1 to 3 apply to the joint reply.

**Start, dialogue and decision stages**: the case stays ``stay_time`` working days, then takes
outcome ``o`` with probability ``choices[o]`` (a stage with one outgoing transition needs no
``choices``).

**Moves**: taking a transition out of the stage with outcome ``o`` takes
``move_time.get(o, 0)`` working days before the next stage is entered.

An outcome with positive probability and no transition is a case that never ends: the
scenario loader rejects it unless the scenario names an ``assumed`` next stage for it, and that
assumption is printed wherever results are shown.

Examples
--------
>>> b = StageBehaviour(reply_time={"dist": "fixed", "value": 1}, p_satisfied=0.8)
>>> b.p_satisfied, b.reply_time.mean
(0.8, 1.0)
>>> to_working_days(Duration(amount=15, unit="working-hours"), hours_per_day=7.5)
2.0
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from cpsim.model.distributions import Distribution, Fixed
from cpsim.model.errors import FileError
from cpsim.model.files.pydantic_errors import ErrorFormat
from cpsim.model.files.yaml import read_yaml
from cpsim.model.procedure.classes import Duration
from cpsim.model.types import OutcomeId, StageId, WorkingDays

__all__ = ["Behaviour", "ResponderBehaviour", "StageBehaviour", "load_behaviour", "to_working_days"]

Probability = Annotated[float, Field(ge=0, le=1)]


class ResponderBehaviour(BaseModel):
    """One responder's behaviour at a joint reply (a request stage with ``responders``)."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    reply_time: Distribution = Field(description="This responder's time to reply, from when the request is sent.")


class StageBehaviour(BaseModel):
    """Behaviour at one stage (see the module docstring for its exact meaning)."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    reply_time: Distribution = Field(default_factory=lambda: Fixed(value=0))
    p_satisfied: Probability = 1.0
    p_no_reply: Probability = 0.0
    stay_time: Distribution = Field(default_factory=lambda: Fixed(value=0))
    choices: dict[OutcomeId, Probability] = Field(default_factory=dict)
    move_time: dict[OutcomeId, Distribution] = Field(default_factory=dict)
    send_time: Distribution | None = Field(
        default=None,
        description="Request stages with 'send': the owner's time to send the request; the reply clock starts then.",
    )
    responders: dict[str, ResponderBehaviour] = Field(
        default_factory=dict,
        description="A joint reply: each responder's own reply_time, by role (others use the stage's reply_time).",
    )
    assumed: dict[OutcomeId, StageId] = Field(
        default_factory=dict,
        description="Next stage assumed for an outcome the procedure leaves unspecified.",
    )
    assumption: str | None = Field(default=None, description="Plain-English statement of what is assumed here.")

    @model_validator(mode="after")
    def _choices_sum_to_one(self) -> StageBehaviour:
        if self.choices and abs(sum(self.choices.values()) - 1) > 1e-9:
            raise ValueError(f"choices must sum to 1 (they sum to {sum(self.choices.values()):g})")
        return self


class Behaviour(BaseModel):
    """Behaviour for every stage of one procedure; stages not listed use :class:`StageBehaviour` defaults."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    stages: dict[StageId, StageBehaviour] = Field(default_factory=dict)
    hours_per_day: Annotated[float, Field(gt=0, le=24)] = 7.5

    def at(self, stage: StageId) -> StageBehaviour:
        """The behaviour at ``stage`` (defaults when not given)."""
        return self.stages.get(stage) or StageBehaviour()


_ERRORS = ErrorFormat(Behaviour, guide="docs/analysis.md")


def load_behaviour(path: str | Path) -> Behaviour:
    """The behaviour in YAML file ``path`` (keys ``stages`` and ``hours_per_day``).

    Raises
    ------
    FileError
        Listing every problem found, each with file, line and column, worded as for the
        ``behaviour`` of a route in a scenario file.
    """
    doc = read_yaml(path)
    data = doc.data
    try:
        return Behaviour.model_validate(data)
    except ValidationError as exc:
        raise FileError(_ERRORS.translate(doc, data, exc)) from None


def to_working_days(duration: Duration, *, hours_per_day: float = 7.5) -> WorkingDays:
    """A duration in working days, the unit every clock in cpsim runs on: exact, or else the most it can be.

    Working days, working hours (divided by ``hours_per_day``) and ``immediately`` (0) have one
    length in working days. Every other unit counts calendar time, so how many working days it
    holds depends on the dates; this gives the most it can hold on any calendar
    (:meth:`cpsim.model.types.Unit.working_days_at_most`: 5 a week, 23 a month, 1 for the same
    day; bank holidays and closures only lower it), and a range's upper end. Anything that needs
    the exact figure uses :meth:`~cpsim.model.procedure.classes.Duration.exact_working_days`
    and refuses a duration that has none.

    >>> to_working_days(Duration(amount=3, unit="working-days"))
    3.0
    >>> to_working_days(Duration(unit="immediately"))
    0.0
    >>> to_working_days(Duration(amount=1, unit="months"))
    23.0
    """
    return duration.working_days_at_most(hours_per_day)
