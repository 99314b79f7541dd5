"""Which stage's behaviour matters most: finite differences of the exact breach probabilities.

For every request stage and every target, :func:`sensitivities` recomputes the target's breach
probability with one parameter changed:

* ``p_satisfied`` and ``p_no_reply``: a central difference of width :data:`STEP` (one-sided at 0
  and 1), reported as the change in breach probability per unit of probability;
* ``reply_time_scale``: every reply time at the stage 10% longer (:data:`SLOWER`), reported as the
  change in breach probability.

Examples
--------
>>> from cpsim.model.distributions import Discrete
>>> scale_distribution(Discrete(values=(1, 2), probs=(0.5, 0.5)), 1.5).values
(1.5, 3.0)
"""

from __future__ import annotations

from cpsim.model.behaviour import Behaviour, StageBehaviour
from cpsim.model.distributions import (
    Discrete,
    Distribution,
    Exponential,
    Fixed,
    Gamma,
    Lognormal,
    Triangular,
    Uniform,
)
from cpsim.model.procedure.classes import Procedure
from cpsim.model.types import StageKind, WorkingDays
from cpsim.verify.exact.results import Sensitivity, TargetResult

__all__ = ["SLOWER", "STEP", "breach_probabilities", "scale_distribution", "sensitivities"]

STEP = 0.01
SLOWER = 1.1


def scale_distribution(dist: Distribution, factor: float) -> Distribution:
    """``dist`` with every value multiplied by ``factor``."""
    if isinstance(dist, Fixed):
        return dist.model_copy(update={"value": dist.value * factor})
    if isinstance(dist, Discrete):
        return dist.model_copy(update={"values": tuple(v * factor for v in dist.values)})
    if isinstance(dist, Uniform):
        return dist.model_copy(update={"low": dist.low * factor, "high": dist.high * factor})
    if isinstance(dist, Triangular):
        return dist.model_copy(update={k: getattr(dist, k) * factor for k in ("low", "mode", "high")})
    if isinstance(dist, Exponential):
        return dist.model_copy(update={"mean_days": dist.mean_days * factor})
    if isinstance(dist, Lognormal):
        return dist.model_copy(update={"mean_days": dist.mean_days * factor, "sd": dist.sd * factor})
    assert isinstance(dist, Gamma)
    return dist.model_copy(update={"scale": dist.scale * factor})


def breach_probabilities(
    procedure: Procedure, behaviour: Behaviour, *, grid: float | None, horizon: WorkingDays
) -> dict[str, float]:
    """Each target's breach probability (given its clock started) under ``behaviour``."""
    from cpsim.model.behaviour import to_working_days
    from cpsim.verify.exact.analysis import lattices, target_cdfs
    from cpsim.verify.exact.propagate import Context

    ctxs = [
        Context.build(procedure, behaviour, lat) for lat in lattices(procedure, behaviour, grid=grid, horizon=horizon)
    ]
    out = {}
    for t_id, (cdf, started) in target_cdfs(procedure, ctxs).items():
        target = next(t for t in procedure.targets if t.id == t_id)
        days = to_working_days(target.within, hours_per_day=behaviour.hours_per_day)
        out[t_id] = 1.0 - cdf.at(days) / started if started > 0 else 0.0
    return out


def sensitivities(
    procedure: Procedure,
    behaviour: Behaviour,
    *,
    grid: float | None,
    horizon: WorkingDays,
    base: tuple[TargetResult, ...],
) -> list[Sensitivity]:
    """Sensitivity of every target's breach probability to every request stage's parameters."""
    base_breach = {t.target: t.p_breach for t in base}
    out: list[Sensitivity] = []

    def run(stage: str, update: dict) -> dict[str, float]:
        sb = behaviour.at(stage).model_copy(update=update)
        changed = behaviour.model_copy(update={"stages": {**behaviour.stages, stage: sb}})
        return breach_probabilities(procedure, changed, grid=grid, horizon=horizon)

    for stage in procedure.stages:
        if stage.kind is not StageKind.REQUEST:
            continue
        sb = behaviour.at(stage.id)
        for name in ("p_satisfied", "p_no_reply"):
            out.extend(_derivative(stage.id, name, sb, run))
        slower = run(stage.id, {"reply_time": scale_distribution(sb.reply_time, SLOWER)})
        out.extend(Sensitivity(t, stage.id, "reply_time_scale", 1.0, slower[t] - base_breach[t]) for t in base_breach)
    return out


def _derivative(stage: str, name: str, sb: StageBehaviour, run) -> list[Sensitivity]:
    value = getattr(sb, name)
    lo, hi = max(0.0, value - STEP), min(1.0, value + STEP)
    down, up = run(stage, {name: lo}), run(stage, {name: hi})
    return [Sensitivity(t, stage, name, value, (up[t] - down[t]) / (hi - lo)) for t in up]
