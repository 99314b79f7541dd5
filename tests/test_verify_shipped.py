"""The verifier's findings on every shipped procedure, pinned: a change in any of them must be deliberate.

Each finding is pinned as "severity CODE stage,stage" (the message wording may change freely).
To pin a new procedure file, review its findings with ``cpsim verify FILE`` and print its pins with
``python tests/test_verify_shipped.py``.
"""

from __future__ import annotations

import sys

import pytest

from cpsim.model import load_procedure, shipped_procedure_paths
from cpsim.verify import verify_procedure


def pins(proc) -> list[str]:
    return [f"{f.severity} {f.code} {','.join(f.stages)}".rstrip() for f in verify_procedure(proc)]


PINNED: dict[str, list[str]] = {
    "cheshire-west-chairs-challenge": [
        "info TERMINATES",
        "gap UNSPECIFIED_OUTCOME level1",
        "gap UNSPECIFIED_OUTCOME level2",
        "gap UNSPECIFIED_OUTCOME level2",
        "gap UNSPECIFIED_OUTCOME unit_discussion",
        "gap JUDGEMENT_CHOICE unit_discussion",
        "gap UNSPECIFIED_OUTCOME level3",
        "gap UNSPECIFIED_OUTCOME level3",
        "gap DEADLINE_UNSPECIFIED level3",
    ],
    "redcar-external": [
        "info TERMINATES",
        "gap UNSPECIFIED_OUTCOME level1",
        "gap UNSPECIFIED_OUTCOME level2",
        "gap UNSPECIFIED_OUTCOME level3",
        "gap UNSPECIFIED_OUTCOME level3",
        "gap DEADLINE_UNSPECIFIED level3",
        "gap TARGET_NOT_GUARANTEED level2",
        "gap TARGET_NOT_GUARANTEED level3",
        "info TARGET_BOUNDS level1",
        "info TARGET_SLACK level1",
        "info TARGET_SLACK level2",
        "info TARGET_SLACK level3",
        "warning AMBIGUOUS_UNIT level1",
        "warning AMBIGUOUS_UNIT level2",
        "warning AMBIGUOUS_UNIT level2,level3",
        "gap SEND_UNSPECIFIED level2",
        "gap DUTY_UNSPECIFIED raise",
        "info DUTY_OPEN raise",
    ],
    "redcar-internal": [
        "info TERMINATES",
        "gap UNSPECIFIED_OUTCOME level1",
        "gap UNSPECIFIED_OUTCOME level2",
        "gap UNSPECIFIED_OUTCOME level3",
        "gap UNSPECIFIED_OUTCOME level3",
        "gap JUDGEMENT_CHOICE immediate_choice",
        "gap DEADLINE_UNSPECIFIED level3",
        "gap WITHIN_UNSPECIFIED level1,level2",
        "gap WITHIN_UNSPECIFIED level2,level3",
        "warning TARGET_NEVER_STARTS level1",
        "gap TARGET_NOT_GUARANTEED level1,level2",
        "gap TARGET_NOT_GUARANTEED level2,level3",
        "gap TARGET_NOT_GUARANTEED level3",
        "info TARGET_BOUNDS level1",
        "info TARGET_SLACK level1",
        "info TARGET_SLACK level2",
        "info TARGET_SLACK level3",
        "info SKIP_BYPASS immediate_choice,level2,level1",
        "info SKIP_BYPASS immediate_choice,level3,level1,level2",
        "warning AMBIGUOUS_UNIT level1",
        "warning AMBIGUOUS_UNIT level2",
        "gap RULE_UNSPECIFIED",
        "gap RULE_UNSPECIFIED",
        "gap RULE_UNSPECIFIED",
        "gap RULE_UNSPECIFIED",
        "info CHECKLIST",
    ],
    "sheffield-challenge-escalation": [
        "info TERMINATES",
        "gap JUDGEMENT_CHOICE route_choice",
        "gap UNSPECIFIED_OUTCOME consider_partnership",
        "gap JUDGEMENT_CHOICE consider_partnership",
        "gap UNSPECIFIED_OUTCOME mediation",
        "gap JUDGEMENT_CHOICE learning",
        "gap DEADLINE_UNSPECIFIED between_parties",
        "gap DEADLINE_UNSPECIFIED agency_line",
        "gap DEADLINE_UNSPECIFIED mediation",
        "gap MEETING_UNSPECIFIED line_managers",
    ],
    "sheffield-not-convening-conference": [
        "info TERMINATES",
        "gap UNSPECIFIED_OUTCOME request_conference",
        "gap DEADLINE_UNSPECIFIED request_conference",
        "gap DEADLINE_UNSPECIFIED consult_partnership",
        "gap NO_OWNER consult_partnership",
    ],
    "stoke-cin-plan-closure": [
        "info TERMINATES",
        "gap JUDGEMENT_CHOICE multi_agency_review",
        "info HANDOFF escalation_process",
    ],
    "stoke-conference-appeal": [
        "info TERMINATES",
        "info HANDOFF appeals_procedure",
    ],
    "stoke-conference-lifecycle": [
        "gap UNBOUNDED_LOOP review_conference",
        "gap UNBOUNDED_LOOP quoracy",
        "gap JUDGEMENT_CHOICE quoracy",
        "gap JUDGEMENT_CHOICE decision",
        "gap JUDGEMENT_CHOICE review_conference",
        "gap NEEDS_UNTIMED_EVENT receiving-in-invitations,receiving-in-invite-list",
        "gap MILESTONE_UNSPECIFIED icpc-invitations,notification",
        "gap MILESTONE_UNSPECIFIED icpc,quoracy,decision-to-convene,decision_to_convene",
        "gap MILESTONE_UNSPECIFIED report-to-chair-icpc,icpc,quoracy",
        "gap MILESTONE_UNSPECIFIED minutes-authorised,minutes-distributed",
        "gap MILESTONE_UNSPECIFIED child-seen,icpc,quoracy",
        "gap MILESTONE_UNSPECIFIED report-to-chair-review,review,review_conference",
        "gap MILESTONE_UNSPECIFIED dual-process-meetings",
        "gap MILESTONE_UNSPECIFIED cin-plan-review",
        "gap MILESTONE_UNSPECIFIED receiving-in-request,move-in-notified",
        "gap MILESTONE_UNSPECIFIED receiving-in-documents,receiving-in-request",
        "gap MILESTONE_UNSPECIFIED receiving-in-agreed,receiving-in-documents-reviewed",
        "gap MILESTONE_UNSPECIFIED receiving-in-invite-list,receiving-in-agreed",
        "gap MILESTONE_UNSPECIFIED plan-ended-after-transfer,transfer-out-conference",
        "info TIMELINE_DUE decision-to-convene,decision_to_convene,notification",
        (
            "info TIMELINE_DUE icpc,quoracy,report-to-family-icpc,agency-reports-to-family-icpc,exclusion-advice"
            ",exclusion-telephone,icpc-invitations,report-to-chair-icpc,decision-completed,decision-distributed"
            ",icpc-reconvened,minutes-quality-assured,minutes-authorised,minutes-distributed,redacted-minutes"
            ",core-group,core-group-record,minutes-amended,review-invitations,report-to-family-review"
            ",agency-reports-to-family-review,review,review_conference,report-to-chair-review"
        ),
        "info TIMELINE_DUE eighteenth-birthday,review-before-18",
        "info TIMELINE_DUE gestation-start,pre-birth-conference",
        "info TIMELINE_DUE receiving-in-documents,receiving-in-documents-reviewed",
        (
            "info TIMELINE_DUE receiving-in-agreed,receiving-in-report,receiving-in-invitations"
            ",receiving-in-conference,review-after-receiving-in"
        ),
        "info TIMELINE_DUE moved-away,receiving-authority-notified,transfer-out-conference",
        "gap RULE_UNSPECIFIED quoracy,icpc",
        "info QUORUM quoracy,icpc",
        "info DECISION_RULE decision,review_conference",
        "info PROVISIONAL_RULE pre-birth-conference",
    ],
    "stoke-no-response": [
        "info TERMINATES",
        "gap UNSPECIFIED_OUTCOME awaiting_response",
        "gap DEADLINE_UNSPECIFIED awaiting_response",
        "gap WITHIN_UNSPECIFIED awaiting_response,telephone",
        "info HANDOFF escalation_policy",
    ],
    "stoke-professional-disagreement": [
        "info TERMINATES",
        "gap DEADLINE_UNSPECIFIED raise_with_worker",
        "gap WITHIN_UNSPECIFIED concern,raise_with_worker",
        "info HANDOFF escalation_policy",
    ],
    "wakefield-chair-concern": [
        "info TERMINATES",
        "gap UNSPECIFIED_OUTCOME chair_concern",
        "gap UNSPECIFIED_OUTCOME senior_manager",
        "gap UNSPECIFIED_OUTCOME sqs_dialogue",
        "gap DEADLINE_UNSPECIFIED senior_manager",
        "gap WITHIN_UNSPECIFIED chair_concern,senior_manager",
        "warning SKIP_BYPASS dialogue,senior_manager,chair_concern",
        "warning SKIP_BYPASS dialogue,senior_manager,chair_concern",
        "warning RECORD_MISSING senior_manager",
        "gap NO_OWNER sqs_dialogue",
        "gap DUTY_UNSPECIFIED dialogue",
        "info DUTY_OPEN dialogue",
    ],
    "wakefield-chair-conduct": [
        "info TERMINATES",
        "gap UNSPECIFIED_OUTCOME service_lead",
        "gap UNSPECIFIED_OUTCOME service_manager",
        "gap UNSPECIFIED_OUTCOME service_manager",
        "gap DEADLINE_UNSPECIFIED service_lead",
        "gap DEADLINE_UNSPECIFIED service_manager",
    ],
    "wakefield-conference-lifecycle": [
        "info TERMINATES",
        "gap JUDGEMENT_CHOICE conference",
        "gap NO_OWNER strategy_discussion",
        "gap NEEDS_UNTIMED_EVENT monitoring-review,statutory-visits",
        "gap NEEDS_UNTIMED_EVENT monitoring-review,core-group-minutes",
        "gap MILESTONE_UNSPECIFIED booking-form,strategy-discussion,strategy_discussion",
        "gap MILESTONE_UNSPECIFIED concerns-to-chair,icpc,conference",
        "gap MILESTONE_UNSPECIFIED plan-quality-assured",
        "gap MILESTONE_UNSPECIFIED core-group-minutes,core-group",
        "gap MILESTONE_UNSPECIFIED statutory-visits",
        "gap MILESTONE_UNSPECIFIED review,icpc,conference",
        (
            "info TIMELINE_DUE strategy-discussion,strategy_discussion,reports-to-family-icpc,reports-to-chair-icpc"
            ",booking-form,icpc,conference,monitoring-icpc,concerns-to-chair,record-system-updated,plan-circulated"
            ",core-group,plan-updated,record-circulated"
        ),
        "info TIMELINE_DUE review,reports-to-family-review,reports-to-chair-review,monitoring-review",
        "gap QUORUM_INQUORATE_UNSPECIFIED conference,review",
        "info QUORUM conference,review",
    ],
    "wakefield-conference-dissent": [
        "gap UNBOUNDED_LOOP consensus,decision_made,dissent,group_review,reconvene",
        "gap JUDGEMENT_CHOICE consensus",
        "gap JUDGEMENT_CHOICE chair_view",
        "gap UNSPECIFIED_OUTCOME final_powers",
        "gap JUDGEMENT_CHOICE final_powers",
        "gap JUDGEMENT_CHOICE decision_made",
        "gap JUDGEMENT_CHOICE dissent",
        "gap JUDGEMENT_CHOICE group_review",
        "gap UNSPECIFIED_OUTCOME reconvene",
        "gap DEADLINE_UNSPECIFIED group_review",
        "gap WITHIN_UNSPECIFIED reconvene,consensus",
        "gap NO_OWNER reconvene",
        "info HANDOFF complaints_appeals",
        "gap DUTY_UNSPECIFIED dissent",
        "gap JOIN_WAIT_UNBOUNDED group_review",
        "gap DUTY_UNSPECIFIED dissent",
        "gap DUTY_UNSPECIFIED dissent",
        "gap DUTY_UNSPECIFIED dissent",
        "info DUTY_HANDS_OFF dissent",
        "gap DECISION_NORMALLY consensus,majority,chair_decides",
        "gap RULE_UNSPECIFIED consensus,majority,chair_decides",
        "info DECISION_RULE consensus,majority,chair_decides",
    ],
}


