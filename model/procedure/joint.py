"""Joint replies: a request stage whose reply is owed by several roles, and what its deadline means.

A request stage names one ``responder``, or, where the source names several roles who must reply
("The Social Worker / Team Manager are to respond to the Conference Chair within one day"), a list
of ``responders`` and a ``reply`` rule saying how their reply is given:

- ``reply: {from: all}`` — the reply is due from every responder: the stage's ``deadline`` holds for
  each of them, and the joint reply is complete only when the last of them has replied (its time
  is the *latest* of their reply times);
- ``reply: {from: any}`` — one reply from any of them answers the request: the joint reply comes
  with the *earliest* of their replies;
- ``reply: {unspecified: <note>}`` — the source names the roles but not which of these it means
  (``cpsim verify`` reports it as a gap).

Each responder may carry its own ``deadline`` where the source gives one per role (otherwise the
stage's deadline is theirs), and ``spends_time: false`` for a role named on the reply who does no
work on it (one who signs it off or is copied in); by default every responder spends time on it.
The rule keeps the source's words (``as_written``) and, where they can be read more than one way,
``ambiguous: true`` and the ``reading`` the file takes.

Examples
--------
>>> cite = {"doc": "d.txt", "ref": "2.3", "quote": "are to respond"}
>>> r = JointReply.model_validate({"from": "any", "source": cite})
>>> r.from_, r.is_specified, r.phrase
('any', True, 'from any one of them')
>>> Responder.model_validate({"role": "team_manager"}).spends_time
True
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, model_validator

from cpsim.model.errors import Problem, did_you_mean
from cpsim.model.files.yaml import YamlDoc
from cpsim.model.procedure.classes import Citation, Deadline, Slug, _Frozen, _Worded
from cpsim.model.types import StageKind

if TYPE_CHECKING:
    from cpsim.model.procedure.classes import Procedure, Stage

__all__ = [
    "JointReply",
    "Responder",
    "check_joint_references",
    "joint_refusals",
    "joint_words",
    "replying",
    "replying_words",
    "reply_days_at_most",
    "the_repliers",
]

_PHRASES = {"all": "from every one of them", "any": "from any one of them"}


class Responder(_Frozen):
    """One of several roles who owe a joint reply at a request stage."""

    role: Slug = Field(description="The role who owes (part of) the reply.")
    spends_time: bool = Field(
        default=True,
        description="False for a role named on the reply who does no work on it (signs it off, is copied in).",
    )
    deadline: Deadline | None = Field(
        default=None, description="This role's own reply deadline, where the source gives one per role."
    )
    note: str | None = None
    source: Citation | None = None


class JointReply(_Worded):
    """How a reply owed by several responders is given: from all of them, or from any one."""

    from_: Literal["all", "any"] | None = Field(
        default=None,
        alias="from",
        description="'all': due from every responder (complete when the last replies); "
        "'any': one reply from any of them answers the request.",
    )
    unspecified: str | None = Field(
        default=None, description="Set (to a note) when the source names several responders but not which it means."
    )
    source: Citation | None = None

    @model_validator(mode="after")
    def _either_given_or_unspecified(self) -> JointReply:
        if (self.from_ is None) == (self.unspecified is None):
            raise ValueError("a joint reply says 'from: all' or 'from: any', or 'unspecified: <note>' (one of them)")
        if self.from_ is not None and self.source is None:
            raise ValueError("a joint reply's rule needs 'source' (doc, ref, quote)")
        self._check_reading("joint reply")
        return self

    @property
    def is_specified(self) -> bool:
        """True when the file says whether the reply is due from all the responders or from any one."""
        return self.from_ is not None

    @property
    def phrase(self) -> str:
        """``'from every one of them'``, ``'from any one of them'``, or the silence in words."""
        return _PHRASES[self.from_] if self.from_ else "from all or any of them (the source does not say which)"


def replying(stage: Stage) -> tuple[str, ...]:
    """The roles who owe ``stage``'s reply: its ``responders``, or its one ``responder`` (none if neither)."""
    if stage.responders:
        return tuple(r.role for r in stage.responders)
    return (stage.responder,) if stage.responder else ()


