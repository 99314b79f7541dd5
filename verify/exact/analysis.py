"""Exact contention-free analysis: the distribution of time to resolution, computed, not sampled.

Given a procedure and a :class:`~cpsim.model.behaviour.Behaviour` (read with the meaning its module
docstring fixes), :func:`analyse` computes the distribution of the time from the start stage to a
terminal stage, each target's chance of being met, how likely each stage is reached, how likely a
case is never to end, the most likely routes that breach each target, and how sensitive each
target's breach probability is to each stage's parameters. Staff are unlimited: nobody queues.

Method. Each stage visit ends in one of a few outcomes whose probabilities come straight from the
reply-time distribution functions (exact). Times are measures on a lattice, added along routes by
convolution; states that agree on stage, loop counts and clock status are merged, and loops are
unrolled up to their ``max_repeats``.

* When every time in the behaviour is fixed or discrete and they have a common tick (each a
  fraction with denominator at most 10,000), the lattice is that tick and the result is exact
  (``method == "exact"``, ``error_bound`` and ``mean_error`` 0 up to float rounding).
* Otherwise (``method == "grid"``: some time is continuous, or the times have no common tick)
  every time is rounded down to a grid of spacing ``grid`` in one pass and up in another. A
  route's time is a sum of its steps' times, so the true distribution function lies between the
  two passes; results are their midpoint, ``error_bound`` is half the largest gap (plus a small
  allowance for FFT rounding) and ``mean_error`` bounds the mean the same way.

Mass whose time passes ``horizon`` is not lost: it is reported (``p_resolved`` counts every case
that reaches a terminal, ``p_resolved_within_horizon`` those that do so by the horizon).

Examples
--------
>>> from cpsim.model import load_procedure, shipped_procedure_paths
>>> from cpsim.model.behaviour import Behaviour
>>> proc = load_procedure([p for p in shipped_procedure_paths() if p.stem == "redcar-external"][0])
>>> beh = Behaviour.model_validate({"stages": {
...     "level1": {"reply_time": {"dist": "discrete", "values": [1, 2], "probs": [0.5, 0.5]}, "p_satisfied": 0.5},
...     "level2": {"reply_time": {"dist": "fixed", "value": 2}, "p_satisfied": 1}}})
>>> a = analyse(proc, beh, horizon=30)
>>> a.method, round(a.within(1), 6), round(a.within(3), 6)
('exact', 0.25, 0.75)
>>> round(a.target("five-working-days").p_within, 6)
1.0
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from cpsim.model.behaviour import Behaviour
from cpsim.model.distributions import Distribution
from cpsim.model.procedure.classes import Procedure, Target
from cpsim.model.procedure.joint import joint_refusals
from cpsim.model.types import StageKind, WorkingDays
from cpsim.verify.exact.joint import responder_times
from cpsim.verify.exact.measure import FFT_ERROR, Lattice, common_tick
from cpsim.verify.exact.propagate import ClockRun, Context, RouteRecord, clock, routing, top_routes
from cpsim.verify.exact.results import Analysis, BreachRoute, Cdf, NeverEnds, Sensitivity, TargetResult
from cpsim.verify.exact.steps import BehaviourError, deadline_days, exact_days

__all__ = ["DEFAULT_GRID", "DEFAULT_HORIZON", "QUANTILES", "analyse", "lattices", "target_cdfs"]

DEFAULT_GRID = 0.002
"""Grid spacing (working days) for continuous reply times: about 54 seconds of a 7.5-hour day."""

DEFAULT_HORIZON = 60.0
"""Working days the analysis follows a case for (about three months)."""

QUANTILES = (0.5, 0.8, 0.9, 0.95, 0.99)
MAX_EXACT_POINTS = 200_000
TOP_ROUTES = 5


def analyse(
    procedure: Procedure,
    behaviour: Behaviour,
    *,
    grid: float | None = None,
    horizon: WorkingDays = DEFAULT_HORIZON,
    sensitivity: bool = True,
) -> Analysis:
    """The exact contention-free analysis of ``procedure`` under ``behaviour``.

    Parameters
    ----------
    procedure, behaviour
        What to analyse; stages the behaviour omits take :class:`~cpsim.model.behaviour.StageBehaviour` defaults.
    grid
        Grid spacing in working days (default :data:`DEFAULT_GRID`) when some time is continuous or
        the times have no common tick (see :func:`lattices`); when given, every time goes on the grid.
    horizon
        How many working days to follow a case for.
    sensitivity
        Whether to compute each target's sensitivity to each request stage's parameters
        (finite differences of the exact computation; costs a few extra analyses per stage).

    Raises
    ------
    BehaviourError
        If a stage with several ways out has no ``choices``, or a target is longer than the horizon.
    """
    lats = lattices(procedure, behaviour, grid=grid, horizon=horizon)
    ctxs = [Context.build(procedure, behaviour, lat) for lat in lats]
    route = routing(ctxs[0])
    terminals = frozenset(s.id for s in procedure.stages if s.is_terminal)
    total = _cdf([clock(c, procedure.start.id, terminals) for c in ctxs], lats)
    targets = _targets(procedure, behaviour, ctxs)
    if sensitivity and targets:
        from cpsim.verify.exact.sensitivity import sensitivities

        sens = sensitivities(procedure, behaviour, grid=grid, horizon=horizon, base=targets)
        targets = tuple(_with_sensitivity(t, sens) for t in targets)
    mean, mean_error = _mean(total)
    return Analysis(
        procedure=procedure.id,
        method=lats[0].mode if lats[0].mode == "exact" else "grid",
        tick=lats[0].tick,
        horizon=float(horizon),
        error_bound=max([total.max_error, *(t.cdf.max_error for t in targets if t.cdf is not None)]),
        p_resolved=float(sum(route.terminal.values())),
        p_resolved_within_horizon=total.at(total.horizon),
        p_never_ends=float(sum(route.never.values())),
        p_unexplored=route.unexplored,
        p_beyond_horizon=max(0.0, float(sum(route.terminal.values())) - total.at(total.horizon)),
        mean_days=mean,
        mean_error=mean_error,
        quantiles={f"{q:g}": total.quantile(q) for q in QUANTILES},
        stage_reach={s.id: route.reach.get(s.id, 0.0) for s in procedure.stages},
        terminals={s: route.terminal.get(s, 0.0) for s in sorted(terminals)},
        never_ends=tuple(NeverEnds(s, o, why, p) for (s, o, why), p in sorted(route.never.items(), key=str)),
        targets=targets,
        cdf=total,
    )


def _refuse_joint_replies(procedure: Procedure) -> None:
    """Refuse a joint reply with no rule for who replies: the analysis cannot choose the latest or the earliest."""
    refused = [f"{what} ({fix})" for what, fix in joint_refusals(procedure)]
    if refused:
        raise BehaviourError("; ".join(refused))


def lattices(
    procedure: Procedure, behaviour: Behaviour, *, grid: float | None = None, horizon: WorkingDays = DEFAULT_HORIZON
) -> list[Lattice]:
    """One exact lattice when every time is fixed or discrete on a common tick, else a lower and an upper grid.

    Times with no common tick (some value is not a fraction with denominator at most 10,000, e.g.
    0.123456789) go on the grid, whose stated error bound covers the rounding; only when every
    value is 0 is there nothing to round, and the exact lattice keeps a tick of 1 day.

    Examples
    --------
    >>> from cpsim.model import load_procedure, shipped_procedure_paths
    >>> proc = load_procedure([p for p in shipped_procedure_paths() if p.stem == "redcar-external"][0])
    >>> def beh(value: float) -> Behaviour:
    ...     return Behaviour.model_validate({"stages": {"level1": {"reply_time": {"dist": "fixed", "value": value}}}})
    >>> [(lat.mode, lat.tick) for lat in lattices(proc, beh(0.25))]
    [('exact', 0.25)]
    >>> [(lat.mode, lat.tick) for lat in lattices(proc, beh(0.123456789))]
    [('lower', 0.002), ('upper', 0.002)]

    A joint reply (several ``responders``) with no rule for who replies is refused with :class:`BehaviourError`.
    """
    _refuse_joint_replies(procedure)
    dists: list[Distribution] = []
    points: list[float] = []
    for stage in procedure.stages:
        sb = behaviour.at(stage.id)
        dists.append(sb.reply_time if stage.kind is StageKind.REQUEST else sb.stay_time)
        dists.extend(responder_times(stage, sb) if stage.kind is StageKind.REQUEST and stage.responders else [])
        dists.extend(sb.move_time.values())
        dists.extend([sb.send_time] if sb.send_time is not None else [])
        d = deadline_days(stage, behaviour) if stage.kind is StageKind.REQUEST else None
        points.extend([d] if d is not None else [])
    atoms = [d.atoms for d in dists]
    if all(a is not None for a in atoms):
        points.extend(v for a in atoms if a is not None for v, _ in a)
        tick = common_tick([float(p) for p in points])
        if tick is None and not any(points):
            tick = 1.0
        if tick is not None and grid is None and horizon / tick <= MAX_EXACT_POINTS:
            return [Lattice(tick, horizon, "exact")]
    step = grid or DEFAULT_GRID
    return [Lattice(step, horizon, "lower"), Lattice(step, horizon, "upper")]


def target_cdfs(procedure: Procedure, ctxs: list[Context]) -> dict[str, tuple[Cdf, float]]:
    """For each target, the distribution function of its clock (unconditional) and P(clock started)."""
    out = {}
    for t in procedure.targets:
        runs = [clock(c, t.from_, frozenset(procedure.target_stops(t))) for c in ctxs]
        out[t.id] = (_cdf(runs, [c.lat for c in ctxs]), runs[0].p_started)
    return out


def _cdf(runs: list[ClockRun], lats: list[Lattice]) -> Cdf:
    sums = [np.minimum(np.cumsum(_pad(r.stopped, lat.size)), 1.0) for r, lat in zip(runs, lats, strict=True)]
    upper, lower = sums[0], sums[-1]
    return Cdf(lats[0].tick, lower, upper, extra_error=sum(r.n_fft for r in runs) * FFT_ERROR)


def _check_horizon(procedure: Procedure, hours_per_day: float, horizon: WorkingDays) -> None:
    """Refuse a target the analysis would not follow cases long enough to judge."""
    for t in procedure.targets:
        days = exact_days(t.within, hours_per_day, f"the target “{t.title}”")
        if days > horizon:
            raise BehaviourError(
                f"target {t.id!r} ({t.within.label}) is longer than the analysis horizon of {horizon:g} working "
                f"days, so whether it is met cannot be told: follow cases for longer, e.g. --horizon {math.ceil(days)}"
            )


def _targets(procedure: Procedure, behaviour: Behaviour, ctxs: list[Context]) -> tuple[TargetResult, ...]:
    _check_horizon(procedure, behaviour.hours_per_day, ctxs[0].lat.horizon)
    runs = target_cdfs(procedure, ctxs)
    records = [top_routes(c, _watches(procedure)) for c in ctxs]
    ticks = [c.lat.tick for c in ctxs]
    return tuple(
        _target(procedure, t, runs[t.id], (records, ticks), behaviour.hours_per_day) for t in procedure.targets
    )


def _pad(m: np.ndarray, size: int) -> np.ndarray:
    out = np.zeros(size)
    out[: min(size, m.size)] = m[:size]
    return out


def _mean(cdf: Cdf) -> tuple[float | None, float]:
    """The mean time to resolution within the horizon and the most it can be out by (None, 0 if unbounded)."""
    mean, bounds = cdf.mean(), cdf.mean_bounds()
    if mean is None or bounds is None:
        return None, 0.0
    return mean, max(0.0, mean - bounds[0], bounds[1] - mean)


def _watches(procedure: Procedure) -> dict[str, tuple[str, frozenset[str]]]:
    return {t.id: (t.from_, frozenset(procedure.target_stops(t))) for t in procedure.targets}


def _target(
    procedure: Procedure,
    t: Target,
    run: tuple[Cdf, float],
    routes: tuple[list[list[RouteRecord]], list[float]],
    hours_per_day: float,
) -> TargetResult:
    cdf, started = run
    days = exact_days(t.within, hours_per_day, f"the target “{t.title}”")
    within = cdf.at(days) / started if started > 0 else 0.0
    error = cdf.error(days) / started if started > 0 else 0.0
    return TargetResult(
        target=t.id,
        title=t.title,
        within_days=days,
        from_stage=t.from_,
        stops=tuple(procedure.target_stops(t)),
        p_started=started,
        p_within=min(1.0, within),
        error=error,
        breaching_routes=_worst_routes(t.id, days, *routes),
        cdf=cdf,
    )


def _worst_routes(
    target: str, days: WorkingDays, records: list[list[RouteRecord]], ticks: list[float]
) -> tuple[BreachRoute, ...]:
    out = []
    for recs in zip(*records, strict=True):
        if target not in recs[0].clocks:
            continue
        breach = float(np.mean([_route_breach(r, target, days, tick) for r, tick in zip(recs, ticks, strict=True)]))
        if breach > 1e-12:
            out.append(BreachRoute(recs[0].stages, recs[0].outcomes, recs[0].probability, breach))
    out.sort(key=lambda r: -r.p_breach)
    return tuple(out[:TOP_ROUTES])


def _route_breach(r: RouteRecord, target: str, days: WorkingDays, tick: float) -> float:
    m = r.clocks[target]
    if m is None:
        return r.probability
    return r.probability * max(0.0, 1.0 - float(m[: int(np.floor(days / tick + 1e-9)) + 1].sum()))


def _with_sensitivity(t: TargetResult, sens: list[Sensitivity]) -> TargetResult:
    return replace(t, sensitivity=tuple(s for s in sens if s.target == t.target))
