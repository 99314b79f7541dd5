"""The records the exact analysis returns: frozen, flat, each with ``as_dict()`` for JSON.

The JSON shape of :meth:`Analysis.as_dict` is documented, with real output, in ``docs/analysis.md``.

Examples
--------
>>> r = BreachRoute(stages=("a", "b"), outcomes=("raised",), probability=0.5, p_breach=0.25)
>>> r.text
'a (raised) → b'
>>> r.as_dict()["p_breach"]
0.25
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from cpsim.model.types import OutcomeId, StageId, WorkingDays

__all__ = ["Analysis", "BreachRoute", "Cdf", "NeverEnds", "Sensitivity", "TargetResult"]


@dataclass(frozen=True)
class Cdf:
    """A distribution function known between two bounds on a grid: ``lower[i] <= P(T <= i*tick) <= upper[i]``."""

    tick: float
    lower: np.ndarray = field(repr=False)
    upper: np.ndarray = field(repr=False)
    extra_error: float = 0.0

    @property
    def horizon(self) -> WorkingDays:
        """The last time the bounds cover."""
        return (self.lower.size - 1) * self.tick

    def bounds(self, days: WorkingDays) -> tuple[float, float]:
        """Lower and upper bound on P(T <= ``days``); ValueError beyond the horizon."""
        if days < 0:
            return 0.0, 0.0
        i = int(np.floor(days / self.tick + 1e-9))
        if i >= self.lower.size:
            raise ValueError(f"{days:g} working days is beyond the analysis horizon of {self.horizon:g}")
        lo = max(0.0, float(self.lower[i]) - self.extra_error)
        return lo, min(1.0, float(self.upper[i]) + self.extra_error)

    def at(self, days: WorkingDays) -> float:
        """Best estimate of P(T <= ``days``): the middle of the bounds."""
        lo, hi = self.bounds(days)
        return (lo + hi) / 2

    def error(self, days: WorkingDays) -> float:
        """Half the gap between the bounds at ``days``: the most :meth:`at` can be out by."""
        lo, hi = self.bounds(days)
        return (hi - lo) / 2

    @property
    def max_error(self) -> float:
        """The largest :meth:`error` over the whole grid."""
        return float(np.max(self.upper - self.lower)) / 2 + self.extra_error if self.lower.size else 0.0

    def mean(self) -> float | None:
        """Best estimate of the mean of T given T <= the horizon (None if no case may end by then).

        The middle of the means of the two bounding distribution functions (each read as mass on
        the grid points); :meth:`mean_bounds` says how far it can be out.
        """
        means = []
        for f in (self.lower, self.upper):
            if f.size == 0 or f[-1] <= 0:
                return None
            mass = np.diff(np.concatenate([[0.0], f]))
            means.append(float(np.dot(mass, np.arange(f.size) * self.tick) / f[-1]))
        return sum(means) / 2

    def mean_bounds(self) -> tuple[float, float] | None:
        """Lower and upper bound on the mean of T given T <= the horizon H; None if it has no bound.

        E[T | T <= H] = H - (integral of P(T <= t) over [0, H]) / P(T <= H), and on each cell
        ``[i*tick, (i+1)*tick)`` the distribution function lies between ``lower[i]`` and
        ``upper[i]``: the integral is largest with the upper bound and P(T <= H) smallest with the
        lower one, and the other way round. Cases that end just beyond the horizon in one bound and
        just within it in the other therefore widen the bounds instead of being hidden.

        Examples
        --------
        >>> import numpy as np
        >>> Cdf(0.5, lower=np.array([0.0, 0.0, 1.0]), upper=np.array([0.0, 1.0, 1.0])).mean_bounds()
        (0.5, 1.0)
        """
        lo = np.clip(self.lower - self.extra_error, 0.0, 1.0)
        hi = np.clip(self.upper + self.extra_error, 0.0, 1.0)
        if lo.size == 0 or lo[-1] <= 0:
            return None
        h = self.horizon
        least = h - self.tick * float(hi[:-1].sum()) / float(lo[-1])
        most = h - self.tick * float(lo[:-1].sum()) / float(hi[-1])
        return max(0.0, least), min(h, most)

    def quantile(self, q: float) -> tuple[float, float] | None:
        """Bounds on the ``q`` quantile (smallest t with P(T <= t) >= q), None if not reached by the horizon."""
        hi_idx = np.flatnonzero(self.lower >= q - 1e-12)
        lo_idx = np.flatnonzero(self.upper >= q - 1e-12)
        if lo_idx.size == 0:
            return None
        high = float(hi_idx[0] * self.tick) if hi_idx.size else float("inf")
        return float(lo_idx[0] * self.tick), high

    def by_day(self) -> list[list[float]]:
        """``[day, P(T <= day)]`` for each whole working day up to the horizon, stopping once flat."""
        out = []
        final = self.at(self.horizon)
        for day in range(int(self.horizon) + 1):
            p = self.at(day)
            out.append([float(day), round(p, 12)])
            if abs(p - final) < 1e-12:
                break
        return out


@dataclass(frozen=True)
class NeverEnds:
    """A way a case never ends: at ``stage``, after ``outcome`` (None: no outcome ever comes)."""

    stage: StageId
    outcome: OutcomeId | None
    reason: str
    probability: float

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready mapping."""
        return asdict(self)


