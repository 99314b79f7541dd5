"""Summaries computed from records: breach rates with 95% confidence intervals across replications, and more.

Each replication is reduced to a small :class:`ReplicationStats` (streamed, one record at a time,
so a million challenges need only their resolution times in memory); :func:`summarise` combines
them into the JSON-ready summary documented in ``docs/simulation.md``.

A rate's confidence interval is the Student-t interval of the per-replication rates (each
replication is one independent observation); with one replication it is null.

Examples
--------
>>> mean_ci([0.1, 0.2, 0.3])
{'mean': 0.2, 'ci95': [-0.048414, 0.448414], 'replications': 3}
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, SupportsFloat

import numpy as np
import numpy.typing as npt
from scipy import stats

from cpsim.model.scenario.classes import Scenario
from cpsim.simulate.engine.records import CaseRecord, RoleRecord

__all__ = ["DIGITS", "ReplicationStats", "StatsBuilder", "mean_ci", "rounded", "summarise", "t_half_width"]

DIGITS = 6
RATE = (0.0, 1.0)


def rounded(x: SupportsFloat) -> float:
    """``x`` as a float rounded to :data:`DIGITS` places, as every figure in a summary is.

    >>> rounded(2 / 3)
    0.666667
    """
    return round(float(x), DIGITS)


def t_half_width(values: npt.NDArray[np.float64]) -> float:
    """Half the width of the Student-t 95% confidence interval of the mean of ``values`` (at least two).

    >>> round(t_half_width(np.array([1.0, 2.0, 3.0])), 6)
    2.484138
    """
    n = len(values)
    return float(stats.t.ppf(0.975, n - 1) * values.std(ddof=1) / math.sqrt(n))


def mean_ci(values: Sequence[float], bounds: tuple[float, float] | None = None) -> dict[str, Any]:
    """Mean and 95% Student-t confidence interval of ``values`` (one per replication), clipped to ``bounds``.

    >>> mean_ci([0.0, 0.0, 0.1], bounds=(0, 1))["ci95"][0]
    0.0
    """
    arr = np.asarray(values, dtype=float)
    n = len(arr)
    if n == 0:
        return {"mean": None, "ci95": None, "replications": 0}
    mean = float(arr.mean())
    if n < 2:
        return {"mean": rounded(mean), "ci95": None, "replications": n}
    half = t_half_width(arr)
    lo, hi = mean - half, mean + half
    if bounds is not None:
        lo, hi = max(lo, bounds[0]), min(hi, bounds[1])
    return {"mean": rounded(mean), "ci95": [rounded(lo), rounded(hi)], "replications": n}


@dataclass
class ReplicationStats:
    """What one replication contributes to the summary."""

    replication: int
    counted: int = 0
    by_route: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    targets: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    resolution: list[float] = field(default_factory=list)
    reached: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    rungs: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    open_at_horizon: int = 0
    unfinished: int = 0
    already_open: int = 0
    already_open_targets: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    roles: tuple[RoleRecord, ...] = ()


class StatsBuilder:
    """Builds one replication's :class:`ReplicationStats` from its records, one at a time."""

    def __init__(self, scenario: Scenario, replication: int) -> None:
        self.stats = ReplicationStats(replication)
        self._rungs = {
            r.procedure.id: {s.id for s in r.procedure.stages if s.deadline is not None and s.deadline.is_specified}
            for r in scenario.routes
        }

    def add(self, case: CaseRecord) -> None:
        """Count one challenge."""
        s = self.stats
        if case.open_at_horizon:
            s.open_at_horizon += 1
        if case.end is None:
            s.unfinished += 1
        route = case.route
        if case.already_open:
            s.already_open += 1
            _tally(s.already_open_targets, route, case)
            return
        if not case.counted:
            return
        s.counted += 1
        s.by_route[route] += 1
        _tally(s.targets, route, case)
        if case.working_days is not None:
            s.resolution.append(case.working_days)
        reached, rungs, deadlined = s.reached, s.rungs, self._rungs[route]
        for stage in set(case.stages):
            reached[(route, stage)] += 1
            if stage in deadlined:
                rungs[(route, stage)][0] += case.stages.count(stage)
        for stage in case.rung_breaches:
            rungs[(route, stage)][1] += 1

    def finish(self, roles: Iterable[RoleRecord]) -> ReplicationStats:
        """The replication's stats, with its staff records (plain dicts, so they pickle)."""
        s = self.stats
        s.roles = tuple(roles)
        for name in ("by_route", "targets", "reached", "rungs", "already_open_targets"):
            setattr(s, name, dict(getattr(s, name)))
        return s


