"""Cross-reference checks on a procedure file's data, run alongside type checking.

They work on the plain data (not model objects) so that every problem in a file is found in
one pass, even when other parts of it are malformed.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from typing import Any

from cpsim.model.errors import Problem, did_you_mean
from cpsim.model.files.yaml import YamlDoc
from cpsim.model.types import OUTCOMES, Ending, StageKind, default_outcomes

_UNSPECIFIED_TOPICS = ("next-step", "responder", "owner")
_CITING = ("source", "provisional")
"""Keys whose mapping value is a citation (``provisional`` may also be a note in words)."""


def _items(data: dict[str, Any], section: str) -> Iterator[tuple[int, dict[str, Any]]]:
    items = data.get(section)
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield i, item


def _outcomes(stage: dict[str, Any]) -> list[str] | None:
    """The outcomes a stage declares (the text ones; a malformed list is reported by type checking), or None."""
    declared = stage.get("outcomes")
    return [o for o in declared if isinstance(o, str)] if isinstance(declared, list) else None


def _key(value: Any) -> Hashable:
    """``value`` as a dictionary key (None for a list or mapping written where an id belongs)."""
    return value if isinstance(value, Hashable) else None


def _ids(doc: YamlDoc, data: dict[str, Any], section: str, out: list[Problem]) -> dict[str, int]:
    seen: dict[str, int] = {}
    for i, item in _items(data, section):
        ident = item.get("id")
        if not isinstance(ident, str):
            continue
        if ident in seen:
            first = doc.locate((section, seen[ident], "id"))[0]
            out.append(
                doc.problem(
                    (section, i, "id"),
                    f"duplicate {section[:-1]} id {ident!r}",
                    f"first defined on line {first}; ids must be unique",
                )
            )
        else:
            seen[ident] = i
    return seen


def check_references(doc: YamlDoc, data: dict[str, Any]) -> list[Problem]:
    """Problems with ids and references in ``data``: duplicates, unknown stages, roles, outcomes, documents."""
    out: list[Problem] = []
    roles: dict[str, int] | None = _ids(doc, data, "roles", out)
    stages: dict[str, int] | None = _ids(doc, data, "stages", out)
    if not isinstance(data.get("roles"), list):
        roles = None  # reported as a type error; do not cascade into unknown-role errors
    if not isinstance(data.get("stages"), list):
        stages = None
    _ids(doc, data, "targets", out)
    kinds: dict[Hashable, Any] = {}
    for _, item in _items(data, "stages"):
        kinds.setdefault(_key(item.get("id")), item.get("kind"))
    _check_stages(doc, data, roles, out)
    _check_transitions(doc, data, stages, kinds, out)
    _check_targets(doc, data, stages, out)
    _check_citations(doc, data, out)
    return out


def _ref(
    doc: YamlDoc, loc: tuple[str | int, ...], value: Any, known: dict[str, int] | None, what: str, out: list[Problem]
) -> None:
    if known is not None and isinstance(value, str) and value not in known:
        out.append(doc.problem(loc, f"unknown {what} {value!r}", did_you_mean(value, list(known))))


def _check_stages(doc: YamlDoc, data: dict[str, Any], roles: dict[str, int] | None, out: list[Problem]) -> None:
    starts = []
    for i, st in _items(data, "stages"):
        here = ("stages", i)
        for key in ("owner", "responder"):
            _ref(doc, (*here, key), st.get(key), roles, "role", out)
        records = st.get("records")
        for j, rec in enumerate(records if isinstance(records, list) else []):
            if isinstance(rec, dict):
                _ref(doc, (*here, "records", j, "by"), rec.get("by"), roles, "role", out)
        try:
            kind = StageKind(str(st.get("kind")))
        except ValueError:
            continue
        if kind is StageKind.START:
            starts.append(i)
        _check_stage_kind(doc, here, st, kind, out)
    if not starts and isinstance(data.get("stages"), list):
        out.append(
            doc.problem(
                ("stages",), "no stage has kind 'start'", "mark the stage where the process begins with kind: start"
            )
        )
    for i in starts[1:]:
        out.append(
            doc.problem(
                ("stages", i, "kind"),
                "more than one start stage",
                "a procedure has exactly one start; put other processes in their own file",
            )
        )


def _check_stage_kind(
    doc: YamlDoc, here: tuple[str | int, ...], st: dict[str, Any], kind: StageKind, out: list[Problem]
) -> None:
    raw = st.get("unspecified")
    unspecified: dict[str, Any] = raw if isinstance(raw, dict) else {}
    _check_ending(doc, here, st, kind, out)
    if kind is StageKind.REQUEST:
        _check_request(doc, here, st, unspecified, out)
    if kind in (StageKind.START, StageKind.TERMINAL) and "deadline" in st:
        out.append(
            doc.problem(
                (*here, "deadline"),
                f"a {kind.value} stage has no reply deadline",
                "put the deadline on the request stage",
            )
        )
    if kind in (StageKind.DIALOGUE, StageKind.DECISION) and _given(st.get("deadline")):
        out.append(
            doc.problem(
                (*here, "deadline"),
                f"stage {st.get('id')!r} is a {kind.value} stage: only a request stage's deadline is timed",
                "make it 'kind: request' with the 'responder' who must reply in that time, put the time on the move "
                "it limits as 'within:' on that transition, or, for roles who must meet, write "
                "'meeting: {with: [<role>], within: <time>}'",
            )
        )
    if kind is StageKind.DECISION and not st.get("outcomes"):
        out.append(
            doc.problem(
                here, f"decision stage {st.get('id')!r} lists no outcomes", "add 'outcomes: [...]' naming each choice"
            )
        )
    allowed = set(_UNSPECIFIED_TOPICS) | set(_outcomes(st) or default_outcomes(kind)) | set(OUTCOMES)
    for key in unspecified:
        if key not in allowed:
            out.append(
                doc.problem(
                    (*here, "unspecified", key),
                    f"unknown topic {key!r} under 'unspecified'",
                    did_you_mean(key, sorted(allowed)),
                    key=True,
                )
            )


def _given(deadline: Any) -> bool:
    """True when ``deadline`` states a time (a mapping without ``unspecified``)."""
    return isinstance(deadline, dict) and "unspecified" not in deadline


def _check_ending(
    doc: YamlDoc, here: tuple[str | int, ...], st: dict[str, Any], kind: StageKind, out: list[Problem]
) -> None:
    """Terminal stages say how the case ended (and where it was referred); no other stage does."""
    if kind is StageKind.TERMINAL:
        if "ending" not in st:
            out.append(
                doc.problem(
                    here,
                    f"terminal stage {st.get('id')!r} has no 'ending'",
                    "say how the case ended: " + ", ".join(e.value for e in Ending),
                )
            )
        if st.get("ending") == Ending.REFERRED_ELSEWHERE and not st.get("refers_to"):
            out.append(
                doc.problem(
                    (*here, "ending"),
                    "a 'referred-elsewhere' ending needs 'refers_to'",
                    "name the document or process the case is handed to",
                )
            )
    elif "ending" in st:
        out.append(
            doc.problem(
                (*here, "ending"),
                f"only terminal stages have an 'ending' (this stage is {kind.value})",
                "remove 'ending' or make the stage terminal",
            )
        )


def _check_request(
    doc: YamlDoc, here: tuple[str | int, ...], st: dict[str, Any], unspecified: dict[str, Any], out: list[Problem]
) -> None:
    """A request stage names its responder and has a deadline (either may be stated as unspecified)."""
    if "responder" not in st and "responders" not in st and "responder" not in unspecified:
        out.append(
            doc.problem(
                here,
                f"request stage {st.get('id')!r} names no responder",
                "add 'responder: <role>' or 'unspecified: {responder: <note>}'",
            )
        )
    if "deadline" not in st:
        out.append(
            doc.problem(
                here,
                f"request stage {st.get('id')!r} has no deadline",
                "add 'deadline:' with amount and unit, "
                "or 'deadline: {unspecified: <note>}' where the source gives none",
            )
        )


def _check_transitions(
    doc: YamlDoc, data: dict[str, Any], stages: dict[str, int] | None, kinds: dict[Hashable, Any], out: list[Problem]
) -> None:
    declared = {_key(item.get("id")): _outcomes(item) for _, item in _items(data, "stages")}
    fired: dict[tuple[Hashable, str], int] = {}
    for i, tr in _items(data, "transitions"):
        here = ("transitions", i)
        src, on = _key(tr.get("from")), tr.get("on")
        _ref(doc, (*here, "from"), src, stages, "stage", out)
        _ref(doc, (*here, "to"), tr.get("to"), stages, "stage", out)
        if kinds.get(src) == StageKind.TERMINAL.value:
            out.append(
                doc.problem(
                    (*here, "from"),
                    f"terminal stage {src!r} cannot have transitions out",
                    "make it a non-terminal stage or remove the transition",
                )
            )
        if isinstance(on, str):
            outcomes = declared.get(src)
            vocab = outcomes if outcomes is not None else list(OUTCOMES)
            if on not in vocab:
                where = f"the outcomes declared by stage {src!r}" if outcomes is not None else "the outcome vocabulary"
                out.append(doc.problem((*here, "on"), f"outcome {on!r} is not in {where}", did_you_mean(on, vocab)))
            if (src, on) in fired:
                first = doc.locate(("transitions", fired[(src, on)]))[0]
                out.append(
                    doc.problem(
                        (*here, "on"),
                        f"stage {src!r} already has a transition for outcome {on!r} (line {first})",
                        "each outcome of a stage leads to exactly one next stage; use a decision stage for a choice",
                    )
                )
            else:
                fired[(src, on)] = i


def _check_targets(doc: YamlDoc, data: dict[str, Any], stages: dict[str, int] | None, out: list[Problem]) -> None:
    for i, tg in _items(data, "targets"):
        _ref(doc, ("targets", i, "from"), tg.get("from"), stages, "stage", out)
        stops = tg.get("to")
        if isinstance(stops, list):
            for j, stop in enumerate(stops):
                _ref(doc, ("targets", i, "to", j), stop, stages, "stage", out)
        within = tg.get("within")
        if isinstance(within, dict) and within.get("unit") == "immediately":
            out.append(
                doc.problem(
                    ("targets", i, "within", "unit"),
                    "a target cannot be 'immediately'",
                    "give an amount and a unit such as working-days",
                )
            )
        if isinstance(within, dict) and "up_to" in within:
            out.append(
                doc.problem(
                    ("targets", i, "within", "up_to"),
                    "a target is one time limit, not a range",
                    "give the limit as 'amount' alone; a range such as 'between 30 and 32 weeks' is a timescale",
                    key=True,
                )
            )


def _walk_citations(node: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any]]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _CITING and isinstance(value, dict):
                yield (*loc, key), value
            else:
                yield from _walk_citations(value, (*loc, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk_citations(value, (*loc, i))


def _check_citations(doc: YamlDoc, data: dict[str, Any], out: list[Problem]) -> None:
    listed = [str(s["doc"]) for _, s in _items(data, "sources") if isinstance(s.get("doc"), str)]
    for loc, cite in _walk_citations({k: v for k, v in data.items() if k != "sources"}, ()):
        name = cite.get("doc")
        if isinstance(name, str) and name not in listed:
            out.append(
                doc.problem(
                    (*loc, "doc"), f"cited document {name!r} is not listed under 'sources'", did_you_mean(name, listed)
                )
            )


def citations(data: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any]]]:
    """Every ``source:`` citation in ``data``, and every ``provisional:`` one, with its location."""
    yield from _walk_citations({k: v for k, v in data.items() if k != "sources"}, ())
