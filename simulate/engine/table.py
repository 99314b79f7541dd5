"""A procedure compiled to a lookup table, with each stage's behaviour ready to draw from.

The simulator moves a challenge with ``table.next[(stage, outcome)]`` instead of firing triggers
on a ``transitions`` Machine; a property-based test checks that the table takes exactly the
transitions the Machine takes (:func:`walk` mirrors :func:`cpsim.model.procedure.machine.run_outcomes`).

Examples
--------
>>> from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
>>> route = load_scenario(SCENARIOS_DIR / "redcar-baseline.yaml").route("redcar-internal")
>>> table = compile_route(route.procedure, route.behaviour)
>>> table.next[("level1", "no-reply")]            # assumed by the scenario
'level2'
>>> walk(table, ["raised", "unsatisfied", "satisfied"])
'resolved'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from cpsim.model.behaviour import Behaviour, to_working_days
from cpsim.model.distributions import Fixed, Sampler
from cpsim.model.procedure.classes import Procedure
from cpsim.model.scenario.classes import effective_procedure
from cpsim.model.types import OutcomeId, StageId, StageKind
from cpsim.simulate.engine.moves import SEND, MoveLimit

__all__ = ["JointPlan", "Move", "StagePlan", "Table", "choose", "compile_route", "due_of", "leads_to", "walk"]

NO_WORK = Fixed(value=0)
"""The default stay time: a stage whose stay time equals it needs nobody to work on it."""


class Move(NamedTuple):
    """A move the scenario times: its ``move_time``, who carries it out, and the source's limit on it (if any)."""

    time: Sampler
    worker: str | None
    limit: MoveLimit | None


class JointPlan(NamedTuple):
    """A joint reply: per responder its role, reply-time sampler, whether it holds a slot, and its own deadline."""

    first: bool
    """True for ``from: any`` (the first reply answers), False for ``from: all`` (the last completes it)."""
    roles: tuple[str, ...]
    times: tuple[Sampler, ...]
    spends: tuple[bool, ...]
    own: tuple[float | None, ...]
    """Each responder's own deadline in working days, where the procedure gives one."""


@dataclass(frozen=True, slots=True)
class StagePlan:
    """What one visit to a stage does, with samplers built once."""

    stage: StageId
    kind: StageKind
    terminal: bool
    ending: str | None
    worker: str | None
    worker_acts: bool
    time: Sampler
    p_satisfied: float
    p_no_reply: float
    deadline: float | None
    timer: bool
    choices: tuple[tuple[float, OutcomeId], ...]
    moves: dict[OutcomeId, Move]
    request: bool = False
    send: Move | None = None
    """The time to send the request (a request stage with ``send:`` and a ``send_time``), by the stage's owner."""
    after: dict[OutcomeId, StageId] = field(default_factory=dict)
    """Where each outcome leads (the table's ``next`` for this stage)."""
    joint: JointPlan | None = None
    """A joint reply (several ``responders``, ``reply: {from: all|any}``); None for one responder."""


@dataclass(frozen=True)
class Table:
    """A compiled procedure: ``next[(stage, outcome)] -> stage`` and a :class:`StagePlan` per stage."""

    procedure: Procedure
    start: StageId
    next: dict[tuple[StageId, OutcomeId], StageId]
    plans: dict[StageId, StagePlan]


def walk(table: Table, outcomes: Sequence[OutcomeId]) -> StageId:
    """Fire ``outcomes`` from the start; stop at the first one the current stage has no transition for."""
    stage = table.start
    for outcome in outcomes:
        key = (stage, outcome)
        if key not in table.next:
            break
        stage = table.next[key]
    return stage


