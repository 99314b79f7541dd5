"""`cpsim verify --across`: the same topic's timescales compared across the authorities' procedures, as findings."""

from __future__ import annotations

import json

import pytest

from cpsim.cli import main
from cpsim.model import PROCEDURES_DIR
from cpsim.model.procedure.classes import Procedure
from cpsim.verify.checks.across import compare_across


def by_topic(found, code):
    return {f.message.split("”")[0].removeprefix("Topic “"): f for f in found if f.code == code}


@pytest.fixture
def found(shipped):
    return compare_across(shipped.values())


def test_across_conflict_minutes_within_15_at_wakefield_and_10_at_stoke(found):
    f = by_topic(found, "ACROSS_CONFLICT")["minutes-circulated"]
    assert f.severity == "warning"
    assert "Stoke-on-Trent / Staffordshire: 10 working days" in f.message and "Wakefield: 15 working days" in f.message
    assert f.source is not None and f.source["doc"] in ("001_7afa3811cfe9908b.txt", "004_320570d7d739b6a4.txt")


def test_across_conflict_reports_to_the_chair_24_hours_1_and_2_working_days(found):
    f = by_topic(found, "ACROSS_CONFLICT")["reports-to-chair-icpc"]
    assert "Redcar and Cleveland: 24 hours" in f.message and "Wakefield: 1 working day" in f.message


def test_across_untimed_initial_conference_timed_at_wakefield_not_at_stoke(found):
    f = by_topic(found, "ACROSS_UNTIMED")["icpc"]
    assert f.severity == "gap" and f.message.startswith("Topic “icpc”: Stoke-on-Trent / Staffordshire gives no time")
    assert "within 15 working days after strategy-discussion" in f.message


def test_across_agree_first_core_group_within_10_working_days(found):
    f = by_topic(found, "ACROSS_AGREE")["core-group"]
    assert "every authority that times it sets 10 working days" in f.message


def test_one_authority_alone_is_not_compared(shipped):
    wakefield = [p for p in shipped.values() if p.authority == "Wakefield"]
    assert compare_across(wakefield) == []


def test_a_changed_time_turns_agreement_into_a_conflict(shipped):
    def slower(p: Procedure) -> Procedure:
        ms = tuple(
            m.model_copy(
                update={
                    "timing": tuple(
                        lim.model_copy(update={"within": lim.within.model_copy(update={"amount": 12})})
                        for lim in m.timing
                    )
                }
            )
            if m.id == "core-group"
            else m
            for m in p.milestones
        )
        return p.model_copy(update={"milestones": ms})

    procs = [slower(p) if p.id == "wakefield-conference-lifecycle" else p for p in shipped.values()]
    assert "core-group" in by_topic(compare_across(procs), "ACROSS_CONFLICT")


def test_verify_across_prints_the_comparison_after_the_procedures(capsys):
    assert main(["verify", "--across", str(PROCEDURES_DIR)]) == 0
    out = capsys.readouterr().out
    block = out[out.index("Across the procedures: ") :]
    assert "warning: Topic “minutes-circulated”" in block and "(gaps and information: --verbose)" in block


def test_verify_across_json_adds_the_comparison_findings(capsys):
    main(["verify", "--across", "--json", str(PROCEDURES_DIR)])
    codes = {f["code"] for f in json.loads(capsys.readouterr().out)}
    assert {"ACROSS_CONFLICT", "ACROSS_UNTIMED", "ACROSS_AGREE"} <= codes


def test_verify_without_across_compares_nothing(capsys):
    main(["verify", "--json", str(PROCEDURES_DIR)])
    assert not any(f["code"].startswith("ACROSS_") for f in json.loads(capsys.readouterr().out))
