"""Deadlines against targets: is each target always met, can it be met at all, and how much slack is there.

Every time is in working days (:func:`cpsim.model.behaviour.to_working_days`). A route's worst case
assumes every reply comes at its deadline and every move takes its full ``within``; its best case
assumes instant replies, except that a ``no-reply`` move happens only once the deadline has passed.
Routes are every walk from a target's start stage to one of its stop stages, loops unrolled up to
their ``max_repeats``. A stage with no deadline, or a move with no ``within`` or an ``unspecified``
one, leaves the route without a worst case: the target "cannot be guaranteed" there, and nothing
that has no time limit is ever counted as taking no time (:mod:`cpsim.verify.checks.timing`). A
route whose timed steps alone already take longer than the target exceeds it all the same.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> proc = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
>>> sorted({f.code for f in check_deadlines(proc, target_days=2)})  # doctest: +NORMALIZE_WHITESPACE
['DEADLINE_UNSPECIFIED', 'TARGET_BOUNDS', 'TARGET_EXCEEDED', 'TARGET_NEVER_STARTS', 'TARGET_NOT_GUARANTEED',
 'TARGET_SLACK', 'UNTIMED_MOVE', 'UNTIMED_STAGE', 'WITHIN_UNSPECIFIED']
"""

from __future__ import annotations

from dataclasses import dataclass

from cpsim.model.procedure.classes import Deadline, Procedure, Stage
from cpsim.model.procedure.joint import replying_words
from cpsim.model.types import StageId, StageKind
from cpsim.verify.checks.coverage import coverage_findings
from cpsim.verify.checks.reply_time import how_reached
from cpsim.verify.checks.routes import route_dag
from cpsim.verify.checks.slack import slack_findings
from cpsim.verify.checks.stn import Rule, conflict
from cpsim.verify.checks.termination import prove_termination
from cpsim.verify.checks.timing import Clock, Step, clocks, join_waits, stay_gap, step, unbounded, walk_time
from cpsim.verify.checks.walks import Walk, enumerate_walks, reachable_from, stages_of
from cpsim.verify.checks.wording import render, render_walk, the, the_role
from cpsim.verify.findings import Finding, cite

__all__ = ["check_deadlines", "days"]


@dataclass(frozen=True)
class Bound:
    """A route's best time, its worst time (None when some step is unbounded) and what bounds its timed steps."""

    walk: Walk
    lo: float
    hi: float | None
    timed_hi: float
    why: str | None

    @property
    def worst_at_least(self) -> float:
        """The worst case when it is known, else the least it can be (the timed steps alone)."""
        return self.hi if self.hi is not None else self.timed_hi


def _bound(procedure: Procedure, w: Walk) -> Bound:
    wt = walk_time(procedure, w, [step(procedure, t) for t in w])
    return Bound(w, wt.lo, wt.hi, wt.timed_hi, wt.why)


MAX_LISTED = 10
"""At most this many routes are listed per target and kind of finding; the rest are counted."""


def days(x: float) -> str:
    """``x`` working days in words.

    >>> days(1), days(2.5)
    ('1 working day', '2.5 working days')
    """
    return f"{x:g} working day" + ("" if x == 1 else "s")


def check_deadlines(procedure: Procedure, target_days: float | None = None) -> list[Finding]:
    """Findings DEADLINE_*, WITHIN_UNSPECIFIED, TARGET_*, ROUTE_MISSES_TARGET, UNTIMED_STAGE and UNTIMED_MOVE."""
    out = _unspecified(procedure)
    untimed: dict[tuple[str, ...], Finding] = {}
    for clock in clocks(procedure, target_days):
        out.extend(_check_clock(procedure, clock, untimed))
    return out + list(untimed.values())


def _unspecified(procedure: Procedure) -> list[Finding]:
    live = reachable_from(procedure, procedure.start.id)
    out = []
    for s in procedure.stages:
        if s.id in live and s.deadline is not None and not s.deadline.is_specified:
            who_ = replying_words(procedure, s) if s.kind is StageKind.REQUEST else "this stage"
            msg = f"{s.title}: no deadline for {who_}. The source is silent: {s.deadline.unspecified}"
            out.append(Finding("DEADLINE_UNSPECIFIED", "gap", procedure.id, (s.id,), (), msg, cite(s.source)))
        if s.id in live and s.deadline is None and s.kind is StageKind.REQUEST:
            msg = f"{s.title} asks {replying_words(procedure, s)} to reply but sets no deadline and does not say the "
            msg += "source is silent: add 'deadline', or 'deadline: {unspecified: <note>}'."
            out.append(Finding("DEADLINE_MISSING", "violation", procedure.id, (s.id,), (), msg, cite(s.source)))
    for t in procedure.transitions:
        if t.from_ in live and t.within is not None and not t.within.is_specified:
            a, b = procedure.stage(t.from_).title, procedure.stage(t.to).title
            msg = f"The move from {a} to {b} has no time limit. The source is silent: {t.within.unspecified}"
            src = cite(t.within.source or t.source)
            out.append(Finding("WITHIN_UNSPECIFIED", "gap", procedure.id, (t.from_, t.to), (), msg, src))
    return out


