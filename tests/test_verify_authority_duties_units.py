"""Line of authority, duties and units: each finding is raised when it should be and not otherwise."""

from __future__ import annotations

import pytest

from cpsim.verify import check_authority, check_duties, check_units
from tests.strategies import write_and_load

STAGES = [
    {"id": "raise", "kind": "start"},
    {"id": "l1", "kind": "request", "deadline": 1, "responder": "worker"},
    {"id": "l2", "kind": "request", "deadline": 2, "responder": "manager"},
    {"id": "done", "kind": "terminal"},
]
TRANS = [
    ("raise", "raised", "l1"),
    ("l1", "satisfied", "done"),
    ("l1", "unsatisfied", "l2"),
    ("l2", "satisfied", "done"),
]


def ladder(write, ranks, stages=STAGES, trans=TRANS):
    return write_and_load(write, stages, trans, ranks=ranks)


def test_escalation_up_the_ranks_is_not_reported(write):
    assert check_authority(ladder(write, {"worker": 1, "manager": 3})) == []


def test_escalation_down_the_ranks_is_a_violation(write):
    [f] = check_authority(ladder(write, {"worker": 3, "manager": 2}))
    assert (f.code, f.severity, f.stages) == ("ESCALATION_NOT_UPWARD", "violation", ("l1", "l2"))
    assert "down the line of authority" in f.message and f.route == ("raise", "l1", "l2")


def test_escalation_to_the_same_rank_is_a_sideways_warning(write):
    [f] = check_authority(ladder(write, {"worker": 2, "manager": 2}))
    assert (f.code, f.severity) == ("ESCALATION_NOT_UPWARD", "warning") and "sideways" in f.message


def test_ranks_are_compared_through_a_decision_stage(write):
    stages = [*STAGES[:2], {"id": "pick", "kind": "decision", "outcomes": ["go"]}, *STAGES[2:]]
    trans = [
        ("raise", "raised", "l1"),
        ("l1", "unsatisfied", "pick"),
        ("pick", "go", "l2"),
        ("l2", "satisfied", "done"),
    ]
    [f] = check_authority(ladder(write, {"worker": 3, "manager": 1}, stages, trans))
    assert f.stages == ("l1", "l2") and f.severity == "violation"


def test_a_skip_route_lists_the_rungs_it_bypasses_and_their_recording_duties(write):
    rec = [{"what": "case note", "by": "chair", "source": {"doc": "test-source.txt", "ref": "1", "quote": "a rule"}}]
    stages = [STAGES[0], {**STAGES[1], "records": rec}, *STAGES[2:]]
    trans = [*TRANS, {"from": "raise", "on": "immediate-concern", "to": "l2", "skip": True}]
    [f] = check_authority(ladder(write, {"worker": 1, "manager": 3}, stages, trans))
    assert (f.code, f.severity, f.route) == ("SKIP_BYPASS", "warning", ("raise", "l2"))
    assert "skips L1" in f.message and "case note" in f.message


def test_a_skip_that_keeps_the_recording_duties_is_information_only(write):
    trans = [*TRANS, {"from": "raise", "on": "immediate-concern", "to": "l2", "skip": True}]
    [f] = check_authority(ladder(write, {"worker": 1, "manager": 3}, trans=trans))
    assert (f.code, f.severity) == ("SKIP_BYPASS", "info") and "recording" not in f.message


def test_a_skip_that_passes_every_required_step_is_not_reported(write):
    trans = [*TRANS, {"from": "l1", "on": "urgent", "to": "l2", "skip": True}]
    assert check_authority(ladder(write, {"worker": 1, "manager": 3}, trans=trans)) == []


def test_a_stage_with_nobody_named_to_act_is_reported_as_gap_or_warning(write):
    stages = [STAGES[0], {**STAGES[1], "owner": None}, {**STAGES[2], "owner": None, "unspecified": {"owner": "silent"}}]
    found = check_duties(ladder(write, {"worker": 1, "manager": 2}, [*stages, STAGES[3]]))
    assert sorted((f.code, f.severity, f.stages) for f in found) == [
        ("NO_OWNER", "gap", ("l2",)),
        ("NO_OWNER", "warning", ("l1",)),
    ]


def test_a_request_stage_with_no_responder_is_reported(write):
    stages = [STAGES[0], {**STAGES[1], "responder": None, "unspecified": {"responder": "not named"}}, *STAGES[2:]]
    found = check_duties(ladder(write, {"manager": 2}, stages))
    assert [(f.code, f.severity) for f in found] == [("NO_RESPONDER", "gap")]


