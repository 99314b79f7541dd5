"""Quoracy, decision rules and checklists as data: encoded with citations, checked, and their silences reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpsim.model import check_procedure_file, load_procedure
from cpsim.model.procedure.classes import Procedure
from cpsim.model.procedure.rules import DecisionStep, Method
from cpsim.verify import verify_procedure
from cpsim.verify.checks.rules import check_rules


def codes(proc: Procedure) -> list[str]:
    return [f.code for f in check_rules(proc)]


def test_wakefield_quorum_is_three_agencies_and_the_source_is_silent_on_an_inquorate_conference(shipped):
    proc = shipped["wakefield-conference-lifecycle"]
    [q] = proc.quorums
    assert (q.at_least, q.of, q.ensured_by) == (3, "different agency representatives", "cp_chair")
    assert "minimum of three different agency representatives" in q.source.quote
    [gap] = [f for f in check_rules(proc) if f.code == "QUORUM_INQUORATE_UNSPECIFIED"]
    assert gap.severity == "gap" and "not quorate" in gap.message and gap.stages == ("conference", "review")


def test_stoke_quorum_says_what_happens_when_inquorate_and_names_the_stage(shipped):
    proc = shipped["stoke-conference-lifecycle"]
    [q] = proc.quorums
    assert q.says_inquorate and q.inquorate_stage == "quoracy" and "7 working days" in (q.inquorate or "")
    assert "QUORUM_INQUORATE_UNSPECIFIED" not in codes(proc)
    assert "RULE_UNSPECIFIED" in codes(proc)  # whether review conferences have the same quorum


def test_quorum_inquorate_unspecified_goes_when_the_file_says_what_happens(shipped):
    proc = shipped["wakefield-conference-lifecycle"]
    said = proc.quorums[0].model_copy(update={"inquorate": "it is reconvened", "unspecified": {}})
    assert "QUORUM_INQUORATE_UNSPECIFIED" not in codes(proc.model_copy(update={"quorums": (said,)}))


def test_decision_no_tie_break(shipped):
    """Wakefield's rule ends with the chair's decision; without that step nothing settles a split."""
    proc = shipped["wakefield-conference-dissent"]
    [rule] = proc.decision_rules
    assert [s.method for s in rule.steps] == [Method.CONSENSUS, Method.SIMPLE_MAJORITY, Method.CHAIR_DECIDES]
    assert "DECISION_NO_TIE_BREAK" not in codes(proc)
    cut = rule.model_copy(update={"steps": rule.steps[:2]})
    found = [
        f for f in check_rules(proc.model_copy(update={"decision_rules": (cut,)})) if f.code == "DECISION_NO_TIE_BREAK"
    ]
    assert len(found) == 1 and "a split or a tie has no way out" in found[0].message


def test_decision_normally(shipped):
    proc = shipped["wakefield-conference-dissent"]
    [f] = [f for f in check_rules(proc) if f.code == "DECISION_NORMALLY"]
    assert "only 'normally'" in f.message and f.source is not None and "normally" in f.source["quote"]


def test_stoke_casting_vote_only_on_an_equal_split(shipped):
    [rule] = shipped["stoke-conference-lifecycle"].decision_rules
    casting = next(s for s in rule.steps if s.method is Method.CASTING_VOTE)
    assert casting.when == "if there is an equal split decision" and rule.settles_ties
    assert rule.applies_to == ("decision", "review_conference")


def test_the_redcar_qa_tool_is_a_checklist_with_its_two_timed_questions(shipped):
    proc = shipped["redcar-internal"]
    [tool] = proc.checklists
    assert len(tool.items) == 14 and tool.answers == ("yes", "no", "comment")
    timed = {i.id: (i.in_advance.label if i.in_advance else None, i.topic) for i in tool.items if i.in_advance}
    assert timed == {
        "report-to-chair-icpc": ("24 hours", "reports-to-chair-icpc"),
        "report-to-chair-rcpc": ("5 working days", "reports-to-chair-review"),
    }
    [info] = [f for f in check_rules(proc) if f.code == "CHECKLIST"]
    assert "14 questions" in info.message and "24 hours before for ICPC" in info.message


def test_checklist_questions_the_source_leaves_vague_are_gaps(shipped):
    gaps = [f for f in check_rules(shipped["redcar-internal"]) if f.code == "RULE_UNSPECIFIED"]
    assert any("statutory timescales" in f.message for f in gaps)
    assert any("Regularly" in f.message for f in gaps)


@pytest.mark.parametrize(
    "name",
    ["redcar-internal", "stoke-conference-lifecycle", "wakefield-conference-dissent", "wakefield-conference-lifecycle"],
)
def test_every_quote_of_the_rules_is_in_its_source(name, seeds: Path):
    path = Path(__file__).parents[1] / "model" / "procedures" / f"{name}.yaml"
    assert check_procedure_file(path, sources=seeds) == []


def test_rules_name_stages_milestones_and_roles_that_exist(tmp_path, shipped):
    text = (Path(__file__).parents[1] / "model" / "procedures" / "wakefield-conference-lifecycle.yaml").read_text()
    bad = text.replace("applies_to: [conference, review]", "applies_to: [conferense, review]").replace(
        "ensured_by: cp_chair", "ensured_by: cp_chiar"
    )
    path = tmp_path / "p.yaml"
    path.write_text(bad, encoding="utf-8")
    got = [p.message for p in check_procedure_file(path)]
    assert "unknown stage or milestone 'conferense'" in got and "unknown role 'cp_chiar'" in got


def test_a_decision_step_needs_a_known_method():
    with pytest.raises(ValueError):
        DecisionStep.model_validate({"method": "coin-toss", "source": {"doc": "d", "ref": "1", "quote": "q"}})


def test_rules_findings_are_part_of_verify(shipped):
    assert "QUORUM" in [f.code for f in verify_procedure(shipped["wakefield-conference-lifecycle"])]
    assert load_procedure(Path(__file__).parents[1] / "model" / "procedures" / "redcar-internal.yaml").checklists


def test_provisional_rule_is_reported_with_the_sources_words(shipped):
    from cpsim.verify.checks.provisional import check_provisional

    [f] = check_provisional(shipped["stoke-conference-lifecycle"])
    assert f.code == "PROVISIONAL_RULE" and f.severity == "info" and f.stages == ("pre-birth-conference",)
    assert "“NB. This timescale is currently subject to review.”" in f.message
    assert f.source is not None and f.source["ref"] == "Pre Birth Child Protection Conferences"


def test_provisional_rule_covers_a_moves_time_and_a_note_in_words(shipped):
    from cpsim.verify.checks.provisional import check_provisional

    proc = shipped["redcar-external"]
    moves = tuple(
        t.model_copy(update={"within": t.within.model_copy(update={"provisional": "under review locally"})})
        if t.within is not None and t.within.is_specified and t.from_ == "level2"
        else t
        for t in proc.transitions
    )
    [f] = check_provisional(proc.model_copy(update={"transitions": moves}))
    assert f.stages == ("level2", "level3") and "the file notes: under review locally" in f.message and f.source is None
