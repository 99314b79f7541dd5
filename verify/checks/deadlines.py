"""Deadlines against targets: is each target always met, can it be met at all, and how much slack is there.

Every time is in working days (:func:`cpsim.model.behaviour.to_working_days`). A route's worst case
assumes every reply comes at its deadline and every move takes its full ``within``; its best case
assumes instant replies, except that a ``no-reply`` move happens only once the deadline has passed.
Routes are every walk from a target's start stage to one of its stop stages, loops unrolled up to
their ``max_repeats``. A stage with no deadline, or a move whose timing is ``unspecified``,
leaves the route without a worst case: the target "cannot be guaranteed" there.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> proc = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
>>> sorted({f.code for f in check_deadlines(proc, target_days=2)})
['DEADLINE_UNSPECIFIED', 'TARGET_BOUNDS', 'TARGET_EXCEEDED', 'TARGET_NOT_GUARANTEED', 'TARGET_SLACK', 'UNTIMED_STAGE']
"""

from __future__ import annotations

from cpsim.model.procedure.classes import Procedure, Transition
from cpsim.model.types import StageId, StageKind
from cpsim.verify.checks.slack import slack_findings
from cpsim.verify.checks.stn import Rule, conflict
from cpsim.verify.checks.termination import prove_termination
from cpsim.verify.checks.timing import Clock, Step, clocks, route_bounds, step
from cpsim.verify.checks.walks import Walk, enumerate_walks, reachable_from, stages_of
from cpsim.verify.checks.wording import render, render_walk, the, who
from cpsim.verify.findings import Finding, cite

__all__ = ["check_deadlines", "days"]

Bound = tuple[Walk, float, float | None]
"""A route with its best and worst time (worst None when some step is unbounded)."""

MAX_LISTED = 10
"""At most this many routes are listed per target and kind of finding; the rest are counted."""


def days(x: float) -> str:
    """``x`` working days in words.

    >>> days(1), days(2.5)
    ('1 working day', '2.5 working days')
    """
    return f"{x:g} working day" + ("" if x == 1 else "s")


def check_deadlines(procedure: Procedure, target_days: float | None = None) -> list[Finding]:
    """Findings DEADLINE_*, WITHIN_UNSPECIFIED, TARGET_*, ROUTE_MISSES_TARGET and UNTIMED_STAGE."""
    out = _unspecified(procedure)
    untimed: dict[str, Finding] = {}
    for clock in clocks(procedure, target_days):
        out.extend(_check_clock(procedure, clock, untimed))
    return out + list(untimed.values())


def _unspecified(procedure: Procedure) -> list[Finding]:
    live = reachable_from(procedure, procedure.start.id)
    out = []
    for s in procedure.stages:
        if s.id in live and s.deadline is not None and not s.deadline.is_specified:
            who_ = who(procedure, s.responder) if s.kind is StageKind.REQUEST else "this stage"
            msg = f"{s.title}: no deadline for {who_}. The source is silent: {s.deadline.unspecified}"
            out.append(Finding("DEADLINE_UNSPECIFIED", "gap", procedure.id, (s.id,), (), msg, cite(s.source)))
        if s.id in live and s.deadline is None and s.kind is StageKind.REQUEST:
            msg = f"{s.title} asks {who(procedure, s.responder)} to reply but sets no deadline and does not say the "
            msg += "source is silent: add 'deadline', or 'deadline: {unspecified: <note>}'."
            out.append(Finding("DEADLINE_MISSING", "violation", procedure.id, (s.id,), (), msg, cite(s.source)))
    for t in procedure.transitions:
        if t.from_ in live and t.within is not None and not t.within.is_specified:
            a, b = procedure.stage(t.from_).title, procedure.stage(t.to).title
            msg = f"The move from {a} to {b} has no time limit. The source is silent: {t.within.unspecified}"
            out.append(Finding("WITHIN_UNSPECIFIED", "gap", procedure.id, (t.from_, t.to), (), msg, cite(t.source)))
    return out