def _check_clock(procedure: Procedure, clock: Clock, untimed: dict[tuple[str, ...], Finding]) -> list[Finding]:
    """Every finding about one target: on its listed routes, or on the graph when they are too many to list."""
    walks, complete = enumerate_walks(procedure, clock.start, clock.stops)
    covered = [w for w in walks if w and w[-1].to in clock.stops]
    target = f"the target “{clock.title}” ({clock.label})"
    out = coverage_findings(procedure, clock, target)
    if not complete and (dag := route_dag(procedure, clock)) is not None:
        from cpsim.verify.checks.deadlines_dag import check_clock_dag

        return out + check_clock_dag(procedure, clock, dag, untimed, target)
    if not covered:
        msg = f"No route from {procedure.stage(clock.start).title} reaches where {target} stops: it never applies."
        return [*out, Finding("TARGET_NO_ROUTE", "warning", procedure.id, (clock.start,), (), msg, clock.source)]
    bounds = [_bound(procedure, w) for w in covered]
    exceeded = _exceeded(procedure, clock, bounds, target)
    out += exceeded
    out += _not_guaranteed(procedure, clock, bounds, target)
    out += _loops(procedure, clock, target)
    meetable = _meetable(procedure, clock, covered, target)
    out += meetable
    out.append(_summary(procedure, clock, bounds, complete, target, (len(meetable), bool(exceeded))))
    out += slack_findings(procedure, clock, covered)
    for w in covered:
        for t in w:
            _note_untimed(procedure, step(procedure, t), untimed)
    return out


def _note_untimed(procedure: Procedure, s: Step, untimed: dict[tuple[str, ...], Finding]) -> None:
    """Record UNTIMED_STAGE for a stage, and UNTIMED_MOVE for a move, the file gives no time at all."""
    pid = procedure.id
    if s.untimed and (s.stage,) not in untimed:
        stage = procedure.stage(s.stage)
        msg = (
            f"{stage.title} has no time limit (it is a {stage.kind.value} stage with no deadline), so the routes "
            "through it have no upper bound; the deadline figures leave them unbounded."
        )
        untimed[(s.stage,)] = Finding("UNTIMED_STAGE", "info", pid, (s.stage,), (), msg, None)
    t = s.transition
    if s.untimed_move and (t.from_, t.on, t.to) not in untimed:
        a, b = procedure.stage(t.from_).title, procedure.stage(t.to).title
        msg = (
            f"The move from {a} to {b} has no time limit in the file (no 'within'), so the routes through it have "
            "no upper bound. Add 'within' if the source gives a time for it, or 'within: {unspecified: <note>}' "
            "if the source is silent."
        )
        untimed[(t.from_, t.on, t.to)] = Finding(
            "UNTIMED_MOVE", "warning", pid, (t.from_, t.to), (), msg, cite(t.source)
        )


def _route(clock: Clock, w: Walk) -> tuple[str, ...]:
    return stages_of(w, clock.start)


def exceeded_message(walk: str, worst: float, limit: float, target: str, why: str | None) -> str:
    """TARGET_EXCEEDED's words for a route that can take ``worst`` against ``limit``; ``why`` names its untimed step.

    >>> exceeded_message("Level 1", 7, 5, "the target", None)[:57]
    'Level 1 can take 7 working days, 2 working days over the '
    """
    msg = f"{walk} can take {days(worst)}, {days(worst - limit)} over {target}"
    if why is None:
        return msg + ", with every reply at its deadline and every move taking its full time."
    return (
        msg + f", counting only its timed steps with every reply at its deadline; {why}, so it can take longer still."
    )


