"""What changed between two versions of a procedure, and what that does to the verification findings.

:func:`diff_procedures` compares two :class:`~cpsim.model.procedure.classes.Procedure` objects section by
section and returns a :class:`ProcedureDiff`: a flat tuple of :class:`Change` records, each
``added``, ``removed`` or ``changed`` in one of the sections ``stage``, ``transition``,
``deadline`` (with times to send and meeting times), ``duty``, ``target``, ``role``, ``source`` or
``citation``. Stages, duties, targets and roles are matched by id; transitions by ``(from, on)``.

:func:`diff_findings` matches two lists of findings by ``(code, stages)`` and says which were
fixed, which are new and which remain. The records are plain data; :mod:`cpsim.reports.text.diff`
words them as Markdown.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> old = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
>>> diff_procedures(old, old).empty
True
>>> stages = tuple(
...     s.model_copy(update={"deadline": s.deadline.model_copy(update={"amount": 1})}) if s.id == "level2" else s
...     for s in old.stages
... )
>>> d = diff_procedures(old, old.model_copy(update={"stages": stages}))
>>> [(c.kind, c.section, c.key) for c in d.changes]
[('changed', 'deadline', 'level2')]
>>> d.changes[0].summary
'Deadline at level2 (Level 2 — service manager): within 2 working days → within 1 working day.'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

from cpsim.model.procedure.classes import Citation, Deadline, Procedure, Role, SourceDoc, Stage, Target, Transition
from cpsim.model.procedure.joint import replying
from cpsim.verify.diff_beside import beside_changes
from cpsim.verify.diff_reply import reply_changes, reply_citations
from cpsim.verify.findings import Finding

__all__ = [
    "SECTIONS",
    "Change",
    "FindingsDiff",
    "ProcedureDiff",
    "diff_findings",
    "diff_procedures",
]

Kind = Literal["added", "removed", "changed"]
Section = Literal["stage", "transition", "deadline", "duty", "target", "role", "source", "citation"]
SECTIONS: tuple[Section, ...] = ("stage", "transition", "deadline", "duty", "target", "role", "source", "citation")
"""Sections of a diff, in the order they are reported."""

_STAGE_FIELDS = ("kind", "title", "owner", "outcomes", "judgement", "ending", "refers_to")  # who replies: diff_reply
_TRANSITION_FIELDS = ("to", "skip", "guard", "max_repeats")
_Item = TypeVar("_Item", bound=BaseModel)


@dataclass(frozen=True)
class Change:
    """One difference between the old and the new procedure.

    Parameters
    ----------
    kind
        ``added``, ``removed`` or ``changed``.
    section
        One of :data:`SECTIONS`.
    key
        What changed: a stage, target or role id, a transition as ``from --on-->``, a source file name.
    before, after
        Plain-English value before and after (None for an addition or removal respectively).
    summary
        One sentence an author can read aloud.
    """

    kind: Kind
    section: Section
    key: str
    before: str | None
    after: str | None
    summary: str

    def as_dict(self) -> dict[str, Any]:
        """The change as a JSON-ready mapping: ``kind``, ``section``, ``key``, ``before``, ``after``, ``summary``."""
        return asdict(self)


@dataclass(frozen=True)
class ProcedureDiff:
    """Every change between two procedures, sections in :data:`SECTIONS` order."""

    old_id: str
    new_id: str
    old_version: str
    new_version: str
    changes: tuple[Change, ...]

    @property
    def empty(self) -> bool:
        """True when nothing changed."""
        return not self.changes

    def section(self, name: Section) -> tuple[Change, ...]:
        """The changes in one section."""
        return tuple(c for c in self.changes if c.section == name)

    def as_dict(self) -> dict[str, Any]:
        """The diff as a JSON-ready mapping (see docs/what-if.md for the shape)."""
        counts = Counter(c.kind for c in self.changes)
        return {
            "old": {"id": self.old_id, "version": self.old_version},
            "new": {"id": self.new_id, "version": self.new_version},
            "counts": {k: counts.get(k, 0) for k in ("added", "removed", "changed")},
            "changes": [c.as_dict() for c in self.changes],
        }


def diff_procedures(old: Procedure, new: Procedure) -> ProcedureDiff:
    """Compare ``old`` with ``new`` and list every change, section by section.

    Parameters
    ----------
    old, new
        The procedure before and after the edit.

    Returns
    -------
    ProcedureDiff
        Changes in :data:`SECTIONS` order; within a section, in the new file's order, then removals.
    """
    changes: list[Change] = []
    changes += _stages(old, new) + reply_changes(old, new)
    changes += _transitions(old, new)
    changes += _deadlines(old, new) + beside_changes(old, new)
    changes += _targets(old, new)
    changes += _roles(old, new)
    changes += _sources(old, new)
    changes += _citations(old, new)
    order = {s: i for i, s in enumerate(SECTIONS)}
    changes.sort(key=lambda c: order[c.section])
    return ProcedureDiff(old.id, new.id, old.version, new.version, tuple(changes))


def _keyed_changes(
    section: Section,
    old: dict[str, _Item],
    new: dict[str, _Item],
    describe: Callable[[_Item], str],
    compare: Callable[[str, _Item, _Item], list[Change]],
    noun: str,
) -> list[Change]:
    out: list[Change] = []
    for key, item in new.items():
        if key not in old:
            out.append(Change("added", section, key, None, describe(item), f"{noun} {key} added: {describe(item)}."))
        else:
            out.extend(compare(key, old[key], item))
    for key, item in old.items():
        if key not in new:
            out.append(
                Change("removed", section, key, describe(item), None, f"{noun} {key} removed: {describe(item)}.")
            )
    return out


def _field_changes(
    section: Section, key: str, label: str, old: BaseModel, new: BaseModel, fields: Sequence[str]
) -> list[Change]:
    out = []
    for f in fields:
        a, b = _show(getattr(old, f)), _show(getattr(new, f))
        if a != b:
            out.append(Change("changed", section, key, a, b, f"{label}: {f.replace('_', ' ')} {a} → {b}."))
    return out


def _show(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, tuple):
        return ", ".join(map(str, value)) or "none"
    return str(getattr(value, "value", value))


def _stage_text(s: Stage) -> str:
    who = f", {' / '.join(replying(s))} replies" if replying(s) else ""
    deadline = f", {s.deadline.label}" if s.deadline else ""
    return f"{s.title} ({s.kind.value}{who}{deadline})"


def _stages(old: Procedure, new: Procedure) -> list[Change]:
    def compare(key: str, a: Stage, b: Stage) -> list[Change]:
        return _field_changes("stage", key, f"Stage {key}", a, b, _STAGE_FIELDS)

    return _keyed_changes(
        "stage", {s.id: s for s in old.stages}, {s.id: s for s in new.stages}, _stage_text, compare, "Stage"
    )


def _tkey(t: Transition) -> str:
    return f"{t.from_} --{t.on}-->"


def _transition_text(t: Transition) -> str:
    extra = " (skip route)" if t.skip else ""
    within = f", {t.within.label}" if t.within else ""
    return f"{t.from_} on {t.on} goes to {t.to}{within}{extra}"


def _transitions(old: Procedure, new: Procedure) -> list[Change]:
    def compare(key: str, a: Transition, b: Transition) -> list[Change]:
        return _field_changes("transition", key, f"Transition {key}", a, b, _TRANSITION_FIELDS)

    return _keyed_changes(
        "transition",
        {_tkey(t): t for t in old.transitions},
        {_tkey(t): t for t in new.transitions},
        _transition_text,
        compare,
        "Transition",
    )


def _deadline_text(d: Deadline | None) -> str:
    return d.label if d is not None else "no deadline"


def _wording(d: Deadline | None) -> str:
    """How the file words a deadline: the source's words, and whether (and how) it is read as ambiguous."""
    if d is None:
        return "none"
    text = f"“{d.as_written}”" if d.as_written else "no words given"
    if d.unspecified:
        text = f"unspecified ({d.unspecified})"
    return f"{text}, read as ambiguous: {d.reading}" if d.ambiguous else text


