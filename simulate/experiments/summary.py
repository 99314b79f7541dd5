"""Summaries computed from records: breach rates with 95% confidence intervals across replications, and more.

Each replication is reduced to a small :class:`ReplicationStats` (streamed, one record at a time,
so a million challenges need only their resolution times in memory); :func:`summarise` combines
them into the JSON-ready summary documented in ``docs/simulation.md``.

Every per-challenge figure (a breach rate, the mean time to resolution, the share reaching a
stage) is the ratio estimator over replications, with a delta-method Student-t 95% interval
centred on it (:func:`cpsim.simulate.experiments.estimators.ratio_ci`); per-replication figures
(challenges counted, staff load) are means over replications (``mean_ci``).

A challenge still open when the follow-up ends, whose clock has not yet passed a target's limit,
is *unfinished* for that target: neither met nor missed. Rates are over the decided challenges
(met or missed), with bounds: the rate if no unfinished challenge misses the target and if every
one does. The mean time to resolution is over the challenges that finished; the number that did
not is given beside it.

Examples
--------
>>> breach_figures([[10, 2, 2], [10, 3, 0]])["breach_rate"]["mean"]
0.277778
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cpsim.model.procedure.classes import Procedure
from cpsim.model.scenario.classes import Scenario
from cpsim.simulate.engine.moves import move_assumptions, tally_moves, timed_moves
from cpsim.simulate.engine.records import CaseRecord, RoleRecord, TargetResult
from cpsim.simulate.experiments.bias import follow_up_check, warm_up_check
from cpsim.simulate.experiments.estimators import COUNT, DIGITS, RATE, mean_ci, ratio_ci, rounded, t_half_width

__all__ = [
    "DIGITS",
    "ReplicationStats",
    "StatsBuilder",
    "breach_figures",
    "mean_ci",
    "ratio_ci",
    "rounded",
    "summarise",
    "t_half_width",
]


def _cells() -> defaultdict[Any, list[int]]:
    return defaultdict(lambda: [0, 0, 0])


@dataclass
class ReplicationStats:
    """What one replication contributes to the summary.

    Target and rung cells are ``[measured, breached, unfinished]``: challenges whose clock started
    (or rung visits), those that missed, and those still undecided at the end of the follow-up.
    ``unresolved`` counts the counted challenges that had not finished; ``daily_sum`` and
    ``daily_count`` total the working days to resolution of the finished challenges by working day
    raised (all challenges raised before the horizon, the warm-up's included), for the warm-up check.
    ``resolution`` holds the working days to resolution of the finished counted challenges as a
    compact array of doubles (eight bytes each, for the pooled percentiles): no challenge's record
    is kept, so a run's memory grows with its replications by these numbers only.
    """

    replication: int
    counted: int = 0
    by_route: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    targets: dict[str, list[int]] = field(default_factory=_cells)
    resolution: array[float] = field(default_factory=lambda: array("d"))
    unresolved: int = 0
    reached: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    rungs: dict[tuple[str, str], list[int]] = field(default_factory=_cells)
    open_at_horizon: int = 0
    unfinished: int = 0
    already_open: int = 0
    already_open_targets: dict[str, list[int]] = field(default_factory=_cells)
    daily_sum: array[float] = field(default_factory=lambda: array("d"))
    daily_count: array[int] = field(default_factory=lambda: array("q"))
    roles: tuple[RoleRecord, ...] = ()
    moves: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0]))


class StatsBuilder:
    """Builds one replication's :class:`ReplicationStats` from its records, one at a time."""

    def __init__(self, scenario: Scenario, replication: int) -> None:
        horizon = scenario.calendar.horizon
        self.stats = ReplicationStats(
            replication, daily_sum=array("d", bytes(8 * horizon)), daily_count=array("q", bytes(8 * horizon))
        )
        self._rungs = {
            r.procedure.id: {s.id for s in r.procedure.stages if s.deadline is not None and s.deadline.is_specified}
            for r in scenario.routes
        }
        self._own = {r.procedure.id: own_deadlines(r.procedure) for r in scenario.routes}
        self._paths: dict[str, dict[tuple[str, ...], list[tuple[tuple[str, str], int]]]] = {}
        self._horizon = len(self.stats.daily_sum)
        self._path_counts: dict[str, dict[tuple[str, ...], int]] = {}  # counted challenges by route and path
        self._cells: dict[str, dict[str, list[int]]] = {}  # each route's target cells of stats.targets, by target
        self._open_cells: dict[str, dict[str, list[int]]] = {}  # the same for stats.already_open_targets

    def _stage_keys(self, route: str, stages: tuple[str, ...]) -> list[tuple[tuple[str, str], int]]:
        """Each stage of a path once, as its ``(route, stage)`` key, with its visits if it has a deadline (else 0).

        Paths repeat, so each is worked out once per replication.
        """
        known = self._paths.get(route)
        if known is None:
            known = self._paths[route] = {}
        keys = known.get(stages)
        if keys is None:
            deadlined, own = self._rungs[route], self._own[route]
            keys = known[stages] = [((route, x), stages.count(x) if x in deadlined else 0) for x in set(stages)]
            keys += [((route, key), stages.count(x)) for x in set(stages) for key, _ in own.get(x, ())]
        return keys

    def add(self, case: CaseRecord) -> None:
        """Count one challenge."""
        # One unpacking instead of a named tuple attribute look-up per field: this runs once per challenge.
        (_, _, route, raised, _, counted, stages, _, _, end, _, days, targets, rung_breaches, at_horizon) = case[:15]
        s = self.stats
        if at_horizon:
            s.open_at_horizon += 1
        if end is None:
            s.unfinished += 1
        elif days is not None and 0 <= raised < self._horizon:
            day = int(raised)
            s.daily_sum[day] += days
            s.daily_count[day] += 1
        already_open, rung_unfinished, timed_moves, late_moves, move_unfinished = case[15:]
        if already_open:
            s.already_open += 1
            _tally(self._open_cells, s.already_open_targets, route, targets)
            return
        if not counted:
            return
        s.counted += 1
        s.by_route[route] += 1
        if targets:
            _tally(self._cells, s.targets, route, targets)
        if days is not None:
            s.resolution.append(days)
        else:
            s.unresolved += 1
        paths = self._path_counts.get(route)
        if paths is None:
            paths = self._path_counts[route] = {}
        paths[stages] = paths.get(stages, 0) + 1  # stages reached and rung visits: added up in finish()
        if rung_breaches:
            rungs = s.rungs
            for stage in rung_breaches:
                rungs[(route, stage)][1] += 1
        if rung_unfinished is not None:
            s.rungs[(route, rung_unfinished)][2] += 1
        if timed_moves:
            tally_moves(s.moves, route, timed_moves, late_moves, move_unfinished)

    def finish(self, roles: Iterable[RoleRecord]) -> ReplicationStats:
        """The replication's stats, with its staff records (plain dicts, so they pickle)."""
        s = self.stats
        s.roles = tuple(roles)
        reached, rungs = s.reached, s.rungs
        for route, paths in self._path_counts.items():
            for stages, n in paths.items():
                for key, visits in self._stage_keys(route, stages):
                    reached[key] += n
                    if visits:
                        rungs[key][0] += visits * n
        self._path_counts = {}
        for name in ("by_route", "targets", "reached", "rungs", "already_open_targets", "moves"):
            setattr(s, name, dict(getattr(s, name)))
        return s


def _tally(
    found: dict[str, dict[str, list[int]]], cells: dict[str, list[int]], route: str, targets: tuple[TargetResult, ...]
) -> None:
    """Add one challenge's target results to ``cells`` (``ROUTE/TARGET``); ``found``: each route's cells by target."""
    by_target = found.get(route)
    if by_target is None:
        by_target = found[route] = {}
    for target, _, elapsed, breached in targets:
        cell = by_target.get(target)
        if cell is None:
            cell = by_target[target] = cells[f"{route}/{target}"]
        cell[0] += 1
        cell[1] += breached
        cell[2] += elapsed is None and not breached  # TargetResult.unfinished


def breach_figures(cells: Sequence[list[int] | None], measured: str = "challenges") -> dict[str, Any]:
    """Counts and breach rate of one target (or rung deadline) from its per-replication cells.

    Each cell is ``[measured, breached, unfinished]`` for one replication (None: nothing measured).
    ``breach_rate`` is breached over decided (decided = measured - unfinished) over all
    replications, with its CI; ``breach_rate_bounds`` are breached over measured (``low``: no
    unfinished one will miss) and (breached + unfinished) over measured (``high``: every one will).

    >>> f = breach_figures([[10, 2, 2], [10, 3, 0]])
    >>> f["breached"], f["met"], f["unfinished"], f["breach_rate_bounds"]
    (5, 13, 2, {'low': 0.25, 'high': 0.35})
    """
    seen = [c if c is not None else [0, 0, 0] for c in cells]
    total, breached, unfinished = (int(sum(c[i] for c in seen)) for i in range(3))
    bounds = None
    if total:
        bounds = {"low": rounded(breached / total), "high": rounded((breached + unfinished) / total)}
    return {
        measured: total,
        "breached": breached,
        "met": total - breached - unfinished,
        "unfinished": unfinished,
        "breach_rate": ratio_ci([c[1] for c in seen], [c[0] - c[2] for c in seen], RATE),
        "breach_rate_bounds": bounds,
    }


def summarise(scenario: Scenario, reps: Sequence[ReplicationStats], *, seed: int) -> dict[str, Any]:
    """The summary of a run (the object written to ``summary.json``); replications in any order."""
    reps = sorted(reps, key=lambda r: r.replication)
    warm_up = warm_up_check(scenario, *_daily(scenario, reps))
    follow_up = follow_up_check(scenario)
    return {
        "scenario": {"id": scenario.id, "title": scenario.title},
        "seed": seed,
        "replications": len(reps),
        "assumptions": [*scenario.all_assumptions, *move_assumptions(scenario)],
        "challenges": {
            "counted_per_replication": mean_ci([r.counted for r in reps], COUNT),
            "counted_total": int(sum(r.counted for r in reps)),
            "open_at_end": mean_ci([r.open_at_horizon for r in reps], COUNT),
            "unfinished_total": int(sum(r.unfinished for r in reps)),
            "unfinished_counted": int(sum(r.unresolved for r in reps)),
        },
        "targets": _targets(scenario, reps),
        "resolution_working_days": _resolution(reps),
        "reached": _reached(scenario, reps),
        "rung_deadlines": _rung_deadlines(scenario, reps),
        "moves": _moves(scenario, reps),
        "staff": _staff(scenario, reps),
        "already_open": {
            "challenges": int(sum(r.already_open for r in reps)),
            "targets": {
                key: breach_figures([r.already_open_targets.get(key) for r in reps])
                for key in sorted({k for r in reps for k in r.already_open_targets})
            },
        },
        "warm_up": {k: v for k, v in warm_up.items() if k != "warning"},
        "follow_up": {k: v for k, v in follow_up.items() if k != "warning"},
        "warnings": [w for w in (follow_up["warning"], warm_up["warning"], _unfinished_warning(reps)) if w],
    }


def _daily(scenario: Scenario, reps: Sequence[ReplicationStats]) -> tuple[list[float], list[int]]:
    """Working days to resolution summed by working day raised, and the counts, over all replications."""
    horizon = scenario.calendar.horizon
    sums, counts = np.zeros(horizon), np.zeros(horizon, dtype=int)
    for r in reps:
        sums += np.asarray(r.daily_sum, dtype=float)
        counts += np.asarray(r.daily_count, dtype=int)
    return sums.tolist(), counts.tolist()


def _unfinished_warning(reps: Sequence[ReplicationStats]) -> str | None:
    n = sum(r.unresolved for r in reps)
    if not n:
        return None
    return (
        f"{n} counted challenge{'s were' if n != 1 else ' was'} still open when the follow-up ended: "
        "targets they had not yet missed are counted as unfinished, rates are over the decided challenges "
        "(with bounds), and the mean time to resolution is over the finished challenges only"
    )


def _targets(scenario: Scenario, reps: Sequence[ReplicationStats]) -> dict[str, Any]:
    out = {}
    for route in scenario.routes:
        for t in route.procedure.targets:
            key = f"{route.procedure.id}/{t.id}"
            figures = breach_figures([r.targets.get(key) for r in reps])
            out[key] = {"title": t.title, "within": t.within.label, **figures}
    return out


def _resolution(reps: Sequence[ReplicationStats]) -> dict[str, Any]:
    """Time to resolution of the finished counted challenges, all replications together.

    The mean is the ratio estimator (total working days over challenges finished) with its
    delta-method CI; the percentiles and the longest are of the same pooled challenges.
    """
    unfinished = int(sum(r.unresolved for r in reps))
    times = np.sort(np.concatenate([np.asarray(r.resolution, dtype=float) for r in reps])) if reps else np.array([])
    if not len(times):
        empty = dict.fromkeys(("mean", "mean_ci95", "median", "p90", "p95", "max"))
        return {"challenges": 0, "unfinished": unfinished, **empty}
    mean = ratio_ci([float(np.sum(r.resolution)) for r in reps], [len(r.resolution) for r in reps], COUNT)
    q = np.quantile(times, [0.5, 0.9, 0.95])
    return {"challenges": len(times), "unfinished": unfinished, "mean": mean["mean"], "mean_ci95": mean["ci95"],
            "median": rounded(q[0]), "p90": rounded(q[1]), "p95": rounded(q[2]), "max": rounded(times[-1])}  # fmt: skip


def _reached(scenario: Scenario, reps: Sequence[ReplicationStats]) -> dict[str, Any]:
    """Share of each route's counted challenges that reached each stage (all replications together)."""
    out: dict[str, Any] = {}
    for route in scenario.routes:
        pid = route.procedure.id
        total = sum(r.by_route.get(pid, 0) for r in reps)
        out[pid] = {
            s.id: rounded(sum(r.reached.get((pid, s.id), 0) for r in reps) / total) if total else None
            for s in route.procedure.stages
            if s.kind.value != "start"
        }
    return out


def own_deadlines(procedure: Procedure) -> dict[str, list[tuple[str, str]]]:
    """Each joint rung's responders with a reply deadline of their own: ``{stage: [(STAGE/ROLE, label)]}``.

    The engine records a responder who missed its own deadline as ``STAGE/ROLE`` among a
    challenge's rung breaches; the summary gives each such deadline a row beside the rung's.

    >>> from cpsim.model import PROCEDURES_DIR, load_procedure
    >>> own_deadlines(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml"))
    {}
    """
    out: dict[str, list[tuple[str, str]]] = {}
    for s in procedure.stages:
        rows = [
            (f"{s.id}/{r.role}", f"{r.deadline.label}, {procedure.role(r.role).title}'s own")
            for r in s.responders or ()
            if r.deadline is not None and r.deadline.is_specified
        ]
        if rows:
            out[s.id] = rows
    return out


def _rung_deadlines(scenario: Scenario, reps: Sequence[ReplicationStats]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for route in scenario.routes:
        pid, rows = route.procedure.id, {}
        for s in route.procedure.stages:
            if s.deadline is None or not s.deadline.is_specified:
                continue
            rows[s.id] = {
                "deadline": s.deadline.label,
                **breach_figures([r.rungs.get((pid, s.id)) for r in reps], measured="visits"),
            }
        for stage_rows in own_deadlines(route.procedure).values():
            for key, label in stage_rows:
                rows[key] = {
                    "deadline": label,
                    **breach_figures([r.rungs.get((pid, key)) for r in reps], measured="visits"),
                }
        out[pid] = rows
    return out


def _moves(scenario: Scenario, reps: Sequence[ReplicationStats]) -> dict[str, Any]:
    """Per route, each move with a time limit that the scenario times: how many made it, and the share late."""
    out: dict[str, Any] = {}
    for route in scenario.routes:
        pid, rows = route.procedure.id, {}
        total = sum(r.by_route.get(pid, 0) for r in reps)
        for m in timed_moves(route.procedure, route.behaviour):
            cells = [r.moves.get((pid, m.key)) for r in reps]
            made = sum(c[3] for c in cells if c is not None)
            rows[m.key] = {"from": m.source, "to": m.target, "on": m.outcome, "within": m.phrase,
                           "made_by": rounded(made / total) if total else None,
                           **breach_figures(cells, measured="moves")}  # fmt: skip
        out[pid] = rows
    return out


def _staff(scenario: Scenario, reps: Sequence[ReplicationStats]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for role, spec in sorted(scenario.staff.items()):
        recs = [x for r in reps for x in r.roles if x.role == role]
        if spec.unlimited or not recs:
            out[role] = {"headcount": "unlimited"}
            continue
        out[role] = {
            "headcount": spec.headcount,
            "capacity_per_person": spec.capacity,
            "utilisation": mean_ci([x.utilisation for x in recs], COUNT),
            "available": rounded(np.mean([x.available for x in recs])),
            "queue_mean": rounded(np.mean([x.queue_mean for x in recs])),
            "queue_max": int(max(x.queue_max for x in recs)),
            "covered_by_deputy": int(sum(x.deputised for x in recs)),
        }
    return out