@dataclass(frozen=True)
class BreachRoute:
    """A route (stages, and the outcome taken at each) with P(route) and P(route and target breached)."""

    stages: tuple[StageId, ...]
    outcomes: tuple[OutcomeId | None, ...]
    probability: float
    p_breach: float

    @property
    def text(self) -> str:
        """The route in words, e.g. ``'level1 (unsatisfied) → level2 (satisfied) → resolved'``."""
        parts = [f"{s} ({o or 'no outcome'})" for s, o in zip(self.stages, self.outcomes, strict=False)]
        if len(self.stages) > len(self.outcomes):
            parts.append(self.stages[-1])
        else:
            parts.append("never ends")
        return " → ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready mapping (with ``text``)."""
        return {**asdict(self), "stages": list(self.stages), "outcomes": list(self.outcomes), "text": self.text}


@dataclass(frozen=True)
class Sensitivity:
    """How a target's breach probability responds to one parameter of one stage.

    ``parameter`` is ``p_satisfied`` or ``p_no_reply`` (``effect`` is the derivative: change in
    breach probability per unit of probability) or ``reply_time_scale`` (``effect`` is the change
    in breach probability when that stage's reply times are all 10% longer).
    """

    target: str
    stage: StageId
    parameter: str
    value: float
    effect: float

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready mapping."""
        return asdict(self)


@dataclass(frozen=True)
class TargetResult:
    """One time target: P(clock started), P(met | started) with its error bound, worst routes, sensitivity."""

    target: str
    title: str
    within_days: WorkingDays
    from_stage: StageId
    stops: tuple[StageId, ...]
    p_started: float
    p_within: float
    error: float
    breaching_routes: tuple[BreachRoute, ...] = ()
    sensitivity: tuple[Sensitivity, ...] = ()
    cdf: Cdf | None = field(default=None, repr=False, compare=False)

    @property
    def p_breach(self) -> float:
        """P(target missed | clock started)."""
        return 1.0 - self.p_within

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready mapping."""
        out = {k: v for k, v in asdict(self).items() if k not in ("cdf", "breaching_routes", "sensitivity")}
        out["stops"] = list(self.stops)
        out["p_breach"] = self.p_breach
        out["breaching_routes"] = [r.as_dict() for r in self.breaching_routes]
        out["sensitivity"] = [s.as_dict() for s in self.sensitivity]
        return out


@dataclass(frozen=True)
class Analysis:
    """The exact contention-free analysis of one procedure under one behaviour (times in working days)."""

    procedure: str
    method: str
    tick: float
    horizon: WorkingDays
    error_bound: float
    p_resolved: float
    p_resolved_within_horizon: float
    p_never_ends: float
    p_unexplored: float
    p_beyond_horizon: float
    mean_days: float | None
    mean_error: float
    quantiles: dict[str, tuple[float, float] | None]
    stage_reach: dict[StageId, float]
    terminals: dict[StageId, float]
    never_ends: tuple[NeverEnds, ...]
    targets: tuple[TargetResult, ...]
    cdf: Cdf = field(repr=False, compare=False)

    def within(self, days: WorkingDays) -> float:
        """P(the case reaches a terminal stage within ``days`` working days of the start)."""
        return self.cdf.at(days)

    def target(self, target_id: str) -> TargetResult:
        """The result for ``target_id``; KeyError if there is none."""
        for t in self.targets:
            if t.target == target_id:
                return t
        raise KeyError(target_id)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready mapping (shape documented in docs/analysis.md)."""
        out = {k: v for k, v in asdict(self).items() if k not in ("cdf", "targets", "never_ends", "quantiles")}
        # A bound beyond the horizon is null: JSON has no infinity.
        out["quantiles"] = {q: ([_finite(x) for x in b] if b else None) for q, b in self.quantiles.items()}
        out["never_ends"] = [n.as_dict() for n in self.never_ends]
        out["targets"] = [t.as_dict() for t in self.targets]
        out["cdf_by_day"] = self.cdf.by_day()
        return out


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None
