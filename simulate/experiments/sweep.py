"""Sweeps: run a scenario over a grid of parameter values, or search for the smallest value that meets a bound.

A parameter is a dotted path into the scenario file, as written: ``staff.iro_team_manager.headcount``,
``arrivals.rate``, ``procedures.0.share`` (numbers index lists). Each point is the scenario with
its values set (:meth:`~cpsim.model.scenario.classes.Scenario.with_settings`, checked like a file).
Every grid point runs the same replications with the same seed (common random numbers), so
neighbouring points differ only by the parameter. A point's figures are the simulation summary's:
each target's breach rate over the decided challenges and the mean working days to resolution,
as ratios of totals over the replications with delta-method 95% intervals; challenges still
unfinished when the follow-up ended are left out and counted (``unfinished``).

:func:`find_min` searches an ordered list of values by bisection for the smallest one whose
breach rate has its upper 95% confidence bound below a limit. It assumes the breach rate does not
rise as the value rises (more staff, never more breaches); the result says so.

Examples
--------
>>> parse_values("1..4"), parse_values("0.5,1,x")
([1, 2, 3, 4], [0.5, 1, 'x'])
"""

from __future__ import annotations

import concurrent.futures as cf
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cpsim.model.errors import CpsimError, did_you_mean
from cpsim.model.scenario.classes import Scenario
from cpsim.simulate.experiments.tasks import (
    Outcome,
    breach_totals,
    resolution_totals,
    run_tasks_until_stopped,
    tasks_for,
)

__all__ = [
    "MONOTONE_ASSUMPTION",
    "FindMin",
    "Point",
    "Sweep",
    "bisect_min",
    "find_min",
    "parse_values",
    "run_sweep",
]

MONOTONE_ASSUMPTION = (
    "The search assumes the breach rate does not rise as the value rises (it checks only the values "
    "bisection visits); if that may not hold, run the full grid with --vary instead."
)


def parse_values(text: str) -> list[Any]:
    """Values from ``1,2,3`` or an inclusive integer range ``1..8``; numbers become int or float."""
    if ".." in text and "," not in text:
        lo, _, hi = text.partition("..")
        try:
            a, b = int(lo), int(hi)
        except ValueError:
            raise CpsimError(f"{text!r}: a range is two whole numbers, e.g. 1..8") from None
        if b < a:
            raise CpsimError(f"{text!r}: a range must not run backwards, e.g. 1..8")
        return list(range(a, b + 1))
    return [_scalar(v.strip()) for v in text.split(",") if v.strip()]


def _scalar(v: str) -> Any:
    for kind in (int, float):
        try:
            return kind(v)
        except ValueError:
            pass
    return {"null": None, "true": True, "false": False}.get(v, v)


@dataclass(frozen=True)
class Point:
    """One grid point: the values set, and each replication's outcome."""

    values: tuple[tuple[str, Any], ...]
    outcomes: tuple[Outcome, ...]

    def breach(self, key: str) -> dict[str, Any]:
        """Breach rate of target ``key`` over decided challenges, all replications together, with its 95% CI."""
        return breach_totals(self.outcomes, key).estimate()

    def unfinished(self, key: str) -> int:
        """Challenges whose clock for target ``key`` started but was undecided when the follow-up ended."""
        return breach_totals(self.outcomes, key).unfinished

    def resolution(self) -> dict[str, Any]:
        """Mean working days to resolution of the finished challenges, all replications together, with its 95% CI."""
        return resolution_totals(self.outcomes).estimate()