def _exceeded(procedure: Procedure, clock: Clock, bounds: list[Bound], target: str) -> list[Finding]:
    over = sorted((b for b in bounds if b.worst_at_least > clock.days + 1e-9), key=lambda b: -b.worst_at_least)
    out = []
    for b in over[:MAX_LISTED]:
        walk = render_walk(procedure, b.walk, clock.start)
        msg = exceeded_message(walk, b.worst_at_least, clock.days, target, None if b.hi is not None else b.why)
        out.append(Finding("TARGET_EXCEEDED", "violation", procedure.id, (), _route(clock, b.walk), msg, clock.source))
    if len(over) > MAX_LISTED:
        msg = f"{len(over) - MAX_LISTED} more routes can also take longer than {target}."
        out.append(Finding("TARGET_EXCEEDED", "violation", procedure.id, (), (), msg, clock.source))
    return out


def _unbounded_parts(procedure: Procedure, w: Walk) -> dict[tuple[str, ...], tuple[Step, Walk]]:
    """Each part of ``w`` with no upper bound (a stay or a move), with the walk up to it."""
    parts: dict[tuple[str, ...], tuple[Step, Walk]] = {}
    for i, t in enumerate(w):
        s = step(procedure, t)
        if s.stay_hi is None:
            parts.setdefault(("stay", s.stage), (s, w[:i]))
        if s.move_hi is None:
            parts.setdefault(("move", t.from_, t.on), (s, w[: i + 1]))
    return parts


def _not_guaranteed(procedure: Procedure, clock: Clock, bounds: list[Bound], target: str) -> list[Finding]:
    """One TARGET_NOT_GUARANTEED per stage or move with no time limit on the covered routes, with a route to it."""
    groups: dict[tuple[str, ...], list[tuple[Step, Walk]]] = {}
    for b in bounds:
        if b.hi is None:
            for key, part in _unbounded_parts(procedure, b.walk).items():
                groups.setdefault(key, []).append(part)
            for jw in join_waits(procedure, b.walk):
                if not jw.duty.within.is_specified:
                    part = (step(procedure, b.walk[jw.at]), b.walk[: jw.at + 1])
                    groups.setdefault(("join", jw.stage, jw.duty.id), []).append(part)
    out = []
    for key, parts in groups.items():
        s, w = min(parts, key=lambda f: len(f[1]))
        if key[0] == "join":
            duty = next(d for d in procedure.duties if d.id == key[2])
            stage = procedure.stage(key[1]).title
            msg = f"{target[0].upper()}{target[1:]} is not guaranteed on this route because the case waits at "
            msg += f"{stage} for {the(duty.title)}, which has no time limit."
            stages: tuple[StageId, ...] = (duty.starts, key[1])
            src = cite(duty.source)
        else:
            msg, stages, src = _guarantee_message(procedure, s, w, key[0] == "stay", target)
        if len(parts) > 1:
            msg += f" ({len(parts)} routes pass this way.)"
        out.append(Finding("TARGET_NOT_GUARANTEED", "gap", procedure.id, stages, _route(clock, w), msg, src))
    return out


def _guarantee_message(
    procedure: Procedure, s: Step, w: Walk, stay: bool, target: str
) -> tuple[str, tuple[StageId, ...], dict[str, str] | None]:
    """Why ``target`` is not guaranteed on the route ``w``: the stay at, or the move out of, ``s`` has no time limit."""
    cap = target[0].upper() + target[1:]
    if stay:
        stage = procedure.stage(s.stage)
        lead = f"{how_reached(procedure, w[-1]) if w else 'The clock starts at'} {stage.title}"
        clock = _open_clock(stage)
        if clock is not None or stage.responders:
            msg = f"{lead}, where {stay_gap(procedure, stage)}: nothing guarantees {target} on this route."
        elif stage.kind is StageKind.REQUEST:
            who_ = the_role(procedure, stage.responder)
            msg = f"{lead}, where {who_} has no reply deadline: nothing guarantees {target} on this route."
        else:
            msg = f"{lead}. {cap} is not guaranteed on this route because {stage.title} has no time limit."
        clock = clock or stage.deadline
        src = cite(clock.source) if clock and clock.source else cite(stage.source)
        return msg, (stage.id,), src
    t = s.transition
    detail = "the file gives it no 'within'" if s.untimed_move else "the source does not say how soon it is made"
    msg = f"{cap} is not guaranteed on this route because {unbounded(procedure, s, stay=False)} ({detail})."
    return msg, (t.from_, t.to), cite(t.within.source if t.within and t.within.source else t.source)


def _open_clock(stage: Stage) -> Deadline | None:
    """The time to send or the meeting's time when that is what the file leaves unspecified at ``stage``."""
    for d in (stage.send, stage.meeting.within if stage.meeting else None):
        if d is not None and not d.is_specified:
            return d
    return None


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