@pytest.mark.parametrize("path", shipped_procedure_paths(), ids=lambda p: p.stem)
def test_the_findings_on_each_shipped_procedure_are_the_pinned_ones(path):
    proc = load_procedure(path)
    if proc.id not in PINNED:
        pytest.fail(
            f"{path.name} (procedure {proc.id!r}) has no pinned findings in {__file__}: review them with "
            f"'cpsim verify {path}', then add the output of 'python tests/test_verify_shipped.py' to PINNED"
        )
    assert pins(proc) == PINNED[proc.id]


def test_wakefield_reconvening_is_reported_as_a_loop_with_no_bound_not_as_an_ending(shipped):
    """The multi-agency group's recommendation sends the case back to a reconvened conference, again and again."""
    found = verify_procedure(shipped["wakefield-conference-dissent"])
    assert "TERMINATES" not in {f.code for f in found}
    [loop] = [f for f in found if f.code == "UNBOUNDED_LOOP"]
    assert {"consensus", "group_review"} <= set(loop.stages)
    assert "reconvening the conference" in loop.source["quote"]


def test_every_pinned_procedure_still_ships():
    shipped = {load_procedure(p).id for p in shipped_procedure_paths()}
    assert set(PINNED) <= shipped, f"pinned but no longer shipped: {sorted(set(PINNED) - shipped)}"


if __name__ == "__main__":
    for p in shipped_procedure_paths():
        proc = load_procedure(p)
        if len(sys.argv) > 1 and proc.id not in sys.argv[1:]:
            continue
        print(f"    {proc.id!r}: [")
        for line in pins(proc):
            print(f"        {line!r},")
        print("    ],")