@dataclass(frozen=True)
class Sweep:
    """A finished sweep: the varied paths, every point, and the target keys measured."""

    scenario: str
    paths: tuple[str, ...]
    targets: tuple[str, ...]
    seed: int
    replications: int
    points: tuple[Point, ...]
    assumptions: tuple[str, ...] = ()
    interrupted: bool = False
    points_requested: int | None = None

    def rows(self) -> list[dict[str, Any]]:
        """One flat row per (point, target): the CSV table."""
        out = []
        for p in self.points:
            res = p.resolution()
            for key in self.targets:
                b = p.breach(key)
                ci = b["ci95"] or [None, None]
                rci = res["ci95"] or [None, None]
                out.append(
                    {
                        **dict(p.values),
                        "target": key,
                        "breach_rate": b["mean"],
                        "ci95_low": ci[0],
                        "ci95_high": ci[1],
                        "mean_resolution_days": res["mean"],
                        "resolution_ci95_low": rci[0],
                        "resolution_ci95_high": rci[1],
                        "replications": b["replications"],
                        "seed": self.seed,
                        "unfinished": p.unfinished(key),
                    }
                )
        return out

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (see docs/what-if.md); an interrupted sweep says so, with the points that finished."""
        marked = {"points_requested": self.points_requested, "points_finished": len(self.points)}
        return {
            **({"interrupted": marked} if self.interrupted else {}),
            "scenario": self.scenario,
            "vary": list(self.paths),
            "targets": list(self.targets),
            "seed": self.seed,
            "replications": self.replications,
            "common_random_numbers": True,
            "assumptions": list(self.assumptions),
            "rows": self.rows(),
        }


def _targets(scenario: Scenario) -> tuple[str, ...]:
    return tuple(f"{r.procedure.id}/{t.id}" for r in scenario.routes for t in r.procedure.targets)


def _run_points(
    scenario: Scenario,
    settings: Sequence[tuple[tuple[str, Any], ...]],
    replications: int,
    seed: int,
    executor: cf.Executor | None,
    on_done: Callable[[int], None] | None,
    fixed: Mapping[str, Any] | None = None,
    before: Callable[[Sequence[Scenario]], None] | None = None,
    keep_interrupted: bool = False,
) -> tuple[list[Point], Scenario, bool]:
    """The points whose every replication finished, the first point's scenario, and whether a Ctrl-C stopped them.

    A Ctrl-C raises KeyboardInterrupt unless ``keep_interrupted``.
    """
    scenarios = [scenario.with_settings({**(fixed or {}), **dict(values)}) for values in settings]
    if before is not None:
        before(scenarios)
    tasks = [t for sc in scenarios for t in tasks_for(sc, replications, seed)]
    done, stopped = run_tasks_until_stopped(tasks, executor, on_done)
    if stopped and not keep_interrupted:
        raise KeyboardInterrupt
    points = []
    for i, values in enumerate(settings):
        indices = range(i * replications, (i + 1) * replications)
        if all(j in done for j in indices):
            points.append(Point(values, tuple(done[j] for j in indices)))
    return points, scenarios[0], stopped


def run_sweep(
    scenario: Scenario,
    vary: Sequence[tuple[str, Sequence[Any]]],
    *,
    replications: int,
    seed: int,
    executor: cf.Executor | None = None,
    on_done: Callable[[int], None] | None = None,
    before: Callable[[Sequence[Scenario]], None] | None = None,
    keep_interrupted: bool = False,
) -> Sweep:
    """Run ``scenario`` at every combination of the ``vary`` values (a full grid) with the same seed and replications.

    ``before`` is called with every point's scenario before any is run (to check the sweep's
    size, say); it may raise to stop the sweep. A Ctrl-C raises KeyboardInterrupt, unless
    ``keep_interrupted``: then the sweep holds the points whose every replication finished,
    marked ``interrupted``.

    Raises
    ------
    CpsimError
        If a path does not exist in the scenario file (naming the nearest key).
    FileError
        If a value is not valid where it is set.
    """
    paths = tuple(p for p, _ in vary)
    settings = [tuple(zip(paths, combo, strict=True)) for combo in itertools.product(*(v for _, v in vary))]
    points, first, stopped = _run_points(
        scenario, settings, replications, seed, executor, on_done, before=before, keep_interrupted=keep_interrupted
    )
    return Sweep(
        first.id, paths, _targets(first), seed, replications, tuple(points), first.all_assumptions,
        interrupted=stopped, points_requested=len(settings),
    )  # fmt: skip


@dataclass(frozen=True)
class FindMin:
    """The result of a bisection search: the smallest value meeting the bound, and every value tried."""

    path: str
    max_breach: float
    targets: tuple[str, ...]
    value: Any
    found: bool
    tried: tuple[Point, ...] = field(default=())
    assumption: str = MONOTONE_ASSUMPTION
    interrupted: bool = False

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (see docs/what-if.md); an interrupted search says so and claims no value."""
        return {
            **({"interrupted": True} if self.interrupted else {}),
            "path": self.path,
            "max_breach": self.max_breach,
            "targets": list(self.targets),
            "value": self.value,
            "found": self.found,
            "assumption": self.assumption,
            "tried": [
                {"value": dict(p.values)[self.path], **{k: p.breach(k) for k in self.targets}} for p in self.tried
            ],
        }