def compile_route(procedure: Procedure, behaviour: Behaviour) -> Table:
    """The table for ``procedure`` with the scenario's assumed transitions, and its stage plans."""
    proc = effective_procedure(procedure, behaviour)
    nxt = {(t.from_, t.on): t.to for t in reversed(proc.transitions)}  # first transition wins, as in Machine
    plans = {
        s.id: _plan(proc, s.id, behaviour, {o: to for (at, o), to in nxt.items() if at == s.id}) for s in proc.stages
    }
    return Table(procedure=proc, start=proc.start.id, next=nxt, plans=plans)


def _plan(proc: Procedure, sid: StageId, behaviour: Behaviour, after: dict[OutcomeId, StageId]) -> StagePlan:
    stage = proc.stage(sid)
    b = behaviour.at(sid)
    request = stage.kind is StageKind.REQUEST
    outs = [t.on for t in proc.transitions_from(sid)]
    deadline = stage.deadline.duration if stage.deadline else None
    days = to_working_days(deadline, hours_per_day=behaviour.hours_per_day) if deadline is not None else None
    dist = b.reply_time if request else b.stay_time
    if b.choices:
        choices, acc = [], 0.0
        for outcome, p in b.choices.items():
            if p > 0:
                acc += p
                choices.append((acc, outcome))
    else:
        choices = [(1.0, outs[0])] if outs else []
    moves: dict[OutcomeId, Move] = {}
    for t in proc.transitions_from(sid):
        move = b.move_time.get(t.on)
        if move is not None and t.on not in moves:
            timed = t.within is not None and t.within.is_specified
            limit = MoveLimit.of(sid, t.to, t.on, t.within, behaviour.hours_per_day) if timed and t.within else None
            moves[t.on] = Move(move.sampler(), proc.stage(t.to).owner, limit)
    send = None
    if request and stage.send is not None and b.send_time is not None:
        given = stage.send if stage.send.is_specified else None
        limit = MoveLimit.of(sid, sid, SEND, given, behaviour.hours_per_day) if given is not None else None
        send = Move(b.send_time.sampler(), stage.owner, limit)
    joint = None
    if request and stage.responders and stage.reply is not None and stage.reply.from_ is not None:
        own = [r.deadline.duration if r.deadline is not None else None for r in stage.responders]
        joint = JointPlan(
            stage.reply.from_ == "any",
            tuple(r.role for r in stage.responders),
            tuple(
                (b.responders[r.role].reply_time if r.role in b.responders else dist).sampler()
                for r in stage.responders
            ),
            tuple(r.spends_time for r in stage.responders),
            tuple(to_working_days(d, hours_per_day=behaviour.hours_per_day) if d else None for d in own),
        )
    return StagePlan(
        stage=sid,
        kind=stage.kind,
        terminal=stage.is_terminal,
        ending=stage.ending.value if stage.ending else None,
        worker=stage.responder if request else stage.owner,
        worker_acts=request or dist != NO_WORK,
        time=dist.sampler(),
        p_satisfied=b.p_satisfied,
        p_no_reply=b.p_no_reply,
        deadline=days,
        timer=request and days is not None and "no-reply" in outs,
        choices=tuple(choices),
        moves=moves,
        request=request,
        send=send,
        after=after,
        joint=joint,
    )


def leads_to(table: Table, start: str, goal: str) -> bool:
    """True when ``goal`` is ``start`` or reachable from it: a case at ``goal`` has passed ``start``."""
    seen, todo = set(), [start]
    while todo:
        stage = todo.pop()
        if stage == goal:
            return True
        if stage not in seen:
            seen.add(stage)
            todo.extend(dest for (src, _), dest in table.next.items() if src == stage)
    return False


def choose(plan: StagePlan, u: float) -> OutcomeId:
    """The outcome of a stay at a stage that is not a request: the first whose cumulative share exceeds ``u``."""
    for cum, outcome in plan.choices:
        if u < cum:
            return outcome
    return plan.choices[-1][1]


def due_of(due: float | None) -> float:
    """The deadline of a visit to a stage with a no-reply timer (the loader guarantees it has one)."""
    if due is None:
        raise ValueError("a stage that can go unanswered has no deadline")
    return due
