"""The conference life cycles of Stoke-on-Trent / Staffordshire and Wakefield as milestones: their quotes, their
findings, and mutations of their limits that the timeline check must catch and cite."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from cpsim.model import load_procedure
from cpsim.model.files.yaml import read_yaml
from cpsim.model.procedure.classes import Procedure
from cpsim.model.procedure.load import check_procedure_file
from cpsim.model.procedure.milestones import check_milestone_references
from cpsim.verify.checks.timeline import check_timeline, due_dates

PROCEDURES = Path(__file__).resolve().parent.parent / "model" / "procedures"
STOKE = PROCEDURES / "stoke-conference-lifecycle.yaml"
WAKEFIELD = PROCEDURES / "wakefield-conference-lifecycle.yaml"


def data(path: Path) -> dict[str, Any]:
    plain: dict[str, Any] = json.loads(json.dumps(read_yaml(path).data, default=str))
    return plain


def milestone(d: dict[str, Any], mid: str) -> dict[str, Any]:
    found: dict[str, Any] = next(m for m in d["milestones"] if m["id"] == mid)
    return found


def mutated(path: Path, mid: str, change: Any) -> Procedure:
    d = copy.deepcopy(data(path))
    change(milestone(d, mid))
    return Procedure.model_validate(d)


def findings(proc: Procedure, code: str) -> list[Any]:
    return [f for f in check_timeline(proc) if f.code == code]


@pytest.mark.parametrize("path", [STOKE, WAKEFIELD], ids=lambda p: p.stem)
def test_the_encodings_load_and_every_quote_is_in_its_source(path: Path, seeds: Path):
    assert check_procedure_file(path, sources=seeds) == []
    doc = read_yaml(path)
    assert check_milestone_references(doc, doc.data) == []


@pytest.mark.parametrize("path", [STOKE, WAKEFIELD], ids=lambda p: p.stem)
def test_the_encoded_timetables_can_all_be_met(path: Path):
    proc = load_procedure(path)
    assert not findings(proc, "TIMELINE_CONFLICT") and not findings(proc, "REPEAT_EXCEEDS_MAXIMUM")
    assert not findings(proc, "NEEDS_LATER_EVENT") and not findings(proc, "MILESTONE_UNKNOWN_EVENT")


def test_wakefield_due_dates_count_from_the_strategy_discussion():
    due = due_dates(load_procedure(WAKEFIELD))
    got = {
        m: due[m]["strategy-discussion"] for m in ("icpc", "reports-to-family-icpc", "core-group", "record-circulated")
    }
    assert got == {"icpc": 15, "reports-to-family-icpc": 13, "core-group": 25, "record-circulated": 30}


def test_stokes_conference_timetable_counts_from_the_initial_conference_the_source_leaves_untimed():
    proc = load_procedure(STOKE)
    due = due_dates(proc)
    assert (
        due["decision-completed"]["icpc"],
        due["minutes-distributed"]["icpc"],
        due["core-group-record"]["icpc"],
    ) == (1, 10, 20)
    assert due["report-to-family-icpc"]["icpc"] == -2
    assert "icpc" in [f.stages[0] for f in findings(proc, "TIMELINE_DUE")]


def test_wakefields_review_monitoring_needs_visits_and_core_group_minutes_the_source_never_times():
    found = findings(load_procedure(WAKEFIELD), "NEEDS_UNTIMED_EVENT")
    assert {f.stages for f in found} == {
        ("monitoring-review", "statutory-visits"),
        ("monitoring-review", "core-group-minutes"),
    }
    assert {f.source["ref"] for f in found} == {"Quality Assurance"}


def test_wakefield_leaves_the_review_conference_untimed():
    gaps = {f.stages[0] for f in findings(load_procedure(WAKEFIELD), "MILESTONE_UNSPECIFIED")}
    assert {"review", "core-group-minutes", "plan-quality-assured", "statutory-visits", "booking-form"} <= gaps


def test_stoke_leaves_the_initial_conference_and_the_chairs_copy_of_reports_untimed():
    gaps = {f.stages[0] for f in findings(load_procedure(STOKE), "MILESTONE_UNSPECIFIED")}
    assert {
        "icpc",
        "report-to-chair-icpc",
        "report-to-chair-review",
        "dual-process-meetings",
        "cin-plan-review",
    } <= gaps


def test_stokes_receiving_in_invitations_need_a_list_the_other_authority_has_no_time_to_send():
    [f] = findings(load_procedure(STOKE), "NEEDS_UNTIMED_EVENT")
    assert f.stages == ("receiving-in-invitations", "receiving-in-invite-list")


# --- mutations: perturb one limit of an encoding; the check must flag it and cite the clause -----


def test_a_booking_form_due_after_the_conference_it_books_is_a_conflict_citing_both_clauses():
    def late_booking(m: dict[str, Any]) -> None:
        m["timing"][0] = {
            "after": "strategy-discussion",
            "at_least": {"amount": 16, "unit": "working-days"},
            "as_written": "mutated",
            "source": m["source"],
        }

    [f] = findings(mutated(WAKEFIELD, "booking-form", late_booking), "TIMELINE_CONFLICT")
    assert f.severity == "violation" and set(f.stages) >= {"booking-form", "icpc"}
    assert (
        "within 15 working days of a Strategy Discussion/Meeting" in f.message and "§Booking a Conference" in f.message
    )


def test_a_decision_completed_after_it_is_distributed_is_flagged_citing_the_need():
    def slower(m: dict[str, Any]) -> None:
        m["timing"][0]["within"] = {"amount": 2, "unit": "working-days"}

    [f] = findings(mutated(STOKE, "decision-completed", slower), "NEEDS_LATER_EVENT")
    assert f.stages == ("decision-distributed", "decision-completed")
    assert "1 working day later" in f.message and f.source["ref"] == "Child Protection Minutes & Administrative Process"


def test_reviews_after_a_receiving_in_conference_more_than_6_months_apart_exceed_the_statutory_maximum():
    def seven(m: dict[str, Any]) -> None:
        m["repeats"]["every"] = {"amount": 7, "unit": "months"}

    [f] = findings(mutated(STOKE, "review-after-receiving-in", seven), "REPEAT_EXCEEDS_MAXIMUM")
    assert f.severity == "violation" and f.stages == ("review-after-receiving-in", "review", "review_conference")
    assert "thereafter at maximum intervals of 6 months" in f.message
    assert f.source["quote"].endswith("and then 6 month thereafter.")


def test_a_core_group_cadence_over_six_weeks_exceeds_stokes_maximum():
    def add_cadence(d: dict[str, Any]) -> None:
        later = copy.deepcopy(milestone(d, "core-group"))
        later.update(id="core-group-later", title="Later core groups")
        later["repeats"] = {
            "every": {"amount": 43, "unit": "calendar-days"},
            "as_written": "m",
            "source": later["source"],
        }
        d["milestones"].append(later)

    d = data(STOKE)
    add_cadence(d)
    [f] = findings(Procedure.model_validate(d), "REPEAT_EXCEEDS_MAXIMUM")
    assert "at six-weekly intervals (or more frequently if appropriate)" in f.message


def test_taking_away_a_time_the_source_gives_turns_it_into_a_gap():
    def untimed(m: dict[str, Any]) -> None:
        m["timing"] = [{"after": "strategy-discussion", "unspecified": "mutated: no time"}]

    proc = mutated(WAKEFIELD, "icpc", untimed)
    assert any(f.stages[0] == "icpc" for f in findings(proc, "MILESTONE_UNSPECIFIED"))
    assert "strategy-discussion" not in due_dates(proc)["core-group"]
