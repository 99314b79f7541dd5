"""Checks for figures a run's set-up can bias: too short a warm-up, too short a follow-up.

**Warm-up.** Every replication starts with nobody busy and nobody waiting (or with only the
challenges of ``--open-cases``), so the first challenges meet shorter queues than later ones and
the waits are under-reported unless the first days are left out of the figures (the scenario's
``warm_up``). :func:`mser5` estimates how many days that takes: the MSER-5 rule (White, 1997;
Hoad, Robinson and Davies, 2010) applied to one daily series, the mean working days to resolution
of the challenges raised on each working day, averaged over the run's replications (so the run's
own replications are the pilot runs, and the figure costs nothing extra). The series is the
quantity the summary reports; it has no start-up trend when staff are unlimited (challenges then
never affect one another), so the check speaks only where queues make the start matter.

**Follow-up.** A challenge raised near the horizon is followed for ``follow_up`` working days.
When that is shorter than the longest target, some challenges cannot be decided whatever the
staffing: they are reported as unfinished (see :mod:`cpsim.simulate.experiments.summary`), and the
run is warned about rather than refused, since a short follow-up can be deliberate (what happens
to today's open challenges over the next week).

Examples
--------
>>> mser5([9.0] * 20 + [1.0, 0.0] * 40)
20
>>> mser5([3.0, 1.0, 2.0])
0
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cpsim.model.scenario.classes import Scenario
from cpsim.simulate.engine.targets import target_limit

__all__ = ["BATCH", "WARM_UP_METHOD", "follow_up_check", "mser5", "warm_up_check"]

BATCH = 5
WARM_UP_METHOD = "MSER-5 on the mean working days to resolution by working day raised, over all replications"


def mser5(series: Sequence[float], batch: int = BATCH) -> int:
    """Observations to delete from the start of ``series`` by the MSER rule on batch means of ``batch``.

    The series is cut into consecutive batches of ``batch`` observations (an incomplete last
    batch is dropped) and their means ``Z_1 .. Z_b`` taken. Deleting the first ``d`` batches
    leaves a mean whose squared standard error is estimated by
    ``MSER(d) = sum_{j>d} (Z_j - mean_{j>d} Z)^2 / (b - d)^2``. The rule deletes the ``d`` that
    minimises it (the smallest such ``d``), looking only at the first half of the batches, and
    returns ``batch * d``. A series of fewer than two batches gives 0.

    >>> mser5([10.0] * 50 + [0.0] * 150)
    50
    """
    x = np.asarray(series, dtype=float)
    b = len(x) // batch
    if b < 2:
        return 0
    z = x[: b * batch].reshape(b, batch).mean(axis=1)
    scores = [float(((z[d:] - z[d:].mean()) ** 2).sum()) / (b - d) ** 2 for d in range(b // 2 + 1)]
    return batch * int(np.argmin(scores))


def warm_up_check(scenario: Scenario, sums: Sequence[float], counts: Sequence[int]) -> dict[str, object]:
    """The configured warm-up beside the one MSER-5 recommends, from daily totals over all replications.

    ``sums[k]`` and ``counts[k]`` are the working days to resolution summed over, and the number
    of, the challenges raised on working day ``k`` that finished (all replications together).
    Days on which none finished are left out of the series. ``recommended`` is the first day kept
    after the deletion (0 when nothing is deleted); ``None`` when no challenge finished.
    """
    days = [k for k, n in enumerate(counts) if n > 0]
    recommended: int | None = None
    if days:
        series = [sums[k] / counts[k] for k in days]
        cut = mser5(series)
        recommended = days[cut] if cut else 0
    configured = scenario.calendar.warm_up
    warning = None
    if recommended is not None and configured < recommended:
        warning = (
            f"warm_up is {configured} working days, but the daily mean time to resolution settles only from "
            f"working day {recommended} (MSER-5): unless that is something the scenario schedules (absence "
            "periods, closures, monthly factors), the first challenges met emptier queues than later ones and "
            f"waits are under-reported; set calendar.warm_up to {recommended} or more"
        )
    return {"configured": configured, "recommended": recommended, "method": WARM_UP_METHOD, "warning": warning}


def follow_up_check(scenario: Scenario) -> dict[str, object]:
    """The configured follow-up beside the longest target, with a warning when the follow-up is shorter.

    Limits in calendar days or clock hours are compared as days: a working day lasts at least
    one calendar day, so the warning is given whenever the follow-up may be too short.
    """
    longest: tuple[float, str, bool] | None = None
    for route in scenario.routes:
        for t in route.procedure.targets:
            limit, working = target_limit(t, route.behaviour.hours_per_day)
            if longest is None or limit > longest[0]:
                longest = (limit, f"{route.procedure.id}/{t.id}", working)
    configured = scenario.calendar.follow_up
    if longest is None:
        return {"configured": configured, "longest_target": None, "warning": None}
    limit, key, working = longest
    unit = "working days" if working else "calendar days"
    warning = None
    if configured < limit:
        warning = (
            f"follow_up is {configured} working days, shorter than the longest target ({key}: {limit:g} {unit}): "
            "challenges raised near the horizon cannot all be decided; they are counted as unfinished, "
            "and rates are over the decided ones"
        )
    return {
        "configured": configured,
        "longest_target": {"target": key, "limit": limit, "unit": unit},
        "warning": warning,
    }