def _deadlines(old: Procedure, new: Procedure) -> list[Change]:
    """Reply deadlines of stages present in both, and time limits of transitions present in both."""
    out: list[Change] = []
    old_stages = {s.id: s for s in old.stages}
    for s in new.stages:
        if s.id in old_stages:
            before = old_stages[s.id].deadline
            a, b = _deadline_text(before), _deadline_text(s.deadline)
            if a != b:
                out.append(Change("changed", "deadline", s.id, a, b, f"Deadline at {s.id} ({s.title}): {a} → {b}."))
            wa, wb = _wording(before), _wording(s.deadline)
            if wa != wb:
                out.append(
                    Change("changed", "deadline", s.id, wa, wb, f"Wording of the deadline at {s.id}: {wa} → {wb}.")
                )
    old_tr = {_tkey(t): t for t in old.transitions}
    for t in new.transitions:
        k = _tkey(t)
        if k in old_tr:
            a, b = _deadline_text(old_tr[k].within), _deadline_text(t.within)
            if a != b:
                out.append(Change("changed", "deadline", k, a, b, f"Time allowed for {k}: {a} → {b}."))
    return out


def _targets(old: Procedure, new: Procedure) -> list[Change]:
    def text(t: Target) -> str:
        return f"{t.title} ({t.from_} to {_show(t.to)}, within {t.within.label})"

    def compare(key: str, a: Target, b: Target) -> list[Change]:
        out = _field_changes("target", key, f"Target {key}", a, b, ("title", "from_", "to"))
        was, now = a.within.label, b.within.label
        if was != now:
            out.append(Change("changed", "target", key, was, now, f"Target {key}: within {was} → within {now}."))
        return out

    return _keyed_changes(
        "target", {t.id: t for t in old.targets}, {t.id: t for t in new.targets}, text, compare, "Target"
    )


