"""Coverage: the routes from the start on which a target's clock never starts, or starts and never stops.

A target times the cases whose route enters its ``from`` stage and then reaches one of its stop
stages. A route from the start stage that never enters the ``from`` stage (a skip route that comes
in lower down, say) is not timed at all; one that enters it but ends elsewhere leaves the clock
running for ever. Both are warnings naming the route, so a target never silently misses cases.

Routes are grouped by where they part from the target: the route is shown up to the first move
after which the target's start (or any stop) can no longer be reached. When the routes are too
many to list and form no loop, the groups come from the graph instead
(:mod:`cpsim.verify.checks.parting`), the first few of each kind and then a count of the rest.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> from cpsim.verify.checks.timing import clocks
>>> proc = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
>>> [(f.code, f.route) for f in coverage_findings(proc, clocks(proc)[0], "the target")]
[('TARGET_NEVER_STARTS', ('raise', 'immediate_choice'))]
"""

from __future__ import annotations

from collections.abc import Collection

from cpsim.model.procedure.classes import Procedure
from cpsim.model.types import StageId
from cpsim.verify.checks.parting import parting_on_graph
from cpsim.verify.checks.timing import Clock
from cpsim.verify.checks.walks import Walk, enumerate_walks, reachable_from, stages_of
from cpsim.verify.checks.wording import render_walk
from cpsim.verify.findings import Finding

__all__ = ["coverage_findings", "parting_by_listing"]


def coverage_findings(procedure: Procedure, clock: Clock, target: str) -> list[Finding]:
    """Findings TARGET_NEVER_STARTS and TARGET_NEVER_STOPS (warnings) for ``clock``, described as ``target``."""
    begin = procedure.start.id
    walks, complete = enumerate_walks(procedure, begin)
    parted = None if complete else parting_on_graph(procedure, clock)
    if parted is not None:
        never_starts, never_stops = parted.never_starts, parted.never_stops
    else:
        never_starts, never_stops = parting_by_listing(procedure, clock, walks)
    start = procedure.stage(clock.start).title
    out = []
    for prefix, n in never_starts.items():
        msg = (
            f"The clock of {target} never starts on the route {render_walk(procedure, prefix, begin)}: it does not "
            f"enter {start}, so the target does not time these cases."
        )
        out.append(_finding(procedure, "TARGET_NEVER_STARTS", clock, prefix, msg, n))
    stops = _names(procedure, clock.stops)
    for prefix, n in never_stops.items():
        msg = (
            f"The clock of {target} starts at {start} but never stops on the route "
            f"{render_walk(procedure, prefix, begin)}: it does not reach {stops}, so the clock runs on for ever."
        )
        out.append(_finding(procedure, "TARGET_NEVER_STOPS", clock, prefix, msg, n))
    if parted is not None:
        out += parted.more(procedure, clock, target)
    return out


def parting_by_listing(
    procedure: Procedure, clock: Clock, walks: list[Walk]
) -> tuple[dict[Walk, int], dict[Walk, int]]:
    """The walks from the start on which ``clock`` never starts, and never stops, grouped by where they part.

    Each group is the route up to the move that parts from the target, with the number of walks on it.
    """
    begin = procedure.start.id
    never_starts: dict[Walk, int] = {}
    never_stops: dict[Walk, int] = {}
    for w in walks:
        stages = stages_of(w, begin)
        if clock.start not in stages:
            key = _parting(procedure, w, 0, {clock.start})
            never_starts[key] = never_starts.get(key, 0) + 1
            continue
        k = stages.index(clock.start)
        if not set(stages[k + 1 :]) & set(clock.stops):
            key = _parting(procedure, w, k, set(clock.stops))
            never_stops[key] = never_stops.get(key, 0) + 1
    return never_starts, never_stops


def _parting(procedure: Procedure, w: Walk, after: int, goals: Collection[StageId]) -> Walk:
    """``w`` up to the first move (from index ``after`` on) past which no stage in ``goals`` can be reached."""
    for i in range(after, len(w)):
        if not reachable_from(procedure, w[i].to) & set(goals):
            return w[: i + 1]
    return w


def _finding(procedure: Procedure, code: str, clock: Clock, prefix: Walk, msg: str, n: int) -> Finding:
    if n > 1:
        msg += f" ({n} routes pass this way.)"
    route = stages_of(prefix, procedure.start.id)
    return Finding(code, "warning", procedure.id, (clock.start,), route, msg, clock.source)


def _names(procedure: Procedure, stops: tuple[StageId, ...]) -> str:
    titles = [procedure.stage(s).title for s in stops]
    if not titles:
        return "any stage where it stops"
    return titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " or " + titles[-1]
