"""Deadlines against targets: worst and best cases over every route, guarantees, meetability and slack."""

from __future__ import annotations

from cpsim.verify import check_deadlines
from cpsim.verify.checks.slack import rung_slack
from cpsim.verify.checks.timing import clocks
from cpsim.verify.checks.walks import enumerate_walks
from tests.strategies import CITE, write_and_load

IMMEDIATELY = {"unit": "immediately", "source": CITE}


def ladder(write, d1=3, d2=3, *, target=5, extra=(), start="l1", stage_extra=None, move=IMMEDIATELY):
    """Two rungs; the escalation from l1 to l2 takes ``move`` (immediately by default, None for no ``within``)."""
    stages = [
        {"id": "raise", "kind": "start"},
        {"id": "l1", "kind": "request", "deadline": d1, "unspecified": {"no-reply": "silent"}},
        {"id": "l2", "kind": "request", "deadline": d2, "unspecified": {"no-reply": "silent", "unsatisfied": "silent"}},
        {"id": "done", "kind": "terminal"},
    ]
    for s in stages:
        s.update((stage_extra or {}).get(s["id"], {}))
    up = {"from": "l1", "on": "unsatisfied", "to": "l2", **({"within": move} if move else {})}
    trans = [
        ("raise", "raised", "l1"),
        ("l1", "satisfied", "done"),
        up,
        ("l2", "satisfied", "done"),
    ]
    targets = [
        {"id": "t", "title": "Resolved in time", "from": start, "within": {"amount": target, "unit": "working-days"}}
    ]
    return write_and_load(write, stages, [*trans, *extra], targets=targets if target else [])


def by_code(findings, code):
    return [f for f in findings if f.code == code]


def test_a_route_whose_deadlines_add_up_past_the_target_is_reported_with_the_excess(write):
    found = check_deadlines(ladder(write, 3, 3, target=5))
    [over] = by_code(found, "TARGET_EXCEEDED")
    assert over.severity == "violation"
    assert over.route == ("l1", "l2", "done")
    assert "can take 6 working days, 1 working day over" in over.message


def test_routes_within_the_target_are_not_reported(write):
    assert not by_code(check_deadlines(ladder(write, 3, 3, target=6)), "TARGET_EXCEEDED")


def test_worst_and_best_case_are_summarised(write):
    [summary] = by_code(check_deadlines(ladder(write, 1, 2, target=5)), "TARGET_BOUNDS")
    assert "the quickest takes 0 working days" in summary.message
    assert "slowest timed route takes 3 working days" in summary.message


def test_a_stage_without_deadline_breaks_the_guarantee_and_is_named(write):
    found = check_deadlines(ladder(write, 1, "The source gives none.", target=5))
    [gap] = by_code(found, "TARGET_NOT_GUARANTEED")
    assert gap.stages == ("l2",) and gap.severity == "gap"
    assert "the r l2 has no reply deadline" in gap.message
    assert "does not satisfy" in gap.message
    [unspec] = by_code(found, "DEADLINE_UNSPECIFIED")
    assert "The source gives none." in unspec.message


def test_a_move_with_unspecified_timing_breaks_the_guarantee(write):
    slow = {"from": "l1", "on": "unsatisfied", "to": "l2", "within": {"unspecified": "no time given"}}
    proc = ladder(write, 1, 1, target=5)
    proc = proc.model_copy(
        update={"transitions": tuple(t for t in proc.transitions if (t.from_, t.on) != ("l1", "unsatisfied"))}
    )
    data_t = type(proc.transitions[0]).model_validate({**slow, "source": proc.transitions[0].source.model_dump()})
    proc = proc.model_copy(update={"transitions": (*proc.transitions, data_t)})
    found = check_deadlines(proc)
    assert [f.stages for f in by_code(found, "TARGET_NOT_GUARANTEED")] == [("l1", "l2")]
    assert by_code(found, "WITHIN_UNSPECIFIED")


def test_a_loop_is_unrolled_up_to_its_repeat_limit(write):
    back = {"from": "l2", "on": "unsatisfied", "to": "l1", "max_repeats": 1}
    found = check_deadlines(ladder(write, 1, 1, target=3, extra=[back]))
    over = by_code(found, "TARGET_EXCEEDED")
    assert [f.route for f in over] == [("l1", "l2", "l1", "l2", "done")]
    assert "can take 4 working days, 1 working day over" in over[0].message


def test_hours_are_counted_at_24_to_a_day_and_calendar_days_at_face_value(write):
    proc = ladder(write, {"amount": 48, "unit": "hours"}, {"amount": 2, "unit": "calendar-days"}, target=3)
    [over] = by_code(check_deadlines(proc), "TARGET_EXCEEDED")
    assert "can take 4 working days" in over.message


