"""Routes and stages in plain English: the wording the checks' findings use.

The graph side of routes (finding, bounding and timing them) is :mod:`cpsim.verify.checks.walks`;
this module only says them.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> proc = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
>>> render(proc, ["raise", "level1"]) == f"{proc.start.title} → {stage_label(proc.stage('level1'))}"
True
"""

from __future__ import annotations

from collections.abc import Sequence

from cpsim.model.procedure.classes import Deadline, Procedure, Stage, Transition
from cpsim.model.procedure.describe import mid_sentence
from cpsim.model.procedure.joint import reply_days_at_most
from cpsim.model.types import StageId, StageKind, Unit

__all__ = ["deadline_phrase", "render", "render_walk", "stage_label", "the", "the_role", "who"]


def who(procedure: Procedure, role: str | None) -> str:
    """The title of ``role``, or ``'nobody named'``."""
    return procedure.role(role).title if role else "nobody named"


def the(title: str) -> str:
    """``title`` for use mid-sentence after "the": first letter lowered unless it starts an acronym or Title Case.

    A title that already starts with "The" loses it, so that "the" is never written twice.

    >>> the("Service manager"), the("IRO team manager"), the("The professional's agency"), the("Head of Service")
    ('service manager', 'IRO team manager', "professional's agency", 'Head of Service')
    """
    return mid_sentence(title)  # capitals as the file gives them: 'Head of Service' stays so


def the_role(procedure: Procedure, role: str | None) -> str:
    """``role`` mid-sentence with its article, e.g. ``'the service manager'``; ``'nobody named'`` without a role.

    >>> from cpsim.model import PROCEDURES_DIR, load_procedure
    >>> proc = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
    >>> the_role(proc, "service_manager"), the_role(proc, None)
    ("the social worker's service manager", 'nobody named')
    """
    return f"the {the(procedure.role(role).title)}" if role else "nobody named"


def deadline_phrase(deadline: Deadline | None) -> str:
    """Short words for a reply deadline.

    >>> deadline_phrase(Deadline(unspecified="none given"))
    'no reply deadline'
    >>> src = {"doc": "d", "ref": "1", "quote": "q"}
    >>> [deadline_phrase(Deadline(unit=u, source=src)) for u in ("same-day", "immediately")]
    ['reply on the same day', 'reply immediately']
    """
    if deadline is None or deadline.duration is None:
        return "no reply deadline"
    d = deadline.duration
    if d.unit is Unit.WORKING_DAYS:
        return f"reply within {d.amount:g} working day{'s' if d.amount != 1 else ''}"
    return f"reply {d.phrase}"


def _joint_phrase(stage: Stage) -> str:
    """A joint rung's reply time: the latest responder's deadline (all), the earliest (any); none without a rule."""
    rule = stage.reply
    n = reply_days_at_most(stage) if rule is not None and rule.is_specified else None
    return "joint reply with no time limit" if n is None else f"joint reply within {n:g} working day{'s' * (n != 1)}"


def stage_label(stage: Stage) -> str:
    """A stage's title, with its reply deadline for request stages."""
    if stage.kind is StageKind.REQUEST:
        send = ""
        if stage.send is not None:
            send = ("send " + stage.send.label if stage.send.is_specified else "no time to send") + "; "
        return f"{stage.title} ({send}{_joint_phrase(stage) if stage.responders else deadline_phrase(stage.deadline)})"
    if stage.meeting is not None:
        within = stage.meeting.within
        return f"{stage.title} (meeting {within.label if within.is_specified else 'with no time limit'})"
    return stage.title


def render(procedure: Procedure, route: Sequence[StageId]) -> str:
    """A route of stage ids in plain English, e.g. ``'raise → Level 1 (reply within 1 working day) → Resolved'``.

    >>> from cpsim.model import PROCEDURES_DIR, load_procedure
    >>> proc = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
    >>> render(proc, ["raise"]) == proc.start.title
    True
    """
    return " → ".join(stage_label(procedure.stage(s)) for s in route)


def render_walk(procedure: Procedure, walk: Sequence[Transition], start: StageId) -> str:
    """A walk in plain English, marking the outcome on each move that is not the usual one."""
    parts = [stage_label(procedure.stage(start))]
    for t in walk:
        arrow = " → " if t.on in ("raised", "unsatisfied", "unresolved") else f" →[{t.on}] "
        parts.append(arrow + stage_label(procedure.stage(t.to)))
    return "".join(parts)
