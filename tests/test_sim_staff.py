"""Staff capacity: the no-reply timer withdraws waiting requests cleanly, and no slot is ever left held."""

from __future__ import annotations

from pathlib import Path

import pytest
import simpy

from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
from cpsim.simulate.engine.replication import run_replication
from cpsim.simulate.engine.staff import StaffPool
from tests.sim_fixtures import one_rung_scenario

TIGHT = """\
    behaviour:
      stages:
        ask: {{reply_time: {{dist: {dist}}}, p_satisfied: 1, p_no_reply: 0.1}}
calendar: {{start: 2026-01-05, horizon: 120, warm_up: 0, follow_up: 60}}
arrivals: {{kind: poisson, rate: {rate}}}
staff:
  worker: {{headcount: 2, capacity: 1, absence: {{share: 0.3, periods: [{{from: 2026-02-02, to: 2026-02-13}}]}}}}
"""


@pytest.mark.parametrize(
    ("dist", "rate"),
    [("exponential, mean: 1", 3.0), ("fixed, value: 3", 1.0), ("uniform, low: 0, high: 2", 2.0)],
)
def test_after_a_run_every_pool_has_no_users_and_no_queue(tmp_path: Path, dist: str, rate: float) -> None:
    sc = one_rung_scenario(tmp_path, deadline=1, body=TIGHT.format(dist=dist, rate=rate))
    for rep in range(3):
        res = run_replication(sc, seed=2, replication=rep)
        assert all(c.end is not None for c in res.cases)
        assert res.leftover_users == 0
        assert any("ask" in c.rung_breaches for c in res.cases)


@pytest.mark.parametrize("name", ["redcar-baseline.yaml", "redcar-unlimited-staff.yaml"])
def test_shipped_scenarios_leave_no_slot_held(name: str) -> None:
    res = run_replication(load_scenario(SCENARIOS_DIR / name), seed=3, replication=1)
    assert res.leftover_users == 0 and all(c.end is not None for c in res.cases)


def test_a_timed_out_request_ends_exactly_at_the_deadline_even_while_queued(tmp_path: Path) -> None:
    body = TIGHT.format(dist="fixed, value: 3", rate=2.0).replace("p_no_reply: 0.1", "p_no_reply: 0")
    sc = one_rung_scenario(tmp_path, deadline=1, body=body)
    res = run_replication(sc, seed=1)
    assert {c.end_stage for c in res.cases} == {"gave_up"}
    assert all(abs(c.working_days - 1.0) < 1e-9 for c in res.cases)
    assert res.leftover_users == 0


def test_a_reply_exactly_at_the_deadline_is_in_time(tmp_path: Path) -> None:
    body = TIGHT.format(dist="fixed, value: 1", rate=0.5).replace("p_no_reply: 0.1", "p_no_reply: 0")
    body = body.replace("staff:\n  worker:", "staff:\n  worker_unused:").split("staff:")[0]
    sc = one_rung_scenario(tmp_path, deadline=1, body=body)
    res = run_replication(sc, seed=1)
    assert {c.end_stage for c in res.cases} == {"done"} and not any(c.rung_breaches for c in res.cases)


def test_work_waits_when_nobody_is_present_and_a_deputy_covers_when_named(tmp_path: Path) -> None:
    vacant = """\
    behaviour:
      stages:
        ask: {reply_time: {dist: fixed, value: 0.5}, p_satisfied: 1}
calendar: {start: 2026-01-05, horizon: 20, warm_up: 0, follow_up: 40}
arrivals: {kind: poisson, rate: 1}
staff:
  worker: {headcount: 1, absence: {periods: [{from: 2026-01-05, to: 2026-01-30}]}}
"""
    sc = one_rung_scenario(tmp_path, deadline=30, body=vacant)
    waited = run_replication(sc, seed=1)
    first_back = 20.0  # 2 February is working day 20
    assert all(c.end >= first_back for c in waited.cases if c.raised < first_back)
    covered_body = vacant.replace("staff:\n", "staff:\n  chair: {headcount: 1, capacity: 50}\n").replace(
        "2026-01-30}]}}", "2026-01-30}]}, deputy: chair}"
    )
    covered = run_replication(one_rung_scenario(tmp_path, deadline=30, body=covered_body), seed=1)
    assert max(c.working_days for c in covered.cases) < 1
    assert {r.role: r.deputised for r in covered.roles}["worker"] == len(covered.cases)


def test_a_visit_that_fails_midway_gives_its_slot_back_and_a_waiting_one_leaves_the_queue() -> None:
    env = simpy.Environment()
    pool = StaffPool(env, "worker", headcount=1, per_person=1, window=(0, 10))

    def visit(fail_after: float) -> simpy.events.ProcessGenerator:
        with pool.request() as req:
            yield req | env.timeout(fail_after)
            yield env.timeout(fail_after)
            raise RuntimeError("the visit failed")

    env.process(visit(2.0))  # holds the only slot and fails at 2
    env.process(visit(0.5))  # fails at 1, still waiting for the slot
    with pytest.raises(RuntimeError):
        env.run()
    assert env.now == 1 and pool.queue == [] and len(pool.users) == 1
    with pytest.raises(RuntimeError):
        env.run()
    assert env.now == 2 and pool.users == []


def test_work_under_way_carries_on_when_people_go_away_and_waiting_work_starts_when_they_return() -> None:
    env = simpy.Environment()
    pool = StaffPool(env, "worker", headcount=2, per_person=1, window=(0, 10))
    first, second = pool.request(), pool.request()
    pool.set_present(1)
    assert first.triggered and second.triggered and len(pool.users) == 2
    _ = pool.release(first)
    env.run()
    third = pool.request()
    assert not third.triggered, "one of two is away and the other is busy"
    pool.set_present(2)
    assert third.triggered


def test_every_waiting_request_starts_when_several_people_return_together() -> None:
    env = simpy.Environment()
    pool = StaffPool(env, "worker", headcount=3, per_person=1, window=(0, 10))
    pool.set_present(0)
    waiting = [pool.request() for _ in range(3)]
    assert not any(req.triggered for req in waiting), "nobody is present"
    pool.set_present(3)
    assert [req.triggered for req in waiting] == [True, True, True]
    assert len(pool.users) == 3 and pool.queue == []


def test_a_return_grants_only_the_slots_of_those_back_and_the_rest_wait_in_order() -> None:
    env = simpy.Environment()
    pool = StaffPool(env, "worker", headcount=3, per_person=2, window=(0, 10))
    pool.set_present(0)
    waiting = [pool.request() for _ in range(7)]
    pool.set_present(2)
    assert [req.triggered for req in waiting] == [True] * 4 + [False] * 3
    pool.set_present(3)
    assert [req.triggered for req in waiting] == [True] * 6 + [False]
    assert pool.queue == [waiting[6]]