def test_target_days_adds_a_target_from_the_start_and_replaces_one_over_the_same_span(write):
    proc = ladder(write, 1, 1, target=10, start="raise")
    [clock] = clocks(proc, target_days=1)
    assert clock.id == "target-days" and clock.start == "raise" and clock.days == 1
    found = check_deadlines(proc, target_days=1)
    assert [f.route for f in by_code(found, "TARGET_EXCEEDED")] == [("raise", "l1", "l2", "done")]
    assert len(clocks(ladder(write, 1, 1, target=10), target_days=1)) == 2


def test_forced_waits_on_no_reply_that_exceed_the_target_make_a_route_unable_to_meet_it(write):
    extra = [("l1", "no-reply", "l2"), ("l2", "no-reply", "done")]
    found = check_deadlines(ladder(write, 1, 5, target=4, extra=extra))
    misses = by_code(found, "ROUTE_MISSES_TARGET")
    assert [f.route for f in misses] == [("l1", "l2", "done"), ("l1", "l2", "done")]
    forced = [f for f in misses if "'no reply' is known only" in f.message]
    assert forced and all("L1" not in f.message.split(":", 1)[1] for f in forced)
    assert not by_code(found, "TARGET_UNMEETABLE")


def test_a_target_no_route_can_meet_is_unmeetable_and_the_clash_is_minimal(write):
    stages = [
        {"id": "raise", "kind": "start"},
        {"id": "l1", "kind": "request", "deadline": 1, "unspecified": {"satisfied": "s", "unsatisfied": "s"}},
        {"id": "l2", "kind": "request", "deadline": 5, "unspecified": {"satisfied": "s", "unsatisfied": "s"}},
        {"id": "done", "kind": "terminal"},
    ]
    trans = [("raise", "raised", "l1"), ("l1", "no-reply", "l2"), ("l2", "no-reply", "done")]
    target = {"id": "t", "title": "Resolved in time", "from": "l1", "within": {"amount": 4, "unit": "working-days"}}
    proc = write_and_load(write, stages, trans, targets=[target])
    [bad] = by_code(check_deadlines(proc), "TARGET_UNMEETABLE")
    assert bad.severity == "violation"
    clash = bad.message.split("these rules clash: ")[1]
    assert "L2" in clash and "5 working days" in clash and "the target" in clash
    assert "L1" not in clash  # the one-day wait at level 1 is not needed for the clash


def test_slack_is_the_latest_reply_day_that_leaves_time_for_the_rest_of_every_route(write):
    proc = ladder(write, 1, 2, target=5)
    clock = clocks(proc)[0]
    walks, _ = enumerate_walks(proc, clock.start, clock.stops)
    table = rung_slack(proc, clock, walks)
    assert table["l1"][:2] == (3.0, 1.0)  # after an unsatisfactory reply, level 2 may take its full 2 days
    assert table["l2"][:2] == (5.0, 3.0)
    found = by_code(check_deadlines(proc), "TARGET_SLACK")
    assert [f.stages for f in found] == [("l1",), ("l2",)]
    assert "2 working day(s) to spare" in found[1].message


def test_slack_for_a_rung_counts_the_time_of_the_moves_after_it(write):
    proc = ladder(write, 1, 2, target=5)
    timed = [
        t.model_copy(
            update={
                "within": type(t.within or proc.stage("l1").deadline).model_validate(
                    {"amount": 1, "unit": "working-days", "source": t.source.model_dump()}
                )
            }
        )
        if (t.from_, t.on) == ("l1", "unsatisfied")
        else t
        for t in proc.transitions
    ]
    proc = proc.model_copy(update={"transitions": tuple(timed)})
    clock = clocks(proc)[0]
    walks, _ = enumerate_walks(proc, clock.start, clock.stops)
    assert rung_slack(proc, clock, walks)["l1"][:2] == (2.0, 1.0)


def test_the_summary_answers_can_it_be_met_and_is_it_always_met_separately(write):
    [over] = by_code(check_deadlines(ladder(write, 3, 3, target=5)), "TARGET_BOUNDS")
    assert "Can it be met? Yes, on every route" in over.message and "Is it always met? No" in over.message
    [fine] = by_code(check_deadlines(ladder(write, 1, 1, target=5)), "TARGET_BOUNDS")
    assert "Is it always met? Yes" in fine.message
    extra = [("l1", "no-reply", "l2"), ("l2", "no-reply", "done")]
    [some] = by_code(check_deadlines(ladder(write, 1, 5, target=4, extra=extra)), "TARGET_BOUNDS")
    assert "Can it be met? Yes, but not on every route" in some.message