def _check_clock(procedure: Procedure, clock: Clock, untimed: dict[str, Finding]) -> list[Finding]:
    walks, complete = enumerate_walks(procedure, clock.start, clock.stops)
    covered = [w for w in walks if w and w[-1].to in clock.stops]
    target = f"the target “{clock.title}” ({clock.label})"
    pid = procedure.id
    if not covered:
        msg = f"No route from {procedure.stage(clock.start).title} reaches where {target} stops: it never applies."
        return [Finding("TARGET_NO_ROUTE", "warning", pid, (clock.start,), (), msg, clock.source)]
    bounds = [(w, *route_bounds(procedure, w)) for w in covered]
    out = _exceeded(procedure, clock, bounds, target)
    out += _not_guaranteed(procedure, clock, bounds, target)
    out += _loops(procedure, clock, target)
    meetable = _meetable(procedure, clock, covered, target)
    out += meetable
    out.append(_summary(procedure, clock, bounds, complete, target, len(meetable)))
    out += slack_findings(procedure, clock, covered)
    for w in covered:
        for t in w:
            s = step(procedure, t)
            if s.untimed and s.stage not in untimed:
                title = procedure.stage(s.stage).title
                msg = f"{title} has no time limit; the deadline figures count it as taking no time."
                untimed[s.stage] = Finding("UNTIMED_STAGE", "info", pid, (s.stage,), (), msg, None)
    return out


def _route(clock: Clock, w: Walk) -> tuple[str, ...]:
    return stages_of(w, clock.start)


def _exceeded(procedure: Procedure, clock: Clock, bounds: list[Bound], target: str) -> list[Finding]:
    late = [(w, hi) for w, _, hi in bounds if hi is not None and hi > clock.days + 1e-9]
    over = sorted(late, key=lambda b: -b[1])
    out = []
    for w, hi in over[:MAX_LISTED]:
        msg = (
            f"{render_walk(procedure, w, clock.start)} can take {days(hi)}, {days(hi - clock.days)} over "
            f"{target}, with every reply at its deadline and every move taking its full time."
        )
        out.append(Finding("TARGET_EXCEEDED", "violation", procedure.id, (), _route(clock, w), msg, clock.source))
    if len(over) > MAX_LISTED:
        msg = f"{len(over) - MAX_LISTED} more routes can also take longer than {target}."
        out.append(Finding("TARGET_EXCEEDED", "violation", procedure.id, (), (), msg, clock.source))
    return out


def _breaker(steps: list[Step]) -> tuple[int, str]:
    for i, s in enumerate(steps):
        if s.stay_hi is None:
            return i, "stage"
        if s.move_hi is None:
            return i, "move"
    raise ValueError("route has a worst case")


def _not_guaranteed(procedure: Procedure, clock: Clock, bounds: list[Bound], target: str) -> list[Finding]:
    groups: dict[tuple[int, str, str], list[Walk]] = {}
    for w, _, hi in bounds:
        if hi is None:
            steps = [step(procedure, t) for t in w]
            i, kind = _breaker(steps)
            groups.setdefault((0, kind, steps[i].stage if kind == "stage" else f"{w[i].from_}:{w[i].on}"), []).append(
                w[: i + 1]
            )
    out = []
    for (_, kind, _key), ws in groups.items():
        w = min(ws, key=len)
        last = w[-1]
        if kind == "stage":
            stage = procedure.stage(last.from_)
            lead = _how_reached(procedure, w[-2]) if len(w) > 1 else "The case starts at"
            gone = f"{lead} {stage.title}, where the {the(who(procedure, stage.responder))}"
            msg = f"{gone} has no reply deadline: nothing guarantees {target} on this route."
            src = cite(stage.deadline.source) if stage.deadline and stage.deadline.source else cite(stage.source)
            stages: tuple[StageId, ...] = (stage.id,)
            route = _route(clock, w[:-1])
        else:
            a, b = procedure.stage(last.from_).title, procedure.stage(last.to).title
            msg = f"The move from {a} to {b} has no time limit: nothing guarantees {target} on this route."
            src, stages, route = cite(last.source), (last.from_, last.to), _route(clock, w)
        if len(ws) > 1:
            msg += f" ({len(ws)} routes pass this way.)"
        out.append(Finding("TARGET_NOT_GUARANTEED", "gap", procedure.id, stages, route, msg, src))
    return out


def _how_reached(procedure: Procedure, t: Transition) -> str:
    prev = procedure.stage(t.from_)
    resp, owner = the(who(procedure, prev.responder)), the(who(procedure, prev.owner))
    if prev.kind is StageKind.REQUEST and t.on == "unsatisfied":
        return f"If the {resp}'s reply does not satisfy the {owner}, the challenge goes to"
    if prev.kind is StageKind.REQUEST and t.on == "no-reply":
        return f"If the {resp} does not reply in time, the challenge goes to"
    words = t.on.replace("-", " ")
    return f"When {prev.title} ends with '{words}', the challenge goes to"


