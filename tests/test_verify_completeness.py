"""Completeness and reachability: every outcome leads somewhere, every stage can be reached."""

from __future__ import annotations

from cpsim.verify import check_completeness, check_reachability
from tests.strategies import write_and_load

BASE_STAGES = [
    {"id": "raise", "kind": "start"},
    {"id": "l1", "kind": "request", "deadline": 1},
    {"id": "done", "kind": "terminal"},
]
FULL = [
    ("raise", "raised", "l1"),
    ("l1", "satisfied", "done"),
    ("l1", "unsatisfied", "done"),
    ("l1", "no-reply", "done"),
]


def codes(found):
    return sorted(f.code for f in found)


def test_a_stage_with_every_outcome_covered_has_no_findings(write):
    assert check_completeness(write_and_load(write, BASE_STAGES, FULL)) == []


def test_an_undeclared_missing_outcome_is_a_violation(write):
    found = check_completeness(write_and_load(write, BASE_STAGES, [t for t in FULL if t[1] != "unsatisfied"]))
    [f] = found
    assert (f.code, f.severity, f.stages, f.route) == ("MISSING_OUTCOME", "violation", ("l1",), ("raise", "l1"))


def test_an_undeclared_missing_no_reply_is_a_warning_because_the_case_waits(write):
    found = check_completeness(write_and_load(write, BASE_STAGES, [t for t in FULL if t[1] != "no-reply"]))
    assert [(f.code, f.severity) for f in found] == [("MISSING_OUTCOME", "warning")]


def test_a_missing_outcome_declared_unspecified_is_a_gap_quoting_the_note(write):
    stages = [
        BASE_STAGES[0],
        {**BASE_STAGES[1], "unspecified": {"no-reply": "The source is silent on this."}},
        BASE_STAGES[2],
    ]
    [f] = check_completeness(write_and_load(write, stages, [t for t in FULL if t[1] != "no-reply"]))
    assert (f.code, f.severity) == ("UNSPECIFIED_OUTCOME", "gap")
    assert "The source is silent on this." in f.message


def test_a_choice_left_to_judgement_is_reported(write):
    stages = [
        BASE_STAGES[0],
        {"id": "pick", "kind": "decision", "outcomes": ["a", "b"], "judgement": "as they see fit"},
        BASE_STAGES[2],
    ]
    trans = [("raise", "raised", "pick"), ("pick", "a", "done"), ("pick", "b", "done")]
    [f] = check_completeness(write_and_load(write, stages, trans))
    assert (f.code, f.severity) == ("JUDGEMENT_CHOICE", "gap") and "as they see fit" in f.message


def test_a_stage_with_one_outcome_offers_no_choice_so_no_judgement_is_reported(write):
    """Wakefield's "Conference chair makes the decision" has one way on: a judgement note there is no choice."""
    stages = [
        BASE_STAGES[0],
        {"id": "decide", "kind": "decision", "outcomes": ["decided"], "judgement": "the decision is the chair's"},
        BASE_STAGES[2],
    ]
    trans = [("raise", "raised", "decide"), ("decide", "decided", "done")]
    assert check_completeness(write_and_load(write, stages, trans)) == []


def test_no_shipped_stage_with_one_outcome_is_reported_as_a_judgement_choice(shipped):
    for proc in shipped.values():
        for f in check_completeness(proc):
            if f.code == "JUDGEMENT_CHOICE":
                assert len(set(proc.stage(f.stages[0]).expected_outcomes)) > 1, (proc.id, f.stages)


def test_stages_and_transitions_no_route_reaches_are_reported(write):
    stages = [*BASE_STAGES, {"id": "orphan", "kind": "request", "deadline": 1}]
    proc = write_and_load(write, stages, [*FULL, ("orphan", "satisfied", "done")])
    found = check_reachability(proc)
    assert codes(found) == ["UNREACHABLE_STAGE", "UNREACHABLE_TRANSITION"]
    assert all(f.severity == "warning" for f in found)
    assert check_reachability(write_and_load(write, BASE_STAGES, FULL)) == []
    # an unreachable stage's own missing outcomes are not reported as well
    assert check_completeness(proc) == []