def test_a_move_with_no_time_limit_is_unbounded_and_named_never_counted_as_instant(write):
    found = check_deadlines(ladder(write, 1, 2, target=5, move=None))
    [gap] = by_code(found, "TARGET_NOT_GUARANTEED")
    assert gap.stages == ("l1", "l2") and gap.route == ("l1", "l2")
    assert "not guaranteed on this route because the move from L1 to L2 has no time limit" in gap.message
    [summary] = by_code(found, "TARGET_BOUNDS")
    assert "slowest timed route takes" not in summary.message
    assert "1 route(s) have no upper bound" in summary.message and "bounds only" in summary.message
    [untimed] = by_code(found, "UNTIMED_MOVE")
    assert untimed.severity == "warning" and untimed.stages == ("l1", "l2") and "'within'" in untimed.message


def test_slack_is_not_claimed_across_a_move_with_no_time_limit(write):
    found = by_code(check_deadlines(ladder(write, 1, 2, target=5, move=None)), "TARGET_SLACK")
    l1, l2 = (f.message for f in found)
    assert "the move from L1 to L2 has no time limit" in l1 and "no reply, however early, guarantees it" in l1
    assert "to spare" not in l2 and "nothing bounds when" in l2


def test_a_move_into_an_ending_is_the_ending_and_takes_no_time(write):
    [summary] = by_code(check_deadlines(ladder(write, 1, 2, target=5)), "TARGET_BOUNDS")
    assert "no upper bound" not in summary.message and "slowest timed route takes 3 working days" in summary.message


def test_timed_steps_alone_over_the_target_exceed_it_even_beside_an_untimed_move(write):
    [over] = by_code(check_deadlines(ladder(write, 3, 3, target=5, move=None)), "TARGET_EXCEEDED")
    assert over.route == ("l1", "l2", "done")
    assert "can take 6 working days, 1 working day over" in over.message and "longer still" in over.message


def test_a_decision_stage_with_no_time_limit_is_unbounded_not_instant(write):
    found = check_deadlines(_with_pick(write))
    [untimed] = by_code(found, "UNTIMED_STAGE")
    assert untimed.stages == ("pick",) and "taking no time" not in untimed.message
    assert "no upper bound" in untimed.message
    assert ("pick",) in {f.stages for f in by_code(found, "TARGET_NOT_GUARANTEED")}


def _with_pick(write):
    """A rung whose satisfied reply goes to a decision stage with no time limit, then to the ending."""
    stages = [
        {"id": "raise", "kind": "start"},
        {"id": "l1", "kind": "request", "deadline": 1, "unspecified": {"no-reply": "silent", "unsatisfied": "s"}},
        {"id": "pick", "kind": "decision", "outcomes": ["go"]},
        {"id": "done", "kind": "terminal"},
    ]
    trans = [("raise", "raised", "l1"), ("l1", "satisfied", "pick"), ("pick", "go", "done")]
    target = {"id": "t", "title": "Resolved in time", "from": "l1", "within": {"amount": 5, "unit": "working-days"}}
    return write_and_load(write, stages, trans, targets=[target])


def test_a_target_whose_clock_never_starts_on_a_skip_route_warns_naming_the_route(write):
    skip = {"from": "raise", "on": "urgent", "to": "l2", "skip": True}
    found = check_deadlines(ladder(write, 1, 1, target=5, extra=[skip]))
    [warn] = by_code(found, "TARGET_NEVER_STARTS")
    assert warn.severity == "warning" and warn.route == ("raise", "l2") and warn.stages == ("l1",)
    assert "Raise →[urgent] L2 (reply within 1 working day)" in warn.message and "“Resolved in time”" in warn.message
    assert warn.source == {"doc": "test-source.txt", "ref": "1", "quote": "a rule"}
    assert not by_code(found, "TARGET_NEVER_STOPS")


def test_a_target_whose_clock_never_stops_on_some_route_warns_naming_the_route(write):
    stages = [
        {"id": "raise", "kind": "start"},
        {"id": "l1", "kind": "request", "deadline": 1, "unspecified": {"no-reply": "silent"}},
        {"id": "done", "kind": "terminal"},
        {"id": "other", "kind": "terminal", "ending": "closed-unresolved"},
    ]
    trans = [("raise", "raised", "l1"), ("l1", "satisfied", "done"), ("l1", "unsatisfied", "other")]
    target = {
        "id": "t",
        "title": "Resolved in time",
        "from": "l1",
        "to": ["done"],
        "within": {"amount": 5, "unit": "working-days"},
    }
    found = check_deadlines(write_and_load(write, stages, trans, targets=[target]))
    [warn] = by_code(found, "TARGET_NEVER_STOPS")
    assert warn.severity == "warning" and warn.route == ("raise", "l1", "other")
    assert "Raise → L1 (reply within 1 working day) → Other" in warn.message and "never stops" in warn.message
    assert not by_code(found, "TARGET_NEVER_STARTS")


def test_a_target_that_covers_every_route_from_the_start_does_not_warn(write):
    found = check_deadlines(ladder(write, 1, 1, target=5))
    assert not by_code(found, "TARGET_NEVER_STARTS") and not by_code(found, "TARGET_NEVER_STOPS")
