"""Deadlines against a target on a procedure with too many routes to list: the same questions, answered on the graph.

:mod:`cpsim.verify.checks.deadlines` times every route a target covers when they can be listed.
When there are more (a ladder whose every rung offers two ways up has 2^n routes) and the routes
form no loop, :func:`check_clock_dag` gives the same findings from a
:class:`~cpsim.verify.checks.routes.RouteDag`: counts, the quickest and slowest times and each
rung's slack over every route, with one example route where a finding names one (the slowest route
for a target exceeded, the quickest for a target that can never be met). What lists routes one by
one lists at most :data:`MAX_PARTS` stages and moves without a time limit and then says how many more.

Examples
--------
>>> count(12), count(2**200)
('12', 'more than 10^60')
"""

from __future__ import annotations

from cpsim.model.procedure.classes import Procedure
from cpsim.verify.checks.deadlines import (
    _guarantee_message,
    _loops,
    _note_untimed,
    _route,
    _route_clash,
    _two_questions,
    days,
    exceeded_message,
)
from cpsim.verify.checks.routes import RouteDag, dag_slack
from cpsim.verify.checks.slack import slack_table_findings
from cpsim.verify.checks.timing import Clock, step, walk_time
from cpsim.verify.checks.wording import render_walk
from cpsim.verify.findings import Finding

__all__ = ["MAX_PARTS", "check_clock_dag", "count"]

MAX_PARTS = 20
"""At most this many stages and moves without a time limit get a TARGET_NOT_GUARANTEED of their own."""


def count(n: int) -> str:
    """A number of routes in words: exact up to a billion, else its power of ten."""
    return f"{n}" if n < 10**9 else f"more than 10^{len(str(n)) - 1}"


def check_clock_dag(
    procedure: Procedure, clock: Clock, dag: RouteDag, untimed: dict[tuple[str, ...], Finding], target: str
) -> list[Finding]:
    """TARGET_* findings for ``clock`` from ``dag`` (coverage findings are the caller's)."""
    pid = procedure.id
    if not dag.routes:
        msg = f"No route from {procedure.stage(clock.start).title} reaches where {target} stops: it never applies."
        return [Finding("TARGET_NO_ROUTE", "warning", pid, (clock.start,), (), msg, clock.source)]
    exceeded = _exceeded(procedure, clock, dag, target)
    out = [*exceeded, *_not_guaranteed(procedure, clock, dag, target), *_loops(procedure, clock, target)]
    meetable, clashes = _meetable(procedure, clock, dag, target)
    out += meetable
    out.append(_summary(procedure, clock, dag, target, (clashes, bool(exceeded))))
    out += slack_table_findings(procedure, clock, dag_slack(dag))
    for s in dag.steps():
        _note_untimed(procedure, s, untimed)
    return out


def _exceeded(procedure: Procedure, clock: Clock, dag: RouteDag, target: str) -> list[Finding]:
    worst = dag.timed_max[clock.start][0]
    if worst <= clock.days + 1e-9:
        return []
    w = dag.slowest
    wt = walk_time(procedure, w, [step(procedure, t) for t in w])
    msg = exceeded_message(
        render_walk(procedure, w, clock.start), worst, clock.days, target, None if wt.hi is not None else wt.why
    )
    msg += f" It is the slowest of {count(dag.routes)} routes, too many to list each one that takes longer."
    return [Finding("TARGET_EXCEEDED", "violation", procedure.id, (), _route(clock, w), msg, clock.source)]