def test_a_recording_duty_the_cited_text_mentions_but_the_file_omits_is_reported(write):
    quote = {"doc": "test-source.txt", "ref": "1", "quote": "the chair will insert a case note"}
    stages = [STAGES[0], {**STAGES[1], "source": quote}, *STAGES[2:]]
    found = check_duties(ladder(write, {"worker": 1, "manager": 2}, stages))
    assert [(f.code, f.stages) for f in found] == [("RECORD_MISSING", ("l1",))]
    assert check_duties(ladder(write, {"worker": 1, "manager": 2})) == []


def test_hand_offs_to_other_documents_are_listed(write):
    stages = [
        *STAGES[:3],
        {"id": "done", "kind": "terminal", "ending": "referred-elsewhere", "refers_to": "Complaints"},
    ]
    [f] = check_duties(ladder(write, {"worker": 1, "manager": 2}, stages))
    assert (f.code, f.severity) == ("HANDOFF", "info") and "Complaints" in f.message


def test_an_ambiguous_unit_is_listed_with_the_reading_taken(write):
    d = {
        "amount": 1,
        "unit": "working-days",
        "as_written": "within one day",
        "ambiguous": True,
        "reading": "as a working day",
    }
    stages = [STAGES[0], {**STAGES[1], "deadline": d}, *STAGES[2:]]
    [f] = check_units(ladder(write, {}, stages))
    assert (f.code, f.severity) == ("AMBIGUOUS_UNIT", "warning")
    assert "“within one day”" in f.message and "as a working day" in f.message


def test_days_without_working_or_calendar_read_as_working_days_unmarked_is_reported(write):
    d = {"amount": 2, "unit": "working-days", "as_written": "within 2 days"}
    stages = [STAGES[0], {**STAGES[1], "deadline": d}, *STAGES[2:]]
    assert [f.code for f in check_units(ladder(write, {}, stages))] == ["UNMARKED_AMBIGUITY"]
    d_ok = {"amount": 2, "unit": "working-days", "as_written": "within 2 working days"}
    assert check_units(ladder(write, {}, [STAGES[0], {**STAGES[1], "deadline": d_ok}, *STAGES[2:]])) == []


def test_mixed_units_are_reported_with_the_reading_of_each(write):
    stages = [STAGES[0], {**STAGES[1], "deadline": {"amount": 24, "unit": "hours"}}, *STAGES[2:]]
    found = check_units(ladder(write, {}, stages))
    assert sorted(f.code for f in found) == ["MIXED_UNITS", "UNIT_READING"]
    reading = next(f for f in found if f.code == "UNIT_READING")
    assert "at most one working day in any 24" in reading.message


@pytest.mark.parametrize(
    ("deadline", "words"),
    [
        ({"amount": 2, "unit": "weeks"}, "a week holds at most 5 working days"),
        ({"amount": 1, "unit": "months"}, "a month holds at most 23 working days"),
        ({"unit": "same-day"}, "what is left of the working day"),
        ({"amount": 3, "unit": "calendar-days"}, "a calendar day holds at most 1 working day"),
    ],
)
def test_every_calendar_unit_gets_its_reading(write, deadline, words):
    stages = [STAGES[0], {**STAGES[1], "deadline": deadline}, *STAGES[2:]]
    [reading] = [f for f in check_units(ladder(write, {}, stages)) if f.code == "UNIT_READING"]
    assert words in reading.message


def test_a_rung_every_route_reaches_after_the_record_was_made_is_not_asked_to_record_it_again(write):
    """One case note per challenge: a later rung on the same route has nothing missing (Cheshire West's Level 2)."""
    rec = [{"what": "case note", "by": "chair", "source": {"doc": "test-source.txt", "ref": "1", "quote": "a rule"}}]
    stages = [STAGES[0], {**STAGES[1], "records": rec}, *STAGES[2:]]
    assert check_duties(ladder(write, {"worker": 1, "manager": 2}, stages)) == []


def test_a_rung_some_route_reaches_without_the_record_is_still_reported(write):
    """A skip straight to Level 2 never passes the rung that records, so Level 2 recording nothing is worth a look."""
    rec = [{"what": "case note", "by": "chair", "source": {"doc": "test-source.txt", "ref": "1", "quote": "a rule"}}]
    stages = [STAGES[0], {**STAGES[1], "records": rec}, *STAGES[2:]]
    trans = [*TRANS, {"from": "raise", "on": "immediate-concern", "to": "l2", "skip": True}]
    found = check_duties(ladder(write, {"worker": 1, "manager": 2}, stages, trans))
    [f] = found
    assert (f.code, f.stages, f.route) == ("RECORD_MISSING", ("l2",), ("raise", "l2"))
    assert "case note" in f.message