def replying_words(procedure: Procedure, stage: Stage) -> str:
    """Who replies at ``stage`` in words: one title, or the responders joined by "and" (all) or "or" (any).

    >>> from cpsim.model import PROCEDURES_DIR, load_procedure
    >>> proc = load_procedure(PROCEDURES_DIR / "redcar-external.yaml")
    >>> replying_words(proc, proc.stage("level1"))
    'Practitioner'
    """
    from cpsim.model.procedure.describe import mid_sentence

    titles = [procedure.role(r).title for r in replying(stage)]
    if not titles:
        return "nobody named"
    titles = titles[:1] + [mid_sentence(t) for t in titles[1:]]
    if len(titles) == 1:
        return titles[0]
    joiner = " or " if stage.reply is not None and stage.reply.from_ == "any" else " and "
    return ", ".join(titles[:-1]) + joiner + titles[-1]


def the_repliers(procedure: Procedure, stage: Stage) -> str:
    """Who replies at ``stage`` mid-sentence: "the practitioner", "the social worker or the team manager".

    Joined by "or" for ``from: any`` and "and" otherwise; ``'nobody named'`` when the stage names nobody.

    >>> from cpsim.model import PROCEDURES_DIR, load_procedure
    >>> proc = load_procedure(PROCEDURES_DIR / "redcar-external.yaml")
    >>> the_repliers(proc, proc.stage("level1")), the_repliers(proc, proc.stage("raise"))
    ('the practitioner', 'nobody named')
    """
    names = ["the " + _mid(procedure.role(r).title) for r in replying(stage)]
    if not names:
        return "nobody named"
    joiner = " or " if stage.reply is not None and stage.reply.from_ == "any" else " and "
    return ", ".join(names[:-1]) + (joiner if len(names) > 1 else "") + names[-1]


def reply_days_at_most(stage: Stage, hours_per_day: float = 7.5) -> float | None:
    """The most working days ``stage``'s reply can take within its deadlines; None when nothing bounds it.

    One responder: the stage's deadline. A joint reply: each responder's own deadline (the stage's
    where they have none), the latest of them for ``from: all`` and the earliest for ``from: any``;
    with no rule for who replies, the latest (the reply may be due from all of them).
    """

    def days(d: Deadline | None) -> float | None:
        return d.duration.working_days_at_most(hours_per_day) if d is not None and d.duration is not None else None

    if not stage.responders:
        return days(stage.deadline)
    each = [days(r.deadline if r.deadline is not None else stage.deadline) for r in stage.responders]
    if stage.reply is not None and stage.reply.from_ == "any":
        known = [x for x in each if x is not None]
        return min(known) if known else None
    return None if any(x is None for x in each) else max(x for x in each if x is not None)


def joint_words(procedure: Procedure, stage: Stage) -> str:
    """The joint reply's rule in plain English, in the file's own words, with any responder's own deadline.

    Empty for a stage with one responder. E.g. "a joint reply, due from any one of them (source: “The
    Social Worker / Team Manager are to respond”; read as one reply from either of them ...)".
    """
    from cpsim.model.procedure.describe import mid_sentence

    rule = stage.reply
    if not stage.responders or rule is None:
        return ""
    if rule.is_specified:
        text = f"a joint reply, due {rule.phrase}"
        if rule.as_written:
            text += f" (source: “{rule.as_written}”" + (f"; {rule.reading}" if rule.reading else "") + ")"
    else:
        text = "a joint reply — who replies UNSPECIFIED: " + (rule.unspecified or "").rstrip(".")
    for r in stage.responders:
        name = mid_sentence(procedure.role(r.role).title)
        if r.deadline is not None:
            own = r.deadline.label if r.deadline.is_specified else "deadline UNSPECIFIED"
            text += f"; the {name} {own}"
        if not r.spends_time:
            text += f"; the {name} spends no time on it"
    return text


def _mid(title: str) -> str:
    from cpsim.model.procedure.describe import mid_sentence

    return mid_sentence(title)


def joint_refusals(procedure: Procedure) -> Iterator[tuple[str, str]]:
    """What the simulator and the exact analysis cannot do with a joint reply: (what, what to write instead).

    They time a reply due from all the responders (the latest of their replies) or from any one (the
    earliest), and refuse one whose source does not say which, for they cannot choose.
    """
    for s in procedure.stages:
        if not s.responders or (s.reply is not None and s.reply.is_specified):
            continue
        who = " and ".join("the " + _mid(procedure.role(r.role).title) for r in s.responders)
        rule = s.reply.phrase if s.reply is not None else "with no rule for who replies"
        yield (
            f"{s.id}: the reply is owed jointly by {who} ({rule}), and the simulator and the exact analysis cannot "
            "choose between a reply from all of them and a reply from any one",
            f"run a copy of the procedure whose stage {s.id} says 'reply: {{from: all}}' or 'reply: {{from: any}}' "
            "(the reading the file takes), or names one 'responder' instead of 'responders'",
        )


