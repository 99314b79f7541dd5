"""The graph answers for procedures with too many routes to list agree with listing every route.

On small random procedures whose routes form no loop, every figure :mod:`cpsim.verify.checks.routes`
and :mod:`cpsim.verify.checks.parting` work out on the graph (route counts, quickest and slowest
times with an example route, each rung's slack, where routes part from a target) is compared with
the same figure from the listed routes, and the quick clash test on a route with the full
temporal-network check.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpsim.model import Procedure
from cpsim.verify.checks.coverage import parting_by_listing
from cpsim.verify.checks.deadlines import _bound, _route_clash, _route_rules
from cpsim.verify.checks.parting import parting_on_graph
from cpsim.verify.checks.routes import dag_slack, route_dag
from cpsim.verify.checks.slack import rung_slack
from cpsim.verify.checks.stn import conflict
from cpsim.verify.checks.timing import Clock, clocks
from cpsim.verify.checks.walks import enumerate_walks
from tests.strategies import CITE, make_data, procedures

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def dag_procedures(draw: st.DrawFn) -> tuple[Procedure, Clock]:
    """A random procedure whose moves all go forward (no loop), and a random clock over it."""
    n = draw(st.integers(1, 6))
    mids = [f"s{i}" for i in range(1, n + 1)]
    ends = ["end_a", "end_b"]
    later = mids + ends
    stages: list[dict[str, Any]] = [{"id": "begin", "kind": "start"}]
    trans: list[dict[str, Any]] = [{"from": "begin", "on": "raised", "to": draw(st.sampled_from(later[:3]))}]
    if draw(st.booleans()):
        trans.append({"from": "begin", "on": "urgent", "to": draw(st.sampled_from(later)), "skip": True})
    deadline = st.one_of(st.integers(1, 4), st.just("none given"), st.just({"amount": 4, "unit": "hours"}))
    within = st.one_of(st.none(), st.just({"unspecified": "no time given"}), st.integers(1, 2))
    for i, sid in enumerate(mids):
        kind = draw(st.sampled_from(["request", "request", "decision", "dialogue"]))
        stage: dict[str, Any] = {"id": sid, "kind": kind}
        if kind == "request":
            stage["deadline"] = draw(deadline)
            outcomes = ["satisfied", "unsatisfied", "no-reply"]
        elif kind == "decision":
            stage |= {"outcomes": ["go-a", "go-b"], "judgement": "as they see fit"}
            outcomes = ["go-a", "go-b"]
        else:
            if draw(st.booleans()):
                stage["deadline"] = {"amount": draw(st.integers(1, 3)), "unit": "working-days", "source": CITE}
            outcomes = ["done"]
            stage["outcomes"] = outcomes
        stages.append(stage)
        ahead = later[i + 1 :]
        for outcome in outcomes:
            if draw(st.integers(0, 5)) == 0:
                continue
            t: dict[str, Any] = {"from": sid, "on": outcome, "to": draw(st.sampled_from(ahead))}
            w = draw(within)
            if isinstance(w, int):
                t["within"] = {"amount": w, "unit": "working-days", "source": CITE}
            elif w is not None:
                t["within"] = w
            trans.append(t)
    stages += [{"id": e, "kind": "terminal"} for e in ends]
    proc = Procedure.model_validate(make_data(stages, trans))
    start = draw(st.sampled_from(["begin", "begin", *mids]))
    picked = draw(st.lists(st.sampled_from(later), max_size=2, unique=True))
    stops = tuple(dict.fromkeys([*picked, *(ends if draw(st.booleans()) else [draw(st.sampled_from(ends))])]))
    days = float(draw(st.integers(1, 10)))
    return proc, Clock("c", "Clock", start, stops, days, f"{days:g} working days", None)


def _listed(proc: Procedure, clock: Clock) -> list[Any]:
    walks, complete = enumerate_walks(proc, clock.start, clock.stops)
    assert complete
    return [w for w in walks if w and w[-1].to in clock.stops]


def _check_routes(proc: Procedure, clock: Clock) -> None:
    dag = route_dag(proc, clock)
    if dag is None:
        return
    covered = _listed(proc, clock)
    bounds = [_bound(proc, w) for w in covered]
    assert dag.routes == len(covered)
    assert dag.bounded_routes == sum(b.hi is not None for b in bounds)
    if not covered:
        return
    by_walk = {b.walk: b for b in bounds}
    assert dag.lo_min[clock.start][0] == pytest.approx(min(b.lo for b in bounds))
    assert by_walk[dag.quickest].lo == pytest.approx(min(b.lo for b in bounds))
    assert by_walk[dag.longest_wait].lo == pytest.approx(max(b.lo for b in bounds))
    worst = max(b.worst_at_least for b in bounds)
    assert dag.timed_max[clock.start][0] == pytest.approx(worst)
    assert by_walk[dag.slowest].worst_at_least == pytest.approx(worst)
    his = [b.hi for b in bounds if b.hi is not None]
    if his:
        slowest = dag.slowest_bounded
        assert slowest is not None and by_walk[slowest].hi == pytest.approx(max(his))
    else:
        assert dag.slowest_bounded is None
    listed, graph = rung_slack(proc, clock, covered), dag_slack(dag)
    assert set(listed) == set(graph)
    for sid, rung in listed.items():
        other = graph[sid]
        assert (rung.latest is None) == (other.latest is None) and (rung.worst is None) == (other.worst is None)
        assert rung.latest is None or rung.latest == pytest.approx(other.latest)
        assert rung.worst is None or rung.worst == pytest.approx(other.worst)
        assert set(rung.left_out) == set(other.left_out)
        assert set(rung.unbounded_before) == set(other.unbounded_before)
    for w in covered:
        rules, prec = _route_rules(proc, clock, w)
        assert _route_clash(proc, clock, w) == conflict(rules, prec)


def _check_parting(proc: Procedure, clock: Clock) -> None:
    parted = parting_on_graph(proc, clock)
    if parted is None:
        return
    walks, complete = enumerate_walks(proc, proc.start.id)
    assert complete
    never_starts, never_stops = parting_by_listing(proc, clock, walks)
    assert list(parted.never_starts.items()) == list(never_starts.items())
    assert list(parted.never_stops.items()) == list(never_stops.items())
    assert parted.total_starts == sum(never_starts.values())
    assert parted.total_stops == sum(never_stops.values())
    assert parted.more(proc, clock, "the target") == []


@SETTINGS
@given(dag_procedures())
def test_graph_figures_match_every_listed_route_on_random_acyclic_procedures(case: tuple[Procedure, Clock]) -> None:
    proc, clock = case
    assert route_dag(proc, clock) is not None
    _check_routes(proc, clock)
    _check_parting(proc, clock)


@SETTINGS
@given(procedures(max_rungs=5))
def test_graph_figures_match_listing_on_the_random_ladders_without_loops(proc: Procedure) -> None:
    for clock in clocks(proc, target_days=3):
        _check_routes(proc, clock)
        _check_parting(proc, clock)


def test_a_route_back_into_the_start_or_a_loop_is_left_to_listing() -> None:
    stages = [{"id": "begin", "kind": "start"}, {"id": "l1", "kind": "request"}, {"id": "end", "kind": "terminal"}]
    trans = [("begin", "raised", "l1"), ("l1", "satisfied", "end"), ("l1", "unsatisfied", "l1")]
    proc = Procedure.model_validate(make_data(stages, trans))
    clock = Clock("c", "Clock", "l1", ("end",), 5.0, "5 working days", None)
    assert route_dag(proc, clock) is None
    assert parting_on_graph(proc, clock) is None


def test_many_routes_are_counted_without_listing_them() -> None:
    """A ladder of 200 rungs with two ways up at each has 2^200 routes to its top; they are counted exactly."""
    rungs = [f"r{i}" for i in range(200)]
    stages = [{"id": "begin", "kind": "start"}, *({"id": r, "kind": "request"} for r in rungs)]
    stages.append({"id": "end", "kind": "terminal"})
    trans = [("begin", "raised", "r0")]
    for i, r in enumerate(rungs):
        up = rungs[i + 1] if i + 1 < len(rungs) else "end"
        trans += [(r, "unsatisfied", up), (r, "no-reply", up)]
    proc = Procedure.model_validate(make_data(stages, trans))
    clock = Clock("c", "Clock", "r0", ("end",), 5.0, "5 working days", None)
    dag = route_dag(proc, clock)
    assert dag is not None and dag.routes == 2**200 and dag.bounded_routes == 0
    assert dag.timed_max["r0"][0] == 200.0  # every reply at its one-day deadline
    assert dag.lo_max["r0"][0] == 200.0 and dag.lo_min["r0"][0] == 0.0
    assert [t.on for t in dag.longest_wait] == ["no-reply"] * 200
    assert len(dag.quickest) == 200


def test_ways_of_parting_beyond_the_first_twenty_are_counted_not_listed() -> None:
    """A case can end at any of 30 rungs before the one a target starts at, each reached in 2^i ways."""
    rungs = [f"r{i}" for i in range(40)]
    stages = [{"id": "begin", "kind": "start"}, *({"id": r, "kind": "request"} for r in rungs)]
    stages.append({"id": "end", "kind": "terminal"})
    trans = [("begin", "raised", "r0")]
    for i, r in enumerate(rungs):
        up = rungs[i + 1] if i + 1 < len(rungs) else "end"
        trans += [(r, "satisfied", "end"), (r, "unsatisfied", up), (r, "no-reply", up)]
    proc = Procedure.model_validate(make_data(stages, trans))
    clock = Clock("c", "Clock", "r30", ("end",), 5.0, "5 working days", None)
    parted = parting_on_graph(proc, clock)
    assert parted is not None and parted.total_starts == 2**30 - 1 and parted.total_stops == 0
    assert len(parted.never_starts) == 20 and set(parted.never_starts.values()) == {1}
    first = next(iter(parted.never_starts))
    assert [t.to for t in first] == ["r0", "end"]
    (more,) = parted.more(proc, clock, "the target")
    assert more.code == "TARGET_NEVER_STARTS"
    assert more.message.startswith(f"{2**30 - 1 - 20} more routes from Begin also never start its clock")
