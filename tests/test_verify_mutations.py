"""Mutations of the shipped procedures: each deliberate defect produces the finding that names it."""

from __future__ import annotations

import pytest

from cpsim.model import Deadline, Procedure, Transition
from cpsim.verify import verify_procedure
from cpsim.verify.checks.walks import is_walk


@pytest.fixture
def internal(shipped) -> Procedure:
    return shipped["redcar-internal"]


def findings(proc, code, severity=None):
    return [f for f in verify_procedure(proc) if f.code == code and (severity is None or f.severity == severity)]


def without(proc, frm, on):
    kept = tuple(t for t in proc.transitions if (t.from_, t.on) != (frm, on))
    assert len(kept) == len(proc.transitions) - 1
    return proc.model_copy(update={"transitions": kept})


def with_stage(proc, sid, **changes):
    stages = tuple(s.model_copy(update=changes) if s.id == sid else s for s in proc.stages)
    return proc.model_copy(update={"stages": stages})


def with_rank(proc, role, rank):
    roles = tuple(r.model_copy(update={"rank": rank}) if r.id == role else r for r in proc.roles)
    return proc.model_copy(update={"roles": roles})


def add(proc, **fields):
    t = Transition.model_validate({"source": proc.transitions[0].source.model_dump(), **fields})
    return proc.model_copy(update={"transitions": (*proc.transitions, t)})


def test_the_unmutated_procedure_has_no_violations(internal):
    assert [f for f in verify_procedure(internal) if f.severity == "violation"] == []


def test_removing_a_satisfied_transition_leaves_an_undeclared_missing_outcome(internal):
    [f] = findings(without(internal, "level2", "satisfied"), "MISSING_OUTCOME", "violation")
    assert f.stages == ("level2",) and "if the reply satisfies" in f.message


def test_removing_the_last_way_out_of_a_rung_makes_a_dead_end(internal):
    mutated = without(internal, "level3", "satisfied")
    [f] = findings(mutated, "DEAD_END", "violation")
    assert f.stages == ("level3",) and is_walk(mutated, f.route) and f.route[-1] == "level3"
    assert not findings(mutated, "TERMINATES")


def test_deleting_a_deadline_breaks_the_guarantee_at_that_rung(internal):
    mutated = with_stage(internal, "level2", deadline=Deadline(unspecified="removed"))
    names = {f.stages for f in findings(mutated, "TARGET_NOT_GUARANTEED")}
    assert ("level2",) in names
    assert ("level2",) in {f.stages for f in findings(mutated, "DEADLINE_UNSPECIFIED", "gap")}
    missing = with_stage(internal, "level2", deadline=None)
    assert [f.stages for f in findings(missing, "DEADLINE_MISSING", "violation")] == [("level2",)]
    assert ("level2",) in {f.stages for f in findings(missing, "TARGET_NOT_GUARANTEED")}


def test_lengthening_a_deadline_past_the_target_is_reported_with_the_excess(internal):
    longer = internal.stage("level2").deadline.model_copy(update={"amount": 5})
    over = {f.route: f for f in findings(with_stage(internal, "level2", deadline=longer), "TARGET_EXCEEDED")}
    # the route on to Level 3 exceeds too: its timed steps alone take the same 6 working days
    assert set(over) == {("level1", "level2", "resolved"), ("level1", "level2", "level3", "resolved")}
    assert "can take 6 working days, 1 working day over" in over[("level1", "level2", "resolved")].message


def test_a_loop_back_down_the_ladder_without_a_bound_is_an_unbounded_loop_and_downward(internal):
    mutated = add(internal, **{"from": "level2", "to": "level1", "on": "no-reply"})
    [loop] = findings(mutated, "UNBOUNDED_LOOP", "violation")
    assert loop.route == ("raise", "level1", "level2", "level1")
    down = findings(mutated, "ESCALATION_NOT_UPWARD", "violation")
    assert [f.stages for f in down] == [("level2", "level1")]
    assert any(f.code == "TARGET_NOT_GUARANTEED" and "without limit" in f.message for f in verify_procedure(mutated))


def test_a_bounded_loop_back_down_is_unrolled_against_the_target(internal):
    mutated = add(internal, **{"from": "level2", "to": "level1", "on": "no-reply", "max_repeats": 1})
    assert not findings(mutated, "UNBOUNDED_LOOP")
    assert findings(mutated, "LOOP_BOUND")
    over = findings(mutated, "TARGET_EXCEEDED")
    assert ("level1", "level2", "level1", "level2", "resolved") in {f.route for f in over}


def test_lowering_a_rank_below_the_rung_before_is_downward_escalation(internal):
    [f] = findings(with_rank(internal, "assistant_director", 2), "ESCALATION_NOT_UPWARD")
    assert (f.severity, f.stages) == ("violation", ("level2", "level3"))


def test_lowering_a_rank_to_the_rung_before_is_sideways_escalation(internal):
    [f] = findings(with_rank(internal, "service_manager", 1), "ESCALATION_NOT_UPWARD")
    assert (f.severity, f.stages) == ("warning", ("level1", "level2"))


def test_the_immediate_concern_route_lists_the_rungs_it_bypasses(shipped):
    proc = shipped["redcar-internal"]
    assert {f.stages[-1] for f in findings(proc, "SKIP_BYPASS")} == {"level1", "level2"}


def test_removing_a_transition_from_the_external_route_is_found_too(shipped):
    mutated = without(shipped["redcar-external"], "level1", "unsatisfied")
    assert [f.stages for f in findings(mutated, "MISSING_OUTCOME", "violation")] == [("level1",)]
    assert {f.stages[0] for f in findings(mutated, "UNREACHABLE_STAGE")} == {"level2", "level3"}
