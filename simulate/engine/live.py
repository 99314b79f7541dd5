"""One challenge while the simulator moves it, and the flat record it leaves when it ends (or the run does).

:class:`LiveCase` holds what a challenge has done so far: the stages it entered and when, the
rungs whose deadline passed, the request awaiting its reply, the timed moves made and the one
under way. :class:`RecordMaker` turns it into a :class:`~cpsim.simulate.engine.records.CaseRecord`
with one pass over the path per target.

Examples
--------
>>> import datetime as dt
>>> from cpsim.model import load_procedure, shipped_procedure_paths
>>> from cpsim.simulate.engine.calendar import WorkingCalendar
>>> from cpsim.simulate.engine.targets import target_clocks
>>> proc = load_procedure([p for p in shipped_procedure_paths() if p.stem == "redcar-internal"][0])
>>> cal = WorkingCalendar(dt.date(2026, 1, 5), 30)
>>> make = RecordMaker(0, "redcar-internal", target_clocks(proc, cal, 7.5), {"resolved": "resolved"}, cal, 20.0)
>>> live = LiveCase("c0", 0, 1.0, True, False)
>>> for stage, t in [("raise", 1.0), ("level1", 1.0), ("resolved", 6.5)]:
...     live.enter(stage, t)
>>> r = make.record(live, 6.5, 6.5)
>>> r.stages, r.end_date, r.breached
(('raise', 'level1', 'resolved'), '2026-01-13', ('five-working-days',))
"""

from __future__ import annotations

from collections.abc import Sequence

from cpsim.simulate.engine.calendar import WorkingCalendar
from cpsim.simulate.engine.moves import MoveLimit
from cpsim.simulate.engine.records import CaseRecord, TargetResult
from cpsim.simulate.engine.targets import TargetClock

__all__ = ["LiveCase", "RecordMaker"]

EPS = 1e-9


_new = tuple.__new__


def _end_day(t: float) -> int:
    """The working day an end at ``t`` (not negative) falls on: one on a day boundary closes the day before.

    >>> _end_day(3.0), _end_day(3.5), _end_day(0.0)
    (2, 3, 0)
    """
    k = int(t)
    return k - 1 if k == t and k > 0 else k


class LiveCase:
    """A challenge under way (``route`` is the route's number in the scenario)."""

    __slots__ = (
        "already_open",
        "asking",
        "breaches",
        "counted",
        "late_moves",
        "moving",
        "name",
        "prior",
        "raised",
        "route",
        "stages",
        "timed_moves",
        "times",
    )

    def __init__(self, name: str, route: int, raised: float, counted: bool, already_open: bool) -> None:
        self.name, self.route, self.raised, self.counted = name, route, raised, counted
        self.already_open = already_open
        self.stages: list[str] = []
        self.times: list[float] = []
        self.prior: Sequence[tuple[str, float]] = ()  # target starts passed before the run (challenges already open)
        self.breaches: tuple[str, ...] = ()
        self.asking: tuple[str, float] | None = None  # the request awaiting its reply, and its deadline
        self.timed_moves: tuple[str, ...] = ()
        self.late_moves: tuple[str, ...] = ()
        self.moving: tuple[MoveLimit, float] | None = None  # the timed move under way, and when it started

    def enter(self, stage: str, t: float) -> None:
        """Note that the challenge entered ``stage`` at working time ``t``."""
        self.stages.append(stage)
        self.times.append(t)


