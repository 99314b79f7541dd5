"""`diff_procedures`, `diff_findings` and `cpsim diff`: every kind of edit is reported, nothing else is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cpsim.cli import main
from cpsim.model import Citation, Procedure, Transition, load_procedure
from cpsim.verify.diff import diff_findings, diff_procedures
from cpsim.verify.findings import Finding

ROOT = Path(__file__).resolve().parent.parent
INTERNAL = ROOT / "model" / "procedures" / "redcar-internal.yaml"
EXTERNAL = ROOT / "model" / "procedures" / "redcar-external.yaml"
SHORTER = ROOT / "scenarios" / "procedures" / "redcar-internal-level2-one-day.yaml"
NO_RUNG = ROOT / "scenarios" / "procedures" / "redcar-external-no-line-manager.yaml"


@pytest.fixture(scope="module")
def internal() -> Procedure:
    return load_procedure(INTERNAL)


def _keys(diff) -> list[tuple[str, str, str]]:
    return [(c.kind, c.section, c.key) for c in diff.changes]


def test_identical_procedures_give_an_empty_diff(internal: Procedure) -> None:
    diff = diff_procedures(internal, load_procedure(INTERNAL))
    assert diff.empty
    assert diff.as_dict()["counts"] == {"added": 0, "removed": 0, "changed": 0}


def test_a_shortened_deadline_is_reported_with_its_new_wording_and_nothing_else() -> None:
    diff = diff_procedures(load_procedure(INTERNAL), load_procedure(SHORTER))
    assert _keys(diff) == [("changed", "deadline", "level2")] * 2
    amount, wording = diff.changes
    assert (amount.before, amount.after) == ("within 2 working days", "within 1 working day")
    assert "read as ambiguous" in wording.before and "respond within 1 working day" in wording.after


def test_a_removed_rung_shows_the_stage_its_transitions_and_the_rerouting() -> None:
    diff = diff_procedures(load_procedure(EXTERNAL), load_procedure(NO_RUNG))
    keys = _keys(diff)
    assert ("removed", "stage", "level2") in keys
    assert ("removed", "transition", "level2 --satisfied-->") in keys
    assert ("removed", "transition", "level2 --unsatisfied-->") in keys
    rerouted = [c for c in diff.changes if c.key == "level1 --unsatisfied-->" and c.section == "transition"]
    assert [(c.before, c.after) for c in rerouted] == [("level2", "level3")]


def test_an_added_transition_is_reported_as_added(internal: Procedure) -> None:
    extra = Transition.model_validate(
        {"from": "level1", "to": "level2", "on": "no-reply", "source": internal.transitions[0].source}
    )
    diff = diff_procedures(internal, internal.model_copy(update={"transitions": (*internal.transitions, extra)}))
    assert _keys(diff) == [("added", "transition", "level1 --no-reply-->")]
    assert "level1 on no-reply goes to level2" in diff.changes[0].summary


def test_a_role_rank_change_and_a_new_target_deadline_are_reported(internal: Procedure) -> None:
    roles = tuple(r.model_copy(update={"rank": 2}) if r.id == "service_manager" else r for r in internal.roles)
    target = internal.targets[0].model_copy(
        update={"within": internal.targets[0].within.model_copy(update={"amount": 10})}
    )
    diff = diff_procedures(internal, internal.model_copy(update={"roles": roles, "targets": (target,)}))
    assert ("changed", "role", "service_manager") in _keys(diff)
    assert ("changed", "target", "five-working-days") in _keys(diff)
    rank = next(c for c in diff.changes if c.section == "role")
    assert (rank.before, rank.after) == ("3", "2")


def test_a_changed_citation_is_reported_where_it_stands(internal: Procedure) -> None:
    cite = Citation(doc=internal.sources[0].doc, ref="9.9", quote="a different quote")
    stages = tuple(s.model_copy(update={"source": cite}) if s.id == "level3" else s for s in internal.stages)
    diff = diff_procedures(internal, internal.model_copy(update={"stages": stages}))
    assert _keys(diff) == [("changed", "citation", "stage level3")]


def test_findings_are_matched_by_code_and_stages_counting_repeats() -> None:
    a = Finding("DEAD_END", "violation", "p", ("x",), (), "Stuck at x.")
    b = Finding("NO_DEADLINE", "gap", "p", ("y",), (), "No deadline at y.")
    b2 = Finding("NO_DEADLINE", "gap", "p", ("y",), (), "No deadline at y, reworded.")
    c = Finding("LOOP", "warning", "p", ("z",), (), "Loop.")
    d = diff_findings([a, b, b], [b2, c])
    assert [f.code for f in d.fixed] == ["DEAD_END", "NO_DEADLINE"]
    assert [f.code for f in d.new] == ["LOOP"]
    assert d.unchanged == (b2,)
    assert d.reworded == ((b, b2),)


def test_cli_diff_prints_markdown_with_fixed_findings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(EXTERNAL), str(NO_RUNG)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Procedure change:")
    assert "### Stages" in out and "Stage level2 removed" in out
    assert "## Effect on the verification findings" in out
    assert "### Fixed by the change" in out


def test_cli_diff_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(INTERNAL), str(SHORTER), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"structure", "findings", "simulation"}
    assert data["structure"]["changes"][0]["section"] == "deadline"
    assert set(data["findings"]) == {"fixed", "new", "unchanged", "reworded"}
    assert data["simulation"] is None


def test_cli_diff_writes_markdown_and_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "change.md"
    assert main(["diff", str(INTERNAL), str(SHORTER), "-o", str(out)]) == 0
    assert "Deadline at level2" in out.read_text(encoding="utf-8")
    assert main(["diff", str(INTERNAL), str(SHORTER), "-o", str(out)]) == 1
    assert main(["diff", str(INTERNAL), str(SHORTER), "-o", str(out), "--force"]) == 0


def test_cli_diff_reports_an_invalid_file_with_its_location(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nstages: [\n", encoding="utf-8")
    assert main(["diff", str(INTERNAL), str(bad)]) == 1
    assert f"{bad}:" in capsys.readouterr().err


def test_cli_diff_with_a_scenario_adds_the_simulated_effect(capsys: pytest.CaptureFixture[str]) -> None:
    scenario = ROOT / "scenarios" / "redcar-baseline.yaml"
    args = ["diff", str(INTERNAL), str(SHORTER), "--scenario", str(scenario), "-n", "2", "--workers", "1", "--json"]
    assert main(args) == 0
    sim = json.loads(capsys.readouterr().out)["simulation"]
    assert sim["replications"] == 2 and sim["common_random_numbers"] is True
    keys = {m["key_b"] for m in sim["measures"]}
    assert "redcar-internal-level2-one-day/five-working-days" in keys


def test_cli_diff_json_simulation_has_the_compare_shape_with_one_verdict_per_measure(
    capsys: pytest.CaptureFixture[str],
) -> None:
    scenario = ROOT / "scenarios" / "redcar-baseline.yaml"
    args = ["diff", str(INTERNAL), str(SHORTER), "--scenario", str(scenario), "-n", "2", "--workers", "1", "--json"]
    assert main(args) == 0
    sim = json.loads(capsys.readouterr().out)["simulation"]
    assert set(sim) == {"a", "b", "seed", "replications", "common_random_numbers", "measures", "verdict"}
    assert len(sim["verdict"]) == len(sim["measures"]) and all(isinstance(s, str) and s for s in sim["verdict"])
