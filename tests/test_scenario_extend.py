"""Scenario `extend`: deep merge of mappings, lists replaced whole, errors located in the file that wrote them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cpsim.model.errors import FileError
from cpsim.model.scenario.classes import load_scenario
from cpsim.model.scenario.extend import merge, read_scenario_yaml

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "redcar-baseline.yaml"
Write = Callable[[str, str], Path]


def test_merge_combines_mappings_at_every_depth_and_leaves_its_inputs_alone() -> None:
    parent = {"staff": {"a": {"headcount": 1, "absence": {"share": 0.1}}}, "seed": 1}
    child = {"staff": {"a": {"absence": {"share": 0.3}}, "b": {"headcount": 2}}}
    out = merge(parent, child)
    assert out == {"staff": {"a": {"headcount": 1, "absence": {"share": 0.3}}, "b": {"headcount": 2}}, "seed": 1}
    assert parent["staff"]["a"]["absence"]["share"] == 0.1
    out["staff"]["b"]["headcount"] = 9
    assert child["staff"]["b"]["headcount"] == 2


def test_merge_replaces_lists_whole() -> None:
    assert merge({"assumptions": ["a", "b"]}, {"assumptions": ["c"]}) == {"assumptions": ["c"]}


def test_a_child_changes_only_what_it_overrides(write: Write) -> None:
    child = write("child.yaml", f"extend: {BASELINE}\nid: child\narrivals:\n  rate: 2.4\n")
    base, sc = load_scenario(BASELINE), load_scenario(child)
    assert sc.id == "child" and sc.arrivals.rate == 2.4
    assert sc.arrivals.monthly_factors == base.arrivals.monthly_factors
    assert sc.staff == base.staff and sc.calendar == base.calendar and sc.routes == base.routes
    assert str(BASELINE) in sc.digests


def test_a_missing_parent_is_reported_at_the_extend_line(write: Write) -> None:
    child = write("child.yaml", "id: child\nextend: nowhere.yaml\n")
    with pytest.raises(FileError) as err:
        load_scenario(child)
    (problem,) = err.value.problems
    assert (problem.file, problem.line, problem.column) == (str(child), 2, 9)
    assert "nowhere.yaml" in problem.message and "not found" in problem.message


def test_a_cycle_of_extends_is_reported_where_it_closes(write: Write) -> None:
    a = write("a.yaml", "extend: b.yaml\nid: a\n")
    write("b.yaml", "id: b\nextend: a.yaml\n")
    with pytest.raises(FileError) as err:
        load_scenario(a)
    (problem,) = err.value.problems
    assert problem.file.endswith("b.yaml") and problem.line == 2
    assert "circle" in problem.message and "a.yaml → b.yaml → a.yaml" in problem.message


def test_a_file_extending_itself_is_a_cycle(write: Write) -> None:
    me = write("me.yaml", "extend: me.yaml\n")
    with pytest.raises(FileError, match="circle"):
        read_scenario_yaml(me)


def test_a_bad_override_is_located_in_the_child(write: Write) -> None:
    child = write("child.yaml", f"extend: {BASELINE}\nid: child\nstaff:\n  service_manager:\n    headcount: lots\n")
    with pytest.raises(FileError) as err:
        load_scenario(child)
    (problem,) = err.value.problems
    assert (problem.file, problem.line) == (str(child), 5)
    assert "headcount" in problem.message


def test_a_problem_in_an_inherited_value_is_located_in_the_parent(write: Write) -> None:
    parent = write("parent.yaml", BASELINE.read_text(encoding="utf-8").replace("rate: 1.2", "rate: -1"))
    child = write("child.yaml", "extend: parent.yaml\nid: child\nseed: 3\n")
    with pytest.raises(FileError) as err:
        load_scenario(child)
    (problem,) = err.value.problems
    line = next(i for i, t in enumerate(parent.read_text(encoding="utf-8").splitlines(), 1) if "rate: -1" in t)
    assert (problem.file, problem.line) == (str(parent), line)


def test_relative_procedure_paths_in_a_parent_are_read_from_the_parent_folder(tmp_path: Path) -> None:
    (tmp_path / "base").mkdir()
    proc = ROOT / "scenarios" / "procedures" / "redcar-internal-level2-one-day.yaml"
    (tmp_path / "base" / "draft.yaml").write_text(proc.read_text(encoding="utf-8"), encoding="utf-8")
    parent = tmp_path / "base" / "parent.yaml"
    text = BASELINE.read_text(encoding="utf-8").replace("- procedure: redcar-internal\n", "- procedure: draft.yaml\n")
    parent.write_text(text, encoding="utf-8")
    child = tmp_path / "child.yaml"
    child.write_text("extend: base/parent.yaml\nid: child\n", encoding="utf-8")
    sc = load_scenario(child)
    assert sc.routes[0].procedure.id == "redcar-internal-level2-one-day"


def test_shipped_what_ifs_extend_the_baseline_and_state_their_assumptions() -> None:
    for path in sorted((ROOT / "scenarios").glob("redcar-*.yaml")):
        doc = read_scenario_yaml(path)
        if path.name in ("redcar-baseline.yaml", "redcar-unlimited-staff.yaml"):
            continue
        assert str(BASELINE) in [str(Path(p).resolve()) for p in doc.parents], path
        assumptions = load_scenario(path).assumptions
        assert any(a.startswith("WHAT-IF") for a in assumptions), path
