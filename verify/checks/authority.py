"""Line of authority: escalation should climb the ranks, and skip routes should be known for what they skip.

Ranks come from the roles (1 = practitioner, higher = more senior; null for roles outside the
line, such as the chair). From each request stage the next request stages are found through any
decision or dialogue stages in between; a move to a responder of lower rank goes down the line,
one of equal rank goes sideways. A joint rung, whose reply several roles owe, ranks as its most
senior responder: the challenge has reached them there.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> [f.code for f in check_authority(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml"))]
['SKIP_BYPASS', 'SKIP_BYPASS']
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

import networkx as nx

from cpsim.model.procedure.classes import Procedure, Stage, Transition
from cpsim.model.procedure.joint import replying
from cpsim.model.types import SKIP_OUTCOMES, StageId, StageKind
from cpsim.verify.checks.walks import digraph, moves_from, path_to, reachable_from
from cpsim.verify.checks.wording import the_role
from cpsim.verify.findings import Finding, Severity, cite

__all__ = ["ESCALATING_OUTCOMES", "check_authority"]

ESCALATING_OUTCOMES = frozenset({"unsatisfied", "no-reply", "unresolved"}) | SKIP_OUTCOMES
"""Outcomes on which a challenge is escalated: a move on them should go up the line."""


def check_authority(procedure: Procedure) -> list[Finding]:
    """Findings ESCALATION_NOT_UPWARD (violation down, warning sideways or back) and SKIP_BYPASS."""
    live = reachable_from(procedure, procedure.start.id)
    out: list[Finding] = []
    for stage in procedure.stages:
        if stage.id in live and stage.kind is StageKind.REQUEST and _rank(procedure, stage) is not None:
            for first, nxt in _next_rungs(procedure, stage):
                finding = _compare(procedure, stage, first, nxt)
                if finding:
                    out.append(finding)
    out.extend(_skips(procedure, live))
    return out


def _ranks(procedure: Procedure, stage: Stage) -> list[tuple[str, int]]:
    """The ranked roles who owe ``stage``'s reply, with their ranks (a joint rung's in the order listed)."""
    roles = [procedure.role(r) for r in replying(stage)]
    return [(r.id, r.rank) for r in roles if r.rank is not None]


def _rank(procedure: Procedure, stage: Stage) -> int | None:
    """The rank of ``stage``'s reply: its responder's, or a joint rung's most senior responder's."""
    return max((rank for _, rank in _ranks(procedure, stage)), default=None)


def _who_ranks(procedure: Procedure, stage: Stage) -> str:
    """Who replies at ``stage`` and their rank: "the team manager at Level 2 has rank 2"; several: "have ranks ..."."""
    ranked = _ranks(procedure, stage)
    if not stage.responders:
        return f"{the_role(procedure, stage.responder)} at {stage.title} has rank {ranked[0][1]}"
    names = [the_role(procedure, r) for r, _ in ranked]
    nums = [str(n) for _, n in ranked]
    names_, nums_ = (", ".join(x[:-1]) + " and " + x[-1] if len(x) > 1 else x[0] for x in (names, nums))
    if len(set(nums)) == 1:
        return f"{names_} at {stage.title} {'have' if len(names) > 1 else 'has'} rank {nums[0]}"
    return f"{names_} at {stage.title} have ranks {nums_} ({_rank(procedure, stage)} the most senior)"


def _next_rungs(procedure: Procedure, stage: Stage) -> Iterator[tuple[Transition, Stage]]:
    """Each request stage reached from ``stage`` through non-request stages, with the first move."""
    for first in moves_from(procedure, stage.id):
        seen: set[StageId] = set()
        queue = deque([first.to])
        while queue:
            sid = queue.popleft()
            if sid in seen:
                continue
            seen.add(sid)
            nxt = procedure.stage(sid)
            if nxt.kind is StageKind.REQUEST:
                yield first, nxt
            elif not nxt.is_terminal:
                queue.extend(t.to for t in moves_from(procedure, sid))


def _compare(procedure: Procedure, stage: Stage, first: Transition, nxt: Stage) -> Finding | None:
    here, there = _rank(procedure, stage), _rank(procedure, nxt)
    if here is None or there is None or there > here:
        return None
    escalating = first.on in ESCALATING_OUTCOMES
    severity: Severity
    if there < here:
        way = "down the line of authority"
        severity = "violation" if escalating else "warning"
    else:
        way = "sideways (same rank)"
        severity = "warning"
    verb = "escalated" if escalating else "sent"
    msg = (
        f"From {stage.title} the challenge is {verb} {way}: {_who_ranks(procedure, nxt)}, "
        f"but {_who_ranks(procedure, stage)}."
    )
    route = (*path_to(procedure, stage.id), *path_to(procedure, nxt.id, first.to))
    return Finding(
        "ESCALATION_NOT_UPWARD", severity, procedure.id, (stage.id, nxt.id), tuple(route), msg, cite(first.source)
    )


def _is_skip(t: Transition) -> bool:
    return t.skip or t.on in SKIP_OUTCOMES


def _dominators(normal: nx.DiGraph[StageId], start: StageId, stage: StageId) -> list[StageId]:
    """Stages every usual route from ``start`` to ``stage`` passes through (nearest last); empty if none."""
    if stage not in nx.descendants(normal, start):
        return []
    doms = nx.immediate_dominators(normal, start)
    chain, node = [], doms[stage]
    while node != start:
        chain.append(node)
        node = doms[node]
    return chain[::-1]


def _skips(procedure: Procedure, live: set[StageId]) -> list[Finding]:
    normal = digraph(procedure, [t for t in procedure.transitions if not _is_skip(t)])
    start = procedure.start.id
    out = []
    for t in procedure.transitions:
        if not _is_skip(t) or t.from_ not in live:
            continue
        passed = {t.from_, *_dominators(normal, start, t.from_)}
        bypassed = [
            s
            for s in _dominators(normal, start, t.to)
            if s not in passed and procedure.stage(s).kind is StageKind.REQUEST
        ]
        if bypassed:
            route = (*path_to(procedure, t.from_), t.to)
            out.append(_bypass(procedure, t, bypassed, route))
    return out


def _bypass(procedure: Procedure, t: Transition, bypassed: list[StageId], route: tuple[StageId, ...]) -> Finding:
    names = " and ".join(procedure.stage(s).title for s in bypassed)
    dest = procedure.stage(t.to).title
    kept = {r.what for s in route for r in procedure.stage(s).records}
    lost = list(dict.fromkeys(r.what for s in bypassed for r in procedure.stage(s).records if r.what not in kept))
    msg = f"The exceptional route to {dest} skips {names}, which every usual route passes through."
    severity: Severity = "info"
    if lost:
        msg += f" The recording duties of the skipped steps ({'; '.join(lost)}) are not done on this route."
        severity = "warning"
    return Finding("SKIP_BYPASS", severity, procedure.id, (t.from_, t.to, *bypassed), route, msg, cite(t.source))
