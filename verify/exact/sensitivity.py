"""Which stage's behaviour matters most: finite differences of the exact breach probabilities.

For every request stage and every target, :func:`sensitivities` recomputes the target's breach
probability with one parameter changed:

* ``p_satisfied`` and ``p_no_reply``: a central difference of width :data:`STEP` (one-sided at 0
  and 1), reported as the change in breach probability per unit of probability;
* ``reply_time_scale``: every reply time at the stage 10% longer (:data:`SLOWER`), reported as the
  change in breach probability.

The slower reply times are each distribution's own ``scaled(SLOWER)``.
"""

from __future__ import annotations

from collections.abc import Callable

from cpsim.model.behaviour import Behaviour, StageBehaviour
from cpsim.model.procedure.classes import Procedure
from cpsim.model.types import StageKind, WorkingDays
from cpsim.verify.exact.results import Sensitivity, TargetResult

__all__ = ["SLOWER", "STEP", "breach_probabilities", "sensitivities"]

STEP = 0.01
SLOWER = 1.1

Rerun = Callable[[str, dict[str, object]], dict[str, float]]
"""Breach probabilities with one stage's behaviour updated by a mapping of field values."""


def breach_probabilities(
    procedure: Procedure, behaviour: Behaviour, *, grid: float | None, horizon: WorkingDays
) -> dict[str, float]:
    """Each target's breach probability (given its clock started) under ``behaviour``."""
    from cpsim.verify.exact.analysis import lattices, target_cdfs
    from cpsim.verify.exact.propagate import Context
    from cpsim.verify.exact.steps import exact_days

    ctxs = [
        Context.build(procedure, behaviour, lat) for lat in lattices(procedure, behaviour, grid=grid, horizon=horizon)
    ]
    out = {}
    for t_id, (cdf, started) in target_cdfs(procedure, ctxs).items():
        target = next(t for t in procedure.targets if t.id == t_id)
        days = exact_days(target.within, behaviour.hours_per_day, f"the target “{target.title}”")
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

    def run(stage: str, update: dict[str, object]) -> dict[str, float]:
        sb = behaviour.at(stage).model_copy(update=update)
        changed = behaviour.model_copy(update={"stages": {**behaviour.stages, stage: sb}})
        return breach_probabilities(procedure, changed, grid=grid, horizon=horizon)

    for stage in procedure.stages:
        if stage.kind is not StageKind.REQUEST:
            continue
        sb = behaviour.at(stage.id)
        for name in ("p_satisfied", "p_no_reply"):
            out.extend(_derivative(stage.id, name, sb, run))
        own = {r: b.model_copy(update={"reply_time": b.reply_time.scaled(SLOWER)}) for r, b in sb.responders.items()}
        slower = run(stage.id, {"reply_time": sb.reply_time.scaled(SLOWER), "responders": own})
        out.extend(Sensitivity(t, stage.id, "reply_time_scale", 1.0, slower[t] - base_breach[t]) for t in base_breach)
    return out


def _derivative(stage: str, name: str, sb: StageBehaviour, run: Rerun) -> list[Sensitivity]:
    value = getattr(sb, name)
    lo, hi = max(0.0, value - STEP), min(1.0, value + STEP)
    down, up = run(stage, {name: lo}), run(stage, {name: hi})
    return [Sensitivity(t, stage, name, value, (up[t] - down[t]) / (hi - lo)) for t in up]
