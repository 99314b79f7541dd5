"""A challenge still open when the follow-up ends is unfinished for a target it has not yet missed.

The scenario is deterministic, so every figure can be counted by hand. One worker replies in
exactly 0.75 working days, first come first served; two challenges are raised at the opening of
each of the 10 working days (challenge ``j`` on day ``j // 2``), so the worker is never idle and
challenge ``j`` is answered at ``0.75 (j + 1)``. The target and the rung deadline are both two
working days from the request, and the rung has no ``no-reply`` route, so late replies still come.

With no follow-up the run stops at day 10:

* challenges 0-12 finished: 0-4 within two days (3 takes exactly 2.0, which is on time), 5-12 late;
* 13, 14 and 15 are open, raised on days 6 and 7: already more than two days, so missed;
* 16-19 are open, raised on days 8 and 9: two days or less so far, so unfinished.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cpsim.model.scenario.classes import Scenario, load_scenario
from cpsim.simulate.engine.replication import run_replication
from cpsim.simulate.experiments.runner import run
from tests.sim_fixtures import ONE_RUNG

NO_GIVING_UP = "".join(line for line in ONE_RUNG.replace("{deadline}", "2").splitlines(True) if "gave_up" not in line)
DAYS = ["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09"]
DAYS += ["2026-01-12", "2026-01-13", "2026-01-14", "2026-01-15", "2026-01-16"]
TARGET = "one-rung/two-days"


def _scenario(folder: Path, follow_up: int) -> Scenario:
    (folder / "one-rung.yaml").write_text(NO_GIVING_UP, encoding="utf-8")
    (folder / "arrivals.csv").write_text("date\n" + "".join(f"{d}\n{d}\n" for d in DAYS), encoding="utf-8")
    (folder / "scenario.yaml").write_text(
        f"""\
id: t
title: T
procedures:
  - procedure: one-rung.yaml
    behaviour:
      stages:
        ask: {{reply_time: {{dist: fixed, value: 0.75}}, p_satisfied: 1}}
calendar: {{start: 2026-01-05, horizon: 10, warm_up: 0, follow_up: {follow_up}}}
arrivals: {{kind: replay, file: arrivals.csv}}
staff:
  worker: {{headcount: 1, capacity: 1}}
replications: 1
seed: 1
""",
        encoding="utf-8",
    )
    return load_scenario(folder / "scenario.yaml")


def test_the_procedure_has_no_no_reply_route() -> None:
    assert "gave_up" not in NO_GIVING_UP and "no-reply" not in NO_GIVING_UP


def test_open_challenges_under_the_limit_are_unfinished_and_those_past_it_are_missed(tmp_path: Path) -> None:
    cases = {c.case: c for c in run_replication(_scenario(tmp_path, follow_up=0), seed=1).cases}
    assert len(cases) == 20
    finished = [f"c{j}" for j in range(13)]
    assert all(cases[c].end == pytest.approx(0.75 * (j + 1)) for j, c in enumerate(finished))
    status = {
        c: ("missed" if r.targets[0].breached else "met" if r.targets[0].met else "unfinished")
        for c, r in cases.items()
    }
    assert [c for c, s in status.items() if s == "met"] == ["c0", "c1", "c2", "c3", "c4"]
    assert [c for c, s in status.items() if s == "unfinished"] == ["c16", "c17", "c18", "c19"]
    assert sum(s == "missed" for s in status.values()) == 11
    # the rung: replies awaited past the deadline are late; those awaited before it are unfinished
    assert [c for c, r in cases.items() if r.rung_unfinished == "ask"] == ["c16", "c17", "c18", "c19"]
    assert [c for c, r in cases.items() if r.rung_breaches] == [f"c{j}" for j in range(5, 16)]


def test_the_summary_counts_unfinished_challenges_instead_of_calling_them_met(tmp_path: Path) -> None:
    s = run(_scenario(tmp_path, follow_up=0), workers=1).summary()
    t = s["targets"][TARGET]
    assert (t["challenges"], t["breached"], t["met"], t["unfinished"]) == (20, 11, 5, 4)
    assert t["breach_rate"]["mean"] == pytest.approx(11 / 16)  # over decided challenges, not 11 / 20
    assert t["breach_rate_bounds"] == {"low": 0.55, "high": 0.75}
    rung = s["rung_deadlines"]["one-rung"]["ask"]
    assert (rung["visits"], rung["breached"], rung["met"], rung["unfinished"]) == (20, 11, 5, 4)
    res = s["resolution_working_days"]
    assert (res["challenges"], res["unfinished"]) == (13, 7)
    assert res["mean"] == pytest.approx(32.25 / 13, abs=1e-6)  # the finished challenges' own times
    assert s["challenges"]["unfinished_counted"] == 7


def test_a_follow_up_shorter_than_the_longest_target_is_warned_about(tmp_path: Path) -> None:
    s = run(_scenario(tmp_path, follow_up=0), workers=1).summary()
    assert s["follow_up"] == {
        "configured": 0,
        "longest_target": {"target": TARGET, "limit": 2.0, "unit": "working days"},
    }
    assert any("follow_up is 0 working days, shorter than the longest target" in w for w in s["warnings"])
    assert any("7 counted challenges were still open" in w for w in s["warnings"])


def test_with_a_long_follow_up_every_unfinished_challenge_is_decided_within_the_bounds(tmp_path: Path) -> None:
    short = run(_scenario(tmp_path, follow_up=0), workers=1).summary()["targets"][TARGET]
    long = run(_scenario(tmp_path, follow_up=10), workers=1).summary()
    t = long["targets"][TARGET]
    assert (t["breached"], t["met"], t["unfinished"]) == (15, 5, 0)  # the four unfinished ones all miss
    bounds = short["breach_rate_bounds"]
    assert bounds["low"] <= t["breach_rate"]["mean"] <= bounds["high"]
    assert long["resolution_working_days"]["unfinished"] == 0
    assert not [w for w in long["warnings"] if "follow_up" in w or "still open" in w]
