"""Time bounds of the moves on a route, in working days, for the deadline checks.

A *step* is one stay at a stage followed by one move out of it. Its time lies between ``lo`` and
``hi`` (None when nothing bounds it): a request stage takes up to its reply deadline (exactly the
deadline when the move is on ``no-reply``), and a move takes up to its ``within``.

Nothing without a time limit is counted as taking no time. A stage with no deadline (or one the
file declares unspecified) and a move with no ``within`` (or an unspecified one) leave the step
unbounded. The one exception is a move into an ending with no ``within``: reaching an ending is the
case ending on the outcome that leads there, not a further step anyone takes, so it adds no time.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> proc = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
>>> up = next(t for t in proc.transitions if (t.from_, t.on) == ("level1", "unsatisfied"))
>>> s = step(proc, up)
>>> s.stay_hi, s.move_hi, s.hi, unbounded(proc, s)
(1.0, None, None, 'the move from Level 1 — social worker / team manager to Level 2 — service manager has no time limit')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cpsim.model.behaviour import to_working_days
from cpsim.model.procedure.classes import Procedure, Stage, Target, Transition
from cpsim.model.types import StageId, StageKind
from cpsim.verify.checks.walks import Walk, working_days
from cpsim.verify.findings import cite

__all__ = ["Clock", "Step", "clocks", "first_unbounded", "route_bounds", "step", "unbounded"]


@dataclass(frozen=True)
class Clock:
    """A time target: from one stage to the first of some stop stages, within ``days`` working days."""

    id: str
    title: str
    start: StageId
    stops: tuple[StageId, ...]
    days: float
    label: str
    source: dict[str, str] | None


@dataclass(frozen=True)
class Step:
    """Bounds on the time of one stay-and-move, and what leaves it unbounded.

    ``untimed`` marks a dialogue or decision stage with no deadline at all, and ``untimed_move`` a
    move (not into an ending) with no ``within`` at all: the file says nothing about their time,
    where an ``unspecified`` note would say the source is silent.
    """

    stage: StageId
    transition: Transition
    stay_lo: float
    stay_hi: float | None
    move_hi: float | None
    untimed: bool
    untimed_move: bool = False

    @property
    def lo(self) -> float:
        """Least time the step can take."""
        return self.stay_lo

    @property
    def hi(self) -> float | None:
        """Most time the step can take, or None when unbounded."""
        if self.stay_hi is None or self.move_hi is None:
            return None
        return self.stay_hi + self.move_hi

    @property
    def timed_hi(self) -> float:
        """Most time the parts of the step that have a time limit can take (a lower bound on the worst case)."""
        return (self.stay_hi or 0.0) + (self.move_hi or 0.0)


def step(procedure: Procedure, t: Transition) -> Step:
    """The time bounds of staying at ``t.from_`` and then taking ``t``."""
    stage = procedure.stage(t.from_)
    lo, hi, untimed = _stay(stage, t.on)
    move: float | None
    if t.within is not None:
        move, untimed_move = working_days(t.within), False
    elif procedure.stage(t.to).is_terminal:
        move, untimed_move = 0.0, False
    else:
        move, untimed_move = None, True
    return Step(stage.id, t, lo, hi, move, untimed, untimed_move)


def _stay(stage: Stage, outcome: str) -> tuple[float, float | None, bool]:
    if stage.kind is StageKind.START:
        return 0.0, 0.0, False
    if stage.deadline is None:
        return 0.0, None, stage.kind is not StageKind.REQUEST
    d = working_days(stage.deadline)
    if d is None:
        return 0.0, None, False
    return (d if outcome == "no-reply" else 0.0), d, False


def unbounded(procedure: Procedure, s: Step, *, stay: bool = True, move: bool = True) -> str | None:
    """Why ``s`` (its stay, its move, or both) has no upper bound, in words; None when it has one."""
    if stay and s.stay_hi is None:
        stage = procedure.stage(s.stage)
        return f"{stage.title} has no " + ("reply deadline" if stage.kind is StageKind.REQUEST else "time limit")
    if move and s.move_hi is None:
        a, b = procedure.stage(s.transition.from_).title, procedure.stage(s.transition.to).title
        return f"the move from {a} to {b} has no time limit"
    return None


def first_unbounded(procedure: Procedure, steps: Sequence[Step]) -> str | None:
    """Why the first unbounded step of ``steps`` has no upper bound; None when every step has one."""
    return next((why for s in steps if (why := unbounded(procedure, s)) is not None), None)


def route_bounds(procedure: Procedure, walk: Walk) -> tuple[float, float | None]:
    """Best and worst time of ``walk`` (worst None when some step is unbounded)."""
    steps = [step(procedure, t) for t in walk]
    his = [s.hi for s in steps]
    return sum(s.lo for s in steps), (None if any(h is None for h in his) else sum(h for h in his if h is not None))


def clocks(procedure: Procedure, target_days: float | None = None) -> list[Clock]:
    """The procedure's targets as clocks, plus (or replacing) one from the start when ``target_days`` is given."""
    out = [_clock(procedure, t) for t in procedure.targets]
    if target_days is not None:
        start = procedure.start.id
        ends = tuple(s.id for s in procedure.stages if s.is_terminal)
        out = [c for c in out if not (c.start == start and set(c.stops) == set(ends))]
        label = f"{target_days:g} working day" + ("" if target_days == 1 else "s")
        title = f"Any ending within {label} of the start (--target-days)"
        out.append(Clock("target-days", title, start, ends, float(target_days), label, None))
    return out


def _clock(procedure: Procedure, target: Target) -> Clock:
    days = to_working_days(target.within)
    return Clock(
        target.id,
        target.title,
        target.from_,
        procedure.target_stops(target),
        days,
        target.within.label,
        cite(target.source),
    )
