"""The typed, immutable procedure model: what a procedure file means once it is checked.

One procedure is a ladder of stages joined by transitions, each rule cited to its source.
Instances are built only by :func:`model.load_procedure`, which also checks cross-references.

Examples
--------
>>> d = Duration(amount=3, unit="working-days")
>>> d.label
'3 working days'
"""

from __future__ import annotations

import datetime as dt
import weakref
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, StrictFloat, StrictInt, Tag, model_validator

from cpsim.model.types import Ending, OutcomeId, RoleId, StageId, StageKind, Unit, WorkingDays, default_outcomes

__all__ = [
    "Citation",
    "Deadline",
    "Duration",
    "Procedure",
    "Record",
    "Role",
    "SourceDoc",
    "Stage",
    "Target",
    "Timescale",
    "Transition",
]

Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=64)]
Text = Annotated[str, Field(min_length=1)]
Amount = Annotated[StrictInt | StrictFloat, Field(ge=0)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Citation(_Frozen):
    """Where a rule comes from: document file name, section or heading, short verbatim quote."""

    doc: Text = Field(description="File name of the source document, as listed in `sources`.")
    ref: Text = Field(description="Section number or heading in the source.")
    quote: Text = Field(description="Short verbatim quote; whitespace is folded when checked.")


class SourceDoc(_Frozen):
    """A published document the procedure is encoded from."""

    doc: Text = Field(description="File name of the source text.")
    title: Text
    url: str | None = None


class Role(_Frozen):
    """Someone who acts or replies, with a rank in the line of authority."""

    id: Slug
    title: Text
    agency: Text
    rank: StrictInt | None = Field(
        description="Position in the line of authority (1 = practitioner, higher = more senior); "
        "null for roles outside the escalation line, such as the conference chair."
    )
    note: str | None = None
    source: Citation | None = None


class Duration(_Frozen):
    """An amount of time in a stated unit, or a range of it (``amount`` to ``up_to``).

    ``immediately`` and ``same-day`` take no amount; weeks and months take whole numbers and
    are counted on the calendar (:meth:`cpsim.model.types.Unit.add_to`).

    >>> Duration(amount=30, up_to=32, unit="weeks").phrase
    'between 30 and 32 weeks'
    >>> Duration(unit="same-day").working_days_at_most(), Duration(amount=1, unit="months").exact_working_days()
    (1.0, None)
    """

    amount: Amount = 0
    up_to: Amount | None = Field(
        default=None,
        description="Upper end of a range, e.g. 32 in 'between 30 and 32 weeks' (timescales and milestones only).",
    )
    unit: Unit

    @model_validator(mode="after")
    def _amount_fits_unit(self) -> Duration:
        if not self.unit.takes_amount:
            if self.amount != 0 or self.up_to is not None:
                raise ValueError(f"'{self.unit.value}' takes no amount: remove 'amount' or set it to 0")
            return self
        if self.amount <= 0:
            raise ValueError(f"amount must be greater than 0 for {self.unit.value}")
        if self.up_to is not None and self.up_to <= self.amount:
            raise ValueError(f"'up_to' ({self.up_to:g}) must be more than 'amount' ({self.amount:g})")
        part = next((x for x in (self.amount, self.up_to or 0) if x != int(x)), None)
        if self.unit.whole and part is not None:
            raise ValueError(f"{self.unit.value} are counted on the calendar: give a whole number, not {part:g}")
        return self

    @property
    def is_range(self) -> bool:
        """True for a range such as 'between 30 and 32 weeks'."""
        return self.up_to is not None

    @property
    def label(self) -> str:
        """Plain English, e.g. ``'2 working days'``, ``'the same day'`` or ``'30 to 32 weeks'``."""
        return self.unit.label(self.amount, self.up_to)

    @property
    def phrase(self) -> str:
        """The time as a limit, e.g. ``'within 2 working days'``, ``'immediately'``, ``'between 30 and 32 weeks'``."""
        if self.unit is Unit.IMMEDIATELY:
            return self.label
        if self.unit is Unit.SAME_DAY:
            return "on the same day"
        if self.up_to is not None:
            return f"between {self.amount:g} and {self.unit.label(self.up_to)}"
        return f"within {self.label}"

    def working_days_at_most(self, hours_per_day: float = 7.5) -> WorkingDays:
        """The most working days this time can hold on any calendar (the upper end for a range)."""
        return self.unit.working_days_at_most(self.up_to if self.up_to is not None else self.amount, hours_per_day)

    def exact_working_days(self, hours_per_day: float = 7.5) -> WorkingDays | None:
        """The time in working days when that is one figure whatever the dates, else None.

        None for calendar units (calendar days, clock hours, weeks, months, the same day) and for
        ranges: anything that needs an exact figure must refuse those, not pick a bound.
        """
        if not self.unit.exact or self.up_to is not None:
            return None
        return self.working_days_at_most(hours_per_day)

    def due(self, start: dt.date) -> dt.date:
        """The last calendar date this time allows from ``start`` (the upper end for a range).

        Raises ``ValueError`` for units without calendar dates (working days, hours, immediately).
        """
        return self.unit.add_to(start, self.up_to if self.up_to is not None else self.amount)

    def earliest(self, start: dt.date) -> dt.date:
        """The first calendar date a range allows from ``start`` (``start`` itself when it is not a range)."""
        return start if self.up_to is None else self.unit.add_to(start, self.amount)


def _provisional_kind(value: Any) -> str:
    return "citation" if isinstance(value, (dict, Citation)) else "note"


Provisional = Annotated[
    Annotated[Citation, Tag("citation")] | Annotated[Text, Tag("note")], Discriminator(_provisional_kind)
]
"""What makes a rule provisional: a citation of the source's words (a mapping), or a note (text)."""


class _Worded(_Frozen):
    """What a timed rule keeps beside its time: the source's words, the reading taken, and whether it is provisional."""

    as_written: str | None = Field(
        default=None, description="The source's own words for the time, e.g. 'within one day'."
    )
    ambiguous: bool = Field(default=False, description="True when the source's unit can be read more than one way.")
    reading: str | None = Field(
        default=None, description="Which reading the file takes and why (required if ambiguous)."
    )
    provisional: Provisional | None = Field(
        default=None,
        description="Set when the source says the rule may change ('This timescale is currently subject to "
        "review'): a citation of those words, or a note.",
    )

    def _check_reading(self, what: str) -> None:
        if self.ambiguous and not self.reading:
            raise ValueError(f"an ambiguous {what} needs 'reading': which reading the file takes and why")

    @property
    def provisional_text(self) -> str | None:
        """The words that make the rule provisional (the quote, or the note), or None."""
        p = self.provisional
        return p.quote if isinstance(p, Citation) else p


class Deadline(_Worded):
    """A reply deadline or a move's time limit: a duration with its citation, or an explicit ``unspecified`` note."""

    amount: Amount | None = None
    unit: Unit | None = None
    unspecified: str | None = Field(default=None, description="Set (to a note) when the source gives no deadline.")
    source: Citation | None = None

    @model_validator(mode="after")
    def _either_given_or_unspecified(self) -> Deadline:
        if self.unspecified is not None:
            if self.unit is not None or self.amount is not None:
                raise ValueError("a deadline is either given (amount, unit) or 'unspecified', not both")
            return self
        if self.unit is None:
            raise ValueError("a deadline needs 'unit' (or 'unspecified: <note>' if the source gives none)")
        if self.source is None:
            raise ValueError("a given deadline needs 'source' (doc, ref, quote)")
        self._check_reading("deadline")
        Duration(amount=self.amount or 0, unit=self.unit)
        return self

    @property
    def is_specified(self) -> bool:
        """True when the source gives a deadline."""
        return self.unspecified is None

    @property
    def duration(self) -> Duration | None:
        """The deadline as a :class:`Duration`, or None when unspecified."""
        if self.unit is None:
            return None
        return Duration(amount=self.amount or 0, unit=self.unit)

    @property
    def label(self) -> str:
        """Plain English, e.g. ``'within 3 working days'`` or ``'no deadline given'``."""
        d = self.duration
        return "no deadline given" if d is None else d.phrase


class Record(_Frozen):
    """A recording duty at a stage (e.g. a case note on the social care record)."""

    what: Text
    by: RoleId
    source: Citation


from cpsim.model.procedure.joint import JointReply, Responder  # noqa: E402 (built from the classes above)
from cpsim.model.procedure.parallel import Meeting  # noqa: E402


class Stage(_Frozen):
    """One step of the procedure: who acts, who must reply, by when, what is recorded."""

    id: Slug
    kind: StageKind
    title: Text
    owner: RoleId | None = Field(default=None, description="Who acts at this stage.")
    responder: RoleId | None = Field(default=None, description="Who must reply (request stages).")
    responders: tuple[Responder, ...] = Field(
        default=(), description="Request stages: the roles who owe the reply jointly (instead of 'responder')."
    )
    reply: JointReply | None = Field(default=None, description="With 'responders': due from all of them or any one.")
    deadline: Deadline | None = None
    send: Deadline | None = Field(
        default=None, description="Request stages: the owner's time to send the request; the reply deadline follows it."
    )
    meeting: Meeting | None = Field(default=None, description="Dialogue or decision stages: roles who must all meet.")
    outcomes: tuple[Slug, ...] | None = Field(
        default=None, description="Outcomes this stage can have; decision stages must list theirs."
    )
    judgement: str | None = Field(
        default=None, description="Set when the source leaves the choice to someone's judgement."
    )
    ending: Ending | None = Field(default=None, description="Terminal stages: how the case ended.")
    refers_to: str | None = Field(
        default=None, description="Terminal 'referred-elsewhere' stages: the document handed to."
    )
    records: tuple[Record, ...] = ()
    unspecified: dict[str, str] = Field(
        default_factory=dict,
        description="What the source does not say at this stage: keys are 'next-step', "
        "'responder', 'owner' or an outcome; values are notes.",
    )
    notes: str | None = None
    source: Citation

    @property
    def expected_outcomes(self) -> tuple[OutcomeId, ...]:
        """Declared outcomes, else the defaults for this stage's kind."""
        return self.outcomes if self.outcomes is not None else default_outcomes(self.kind)

    @property
    def is_terminal(self) -> bool:
        """True for stages where a case ends."""
        return self.kind is StageKind.TERMINAL


class Transition(_Frozen):
    """A move from one stage to another, fired by an outcome."""

    from_: StageId = Field(alias="from")
    to: StageId
    on: Slug = Field(description="The outcome that fires this transition.")
    guard: str | None = Field(default=None, description="Condition in words, if the source sets one.")
    max_repeats: StrictInt | None = Field(
        default=None, ge=1, description="Bound on how often this transition may fire in one case."
    )
    repeats_unspecified: str | None = Field(
        default=None, description="A note on a loop's move: the source gives no bound on how often it may happen."
    )
    within: Deadline | None = Field(
        default=None,
        description="Time allowed to carry out the move (e.g. escalate within one day), "
        "or 'unspecified' where the source says the move happens but not how soon.",
    )
    skip: bool = Field(default=False, description="An exceptional route that skips rungs.")
    note: str | None = None
    source: Citation


class Target(_Worded):
    """A named time target over part of the route, e.g. resolved within five working days."""

    id: Slug
    title: Text
    from_: StageId = Field(alias="from", description="Stage at which the clock starts.")
    to: Literal["any-terminal"] | tuple[StageId, ...] = Field(
        default="any-terminal", description="Stages at which the clock stops."
    )
    within: Duration
    note: str | None = None
    source: Citation

    @model_validator(mode="after")
    def _reading_given(self) -> Target:
        self._check_reading("target")
        return self


from cpsim.model.procedure.milestones import Milestone, Timescale  # noqa: E402 (built from the classes above)
from cpsim.model.procedure.parallel import Duty  # noqa: E402
from cpsim.model.procedure.rules import Checklist, DecisionRule, Quorum  # noqa: E402

_STAGE_INDEX: dict[int, dict[StageId, Stage]] = {}
"""Each live procedure's stages by id (dropped when the procedure is): verify looks stages up millions of times."""


class Procedure(_Frozen):
    """A whole procedure: metadata, roles, stages, transitions and targets."""

    id: Slug
    title: Text
    authority: Text
    version: Text
    effective_date: dt.date | Literal["unspecified"]
    sources: tuple[SourceDoc, ...] = Field(min_length=1)
    summary: str | None = None
    roles: tuple[Role, ...] = Field(min_length=1)
    stages: tuple[Stage, ...] = Field(min_length=2)
    transitions: tuple[Transition, ...] = Field(min_length=1)
    targets: tuple[Target, ...] = ()
    timescales: tuple[Timescale, ...] = Field(
        default=(), description="Related timescales from the same source, kept for comparison across sources."
    )
    duties: tuple[Duty, ...] = Field(default=(), description="Work that runs alongside the route, and its joins.")
    quorums: tuple[Quorum, ...] = Field(default=(), description="Who must attend a meeting for it to decide.")
    decision_rules: tuple[DecisionRule, ...] = Field(default=(), description="How a meeting reaches its decision.")
    checklists: tuple[Checklist, ...] = Field(default=(), description="Questions answered before an event.")
    milestones: tuple[Milestone, ...] = Field(
        default=(), description="Events of the life cycle (conferences, reports, minutes), each timed from others."
    )
    notes: str | None = None

    def stage(self, stage_id: StageId) -> Stage:
        """The stage with ``stage_id``; KeyError if there is none (looked up by id, not searched)."""
        index = _STAGE_INDEX.get(id(self))
        if index is None:
            index = _STAGE_INDEX[id(self)] = {s.id: s for s in self.stages}
            weakref.finalize(self, _STAGE_INDEX.pop, id(self), None)
        return index[stage_id]

    def role(self, role_id: RoleId) -> Role:
        """The role with ``role_id``; KeyError if there is none."""
        for r in self.roles:
            if r.id == role_id:
                return r
        raise KeyError(role_id)

    @property
    def start(self) -> Stage:
        """The single start stage."""
        return next(s for s in self.stages if s.kind is StageKind.START)

    def transitions_from(self, stage_id: StageId) -> tuple[Transition, ...]:
        """Transitions leaving ``stage_id``, in file order."""
        return tuple(t for t in self.transitions if t.from_ == stage_id)

    def target_stops(self, target: Target) -> tuple[StageId, ...]:
        """The stage ids at which ``target``'s clock stops."""
        if target.to == "any-terminal":
            return tuple(s.id for s in self.stages if s.is_terminal)
        return tuple(target.to)