def _role_problems(doc: YamlDoc, here: tuple[str | int, ...], st: dict[str, Any], roles: list[str]) -> list[Problem]:
    out: list[Problem] = []
    seen: dict[str, int] = {}
    entries = st.get("responders")
    for j, entry in enumerate(entries if isinstance(entries, list) else []):
        role = entry.get("role") if isinstance(entry, dict) else None
        if not isinstance(role, str):
            continue
        loc = (*here, "responders", j, "role")
        if role not in roles:
            out.append(doc.problem(loc, f"unknown role {role!r}", did_you_mean(role, roles)))
        elif role in seen:
            out.append(doc.problem(loc, f"{role!r} is listed twice under 'responders'", "name each responder once"))
        elif role == st.get("owner"):
            out.append(
                doc.problem(
                    loc, f"{role!r} is the stage's owner, who asks for the reply", "list only the roles who must reply"
                )
            )
        seen.setdefault(role, j)
    if isinstance(entries, list) and len(entries) == 1:
        out.append(
            doc.problem(
                (*here, "responders"),
                "a joint reply names at least two responders",
                "for one role write 'responder: <role>' instead of 'responders'",
            )
        )
    if (
        isinstance(entries, list)
        and entries
        and all(isinstance(e, dict) and e.get("spends_time") is False for e in entries)
    ):
        out.append(
            doc.problem(
                (*here, "responders"),
                "no responder spends time on the reply",
                "leave 'spends_time' out (true) for at least one role who does the work",
            )
        )
    return out


def check_joint_references(doc: YamlDoc, data: dict[str, Any]) -> list[Problem]:
    """Problems with joint replies in ``data``: where ``responders`` and ``reply`` may appear and what they name.

    ``responders`` belongs on request stages, instead of ``responder``, with at least two roles that
    exist, each once, none of them the owner; it needs a ``reply`` rule, and ``reply`` needs it.
    """
    items = data.get("roles")
    roles = (
        [str(r["id"]) for r in items if isinstance(r, dict) and isinstance(r.get("id"), str)]
        if isinstance(items, list)
        else []
    )
    stages = data.get("stages")
    out: list[Problem] = []
    for i, st in enumerate(stages if isinstance(stages, list) else []):
        if not isinstance(st, dict) or ("responders" not in st and "reply" not in st):
            continue
        here: tuple[str | int, ...] = ("stages", i)
        sid, kind = st.get("id"), st.get("kind")
        if "responders" in st and kind != StageKind.REQUEST.value:
            fix = (
                "make it 'kind: request' (someone asks them to reply); for roles who meet, use 'meeting: {with: [...]}'"
            )
            out.append(
                doc.problem(
                    (*here, "responders"),
                    f"stage {sid!r} is a {kind} stage: only a request stage has responders",
                    fix,
                    key=True,
                )
            )
        if "responders" in st and "responder" in st:
            fix = "remove 'responder' and list every role who must reply under 'responders'"
            out.append(
                doc.problem(
                    (*here, "responder"), f"stage {sid!r} names both 'responder' and 'responders'", fix, key=True
                )
            )
        if "responders" in st and "reply" not in st:
            fix = (
                "add 'reply: {from: all}' (due from every one of them) or 'reply: {from: any}' (one reply from "
                "any), with its source, or 'reply: {unspecified: <note>}' where the source does not say"
            )
            out.append(
                doc.problem(
                    (*here, "responders"), f"stage {sid!r} names several responders but not who replies", fix, key=True
                )
            )
        if "reply" in st and "responders" not in st:
            fix = "list the roles under 'responders', or remove 'reply' (one 'responder' needs no rule)"
            out.append(
                doc.problem(
                    (*here, "reply"), f"stage {sid!r} has a joint 'reply' rule but no 'responders'", fix, key=True
                )
            )
        out += _role_problems(doc, here, st, roles)
    return out
