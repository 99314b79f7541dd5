"""Conditions a life cycle needs, as data: quoracy, decision rules and checklists.

- A **quorum** (``quorums:``) says who must attend a meeting for it to decide ("attended by a
  minimum of three different agency representatives"), and what happens when it is inquorate, or
  that the source does not say.
- A **decision rule** (``decision_rules:``) is the order in which a meeting decides: consensus, then
  a simple majority, then the chair; or a majority with the chair's casting vote on an equal split.
- A **checklist** (``checklists:``) is a list of questions someone answers before an event (the
  chair's QA tool before a conference), each cited, with any time the question names.

Each names the stages or milestones it ``applies_to``; these are checked with the file's other
references. Where the source is silent, ``unspecified`` says so, as everywhere in the format.

Examples
--------
>>> cite = {"doc": "d.txt", "ref": "1", "quote": "q"}
>>> q = Quorum.model_validate({"id": "q", "title": "Quorum", "at_least": 3, "of": "agencies", "source": cite})
>>> q.says_inquorate
False
>>> DecisionRule.model_validate({"id": "d", "title": "D", "steps": [{"method": "consensus", "source": cite}],
...                              "source": cite}).settles_ties
False
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Any

from pydantic import Field, StrictInt, model_validator

from cpsim.model.errors import Problem, did_you_mean
from cpsim.model.files.yaml import YamlDoc
from cpsim.model.procedure.classes import Citation, Duration, Slug, Text, _Frozen

__all__ = [
    "Checklist",
    "ChecklistItem",
    "DecisionRule",
    "DecisionStep",
    "Method",
    "Quorum",
    "check_rule_references",
]


class Quorum(_Frozen):
    """Who must attend for a meeting to be quorate, and what happens when it is not."""

    id: Slug
    title: Text
    applies_to: tuple[Slug, ...] = Field(default=(), description="Stages or milestones the quorum governs.")
    at_least: StrictInt | None = Field(default=None, ge=1, description="The least number that must attend.")
    of: str | None = Field(
        default=None, description="Of what, in the source's words: 'different agency representatives'."
    )
    who: str | None = Field(default=None, description="Who must attend or be invited, in words.")
    ensured_by: Slug | None = Field(default=None, description="The role who makes sure the meeting is quorate.")
    inquorate: str | None = Field(default=None, description="What the source says happens when it is not quorate.")
    inquorate_stage: Slug | None = Field(default=None, description="The stage of the route that handles it.")
    unspecified: dict[str, str] = Field(
        default_factory=dict, description="What the source does not say: e.g. {inquorate: <note>}."
    )
    notes: str | None = None
    source: Citation

    @property
    def says_inquorate(self) -> bool:
        """True when the file says what happens to an inquorate meeting (in words or as a stage)."""
        return self.inquorate is not None or self.inquorate_stage is not None


class Method(StrEnum):
    """How one step of a decision rule decides."""

    CONSENSUS = "consensus"
    SIMPLE_MAJORITY = "simple-majority"
    CASTING_VOTE = "casting-vote"
    CHAIR_DECIDES = "chair-decides"
    MAJORITY_UPHELD = "majority-upheld"


SETTLING = frozenset({Method.CASTING_VOTE, Method.CHAIR_DECIDES})
"""Methods that always produce a decision (a tie or a split is settled by the chair)."""


class DecisionStep(_Frozen):
    """One step of a decision rule: its method and when it applies."""

    method: Method
    when: str | None = Field(default=None, description="When this step applies: 'where there is no consensus'.")
    normally: bool = Field(default=False, description="True where the source says 'normally'.")
    note: str | None = None
    source: Citation


class DecisionRule(_Frozen):
    """The order in which a meeting reaches its decision."""

    id: Slug
    title: Text
    applies_to: tuple[Slug, ...] = Field(default=(), description="Stages or milestones the rule governs.")
    steps: tuple[DecisionStep, ...] = Field(description="The steps in order; at least one.")
    unspecified: dict[str, str] = Field(default_factory=dict, description="What the source does not say.")
    notes: str | None = None
    source: Citation

    @model_validator(mode="after")
    def _has_steps(self) -> DecisionRule:
        if not self.steps:
            raise ValueError("a decision rule needs at least one step under 'steps'")
        return self

    @property
    def settles_ties(self) -> bool:
        """True when some step always produces a decision (the chair decides, or has a casting vote)."""
        return any(s.method in SETTLING for s in self.steps)


class ChecklistItem(_Frozen):
    """One question of a checklist, with the time it names, if any."""

    id: Slug
    question: Text = Field(description="The question as the source asks it.")
    when: str | None = Field(default=None, description="When the question applies: 'For RCPC'.")
    topic: Slug | None = Field(default=None, description="Shared topic id, to compare the same rule across sources.")
    in_advance: Duration | None = Field(
        default=None, description="How long before the event the question asks for it ('24 hours for ICPC')."
    )
    as_written: str | None = None
    unspecified: str | None = Field(
        default=None, description="A time or standard the question names but does not give."
    )
    source: Citation


class Checklist(_Frozen):
    """Questions someone answers before an event, e.g. the chair's quality assurance tool."""

    id: Slug
    title: Text
    by: Slug | None = Field(default=None, description="The role who completes it.")
    applies_to: tuple[Slug, ...] = Field(default=(), description="Stages or milestones it is completed for.")
    answers: tuple[str, ...] = Field(default=(), description="The answers the form offers, e.g. [yes, no, comment].")
    items: tuple[ChecklistItem, ...] = Field(min_length=1)
    notes: str | None = None
    source: Citation


def _entries(data: Any, section: str) -> Iterator[tuple[int, dict[str, Any]]]:
    items = data.get(section) if isinstance(data, dict) else None
    for i, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict):
            yield i, item


def _ids(data: dict[str, Any], section: str) -> list[str]:
    return [str(item["id"]) for _, item in _entries(data, section) if isinstance(item.get("id"), str)]


def check_rule_references(doc: YamlDoc, data: dict[str, Any]) -> list[Problem]:
    """Problems with the names in quorums, decision rules and checklists: unknown events and roles, duplicate ids."""
    out: list[Problem] = []
    events = [*_ids(data, "stages"), *_ids(data, "milestones")]
    stages, roles = _ids(data, "stages"), _ids(data, "roles")

    def known(loc: tuple[str | int, ...], value: Any, names: list[str], what: str) -> None:
        if isinstance(value, str) and value not in names:
            out.append(doc.problem(loc, f"unknown {what} {value!r}", did_you_mean(value, names)))

    for section in ("quorums", "decision_rules", "checklists"):
        seen: dict[str, int] = {}
        for i, item in _entries(data, section):
            here: tuple[str | int, ...] = (section, i)
            ident = item.get("id")
            if isinstance(ident, str) and ident in seen:
                line = doc.locate((section, seen[ident], "id"))[0]
                out.append(doc.problem((*here, "id"), f"duplicate id {ident!r} in {section}", f"first on line {line}"))
            elif isinstance(ident, str):
                seen[ident] = i
            targets = item.get("applies_to")
            for j, name in enumerate(targets if isinstance(targets, list) else []):
                known((*here, "applies_to", j), name, events, "stage or milestone")
            known((*here, "inquorate_stage"), item.get("inquorate_stage"), stages, "stage")
            for key in ("by", "ensured_by"):
                known((*here, key), item.get(key), roles, "role")
    return out
