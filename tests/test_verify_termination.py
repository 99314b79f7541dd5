"""Termination is proved on the graph: dead ends, traps and unbounded loops are found, bounded loops are not."""

from __future__ import annotations

from cpsim.model.procedure.machine import Case, to_machine
from cpsim.verify import check_termination, prove_termination
from cpsim.verify.checks.walks import is_walk
from tests.strategies import write_and_load

LADDER = [
    {"id": "raise", "kind": "start"},
    {"id": "l1", "kind": "request", "deadline": 1, "unspecified": {"no-reply": "silent"}},
    {"id": "l2", "kind": "request", "deadline": 2, "unspecified": {"no-reply": "silent"}},
    {"id": "done", "kind": "terminal"},
]
BASE = [
    ("raise", "raised", "l1"),
    ("l1", "satisfied", "done"),
    ("l1", "unsatisfied", "l2"),
    ("l2", "satisfied", "done"),
]


def codes(findings, severity=None):
    return [f.code for f in findings if severity is None or f.severity == severity]


def test_a_plain_ladder_terminates_with_the_longest_route_as_bound(write):
    proc = write_and_load(write, LADDER, [*BASE, ("l2", "unsatisfied", "done")])
    proof = prove_termination(proc)
    assert proof.terminates and proof.max_steps == 3
    assert codes(check_termination(proc)) == ["TERMINATES"]


def test_a_stage_with_no_way_out_is_a_dead_end_violation(write):
    stages = [*LADDER[:3], {"id": "l3", "kind": "request"}, LADDER[3]]
    proc = write_and_load(write, stages, [*BASE, ("l2", "unsatisfied", "l3")])
    found = check_termination(proc)
    dead = [f for f in found if f.code == "DEAD_END"]
    assert [(f.severity, f.stages, f.route) for f in dead] == [("violation", ("l3",), ("raise", "l1", "l2", "l3"))]
    assert "TERMINATES" not in codes(found)


def test_a_dead_end_the_file_declares_unspecified_is_a_gap_quoting_the_note(write):
    stages = [*LADDER[:3], {"id": "l3", "kind": "request", "unspecified": {"next-step": "The source stops here."}}]
    proc = write_and_load(write, [*stages, LADDER[3]], [*BASE, ("l2", "unsatisfied", "l3")])
    dead = [f for f in check_termination(proc) if f.code == "DEAD_END"]
    assert dead[0].severity == "gap" and "The source stops here." in dead[0].message


def test_a_loop_with_no_exit_is_a_trap_shown_as_a_real_walk(write):
    loop = [*BASE[:3], ("l2", "unsatisfied", "l1")]
    proc = write_and_load(write, LADDER, [(a, o, b) for a, o, b in loop if (a, o) != ("l1", "satisfied")])
    found = check_termination(proc)
    trap = next(f for f in found if f.code == "TRAP")
    assert trap.severity == "violation" and set(trap.stages) == {"l1", "l2"}
    assert is_walk(proc, trap.route) and trap.route[0] == "raise" and trap.route[-1] in trap.stages


def test_a_loop_without_max_repeats_is_an_unbounded_loop_with_the_cycle_as_route(write):
    proc = write_and_load(write, LADDER, [*BASE, ("l2", "unsatisfied", "l1")])
    found = check_termination(proc)
    loop = next(f for f in found if f.code == "UNBOUNDED_LOOP")
    assert loop.severity == "violation"
    assert loop.route == ("raise", "l1", "l2", "l1")
    assert prove_termination(proc).max_steps is None
    case = Case()
    machine = to_machine(proc, case)
    for a, b in zip(loop.route, loop.route[1:], strict=False):
        trigger = next(t for t in machine.get_triggers(case.state) if proc.stage(a) and _dest(proc, a, t) == b)
        machine.events[trigger].trigger(case)
    assert case.state == loop.route[-1]


def _dest(proc, stage, outcome):
    return next(t.to for t in proc.transitions_from(stage) if t.on == outcome)


def test_a_loop_with_max_repeats_terminates_and_is_unrolled_in_the_bound(write):
    back = {"from": "l2", "on": "unsatisfied", "to": "l1", "max_repeats": 2}
    proc = write_and_load(write, LADDER, [*BASE, back])
    proof = prove_termination(proc)
    assert proof.terminates
    assert proof.max_steps == 1 + 3 + 2 + 1  # raised; l1→l2 three times, l2→l1 twice; then out
    found = check_termination(proc)
    assert "LOOP_BOUND" in codes(found) and "UNBOUNDED_LOOP" not in codes(found)


def test_an_exit_only_through_a_limited_loop_is_reported(write):
    stages = [*LADDER[:3], {"id": "l2b", "kind": "request"}, LADDER[3]]
    trans = [
        ("raise", "raised", "l1"),
        ("l1", "satisfied", "done"),
        ("l1", "unsatisfied", "l2"),
        ("l2", "satisfied", "l2b"),
        {"from": "l2b", "on": "satisfied", "to": "l1", "max_repeats": 1},
    ]
    proc = write_and_load(write, stages, trans)
    proof = prove_termination(proc)
    assert set(proof.exhaustible) == {"l2", "l2b"} and not proof.terminates
    assert "LOOP_EXIT_EXHAUSTED" in codes(check_termination(proc), "violation")
    # the stranding walk: once l2b → l1 has been used, a second visit to l2b has no move left
    case = Case()
    machine = to_machine(proc, case)
    for outcome in ["raised", "unsatisfied", "satisfied", "satisfied", "unsatisfied", "satisfied"]:
        machine.events[outcome].trigger(case)
    assert case.state == "l2b"


def test_with_the_repeat_limit_removed_from_the_only_exit_the_case_can_always_leave(write):
    stages = [*LADDER[:3], {"id": "l2b", "kind": "request"}, LADDER[3]]
    trans = [
        ("raise", "raised", "l1"),
        ("l1", "satisfied", "done"),
        ("l1", "unsatisfied", "l2"),
        ("l2", "satisfied", "l2b"),
        ("l2b", "unsatisfied", "done"),
        {"from": "l2b", "on": "satisfied", "to": "l1", "max_repeats": 1},
    ]
    proof = prove_termination(write_and_load(write, stages, trans))
    assert proof.terminates and not proof.exhaustible


def test_a_dead_end_whose_every_outcome_is_declared_unspecified_is_a_gap(write):
    silent = {"satisfied": "Silent on a reply.", "unsatisfied": "Silent on a reply.", "no-reply": "Silent on none."}
    stages = [*LADDER[:3], {"id": "l3", "kind": "request", "unspecified": silent}, LADDER[3]]
    proc = write_and_load(write, stages, [*BASE, ("l2", "unsatisfied", "l3")])
    [dead] = [f for f in check_termination(proc) if f.code == "DEAD_END"]
    assert dead.severity == "gap" and "Silent on a reply. Silent on none." in dead.message