def _loops(procedure: Procedure, clock: Clock, target: str) -> list[Finding]:
    ahead = reachable_from(procedure, clock.start)
    out = []
    for loop in prove_termination(procedure).unbounded_loops:
        if loop[0] in ahead and loop[0] not in clock.stops:
            msg = f"A case can go round {render(procedure, loop)} without limit: nothing guarantees {target}."
            out.append(Finding("TARGET_NOT_GUARANTEED", "gap", procedure.id, loop[:-1], loop, msg, clock.source))
    return out


def _route_rules(procedure: Procedure, clock: Clock, w: Walk) -> tuple[list[Rule], list[tuple[int, int]]]:
    rules = [Rule(0, 2 * len(w), 0.0, clock.days, f"the target: {clock.title} ({clock.label})", clock.source)]
    for i, t in enumerate(w):
        s = step(procedure, t)
        stage = procedure.stage(s.stage)
        if s.stay_lo > 0:
            label = f"at {stage.title} 'no reply' is known only when the deadline ({days(s.stay_lo)}) has passed"
            src = cite(stage.deadline.source) if stage.deadline else None
            rules.append(Rule(2 * i, 2 * i + 1, s.stay_lo, s.stay_hi, label, src))
    precedence = [(k, k + 1) for k in range(2 * len(w))]
    return rules, precedence


def _meetable(procedure: Procedure, clock: Clock, covered: list[Walk], target: str) -> list[Finding]:
    clashes = []
    for w in covered:
        rules, prec = _route_rules(procedure, clock, w)
        found = conflict(rules, prec)
        if found is not None:
            clashes.append((w, found))
    if not clashes:
        return []
    pid = procedure.id
    if len(clashes) == len(covered):
        w, found = clashes[0]
        msg = (
            f"{target[0].upper()}{target[1:]} can never be met, however quickly people reply. On the quickest "
            f"route, {render_walk(procedure, w, clock.start)}, these rules clash: " + "; ".join(r.label for r in found)
        )
        return [Finding("TARGET_UNMEETABLE", "violation", pid, (), _route(clock, w), msg, clock.source)]
    out = []
    for w, found in clashes[:MAX_LISTED]:
        msg = (
            f"No case on {render_walk(procedure, w, clock.start)} can meet {target}, however quickly people reply: "
            + "; ".join(r.label for r in found)
        )
        src = next((r.source for r in found[1:] if r.source), clock.source)
        out.append(Finding("ROUTE_MISSES_TARGET", "warning", pid, (), _route(clock, w), msg, src))
    return out


def _summary(
    procedure: Procedure, clock: Clock, bounds: list[Bound], complete: bool, target: str, clashes: int
) -> Finding:
    his = [hi for _, _, hi in bounds if hi is not None]
    best = min(lo for _, lo, _ in bounds)
    text = f"{len(bounds)} route(s) from {procedure.stage(clock.start).title} are covered by {target}; "
    text += f"the quickest takes {days(best)}"
    if his:
        text += f", and with every reply at its deadline the slowest timed route takes {days(max(his))}"
    blind = len(bounds) - len(his)
    if blind:
        text += f"; {blind} route(s) have no worst case because a stage or move has no time limit"
    if not complete:
        text += " (too many routes to list them all: only the first were checked)"
    text += ". " + _two_questions(clock, his, blind, clashes, len(bounds))
    return Finding("TARGET_BOUNDS", "info", procedure.id, (clock.start,), (), text, clock.source)


def _two_questions(clock: Clock, his: list[float], blind: int, clashes: int, routes: int) -> str:
    """Plain answers to "can the target be met?" and "is it always met?"."""
    if clashes == 0:
        can = "Can it be met? Yes, on every route, if replies come quickly enough."
    elif clashes < routes:
        can = "Can it be met? Yes, but not on every route (see ROUTE_MISSES_TARGET)."
    else:
        can = "Can it be met? No (see TARGET_UNMEETABLE)."
    if any(h > clock.days + 1e-9 for h in his):
        always = "Is it always met? No: a reply at its deadline can miss it (see TARGET_EXCEEDED)."
    elif blind:
        always = "Is it always met? It cannot be guaranteed (see TARGET_NOT_GUARANTEED)."
    else:
        always = "Is it always met? Yes, whenever every reply comes by its deadline."
    return f"{can} {always}"