def meets(point: Point, targets: Sequence[str], max_breach: float) -> bool:
    """True when every target's upper 95% bound on the breach rate is below ``max_breach``."""
    for key in targets:
        ci = point.breach(key)["ci95"]
        if ci is None or ci[1] >= max_breach:
            return False
    return True


def find_min(
    scenario: Scenario,
    path: str,
    values: Sequence[Any],
    *,
    max_breach: float,
    target: str | None = None,
    replications: int,
    seed: int,
    executor: cf.Executor | None = None,
    fixed: Mapping[str, Any] | None = None,
    keep_interrupted: bool = False,
) -> FindMin:
    """The smallest of the ordered ``values`` at ``path`` whose breach rate's upper 95% bound is below ``max_breach``.

    ``target`` is a target id (every route's target with that id must meet the bound) or a full
    ``procedure/target`` key; None means every target. Bisection visits about log2(len(values))
    values, assuming the breach rate does not rise along ``values`` (:data:`MONOTONE_ASSUMPTION`).
    ``fixed`` holds other paths at one value each (set before ``path``). A Ctrl-C raises
    KeyboardInterrupt, unless ``keep_interrupted``: then the result holds the values whose every
    replication finished, claims no value (``found`` false) and is marked ``interrupted``.
    """
    cache: dict[int, Point] = {}
    keys: tuple[str, ...] = ()

    def probe(i: int) -> Point:
        nonlocal keys
        if i not in cache:
            points, sc, _ = _run_points(scenario, [((path, values[i]),)], replications, seed, executor, None, fixed)
            cache[i] = points[0]
            keys = keys or _pick_targets(_targets(sc), target)
        return cache[i]

    try:
        index = bisect_min(len(values), lambda i: meets(probe(i), keys, max_breach))
    except KeyboardInterrupt:
        if not keep_interrupted:
            raise
        return FindMin(path, max_breach, keys, None, False, tuple(cache[i] for i in sorted(cache)), interrupted=True)
    tried = tuple(cache[i] for i in sorted(cache))
    if index is None:
        return FindMin(path, max_breach, keys, None, False, tried)
    return FindMin(path, max_breach, keys, values[index], True, tried)


def bisect_min(n: int, ok: Callable[[int], bool]) -> int | None:
    """The smallest index in ``0 .. n-1`` where ``ok`` holds, assuming once it holds it holds for all larger.

    Checks the last index first (None if even that fails), then bisects: about log2(n) + 1 calls.

    >>> calls = []
    >>> bisect_min(100, lambda i: calls.append(i) or i >= 37), len(calls)
    (37, 7)
    >>> bisect_min(5, lambda i: False) is None
    True
    """
    if n == 0 or not ok(n - 1):
        return None
    lo, hi = 0, n - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid + 1
    return hi


def _pick_targets(keys: tuple[str, ...], target: str | None) -> tuple[str, ...]:
    if target is None:
        return keys
    chosen = tuple(k for k in keys if k == target or k.split("/", 1)[1] == target)
    if not chosen:
        ids = sorted({k.split("/", 1)[1] for k in keys} | set(keys))
        raise CpsimError(f"--target {target!r} is not a target of this scenario ({did_you_mean(target, ids)})")
    return chosen