def _not_guaranteed(procedure: Procedure, clock: Clock, dag: RouteDag, target: str) -> list[Finding]:
    """One TARGET_NOT_GUARANTEED per stage or move with no time limit, up to :data:`MAX_PARTS`, then a count."""
    out: list[Finding] = []
    more = 0
    for sid in dag.order:
        moves = dag.moves.get(sid, [])
        parts = [(moves[0][1], dag.before[sid] * dag.count[sid], True)] if moves and moves[0][1].stay_hi is None else []
        parts += [(s, dag.before[sid] * dag.count[t.to], False) for t, s in moves if s.move_hi is None]
        for s, n, stay in parts:
            if len(out) >= MAX_PARTS:
                more += 1
                continue
            w = dag.fewest_moves_to(sid) + (() if stay else (s.transition,))
            msg, stages, src = _guarantee_message(procedure, s, w, stay, target)
            if n > 1:
                msg += f" ({count(n)} routes pass this way.)"
            out.append(Finding("TARGET_NOT_GUARANTEED", "gap", procedure.id, stages, _route(clock, w), msg, src))
    if more:
        msg = (
            f"{more} more stages and moves on the routes covered by {target} have no time limit either (see "
            f"UNTIMED_STAGE and UNTIMED_MOVE); only the first {MAX_PARTS} are shown with a route."
        )
        out.append(Finding("TARGET_NOT_GUARANTEED", "gap", procedure.id, (), (), msg, clock.source))
    return out


def _meetable(procedure: Procedure, clock: Clock, dag: RouteDag, target: str) -> tuple[list[Finding], int]:
    """TARGET_UNMEETABLE or one ROUTE_MISSES_TARGET, and how many routes clash (0, 1 for some, or all)."""
    pid = procedure.id
    quick, waits = dag.quickest, dag.longest_wait
    found = _route_clash(procedure, clock, quick)
    if found is not None:
        msg = (
            f"{target[0].upper()}{target[1:]} can never be met, however quickly people reply. On the quickest "
            f"route, {render_walk(procedure, quick, clock.start)}, these rules clash: "
            + "; ".join(r.label for r in found)
        )
        return [Finding("TARGET_UNMEETABLE", "violation", pid, (), _route(clock, quick), msg, clock.source)], dag.routes
    found = _route_clash(procedure, clock, waits)
    if found is None:
        return [], 0
    msg = (
        f"No case on {render_walk(procedure, waits, clock.start)} can meet {target}, however quickly people reply: "
        + "; ".join(r.label for r in found)
        + f". It is the route that waits longest for missing replies, of {count(dag.routes)} routes, too many to "
        "list each one that cannot meet it."
    )
    src = next((r.source for r in found[1:] if r.source), clock.source)
    return [Finding("ROUTE_MISSES_TARGET", "warning", pid, (), _route(clock, waits), msg, src)], 1


def _summary(procedure: Procedure, clock: Clock, dag: RouteDag, target: str, found: tuple[int, bool]) -> Finding:
    routes, bounded = dag.routes, dag.bounded_routes
    blind = routes - bounded
    text = f"{count(routes)} route(s) from {procedure.stage(clock.start).title} are covered by {target}; "
    text += f"the quickest takes {days(dag.lo_min[clock.start][0])}"
    if bounded:
        hi = dag.hi_max[clock.start][0]
    if bounded and not blind:
        text += f", and with every reply at its deadline the slowest timed route takes {days(hi)}"
    elif bounded:
        text += (
            f"; with every reply at its deadline the {count(bounded)} route(s) with a time limit at every step take at "
            f"most {days(hi)}, and the other {count(blind)} route(s) have no upper bound, because a stage or move on "
            "them has no time limit, so that figure bounds only the routes timed at every step"
        )
    else:
        text += "; no route has a time limit at every step, so no route has an upper bound"
    text += " (too many routes to list them one by one: these figures are worked out on the graph, over every route)"
    worst = dag.timed_max[clock.start][0]
    on_dates = worst > clock.days + 1e-9 and worst <= clock.upper + 1e-9 and clock.days_at_most is not None
    text += ". " + _two_questions(found, blind, routes, on_dates)
    return Finding("TARGET_BOUNDS", "info", procedure.id, (clock.start,), (), text, clock.source)
