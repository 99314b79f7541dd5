"""Building blocks for tests: small procedures from compact specs, and a hypothesis strategy of random ones.

Import as ``from tests.strategies import procedures, make_procedure`` (the repository root is on
``sys.path`` when pytest runs from it).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from cpsim.model import Procedure, load_procedure

__all__ = ["CITE", "make_data", "make_procedure", "procedure_data", "procedures", "via_loader", "write_and_load"]

DOC = "test-source.txt"
CITE = {"doc": DOC, "ref": "1", "quote": "a rule"}


def _deadline(spec: Any) -> dict[str, Any] | None:
    if spec is None:
        return None
    if isinstance(spec, str):
        return {"unspecified": spec}
    if isinstance(spec, dict):
        return {"source": CITE, **spec}
    return {"amount": spec, "unit": "working-days", "source": CITE}


def make_data(
    stages: list[dict[str, Any]],
    transitions: list[tuple[str, str, str] | dict[str, Any]],
    *,
    ranks: dict[str, int | None] | None = None,
    targets: list[dict[str, Any]] = (),  # type: ignore[assignment]
) -> dict[str, Any]:
    """Procedure data from compact specs.

    ``stages``: dicts with at least ``id`` and ``kind``; ``deadline`` may be a number (working days),
    a string (unspecified note) or a full mapping; request stages default to responder ``r_<id>``.
    ``transitions``: ``(from, on, to)`` triples or full mappings (``source`` is filled in).
    ``ranks``: rank per role id (roles are created for every owner/responder named).
    """
    ranks = dict(ranks or {})
    out_stages = []
    for spec in stages:
        s = {"title": spec["id"].replace("_", " ").title(), "source": CITE, **spec}
        if s["kind"] == "request":
            s.setdefault("responder", f"r_{s['id']}")
            s["deadline"] = _deadline(s.get("deadline", 1)) or {"unspecified": "none given"}
        elif "deadline" in s:
            s["deadline"] = _deadline(s["deadline"])
        if s["kind"] == "terminal":
            s.setdefault("ending", "resolved")
        if s["kind"] != "terminal":
            s.setdefault("owner", "chair")
        out_stages.append(s)
    roles = {"chair": None}
    for s in out_stages:
        for key in ("owner", "responder"):
            if s.get(key):
                roles.setdefault(s[key], ranks.get(s[key], 1))
    roles.update({k: v for k, v in ranks.items() if k in roles})
    trans = []
    for t in transitions:
        if isinstance(t, tuple):
            t = {"from": t[0], "on": t[1], "to": t[2]}
        trans.append({"source": CITE, **t})
    return {
        "id": "test",
        "title": "Test procedure",
        "authority": "Testshire",
        "version": "1",
        "effective_date": "unspecified",
        "sources": [{"doc": DOC, "title": "Test source"}],
        "roles": [
            {"id": r, "title": r.replace("_", " ").capitalize(), "agency": "Agency", "rank": k}
            for r, k in roles.items()
        ],
        "stages": out_stages,
        "transitions": trans,
        "targets": [{"source": CITE, **t} for t in targets],
    }


def make_procedure(*args: Any, **kwargs: Any) -> Procedure:
    """A :class:`Procedure` from :func:`make_data` specs (typed, not cross-checked by the loader)."""
    return Procedure.model_validate(make_data(*args, **kwargs))


def via_loader(data: dict[str, Any], folder: Path) -> Procedure:
    """Write ``data`` as a procedure file in ``folder`` (JSON is YAML) and load it with every check."""
    path = folder / f"{data['id']}.yaml"
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return load_procedure(path)


_OUTCOMES = ("satisfied", "unsatisfied", "no-reply")


@st.composite
def procedure_data(draw: st.DrawFn, max_rungs: int = 4) -> dict[str, Any]:
    """Data of a random valid procedure: a ladder of request stages with random exits, loops and gaps."""
    n = draw(st.integers(1, max_rungs))
    rungs = [f"l{i}" for i in range(1, n + 1)]
    ends = ["resolved"] + (["closed"] if draw(st.booleans()) else [])
    deadline = st.one_of(
        st.integers(1, 4),
        st.just("no deadline given"),
        st.builds(lambda a: {"amount": a, "unit": "hours"}, st.sampled_from([4, 24, 48])),
        st.builds(lambda a: {"amount": a, "unit": "calendar-days"}, st.integers(1, 3)),
    )
    stages: list[dict[str, Any]] = [{"id": "raise", "kind": "start"}]
    trans: list[dict[str, Any]] = [{"from": "raise", "on": "raised", "to": "l1"}]
    for i, sid in enumerate(rungs):
        stage: dict[str, Any] = {"id": sid, "kind": "request", "deadline": draw(deadline), "unspecified": {}}
        for outcome in _OUTCOMES:
            choice = draw(st.sampled_from(["end", "up", "back", "missing", "gap"]))
            later, earlier = rungs[i + 1 :], rungs[: i + 1]
            if choice == "up" and later:
                trans.append({"from": sid, "on": outcome, "to": draw(st.sampled_from(later))})
            elif choice == "back":
                bound = draw(st.one_of(st.none(), st.integers(1, 2)))
                t = {"from": sid, "on": outcome, "to": draw(st.sampled_from(earlier))}
                trans.append(t | ({"max_repeats": bound} if bound else {}))
            elif choice == "gap":
                stage["unspecified"][outcome] = "the source is silent"
            elif choice != "missing" or outcome == "satisfied":
                trans.append({"from": sid, "on": outcome, "to": draw(st.sampled_from(ends))})
        stages.append(stage)
    if draw(st.booleans()):
        stages.append({"id": "pick", "kind": "decision", "outcomes": ["go-a", "go-b"], "judgement": "as they see fit"})
        trans.append({"from": "raise", "on": "urgent", "to": "pick", "skip": True})
        for outcome in ("go-a", "go-b"):
            trans.append({"from": "pick", "on": outcome, "to": draw(st.sampled_from(rungs + ends)), "skip": True})
    within = st.one_of(
        st.none(),
        st.just({"unspecified": "no time given"}),
        st.builds(lambda a: {"amount": a, "unit": "working-days", "source": CITE}, st.integers(1, 2)),
    )
    for t in trans:
        w = draw(within)
        if w is not None:
            t["within"] = w
    stages += [
        {"id": e, "kind": "terminal", "ending": "resolved" if e == "resolved" else "closed-unresolved"} for e in ends
    ]
    ranks = {f"r_{sid}": draw(st.one_of(st.none(), st.integers(1, 5))) for sid in rungs}
    targets = []
    if draw(st.booleans()):
        targets.append(
            {
                "id": "t",
                "title": "Resolved in time",
                "from": draw(st.sampled_from(["raise", "l1"])),
                "within": {"amount": draw(st.integers(1, 8)), "unit": "working-days"},
            }
        )
    return make_data(stages, trans, ranks=ranks, targets=targets)


def procedures(max_rungs: int = 4) -> st.SearchStrategy[Procedure]:
    """Random valid procedures (see :func:`procedure_data`)."""
    return procedure_data(max_rungs).map(Procedure.model_validate)


def write_and_load(write: Any, *args: Any, **kwargs: Any) -> Procedure:
    """Write a procedure from :func:`make_data` specs with the ``write`` fixture and load it with every check."""
    data = make_data(*args, **kwargs)
    return load_procedure(write(f"{data['id']}.yaml", json.dumps(data, indent=1)))