def _roles(old: Procedure, new: Procedure) -> list[Change]:
    def text(r: Role) -> str:
        return f"{r.title}, {r.agency}, rank {_show(r.rank)}"

    def compare(key: str, a: Role, b: Role) -> list[Change]:
        return _field_changes("role", key, f"Role {key}", a, b, ("rank", "title", "agency"))

    return _keyed_changes("role", {r.id: r for r in old.roles}, {r.id: r for r in new.roles}, text, compare, "Role")


def _sources(old: Procedure, new: Procedure) -> list[Change]:
    def compare(key: str, a: SourceDoc, b: SourceDoc) -> list[Change]:
        return _field_changes("source", key, f"Source {key}", a, b, ("title", "url"))

    return _keyed_changes(
        "source",
        {s.doc: s for s in old.sources},
        {s.doc: s for s in new.sources},
        lambda s: s.title,
        compare,
        "Source document",
    )


def _cite_text(c: Citation | None) -> str:
    return "no citation" if c is None else f"{c.doc} §{c.ref}: “{c.quote}”"


def _cited(p: Procedure) -> dict[str, Citation | None]:
    """Every citation in ``p`` keyed by where it stands."""
    out: dict[str, Citation | None] = {}
    for r in p.roles:
        out[f"role {r.id}"] = r.source
    for s in p.stages:
        out[f"stage {s.id}"] = s.source
        if s.deadline is not None:
            out[f"deadline at {s.id}"] = s.deadline.source
        for i, rec in enumerate(s.records):
            out[f"record {i + 1} at {s.id}"] = rec.source
    for t in p.transitions:
        out[f"transition {_tkey(t)}"] = t.source
        if t.within is not None:
            out[f"time allowed for {_tkey(t)}"] = t.within.source
    for g in p.targets:
        out[f"target {g.id}"] = g.source
    return out | reply_citations(p)


def _citations(old: Procedure, new: Procedure) -> list[Change]:
    """Citations that changed on elements present in both versions (additions are listed in their section)."""
    a, b = _cited(old), _cited(new)
    out = []
    for where, cite in b.items():
        if where in a and a[where] != cite:
            before, after = _cite_text(a[where]), _cite_text(cite)
            out.append(
                Change("changed", "citation", where, before, after, f"Citation for {where}: {before} → {after}.")
            )
    return out


@dataclass(frozen=True)
class FindingsDiff:
    """Findings matched by ``(code, stages)`` between the old and the new procedure.

    ``unchanged`` holds the new version of every matched finding; ``reworded`` the matched pairs
    ``(old, new)`` whose message differs (for example a different amount of slack before a target).
    """

    fixed: tuple[Finding, ...]
    new: tuple[Finding, ...]
    unchanged: tuple[Finding, ...]
    reworded: tuple[tuple[Finding, Finding], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: lists of findings in their stable shape; ``reworded`` as ``{"old", "new"}`` pairs."""
        return {
            "fixed": [f.as_dict() for f in self.fixed],
            "new": [f.as_dict() for f in self.new],
            "unchanged": [f.as_dict() for f in self.unchanged],
            "reworded": [{"old": a.as_dict(), "new": b.as_dict()} for a, b in self.reworded],
        }


def diff_findings(old: Iterable[Finding], new: Iterable[Finding]) -> FindingsDiff:
    """Which findings the edit fixed, which it introduced and which remain, matched by ``(code, stages)``.

    Matching counts repeats: two old findings with the same key and one new one leave one fixed.

    Examples
    --------
    >>> a = Finding("DEAD_END", "violation", "p", ("x",), (), "Stuck at x.")
    >>> b = Finding("NO_DEADLINE", "gap", "p", ("y",), (), "No deadline at y.")
    >>> d = diff_findings([a, b], [b])
    >>> [f.code for f in d.fixed], [f.code for f in d.new], [f.code for f in d.unchanged]
    (['DEAD_END'], [], ['NO_DEADLINE'])
    """
    waiting: dict[tuple[str, tuple[str, ...]], list[Finding]] = {}
    for f in new:
        waiting.setdefault((f.code, tuple(f.stages)), []).append(f)
    fixed, unchanged, reworded = [], [], []
    for f in old:
        queue = waiting.get((f.code, tuple(f.stages)))
        if queue:
            match = queue.pop(0)
            unchanged.append(match)
            if match.message != f.message:
                reworded.append((f, match))
        else:
            fixed.append(f)
    added = [f for queue in waiting.values() for f in queue]
    return FindingsDiff(tuple(fixed), tuple(added), tuple(unchanged), tuple(reworded))
