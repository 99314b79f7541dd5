"""`cpsim show` reads milestones, quorums, decision rules and checklists back in plain English."""

from __future__ import annotations

from cpsim.model import describe


def test_show_lists_milestones_with_their_limits_repeats_needs_and_silences(shipped):
    lines = describe(shipped["wakefield-conference-lifecycle"])
    start = lines.index("Milestones:")
    said = lines[start + 1 :]
    assert "  Strategy discussion: the event others count from." in said
    assert "  Initial child protection conference: within 15 working days after the strategy discussion." in said
    core = "  Core group meeting: within 10 working days after the initial child protection conference"
    assert f"{core}; then every 4 weeks." in said
    monitoring = next(x for x in said if x.startswith("  Monitoring form completed before the review conference"))
    assert "needs the core group minutes first" in monitoring
    assert any(x.startswith("  Statutory visits: time UNSPECIFIED: ") for x in said)


def test_show_gives_the_quorum_and_its_silence_on_an_inquorate_conference(shipped):
    [line] = [x for x in describe(shipped["wakefield-conference-lifecycle"]) if x.startswith("Quorum:")]
    assert "at least 3 different agency representatives; when inquorate: UNSPECIFIED" in line


def test_show_gives_the_decision_rule_and_the_checklist(shipped):
    [rule] = [x for x in describe(shipped["stoke-conference-lifecycle"]) if x.startswith("Decision rule:")]
    assert "simple majority, then casting vote (if there is an equal split decision)" in rule
    [tool] = [x for x in describe(shipped["redcar-internal"]) if x.startswith("Checklist:")]
    assert tool.endswith("completed by Conference chair — 14 questions.")


def test_a_procedure_without_milestones_shows_none(shipped):
    assert "Milestones:" not in describe(shipped["redcar-external"])
