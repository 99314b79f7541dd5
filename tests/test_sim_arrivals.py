"""Arrivals: Poisson per working day with monthly factors, or replayed dates (closed days move to the next opening)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pytest

from cpsim.model.scenario.classes import PoissonArrivals, load_scenario
from cpsim.simulate.engine.arrivals import poisson_arrivals
from cpsim.simulate.engine.calendar import WorkingCalendar
from cpsim.simulate.engine.replication import calendar_for, run_replication


def test_poisson_counts_follow_the_rate_and_the_monthly_factor() -> None:
    cal = WorkingCalendar(dt.date(2026, 1, 1), days=260)
    spec = PoissonArrivals(rate=4, monthly_factors={"august": 0.25})
    counts = {"august": [], "other": []}
    for rep in range(40):
        times, _ = poisson_arrivals(spec, cal, 250, [1.0], seed=8, replication=rep)
        months = np.array([cal.dates[int(t)].month for t in times])
        counts["august"].append((months == 8).sum())
        counts["other"].append((months == 9).sum())
    aug_days = sum(1 for d in cal.dates[:250] if d.month == 8)
    sep_days = sum(1 for d in cal.dates[:250] if d.month == 9)
    assert np.mean(counts["august"]) / aug_days == pytest.approx(1.0, rel=0.08)
    assert np.mean(counts["other"]) / sep_days == pytest.approx(4.0, rel=0.05)


def test_replayed_dates_arrive_at_the_opening_of_their_working_day(write: Callable) -> None:
    write("arrivals.csv", "date,route\n2026-12-24,redcar-external\n2026-12-25,\n2026-12-29,redcar-internal\n")
    path = write(
        "s.yaml",
        """\
id: replay
title: Replay
calendar: {start: 2026-12-21, horizon: 10, follow_up: 60}
arrivals: {kind: replay, file: arrivals.csv}
procedures:
  - {procedure: redcar-external, share: 0.5}
  - {procedure: redcar-internal, share: 0.5, flagged: {immediate-concern: 0}}
""",
    )
    sc = load_scenario(path)
    res = run_replication(sc, seed=1)
    cal = calendar_for(sc)
    raised = sorted((c.raised_date, c.route) for c in res.cases)
    assert [d for d, _ in raised] == ["2026-12-24", "2026-12-29", "2026-12-29"]
    assert ("2026-12-24", "redcar-external") in raised and ("2026-12-29", "redcar-internal") in raised
    assert all(c.raised == int(c.raised) for c in res.cases) and cal.dates[3] == dt.date(2026, 12, 24)
