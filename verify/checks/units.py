"""Units and ambiguity: times stated in mixed or unclear units, with the reading the file takes.

Every comparison cpsim makes is in working days. Working hours divide by the hours in a working
day; every calendar unit (calendar days, clock hours, weeks, months, the same day) holds a number
of working days that depends on the dates, between the fewest and the most it can hold
(:attr:`cpsim.model.types.Unit.reading`). A target in such a unit that a route meets on some dates
and misses on others is reported as depending on the dates, never as always met. A joint
responder's own deadline (``responders: [{role, deadline}]``) is looked at as a stage's deadline
is, and its findings name the responder.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> sorted({f.code for f in check_units(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml"))})
['AMBIGUOUS_UNIT']
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cpsim.model.procedure.classes import Deadline, Duration, Procedure
from cpsim.model.types import StageId, Unit
from cpsim.verify.checks.routes import route_dag
from cpsim.verify.checks.timing import Clock, clocks, route_bounds
from cpsim.verify.checks.walks import enumerate_walks
from cpsim.verify.checks.wording import render_walk
from cpsim.verify.findings import Finding, cite

__all__ = ["READINGS", "check_units"]

READINGS: dict[Unit, str] = {u: r for u in Unit if u is not Unit.IMMEDIATELY and (r := u.reading) is not None}
"""How each unit other than working days (and ``immediately``) becomes working days (:attr:`Unit.reading`)."""

_BARE_DAYS = re.compile(r"\b(\w+|\d+) days?\b", re.IGNORECASE)


def _timed(procedure: Procedure) -> Iterator[tuple[str, tuple[StageId, ...], Deadline]]:
    titles = {r.id: r.title for r in procedure.roles}
    for s in procedure.stages:
        if s.deadline is not None:
            yield f"the reply deadline at {s.title}", (s.id,), s.deadline
        for r in s.responders:  # a joint responder's own deadline, where the source gives one per role
            if r.deadline is not None:
                yield f"the reply deadline of {titles.get(r.role, r.role)} at {s.title}", (s.id,), r.deadline
    for t in procedure.transitions:
        if t.within is not None:
            a, b = procedure.stage(t.from_).title, procedure.stage(t.to).title
            yield f"the move from {a} to {b}", (t.from_, t.to), t.within


def check_units(procedure: Procedure) -> list[Finding]:
    """Findings AMBIGUOUS_UNIT, UNMARKED_AMBIGUITY, MIXED_UNITS (warnings), UNIT_READING and TARGET_DEPENDS_ON_DATES."""
    out: list[Finding] = []
    used: dict[Unit, list[str]] = {}
    for where, stages, d in _timed(procedure):
        if d.duration is None:
            continue
        out.extend(_one(procedure, where, stages, d))
        if d.duration.unit is not Unit.IMMEDIATELY:
            used.setdefault(d.duration.unit, []).append(where)
    for tg in procedure.targets:
        where = f"the target “{tg.title}”"
        used.setdefault(tg.within.unit, []).append(where)
        if tg.within.unit in READINGS:
            msg = f"{where[0].upper()}{where[1:]} is {tg.within.label}: {READINGS[tg.within.unit]}."
            out.append(Finding("UNIT_READING", "info", procedure.id, (tg.from_,), (), msg, cite(tg.source)))
    out.extend(f for c in clocks(procedure) if c.days_at_most is not None and (f := _dates(procedure, c)))
    if len(used) > 1:
        parts = "; ".join(f"{u.value.replace('-', ' ')} for {', '.join(ws)}" for u, ws in used.items())
        msg = f"The procedure mixes units of time ({parts}). cpsim compares them in working days."
        out.append(Finding("MIXED_UNITS", "warning", procedure.id, (), (), msg, None))
    return out


def _one(procedure: Procedure, where: str, stages: tuple[StageId, ...], d: Deadline) -> list[Finding]:
    dur: Duration = d.duration  # type: ignore[assignment]
    said = f"“{d.as_written}”" if d.as_written else dur.label
    src = cite(d.source)
    out = []
    if d.ambiguous:
        msg = f"For {where} the source says {said}, which can be read more than one way. "
        msg += f"The file takes {dur.label} — {d.reading}"
        out.append(Finding("AMBIGUOUS_UNIT", "warning", procedure.id, stages, (), msg, src))
    elif (
        d.as_written
        and dur.unit is Unit.WORKING_DAYS
        and _BARE_DAYS.search(d.as_written)
        and "working" not in d.as_written.lower()
    ):
        msg = (
            f"For {where} the source says {said}, without saying working or calendar days; the file reads it as "
            f"{dur.label} but does not mark it ambiguous. Add 'ambiguous: true' and a 'reading'."
        )
        out.append(Finding("UNMARKED_AMBIGUITY", "warning", procedure.id, stages, (), msg, src))
    if dur.unit in READINGS:
        msg = f"For {where} the file gives {dur.label}: {READINGS[dur.unit]}."
        out.append(Finding("UNIT_READING", "info", procedure.id, stages, (), msg, src))
    return out


def _dates(procedure: Procedure, clock: Clock) -> Finding | None:
    """TARGET_DEPENDS_ON_DATES when the slowest timed route meets ``clock`` on some dates and misses it on others."""
    walks, complete = enumerate_walks(procedure, clock.start, clock.stops)
    worst = [(hi, w) for w in walks if w and w[-1].to in clock.stops and (hi := route_bounds(procedure, w)[1])]
    hi, w = max(worst, key=lambda x: x[0], default=(None, None))
    if not complete and (dag := route_dag(procedure, clock)) is not None:
        w = dag.slowest_bounded
        hi = dag.hi_max[clock.start][0] if w else None
    if hi is None or w is None or not clock.depends_on_dates(hi):
        return None
    msg = (
        f"Whether the target “{clock.title}” ({clock.label}) is always met depends on the dates: "
        f"{render_walk(procedure, w, clock.start)} can take {hi:g} working days with every reply at its deadline, "
        f"which fits on some dates and not on others."
    )
    return Finding("TARGET_DEPENDS_ON_DATES", "info", procedure.id, (clock.start,), (), msg, clock.source)
