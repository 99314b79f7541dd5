"""The source's time limit on a move (a transition's ``within``), checked on every move the simulator times.

A move starts when the stage it leaves has its outcome and ends when the next stage is entered:
the scenario's ``move_time`` for it, and any wait for a free person of the next stage's owner.
Its limit is read exactly as a reply deadline or a target is: working days, working hours and
``immediately`` on the working-day clock (``immediately`` allows no time at all); calendar days,
hours and weeks as calendar time between the two instants (as targets in those units are);
``the same day`` as the calendar date the move started on, and months as the date that many
months on. A move taking exactly its limit is in time.

A request stage's time to send (``send:`` in the procedure, ``send_time`` in the scenario) is
checked the same way, as the move ``STAGE/send`` from entering the stage to sending the request;
:func:`move_assumptions` lists every time to send the source does not give, with the time the
scenario assumes for it.

A move with a limit that the scenario does not time (no ``move_time``) happens at once in the
simulation, so it cannot be late; :func:`move_assumptions` says so in the run's assumptions,
as it does for moves with no limit that are simulated as instant.

Examples
--------
>>> import datetime as dt
>>> from cpsim.model.procedure.classes import Deadline
>>> from cpsim.simulate.engine.calendar import WorkingCalendar
>>> cal = WorkingCalendar(dt.date(2026, 4, 2), days=10)      # Thursday before Easter
>>> quote = {"doc": "d", "ref": "1", "quote": "q"}
>>> one = MoveLimit.of("level2", "level3", "unsatisfied", Deadline(amount=1, unit="working-days", source=quote))
>>> one.phrase, one.late(0.5, 1.5, cal), one.late(0.5, 1.6, cal)
('within 1 working day', False, True)
>>> day = MoveLimit.of("a", "b", "x", Deadline(amount=1, unit="calendar-days", source=quote))
>>> day.late(0.5, 1.0, cal), day.late(0.5, 1.5, cal)   # Thursday noon to Thursday close; to Tuesday noon
(False, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cpsim.model.behaviour import Behaviour
from cpsim.model.distributions import Distribution
from cpsim.model.procedure.classes import Deadline, Procedure, Transition
from cpsim.model.scenario.classes import Scenario, effective_procedure
from cpsim.model.types import Unit
from cpsim.simulate.engine.calendar import WorkingCalendar

__all__ = ["SEND", "MoveLimit", "move_assumptions", "move_key", "tally_moves", "timed_moves"]

EPS = 1e-9

SEND = "send"
"""The outcome name of a stage's time to send in move keys (``level2/send``): from entering the stage to sending."""

_CALENDAR_DAYS = {Unit.CALENDAR_DAYS: 1.0, Unit.HOURS: 1 / 24, Unit.WEEKS: 7.0}
"""Calendar units measured as elapsed calendar time: the length of one, in days."""


def move_key(source: str, outcome: str) -> str:
    """The key of the move out of ``source`` on ``outcome`` in records and summaries.

    >>> move_key("level1", "unsatisfied")
    'level1/unsatisfied'
    """
    return f"{source}/{outcome}"


@dataclass(frozen=True, slots=True)
class MoveLimit:
    """One move's time limit, ready to check moves against."""

    key: str
    source: str
    target: str
    outcome: str
    phrase: str
    unit: Unit
    amount: float
    hours_per_day: float = 7.5

    @classmethod
    def of(cls, source: str, target: str, outcome: str, within: Deadline, hours_per_day: float = 7.5) -> MoveLimit:
        """The limit a given ``within`` sets on the move (``within`` must be specified)."""
        d = within.duration
        if d is None:
            raise ValueError(f"the move from {source} on {outcome} has no time limit to check")
        return cls(move_key(source, outcome), source, target, outcome, d.phrase, d.unit, float(d.amount), hours_per_day)

    def late(self, t0: float, t1: float, cal: WorkingCalendar) -> bool:
        """True when a move from working time ``t0`` to ``t1`` (its end, or now if under way) is over its limit."""
        unit = self.unit
        if unit is Unit.WORKING_DAYS:
            return t1 - t0 > self.amount + EPS
        if unit is Unit.WORKING_HOURS:
            return t1 - t0 > self.amount / self.hours_per_day + EPS
        if unit is Unit.IMMEDIATELY:
            return t1 - t0 > EPS
        per = _CALENDAR_DAYS.get(unit)
        if per is not None:
            return cal.calendar_days(t0, t1) > self.amount * per + EPS
        start, end = cal.date(t0), cal.date(t1, end=True)
        if unit is Unit.SAME_DAY:
            return t1 - t0 > EPS and end > start
        return t1 - t0 > EPS and end > unit.add_to(start, self.amount)  # months