class RecordMaker:
    """Builds the records of one route's challenges in one replication.

    ``endings`` maps each terminal stage to its ending; ``horizon`` is the end of the counted
    period (a challenge open then is ``open_at_horizon``).
    """

    def __init__(
        self,
        replication: int,
        route: str,
        clocks: Sequence[TargetClock],
        endings: dict[str, str | None],
        cal: WorkingCalendar,
        horizon: float,
    ) -> None:
        self.replication, self.route, self.clocks = replication, route, tuple(clocks)
        self.endings, self.cal, self.horizon = endings, cal, horizon
        self._dates = cal.iso_dates
        self._spots: dict[tuple[str, ...], list[tuple[TargetClock, int, int]]] = {}  # paths repeat: look each up once

    def _targets_on(self, path: tuple[str, ...]) -> list[tuple[TargetClock, int, int]]:
        spots = self._spots.get(path)
        if spots is None:
            found = [(c, c.spots(path)) for c in self.clocks]
            spots = self._spots[path] = [(c, s[0], s[1]) for c, s in found if s is not None]
        return spots

    def record(self, live: LiveCase, end: float | None, now: float) -> CaseRecord:
        """The record of ``live``, which ended at ``end`` (None: still open when the run stopped at ``now``)."""
        if end is not None and not live.prior:  # the usual case, made with as few steps as possible
            stages, raised = live.stages, live.raised
            path = tuple(stages)
            targets: tuple[TargetResult, ...] = ()
            if self.clocks:
                spots = self._spots.get(path)
                if spots is None:
                    spots = self._targets_on(path)
                if len(spots) == 1:  # one target
                    clock, i, j = spots[0]
                    targets = (clock.at(live.times, i, j, now),)
                elif spots:
                    targets = tuple([c.at(live.times, i, j, now) for c, i, j in spots])
            last, k = stages[-1], int(end)
            if k == end and k > 0:  # an end on a day boundary closes the day before (see _end_day)
                k -= 1
            # a finished challenge awaits no reply and makes no move: asking and moving are None
            return _new(  # CaseRecord(...) without the named tuple's own __new__ frame: once per challenge
                CaseRecord,
                (
                    self.replication,
                    live.name,
                    self.route,
                    raised,
                    self._dates[int(raised)] if raised >= 0 else "",
                    live.counted,
                    path,
                    last,
                    self.endings.get(last),
                    end,
                    self._dates[k],
                    end - raised,
                    targets,
                    live.breaches,
                    raised < self.horizon and end > self.horizon,
                    live.already_open,
                    None,
                    live.timed_moves,
                    live.late_moves,
                    None,
                ),
            )
        return self._open(live, end, now)

    def _open(self, live: LiveCase, end: float | None, now: float) -> CaseRecord:
        """:meth:`record` in general: a challenge still open, or one that was open before the run."""
        breaches, waiting = live.breaches, None
        if live.asking is not None:  # still awaiting a reply: late once the deadline has passed
            stage, due = live.asking
            breaches, waiting = (breaches + (stage,), None) if now > due + EPS else (breaches, stage)
        late_moves, moving = live.late_moves, None
        if live.moving is not None:  # a move under way: late once its limit has passed
            limit, t0 = live.moving
            late = limit.late(t0, now, self.cal)
            late_moves, moving = (late_moves + (limit.key,), None) if late else (late_moves, limit.key)
        stages, raised = live.stages, live.raised
        path = tuple(stages)
        targets: tuple[TargetResult, ...] = ()
        if live.prior:
            path_stages = [s for s, _ in live.prior] + stages
            path_times = [t for _, t in live.prior] + live.times
            measured = [c.measure(path_stages, path_times, end, now) for c in self.clocks]
            targets = tuple([m for m in measured if m is not None])
        elif self.clocks:
            spots = self._spots.get(path)
            if spots is None:
                spots = self._targets_on(path)
            if len(spots) == 1:  # the usual case: one target
                clock, i, j = spots[0]
                targets = (clock.at(live.times, i, j, now),)
            elif spots:
                targets = tuple([c.at(live.times, i, j, now) for c, i, j in spots])
        finished, dates = end is not None, self._dates
        return _new(
            CaseRecord,
            (
                self.replication,
                live.name,
                self.route,
                raised,
                dates[int(raised)] if raised >= 0 else "",
                live.counted,
                path,
                stages[-1] if finished else None,
                self.endings.get(stages[-1]) if finished else None,
                end,
                dates[_end_day(end)] if end is not None else None,
                (end - raised) if end is not None else None,
                targets,
                breaches,
                raised < self.horizon and (end is None or end > self.horizon),
                live.already_open,
                waiting,
                live.timed_moves,
                late_moves,
                moving,
            ),
        )