def _tally(cells: dict[str, list[int]], route: str, case: CaseRecord) -> None:
    for t in case.targets:
        cell = cells[f"{route}/{t.target}"]
        cell[0] += 1
        cell[1] += t.breached


def _rate(cells: Sequence[list[int] | None]) -> list[float]:
    return [c[1] / c[0] for c in cells if c is not None and c[0] > 0]


def summarise(scenario: Scenario, reps: Sequence[ReplicationStats], *, seed: int) -> dict[str, Any]:
    """The summary of a run (the object written to ``summary.json``); replications in any order."""
    reps = sorted(reps, key=lambda r: r.replication)
    times = np.sort(np.concatenate([np.asarray(r.resolution, dtype=float) for r in reps])) if reps else np.array([])
    return {
        "scenario": {"id": scenario.id, "title": scenario.title},
        "seed": seed,
        "replications": len(reps),
        "assumptions": list(scenario.all_assumptions),
        "challenges": {
            "counted_per_replication": mean_ci([r.counted for r in reps]),
            "counted_total": int(sum(r.counted for r in reps)),
            "open_at_end": mean_ci([r.open_at_horizon for r in reps]),
            "unfinished_total": int(sum(r.unfinished for r in reps)),
        },
        "targets": _targets(scenario, reps),
        "resolution_working_days": _resolution(times, reps),
        "reached": _reached(scenario, reps),
        "rung_deadlines": _rung_deadlines(scenario, reps),
        "staff": _staff(scenario, reps),
        "already_open": {
            "challenges": int(sum(r.already_open for r in reps)),
            "targets": {
                key: {"breach_rate": mean_ci(_rate([r.already_open_targets.get(key) for r in reps]), RATE)}
                for key in sorted({k for r in reps for k in r.already_open_targets})
            },
        },
    }


def _targets(scenario: Scenario, reps: Sequence[ReplicationStats]) -> dict[str, Any]:
    out = {}
    for route in scenario.routes:
        for t in route.procedure.targets:
            key = f"{route.procedure.id}/{t.id}"
            cells = [r.targets.get(key) for r in reps]
            out[key] = {
                "title": t.title,
                "within": t.within.label,
                "challenges": int(sum(c[0] for c in cells if c)),
                "breached": int(sum(c[1] for c in cells if c)),
                "breach_rate": mean_ci(_rate(cells), RATE),
            }
    return out


def _resolution(times: np.ndarray, reps: Sequence[ReplicationStats]) -> dict[str, Any]:
    if not len(times):
        return {"challenges": 0, "mean": None, "median": None, "p90": None, "p95": None, "max": None}
    q = np.quantile(times, [0.5, 0.9, 0.95])
    return {
        "challenges": len(times),
        "mean": rounded(times.mean()),
        "mean_ci95": mean_ci([float(np.mean(r.resolution)) for r in reps if r.resolution])["ci95"],
        "median": rounded(q[0]),
        "p90": rounded(q[1]),
        "p95": rounded(q[2]),
        "max": rounded(times[-1]),
    }


def _reached(scenario: Scenario, reps: Sequence[ReplicationStats]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for route in scenario.routes:
        pid = route.procedure.id
        out[pid] = {
            s.id: mean_ci([r.reached.get((pid, s.id), 0) / r.by_route[pid] for r in reps if r.by_route.get(pid)])[
                "mean"
            ]
            for s in route.procedure.stages
            if s.kind.value != "start"
        }
    return out


def _rung_deadlines(scenario: Scenario, reps: Sequence[ReplicationStats]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for route in scenario.routes:
        pid, rows = route.procedure.id, {}
        for s in route.procedure.stages:
            if s.deadline is None or not s.deadline.is_specified:
                continue
            cells = [r.rungs.get((pid, s.id)) for r in reps]
            rows[s.id] = {
                "deadline": s.deadline.label,
                "visits": int(sum(c[0] for c in cells if c)),
                "breached": int(sum(c[1] for c in cells if c)),
                "breach_rate": mean_ci(_rate(cells), RATE),
            }
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
            "utilisation": mean_ci([x.utilisation for x in recs]),
            "available": rounded(np.mean([x.available for x in recs])),
            "queue_mean": rounded(np.mean([x.queue_mean for x in recs])),
            "queue_max": int(max(x.queue_max for x in recs)),
            "covered_by_deputy": int(sum(x.deputised for x in recs)),
        }
    return out
