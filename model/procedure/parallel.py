"""Work beside the route: meetings of several roles, duties alongside a route, and the joins that wait for them.

- A **meeting** (``meeting:`` on a dialogue or decision stage) is a stage where the owner and the
  roles ``with`` must all take part, held ``within`` a time of the stage being entered ("the Head of
  QA meets the Head of Service within 5 working days"). The time is when the meeting is held; the
  stage ends on its outcome once it has met.
- A **duty** (``duties:`` at the top of a file) is work that starts when a case reaches a stage (or
  leaves it on one outcome) and runs alongside the route rather than being a step of it: Wakefield's
  "In addition if a professional concludes that a Conference decision places a child at risk, s/he
  must seek advice ...". It has its own time (``within``), given or said to be unspecified.
- A **join** is a stage named in a duty's ``before``: the case enters it only once the duty, if it
  started, is done ("the minutes and reports will be forwarded for consideration by the
  multi-agency group").

The stage's *send* clock (``send:`` on a request stage) is the other half of a rung with two
clocks: the owner's time to send the request once the stage is reached; the reply ``deadline``
then counts from when it is sent.

Examples
--------
>>> cite = {"doc": "d.txt", "ref": "1", "quote": "q"}
>>> m = Meeting.model_validate({"with": ["head_service"], "within": {"amount": 5, "unit": "working-days",
...                             "source": cite}})
>>> m.within.label, m.with_
('within 5 working days', ('head_service',))
>>> d = Duty.model_validate({"id": "advice", "title": "Seek advice", "starts": "dissent",
...                          "within": {"unspecified": "No time given."}, "source": cite})
>>> d.within.is_specified, d.before
(False, ())
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pydantic import Field

from cpsim.model.errors import Problem, did_you_mean
from cpsim.model.files.yaml import YamlDoc
from cpsim.model.procedure.classes import Citation, Deadline, Slug, Text, _Frozen
from cpsim.model.types import OUTCOMES, StageKind, default_outcomes

if TYPE_CHECKING:
    from cpsim.model.procedure.classes import Procedure

__all__ = ["Duty", "Meeting", "check_parallel_references", "untimed_by_engines"]


class Meeting(_Frozen):
    """A stage where several roles must all take part: the owner and every role ``with``."""

    with_: tuple[Slug, ...] = Field(
        alias="with", min_length=1, description="The roles who meet the stage's owner; every one of them takes part."
    )
    within: Deadline = Field(
        description="How soon after the stage is reached the meeting is held, or {unspecified: <note>}."
    )
    note: str | None = None
    source: Citation | None = None


class Duty(_Frozen):
    """Work that runs alongside the route from a stage, with its own time, and the joins that wait for it."""

    id: Slug
    title: Text
    by: Slug | None = Field(default=None, description="The role who carries out the duty.")
    responder: Slug | None = Field(default=None, description="The role asked, where the duty asks someone (advice).")
    starts: Slug = Field(description="The stage at which the duty begins.")
    on: Slug | None = Field(
        default=None, description="The outcome of 'starts' on which the duty begins; omitted: on reaching the stage."
    )
    when: str | None = Field(default=None, description="The condition under which the duty arises, in words.")
    within: Deadline = Field(
        description="The time the duty has, counted from when it starts, or {unspecified: <note>}."
    )
    before: tuple[Slug, ...] = Field(
        default=(), description="Joins: stages the case enters only once this duty, if it started, is done."
    )
    refers_to: str | None = Field(
        default=None, description="A document or process the duty can hand the matter to (a hand-off)."
    )
    unspecified: dict[str, str] = Field(
        default_factory=dict, description="What the source does not say about the duty: keys are topics, values notes."
    )
    notes: str | None = None
    source: Citation

    @property
    def conditional(self) -> bool:
        """True when the duty arises only in some cases (it has a ``when``)."""
        return self.when is not None


# --- cross-references, on the plain data so every problem is found in one pass ---------------------


def _entries(data: dict[str, Any], section: str) -> Iterator[tuple[int, dict[str, Any]]]:
    items = data.get(section)
    for i, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict):
            yield i, item


def _ids(data: dict[str, Any], section: str) -> list[str]:
    return [str(item["id"]) for _, item in _entries(data, section) if isinstance(item.get("id"), str)]


def _known(doc: YamlDoc, loc: tuple[str | int, ...], value: Any, known: list[str], what: str) -> list[Problem]:
    if isinstance(value, str) and value not in known:
        return [doc.problem(loc, f"unknown {what} {value!r}", did_you_mean(value, known))]
    return []


def check_parallel_references(doc: YamlDoc, data: dict[str, Any]) -> list[Problem]:
    """Problems with sends, meetings and duties in ``data``: where they may appear and what they name.

    ``send`` belongs on request stages and ``meeting`` on dialogue or decision stages; a meeting's
    roles, a duty's roles, stages and outcome must exist; duty ids are unique. The names in quorums,
    decision rules and checklists are checked too (:func:`cpsim.model.procedure.rules.check_rule_references`).
    """
    from cpsim.model.procedure.joint import check_joint_references
    from cpsim.model.procedure.rules import check_rule_references

    out: list[Problem] = check_rule_references(doc, data) + check_joint_references(doc, data)
    roles, stages = _ids(data, "roles"), _ids(data, "stages")
    kinds = {str(st.get("id")): st for _, st in _entries(data, "stages")}
    for i, st in _entries(data, "stages"):
        out += _stage_problems(doc, ("stages", i), st, roles)
    first: dict[str, int] = {}
    for i, duty in _entries(data, "duties"):
        here: tuple[str | int, ...] = ("duties", i)
        ident = duty.get("id")
        if isinstance(ident, str) and ident in first:
            line = doc.locate(("duties", first[ident], "id"))[0]
            out.append(
                doc.problem(
                    (*here, "id"), f"duplicate duty id {ident!r}", f"first defined on line {line}; ids must be unique"
                )
            )
        elif isinstance(ident, str):
            first[ident] = i
        for key in ("by", "responder"):
            out += _known(doc, (*here, key), duty.get(key), roles, "role")
        out += _known(doc, (*here, "starts"), duty.get("starts"), stages, "stage")
        befores = duty.get("before")
        for j, stop in enumerate(befores if isinstance(befores, list) else []):
            out += _known(doc, (*here, "before", j), stop, stages, "stage")
            if stop == duty.get("starts") and duty.get("on") is None:
                out.append(
                    doc.problem(
                        (*here, "before", j),
                        f"duty {ident!r} starts at {stop!r} and must be done before it",
                        "name a later stage under 'before': the one that waits for the duty",
                    )
                )
        out += _outcome_problems(doc, here, duty, kinds.get(str(duty.get("starts"))))
    return out


def _outcome_problems(
    doc: YamlDoc, here: tuple[str | int, ...], duty: dict[str, Any], stage: dict[str, Any] | None
) -> list[Problem]:
    on = duty.get("on")
    if not isinstance(on, str) or stage is None:
        return []
    declared = stage.get("outcomes")
    if isinstance(declared, list):
        vocab = [o for o in declared if isinstance(o, str)]
    else:
        try:
            vocab = list(default_outcomes(StageKind(str(stage.get("kind"))))) or list(OUTCOMES)
        except ValueError:
            return []
    if on in vocab:
        return []
    where = f"the outcomes of stage {stage.get('id')!r}"
    return [doc.problem((*here, "on"), f"outcome {on!r} is not in {where}", did_you_mean(on, vocab))]


def _stage_problems(doc: YamlDoc, here: tuple[str | int, ...], st: dict[str, Any], roles: list[str]) -> list[Problem]:
    out: list[Problem] = []
    kind = st.get("kind")
    if "send" in st and kind != StageKind.REQUEST.value:
        out.append(
            doc.problem(
                (*here, "send"),
                f"stage {st.get('id')!r} is a {kind} stage: only a request stage has a time to send",
                "make it 'kind: request' with the 'responder' who must reply, or put the time on the move into "
                "the stage as 'within:'",
                key=True,
            )
        )
    meeting = st.get("meeting")
    if meeting is not None and kind not in (StageKind.DIALOGUE.value, StageKind.DECISION.value):
        out.append(
            doc.problem(
                (*here, "meeting"),
                f"stage {st.get('id')!r} is a {kind} stage: a meeting is a dialogue or decision stage",
                "make it 'kind: dialogue' (or 'kind: decision' with its outcomes); for someone who must reply, "
                "use a request stage",
                key=True,
            )
        )
    if isinstance(meeting, dict):
        attendees = meeting.get("with")
        for j, role in enumerate(attendees if isinstance(attendees, list) else []):
            out += _known(doc, (*here, "meeting", "with", j), role, roles, "role")
            if role == st.get("owner"):
                out.append(
                    doc.problem(
                        (*here, "meeting", "with", j),
                        f"{role!r} is the stage's owner, who takes part in the meeting already",
                        "list under 'with' only the other roles who must meet the owner",
                    )
                )
    return out


def untimed_by_engines(procedure: Procedure) -> list[tuple[str, str]]:
    """What the simulator and the exact analysis cannot time in ``procedure``: (what, what to write instead).

    They time a dialogue or decision stage by the behaviour's ``stay_time`` and follow one route at a
    time. So a joint reply with no rule for who replies, a given time to send, a meeting with a given
    time and a join (a stage that waits for a duty) are refused at scenario load rather than left
    out. A joint reply from all or any of its responders is timed; an unspecified time to send is
    the behaviour's ``send_time``, spent before the reply clock starts.

    >>> from cpsim.model import PROCEDURES_DIR, load_procedure
    >>> untimed_by_engines(load_procedure(PROCEDURES_DIR / "redcar-external.yaml"))
    []
    """
    from cpsim.model.procedure.joint import joint_refusals

    out = list(joint_refusals(procedure))
    for s in procedure.stages:
        if s.send is not None and s.send.is_specified:
            out.append(
                (
                    f"{s.id}: the time to send ({s.send.label}) is a second clock on the rung, which the simulator "
                    "and the exact analysis do not time (they start the reply clock when the stage is reached)",
                    f"run a copy of the procedure without 'send' at {s.id}, giving the time to send as the "
                    f"behaviour's move_time on each move into {s.id}",
                )
            )
        if s.meeting is not None and s.meeting.within.is_specified:
            out.append(
                (
                    f"{s.id}: the meeting's time ({s.meeting.within.label}) is not measured by the simulator or the "
                    "exact analysis (they time the stage by the behaviour's stay_time)",
                    f"run a copy of the procedure whose stage {s.id} gives the meeting's time as "
                    "'within: {unspecified: ...}', and give it as the behaviour's stay_time",
                )
            )
    for d in procedure.duties:
        if d.before:
            out.append(
                (
                    f"duty {d.id!r}: {', '.join(d.before)} wait(s) for it, and the simulator and the exact analysis "
                    "follow one route at a time without waiting for duties alongside it",
                    f"run a copy of the procedure without 'before' on duty {d.id!r}, giving the wait as the "
                    "behaviour's move_time on the moves into the stage that waits",
                )
            )
    return out