def _first(procedure: Procedure) -> list[Transition]:
    """Each (stage, outcome)'s transition that the simulator takes (the first one given)."""
    seen: dict[tuple[str, str], Transition] = {}
    for t in procedure.transitions:
        seen.setdefault((t.from_, t.on), t)
    return list(seen.values())


def timed_moves(procedure: Procedure, behaviour: Behaviour) -> list[MoveLimit]:
    """The moves of a route that have a time limit in the source and a ``move_time`` in the scenario."""
    proc = effective_procedure(procedure, behaviour)
    out = []
    for t in _first(proc):
        if t.within is not None and t.within.is_specified and t.on in behaviour.at(t.from_).move_time:
            out.append(MoveLimit.of(t.from_, t.to, t.on, t.within, behaviour.hours_per_day))
    for s in proc.stages:
        if s.send is not None and s.send.is_specified and behaviour.at(s.id).send_time is not None:
            out.append(MoveLimit.of(s.id, s.id, SEND, s.send, behaviour.hours_per_day))
    return out


def _dist_words(d: Distribution) -> str:
    """A time distribution in words, in working days.

    >>> from cpsim.model.distributions import Uniform
    >>> _dist_words(Uniform(low=0, high=1))
    'uniform, low 0, high 1 working days (mean 0.5)'
    """
    fields = {k: v for k, v in d.model_dump(exclude_none=True).items() if k != "dist"}
    given = ", ".join(f"{k} {v:g}" if isinstance(v, (int, float)) else f"{k} {v}" for k, v in fields.items())
    return f"{d.model_dump()['dist']}, {given} working days (mean {d.mean:g})"


def _words(t: Transition) -> str:
    return f"{t.from_} → {t.to} on {t.on}"


def move_assumptions(scenario: Scenario) -> list[str]:
    """What the run assumes about moves the scenario does not time: they happen at once.

    One line per route for moves with a time limit but no ``move_time`` (always within their
    limit in the simulation), and one for moves into a stage that is not an ending with neither a
    limit nor a ``move_time``.
    """
    out = []
    for r in scenario.routes:
        proc, b = effective_procedure(r.procedure, r.behaviour), r.behaviour
        timed, untimed = [], []
        for t in _first(proc):
            if t.on in b.at(t.from_).move_time:
                continue
            if t.within is not None and t.within.is_specified:
                timed.append(f"{_words(t)} ({t.within.label})")
            elif not proc.stage(t.to).is_terminal:
                untimed.append(_words(t))
        pid = r.procedure.id
        sends = [
            f"{s.id} (sent by {s.owner}): {_dist_words(time)}"
            for s in proc.stages
            if s.send is not None and not s.send.is_specified and (time := b.at(s.id).send_time) is not None
        ]
        if sends:
            out.append(
                f"{pid}: the source gives no time to send the request at these stages; the reply clock starts "
                f"once it is sent, after the time the scenario assumes: {'; '.join(sends)}"
            )
        if timed:
            out.append(
                f"{pid}: moves with a time limit in the source but no move_time in the scenario happen at once "
                f"in the simulation, so they are never late: {'; '.join(timed)}"
            )
        if untimed:
            out.append(
                f"{pid}: moves with no time limit in the source and no move_time in the scenario happen at once "
                f"in the simulation: {'; '.join(untimed)}"
            )
    return out


def tally_moves(cells: dict[tuple[str, str], list[int]], route: str, timed: Iterable[str], late: Iterable[str],
                unfinished: str | None) -> None:  # fmt: skip
    """Add one challenge's timed moves to ``cells[(route, key)] = [moves, late, unfinished, challenges]``."""
    made = set()
    for key in timed:
        cell = cells[(route, key)]
        cell[0] += 1
        if key not in made:
            made.add(key)
            cell[3] += 1
    for key in late:
        cells[(route, key)][1] += 1
    if unfinished is not None:
        cells[(route, unfinished)][2] += 1
