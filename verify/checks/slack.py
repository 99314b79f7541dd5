"""Slack: the latest day each rung can reply and still leave time for the rest of every route.

Days are counted in working days from the stage where the target's clock starts. For a rung on a
route, the latest reply day is the target less the worst-case time of everything after the reply;
over all the routes a target covers, a rung's latest day is the earliest of these. A route on which
something after the reply has no time limit gives no latest day at all: no reply, however early,
keeps the target safe there, and the finding says so and names what has no time limit.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> from cpsim.verify.checks.timing import clocks
>>> from cpsim.verify.checks.walks import enumerate_walks
>>> proc = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
>>> clock = clocks(proc)[0]
>>> walks, _ = enumerate_walks(proc, clock.start, clock.stops)
>>> [f.stages for f in slack_findings(proc, clock, walks)]
[('level1',), ('level2',), ('level3',)]
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

from cpsim.model.procedure.classes import Procedure, Stage
from cpsim.model.procedure.joint import the_repliers
from cpsim.model.types import StageId, StageKind
from cpsim.verify.checks.timing import Clock, Step, first_unbounded, started_before, step, unbounded, walk_time
from cpsim.verify.checks.walks import Walk
from cpsim.verify.findings import Finding, cite

__all__ = ["RungSlack", "rung_slack", "slack_findings", "slack_table_findings"]

LONG_ROUTE = 64
"""Routes of more moves than this are timed by running sums, once each way, instead of step by step from each rung."""


class RungSlack(NamedTuple):
    """One rung's slack against one target.

    ``latest``: the latest reply day that keeps the target on every route timed after the reply
    (None when no route is). ``worst``: the latest day a reply at the deadline can come (None when
    something before it, or its own deadline, has no time limit). ``left_out``: why the routes
    left out of ``latest`` have no bound after the reply. ``unbounded_before``: why ``worst`` is None.
    """

    latest: float | None
    worst: float | None
    left_out: tuple[str, ...]
    unbounded_before: tuple[str, ...]


def rung_slack(procedure: Procedure, clock: Clock, walks: list[Walk]) -> dict[StageId, RungSlack]:
    """Per request stage on ``walks``: its :class:`RungSlack`."""
    latest: dict[StageId, float | None] = {}
    worst: dict[StageId, float | None] = {}
    left_out: dict[StageId, dict[str, None]] = {}
    before_why: dict[StageId, dict[str, None]] = {}
    joins = any(d.before for d in procedure.duties)
    for w in walks:
        steps = [step(procedure, t) for t in w]
        sums = None if joins or len(w) <= LONG_ROUTE else _running(procedure, steps)
        for i, s in enumerate(steps):
            if procedure.stage(s.stage).kind is not StageKind.REQUEST:
                continue
            sid = s.stage
            latest.setdefault(sid, None)
            worst.setdefault(sid, None)
            after = _after(procedure, w, i, steps) if sums is None else sums[0][i]
            if isinstance(after, str):
                left_out.setdefault(sid, {})[after] = None
            else:
                day = clock.days - after
                old = latest[sid]
                latest[sid] = day if old is None else min(old, day)
            before = _before(procedure, w, i, steps) if sums is None else sums[1][i]
            if isinstance(before, str):
                before_why.setdefault(sid, {})[before] = None
            else:
                old = worst[sid]
                worst[sid] = before if old is None else max(old, before)
    return {
        sid: RungSlack(
            latest[sid],
            None if sid in before_why else worst[sid],
            tuple(left_out.get(sid, {})),
            tuple(before_why.get(sid, {})),
        )
        for sid in latest
    }


def _running(procedure: Procedure, steps: list[Step]) -> tuple[list[float | str], list[float | str]]:
    """For each step of a route with no joins: what :func:`_after` and :func:`_before` give, by running sums."""
    n = len(steps)
    rest: list[float | str] = [0.0] * (n + 1)
    for i in range(n - 1, -1, -1):
        s, later = steps[i], rest[i + 1]
        why = unbounded(procedure, s)
        rest[i] = why if why is not None else (later if isinstance(later, str) else (s.hi or 0.0) + later)
    after: list[float | str] = []
    for i, s in enumerate(steps):
        why = unbounded(procedure, s, stay=False)
        later = rest[i + 1]
        after.append(why if why is not None else (later if isinstance(later, str) else (s.move_hi or 0.0) + later))
    before: list[float | str] = []
    upto: float | str = 0.0
    for s in steps:
        if isinstance(upto, str):
            before.append(upto)
            continue
        why = unbounded(procedure, s, move=False)
        before.append(why if why is not None else upto + (s.stay_hi or 0.0))
        why = unbounded(procedure, s)
        upto = why if why is not None else upto + (s.hi or 0.0)
    return after, before


def _after(procedure: Procedure, w: Walk, i: int, steps: list[Step]) -> float | str:
    """Worst time from the reply at step ``i`` to the end of the route, or why it has none.

    A join on the rest of the route waits for its duty; a duty begun before the reply is counted as
    if it began at the reply, which is the latest it can have begun.
    """
    s, rest = steps[i], steps[i + 1 :]
    why = unbounded(procedure, s, stay=False) or first_unbounded(procedure, rest)
    if why is not None:
        return why
    replied = replace(s, stay_lo=0.0, stay_hi=0.0)
    wt = walk_time(procedure, w[i:], [replied, *rest], started_before(procedure, w, i))
    return wt.why if wt.hi is None and wt.why is not None else (wt.hi or 0.0)


def _before(procedure: Procedure, w: Walk, i: int, steps: list[Step]) -> float | str:
    """Latest day a reply at the deadline of step ``i`` can come, or why nothing bounds it."""
    s = steps[i]
    earlier = walk_time(procedure, w[:i], steps[:i])
    why = earlier.why or unbounded(procedure, s, move=False)
    if why is not None or earlier.hi is None:
        return why or "an earlier step has no time limit"
    return earlier.hi + (s.stay_hi or 0.0)


def slack_findings(procedure: Procedure, clock: Clock, walks: list[Walk]) -> list[Finding]:
    """One TARGET_SLACK info finding per rung on the routes ``walks``, in stage order."""
    return slack_table_findings(procedure, clock, rung_slack(procedure, clock, walks))


def slack_table_findings(procedure: Procedure, clock: Clock, table: dict[StageId, RungSlack]) -> list[Finding]:
    """One TARGET_SLACK info finding per rung of ``table`` (from :func:`rung_slack` or the graph), in stage order."""
    out = []
    for stage in procedure.stages:
        if stage.id in table:
            text = _slack_text(procedure, clock, stage, table[stage.id])
            out.append(Finding("TARGET_SLACK", "info", procedure.id, (stage.id,), (), text, cite(stage.source)))
    return out


def _slack_text(procedure: Procedure, clock: Clock, stage: Stage, rung: RungSlack) -> str:
    resp = the_repliers(procedure, stage)
    target = f"the target “{clock.title}” ({clock.label})"
    if rung.latest is None:
        return (
            f"{stage.title}: no reply day for {resp} keeps {target} safe: it is not guaranteed on any route on from "
            f"here because {_and(rung.left_out)}."
        )
    if rung.latest < 0:
        return f"{stage.title}: the rest of the route alone can take longer than {target}."
    start = procedure.stage(clock.start).title
    text = f"{stage.title}: to keep {target}, {resp} must reply by working day {rung.latest:g} counting from {start}"
    if rung.left_out:
        text += (
            f" on the routes timed after the reply; on the others no reply, however early, guarantees it, because "
            f"{_and(rung.left_out)}"
        )
    if rung.worst is not None:
        spare = rung.latest - rung.worst
        tail = f"{spare:g} working day(s) to spare" if spare >= 0 else f"{-spare:g} working day(s) too late"
        text += f"; a reply at the deadline comes by day {rung.worst:g} at the latest ({tail})"
    elif not stage.responders and stage.deadline is not None and not stage.deadline.is_specified:
        text += "; it has no reply deadline, so nothing makes it reply in time"
    elif rung.unbounded_before:
        text += f"; nothing bounds when a reply at its deadline comes, because {_and(rung.unbounded_before)}"
    return text + "."


def _and(parts: tuple[str, ...]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
