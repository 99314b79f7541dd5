"""When challenges are raised and on which route: a Poisson process in working time, or replayed dates.

Poisson arrivals: on working day ``k`` the number of challenges is Poisson with mean
``rate x factor(month of day k)``, and they are spread uniformly over the day's working time
(this is exactly a Poisson process whose rate is constant within each working day). Each challenge
then takes a route with the scenario's shares. Replayed arrivals are raised at the opening of
their date (the next working day if the date is closed), in file order.

Examples
--------
>>> import datetime as dt
>>> from cpsim.model.scenario.classes import PoissonArrivals
>>> from cpsim.simulate.engine.calendar import WorkingCalendar
>>> cal = WorkingCalendar(dt.date(2026, 1, 5), days=20)
>>> times, routes = poisson_arrivals(PoissonArrivals(rate=2), cal, 20, [0.5, 0.5], seed=1, replication=0)
>>> bool((times[1:] >= times[:-1]).all()), set(routes.tolist()) <= {0, 1}
(True, True)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cpsim.model.scenario.classes import PoissonArrivals, ReplayRow
from cpsim.simulate.engine.calendar import WorkingCalendar
from cpsim.simulate.engine.draws import ARRIVALS, stream

__all__ = ["poisson_arrivals", "replay_arrivals"]


def _routes(u: np.ndarray, shares: Sequence[float]) -> np.ndarray:
    cum = np.cumsum(np.asarray(shares, dtype=float))
    cum[-1] = 1.0
    return np.minimum(np.searchsorted(cum, u, side="right"), len(shares) - 1)


def poisson_arrivals(
    spec: PoissonArrivals,
    cal: WorkingCalendar,
    horizon: int,
    shares: Sequence[float],
    *,
    seed: int,
    replication: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Arrival times (working days, sorted) over ``horizon`` working days and each one's route index."""
    rng = stream(seed, replication, ARRIVALS)
    factors = np.array([spec.factor(cal.dates[k].month) for k in range(horizon)])
    counts = rng.poisson(spec.rate * factors)
    total = int(counts.sum())
    offsets = rng.random(total)
    days = np.repeat(np.arange(horizon, dtype=float), counts)
    order = np.lexsort((offsets, days))
    times = (days + offsets)[order]
    return times, _routes(rng.random(total), shares)


def replay_arrivals(
    rows: Sequence[ReplayRow],
    cal: WorkingCalendar,
    route_ids: Sequence[str],
    shares: Sequence[float],
    *,
    seed: int,
    replication: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Times of replayed arrivals and their routes (drawn by share where the file gives none)."""
    rng = stream(seed, replication, ARRIVALS)
    drawn = _routes(rng.random(len(rows)), shares)
    times = np.array([cal.time_of(r.date) for r in rows], dtype=float)
    routes = np.array(
        [route_ids.index(r.route) if r.route else int(d) for r, d in zip(rows, drawn, strict=True)], dtype=int
    )
    order = np.argsort(times, kind="stable")
    return times[order], routes[order]
