"""Time bounds of the moves on a route, in working days, for the deadline checks.

A *step* is one stay at a stage followed by one move out of it. Its time lies between ``lo`` and
``hi`` (None when nothing bounds it): a request stage takes up to its reply deadline (exactly the
deadline when the move is on ``no-reply``), and a move takes up to its ``within``.
"""

from __future__ import annotations

from dataclasses import dataclass

from cpsim.model.behaviour import to_working_days
from cpsim.model.procedure.classes import Procedure, Stage, Target, Transition
from cpsim.model.types import StageId, StageKind
from cpsim.verify.checks.walks import Walk, working_days
from cpsim.verify.findings import cite

__all__ = ["Clock", "Step", "clocks", "route_bounds", "step"]


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
    """Bounds on the time of one stay-and-move, and what leaves it unbounded."""

    stage: StageId
    transition: Transition
    stay_lo: float
    stay_hi: float | None
    move_hi: float | None
    untimed: bool

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


def step(procedure: Procedure, t: Transition) -> Step:
    """The time bounds of staying at ``t.from_`` and then taking ``t``."""
    stage = procedure.stage(t.from_)
    lo, hi, untimed = _stay(stage, t.on)
    if t.within is None:
        move: float | None = 0.0
    else:
        move = working_days(t.within)
    return Step(stage.id, t, lo, hi, move, untimed)


def _stay(stage: Stage, outcome: str) -> tuple[float, float | None, bool]:
    if stage.kind is StageKind.START:
        return 0.0, 0.0, False
    if stage.deadline is None:
        if stage.kind is StageKind.REQUEST:
            return 0.0, None, False
        return 0.0, 0.0, True
    d = working_days(stage.deadline)
    if d is None:
        return 0.0, None, False
    return (d if outcome == "no-reply" else 0.0), d, False


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
