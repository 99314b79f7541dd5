"""One visit to a stage, as the behaviour contract defines it: which outcomes follow, how likely, how late.

:func:`branches` turns a stage and its :class:`~cpsim.model.behaviour.StageBehaviour` into a list of
:class:`Branch` records: an outcome (or None for "the case never leaves this stage"), its exact
probability, and the measure of the time from entering the stage until the next stage is entered
(the reply or stay time plus the move time). The probabilities come from the distributions'
own distribution functions, so they are exact whatever the lattice; only the times are placed on
the lattice.

Examples
--------
>>> from cpsim.model.behaviour import StageBehaviour
>>> from cpsim.verify.exact.measure import Lattice
>>> lat = Lattice(tick=1, horizon=10, mode="exact")
>>> b = StageBehaviour(reply_time={"dist": "discrete", "values": [1, 4], "probs": [0.5, 0.5]}, p_satisfied=0.8)
>>> [(x.outcome, round(x.probability, 3)) for x in request_branches(b, deadline=2, timer=True, lat=lat)]
[('no-reply', 0.5), ('satisfied', 0.4), ('unsatisfied', 0.1)]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cpsim.model.behaviour import Behaviour, StageBehaviour
from cpsim.model.distributions import Distribution
from cpsim.model.errors import CpsimError
from cpsim.model.procedure.classes import Duration, Procedure, Stage
from cpsim.model.types import OutcomeId, StageKind, WorkingDays
from cpsim.verify.exact.joint import JointTime, joint_time, responder_times
from cpsim.verify.exact.measure import Lattice, convolve, place, point

__all__ = [
    "NO_REPLY",
    "Branch",
    "BehaviourError",
    "branches",
    "deadline_days",
    "exact_days",
    "request_branches",
    "routable",
]

NO_REPLY = "no-reply"


class BehaviourError(CpsimError):
    """A behaviour that does not say enough to analyse the procedure (e.g. a choice with no probabilities)."""


@dataclass(frozen=True)
class Branch:
    """One way a stage visit can end: ``outcome`` (None: never ends), its probability and time measure."""

    outcome: OutcomeId | None
    probability: float
    times: np.ndarray
    reason: str = ""


def deadline_days(stage: Stage, behaviour: Behaviour) -> WorkingDays | None:
    """The stage's reply deadline in working days, or None when it has none (refused without one length)."""
    if stage.deadline is None or stage.deadline.duration is None:
        return None
    return exact_days(stage.deadline.duration, behaviour.hours_per_day, f"the reply deadline at {stage.title}")


def exact_days(duration: Duration, hours_per_day: float, where: str) -> WorkingDays:
    """``duration`` in working days; :class:`BehaviourError` when it has no single working-day length.

    The exact analysis needs one figure: a calendar unit holds a number of working days that
    depends on the dates, and picking its upper bound would be a number cpsim cannot stand behind.
    """
    days = duration.exact_working_days(hours_per_day)
    if days is None:
        raise BehaviourError(
            f"{where} is {duration.label} ({duration.unit.value}), which has no single length in working days: "
            "the exact analysis cannot use it. Give it in working days or working hours, or use 'cpsim simulate', "
            "which counts calendar time on real dates."
        )
    return days


def routable(procedure: Procedure, stage: Stage, behaviour: StageBehaviour) -> set[OutcomeId]:
    """Outcomes of ``stage`` that lead somewhere: a transition, or a next stage the scenario assumes."""
    return {t.on for t in procedure.transitions_from(stage.id)} | set(behaviour.assumed)


def branches(procedure: Procedure, stage: Stage, behaviour: Behaviour, lat: Lattice) -> list[Branch]:
    """Every way one visit to ``stage`` can end, with the time to send (``send_time``) and move times included."""
    sb = behaviour.at(stage.id)
    outs = routable(procedure, stage, sb)
    if stage.kind is StageKind.REQUEST:
        reply = None
        if stage.responders and stage.reply is not None and stage.reply.from_ is not None:  # the latest or earliest
            reply = joint_time(responder_times(stage, sb), first=stage.reply.from_ == "any")
        deadline = deadline_days(stage, behaviour)
        raw = request_branches(sb, deadline=deadline, timer=NO_REPLY in outs, lat=lat, reply=reply)
    else:
        raw = _choice_branches(stage, sb, sorted(outs), lat)
    send = place(sb.send_time, lat) if stage.kind is StageKind.REQUEST and sb.send_time is not None else None
    out = []
    for b in raw:
        move = sb.move_time.get(b.outcome) if b.outcome is not None else None
        times = convolve(b.times, send, lat) if send is not None else b.times  # the request is sent first
        times = convolve(times, place(move, lat), lat) if move is not None else times
        out.append(Branch(b.outcome, b.probability, times, b.reason))
    return out


def request_branches(
    sb: StageBehaviour,
    *,
    deadline: WorkingDays | None,
    timer: bool,
    lat: Lattice,
    reply: Distribution | JointTime | None = None,
) -> list[Branch]:
    """Branches of a request stage: the reply races the deadline when the stage has a no-reply route.

    ``reply`` is a joint reply's time (:mod:`cpsim.verify.exact.joint`); else the stage's ``reply_time``.
    """
    time = reply if reply is not None else sb.reply_time
    replies = 1.0 - sb.p_no_reply
    out: list[Branch] = []
    if timer and deadline is not None:
        in_time = float(time.cdf(deadline))
        p_late = sb.p_no_reply + replies * (1.0 - in_time)
        if p_late > 0:
            out.append(Branch(NO_REPLY, p_late, point(deadline, p_late, lat)))
        replied = place(time, lat, upto=deadline)
    else:
        in_time = 1.0
        replied = place(time, lat)
        if sb.p_no_reply > 0:
            out.append(Branch(None, sb.p_no_reply, np.zeros(0), "no reply ever arrives and no rule says what follows"))
    for outcome, share in (("satisfied", sb.p_satisfied), ("unsatisfied", 1.0 - sb.p_satisfied)):
        p = replies * share
        if p > 0 and in_time > 0:
            out.append(Branch(outcome, p * in_time, replied * p))
    return out


def _choice_branches(stage: Stage, sb: StageBehaviour, outs: list[OutcomeId], lat: Lattice) -> list[Branch]:
    stay = place(sb.stay_time, lat)
    if stage.kind is StageKind.REQUEST or not (sb.choices or outs):
        return [Branch(None, 1.0, np.zeros(0), "the stage has no way out")]
    if sb.choices:
        chosen = [(o, p) for o, p in sb.choices.items() if p > 0]
    elif len(outs) == 1:
        chosen = [(outs[0], 1.0)]
    else:
        raise BehaviourError(
            f"stage {stage.id!r} can end in {', '.join(map(repr, outs))}: the behaviour must give "
            f"'choices' with the probability of each"
        )
    return [Branch(o, p, stay * p) for o, p in chosen]
