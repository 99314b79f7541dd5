"""How long a request stage's reply can take, for a joint reply owed by several responders too.

One responder replies within the stage's ``deadline``. A joint reply (``responders``, with ``reply:
{from: all}`` or ``{from: any}``) is timed by the rule: under ``all`` the rung lasts until the last
responder's deadline (their own, or else the stage's), under ``any`` until the first; with no rule
for who replies (``reply: {unspecified: ...}``) nothing bounds it, as when the rung ends is not
known, and the words say so. A missing reply can be known at the earliest responder's deadline.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> proc = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
>>> reply_days(proc.stage("level1")), joint_gap(proc, proc.stage("level1"))
(1.0, None)
"""

from __future__ import annotations

from cpsim.model.procedure.classes import Procedure, Stage, Transition
from cpsim.model.procedure.joint import reply_days_at_most, the_repliers
from cpsim.model.types import StageKind
from cpsim.verify.checks.walks import working_days
from cpsim.verify.checks.wording import the_role

__all__ = ["first_deadline", "how_reached", "joint_gap", "reply_days"]


def reply_days(stage: Stage) -> float | None:
    """The most working days ``stage``'s reply can take, or None when nothing bounds it.

    As :func:`~cpsim.model.procedure.joint.reply_days_at_most` (a joint reply: the latest responder's
    deadline under ``from: all``, the earliest under ``from: any``), except that a joint reply with no
    rule for who replies has no bound: when the rung ends is not known (``JOINT_REPLY_UNSPECIFIED``).

    >>> from cpsim.model import PROCEDURES_DIR, load_procedure
    >>> reply_days(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml").stage("level2"))
    2.0
    """
    if stage.responders and (stage.reply is None or not stage.reply.is_specified):
        return None
    return reply_days_at_most(stage)


def first_deadline(stage: Stage) -> float:
    """The earliest of a joint rung's responders' deadlines: the soonest a missing reply can be known (0 if none)."""
    each = [working_days(r.deadline if r.deadline is not None else stage.deadline) for r in stage.responders]
    return min((x for x in each if x is not None), default=0.0)


def joint_gap(procedure: Procedure, stage: Stage) -> str | None:
    """Why a joint rung's reply has no upper bound, in words; None when it has one."""
    if reply_days(stage) is not None:
        return None
    rule = stage.reply
    if rule is None or not rule.is_specified:
        names = [the_role(procedure, r.role) for r in stage.responders]
        both = (
            f"both {names[0]} and {names[1]}" if len(names) == 2 else "every one of " + the_repliers(procedure, stage)
        )
        either = "either one" if len(names) == 2 else "any one of them"
        return (
            f"the procedure does not say whether the reply is due from {both} or from {either}, so nothing bounds "
            "when the rung ends"
        )
    own = next((r for r in stage.responders if r.deadline is not None and not r.deadline.is_specified), None)
    if rule.from_ == "all" and own is not None:
        return f"{the_role(procedure, own.role)} has no deadline of their own for the joint reply, due {rule.phrase}"
    return f"{stage.title} has no reply deadline"


def how_reached(procedure: Procedure, t: Transition) -> str:
    """How the case reached the stage ``t`` leads to, in words ("If the practitioner's reply does not satisfy ...")."""
    prev = procedure.stage(t.from_)
    reply = f"{the_role(procedure, prev.responder)}'s reply" if prev.responder else "the reply"
    reply = f"the reply of {the_repliers(procedure, prev)}" if prev.responders else reply
    owner = the_role(procedure, prev.owner) if prev.owner else "whoever asked for it"
    if prev.kind is StageKind.REQUEST and t.on == "unsatisfied":
        return f"If {reply} does not satisfy {owner}, the challenge goes to"
    if prev.kind is StageKind.REQUEST and t.on == "no-reply":
        return f"If {reply} does not come in time, the challenge goes to"
    if prev.kind is StageKind.START and t.on == "raised":
        return "Once the concern is raised, the challenge goes to"
    words = t.on.replace("-", " ")
    return f"When {prev.title} ends with '{words}', the challenge goes to"
