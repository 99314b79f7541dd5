"""Who replies at each rung, between two versions of a procedure: one responder, or a joint reply.

Part of :func:`cpsim.verify.diff.diff_procedures`. A change of who replies at a stage present in
both versions (another role, one responder made a joint reply or back, a joint reply's rule, a
responder who spends no time on it) is one change in section ``stage``, worded with the roles'
titles and the rule; a joint rung's responder's own deadline added, removed or changed is one in
section ``deadline``.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> old = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
>>> up = {"responder": "assistant_director"}
>>> stages = tuple(s.model_copy(update=up) if s.id == "level2" else s for s in old.stages)
>>> [c.summary for c in reply_changes(old, old.model_copy(update={"stages": stages}))][0].split(" → ")[0]
"Stage level2: who replies the social worker's service manager"
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cpsim.model.procedure.classes import Citation, Procedure, Stage
from cpsim.model.procedure.joint import the_repliers
from cpsim.verify.checks.wording import the_role

if TYPE_CHECKING:
    from cpsim.verify.diff import Change

__all__ = ["reply_changes", "reply_citations", "replying_text"]


def replying_text(procedure: Procedure, stage: Stage) -> str:
    """Who replies at ``stage`` in words, with a joint reply's rule and who spends no time on it."""
    who = the_repliers(procedure, stage)
    if not stage.responders or stage.reply is None:
        return who
    rule = stage.reply
    text = f"a joint reply, due {rule.phrase}" if rule.is_specified else "a joint reply; the source does not say "
    text += "" if rule.is_specified else "whether it is due from all of them or any one"
    idle = [the_role(procedure, r.role) for r in stage.responders if not r.spends_time]
    text += "".join(f"; {name} spends no time on it" for name in idle)
    return f"{who} ({text})"


def _own(procedure: Procedure, stage: Stage) -> dict[str, str]:
    """A joint rung's responders' own deadlines in words, by role ("the stage's (...)" where they have none)."""
    stage_s = stage.deadline.label if stage.deadline is not None and stage.deadline.is_specified else "none given"
    out = {}
    for r in stage.responders:
        d = r.deadline
        out[r.role] = (
            f"the stage's ({stage_s})" if d is None else d.label if d.is_specified else f"unspecified ({d.unspecified})"
        )
    return out


def reply_changes(old: Procedure, new: Procedure) -> list[Change]:
    """Changes of who replies, and of joint responders' own deadlines, at stages in both versions."""
    from cpsim.verify.diff import Change

    out: list[Change] = []
    before = {s.id: s for s in old.stages}
    for s in new.stages:
        was_stage = before.get(s.id)
        if was_stage is None:
            continue
        a, b = replying_text(old, was_stage), replying_text(new, s)
        if a != b:
            out.append(Change("changed", "stage", s.id, a, b, f"Stage {s.id}: who replies {a} → {b}."))
        was, now = _own(old, was_stage), _own(new, s)
        for role in now.keys() & was.keys():
            if was[role] != now[role]:
                who = the_role(new, role)
                msg = f"Deadline of {who} at {s.id}: {was[role]} → {now[role]}."
                out.append(Change("changed", "deadline", f"{s.id} ({role})", was[role], now[role], msg))
    return out


def reply_citations(procedure: Procedure) -> dict[str, Citation | None]:
    """The citations of joint replies' rules and of their responders' own deadlines, keyed by where they stand."""
    out: dict[str, Citation | None] = {}
    for s in procedure.stages:
        if s.reply is not None:
            out[f"who replies at {s.id}"] = s.reply.source
        for r in s.responders:
            if r.deadline is not None:
                out[f"deadline of {r.role} at {s.id}"] = r.deadline.source
    return out