def _route_clash(procedure: Procedure, clock: Clock, w: Walk) -> list[Rule] | None:
    """The rules on route ``w`` that cannot all hold with the target (a minimal set), or None when they can.

    The rules form a chain (each no-reply waits out its deadline, in route order, inside the target),
    so they clash exactly when the waits add up to more than the target, and the deletion filter of
    :func:`~cpsim.verify.checks.stn.conflict` keeps the target and the waits it cannot drop. Whole and
    half days add up exactly; other figures whose sum falls within a rounding error of the target are
    left to the full temporal-network check.
    """
    rules, prec = _route_rules(procedure, clock, w)
    waits = rules[1:]
    total = sum(r.lo for r in waits)
    exact = all((x * 1024).is_integer() for x in [clock.days, *(r.lo for r in waits)])
    near = 0.0 if exact else 1e-6
    if abs(total - clock.days) < near or any(r.hi is not None and r.hi < r.lo for r in waits):
        return conflict(rules, prec)
    if total <= clock.days:
        return None
    kept = []
    for r in waits:
        if abs(total - r.lo - clock.days) < near:
            return conflict(rules, prec)
        if total - r.lo > clock.days:
            total -= r.lo
        else:
            kept.append(r)
    return [rules[0], *kept]


def _meetable(procedure: Procedure, clock: Clock, covered: list[Walk], target: str) -> list[Finding]:
    clashes = []
    for w in covered:
        found = _route_clash(procedure, clock, w)
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
    procedure: Procedure, clock: Clock, bounds: list[Bound], complete: bool, target: str, found: tuple[int, bool]
) -> Finding:
    his = [b.hi for b in bounds if b.hi is not None]
    blind = len(bounds) - len(his)
    text = f"{len(bounds)} route(s) from {procedure.stage(clock.start).title} are covered by {target}; "
    text += f"the quickest takes {days(min(b.lo for b in bounds))}"
    if his and not blind:
        text += f", and with every reply at its deadline the slowest timed route takes {days(max(his))}"
    elif his:
        text += (
            f"; with every reply at its deadline the {len(his)} route(s) with a time limit at every step take at most "
            f"{days(max(his))}, and the other {blind} route(s) have no upper bound, because a stage or move on them "
            "has no time limit, so that figure bounds only the routes timed at every step"
        )
    else:
        text += "; no route has a time limit at every step, so no route has an upper bound"
    if not complete:
        text += (
            f" (too many routes to list them all: only the first {len(bounds)} were checked, so these figures and the "
            "answers below hold for those routes only)"
        )
    over = [b.worst_at_least for b in bounds if b.worst_at_least > clock.days + 1e-9]
    on_dates = bool(over) and max(over) <= clock.upper + 1e-9 and clock.days_at_most is not None
    text += ". " + _two_questions(found, blind, len(bounds), on_dates)
    return Finding("TARGET_BOUNDS", "info", procedure.id, (clock.start,), (), text, clock.source)


def _two_questions(found: tuple[int, bool], blind: int, routes: int, on_dates: bool = False) -> str:
    """Plain answers to "can the target be met?" and "is it always met?" (``found``: clashes, any exceeded).

    ``on_dates``: the target is in a calendar unit and every route over its fewest working days fits
    in its most, so whether it is met depends on the dates.

    >>> _two_questions((0, True), 0, 2, on_dates=True).split("? ")[-1]
    'It depends on the dates: on some a reply at its deadline misses it (see TARGET_DEPENDS_ON_DATES).'
    """
    clashes, exceeded = found
    if clashes == 0:
        can = "Can it be met? Yes, on every route, if replies come quickly enough."
    elif clashes < routes:
        can = "Can it be met? Yes, but not on every route (see ROUTE_MISSES_TARGET)."
    else:
        can = "Can it be met? No (see TARGET_UNMEETABLE)."
    if exceeded and on_dates:
        always = (
            "Is it always met? It depends on the dates: on some a reply at its deadline misses it "
            "(see TARGET_DEPENDS_ON_DATES)."
        )
    elif exceeded:
        always = "Is it always met? No: a reply at its deadline can miss it (see TARGET_EXCEEDED)."
    elif blind:
        always = "Is it always met? It cannot be guaranteed (see TARGET_NOT_GUARANTEED)."
    else:
        always = "Is it always met? Yes, whenever every reply comes by its deadline."
    return f"{can} {always}"
