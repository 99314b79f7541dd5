"""Typed scenario changes: a setting, a headcount or a swapped procedure gives a scenario checked like a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpsim.model.errors import CpsimError, FileError
from cpsim.model.scenario import Scenario, load_scenario, shipped_scenario_paths

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "redcar-baseline.yaml"
NO_LINE_MANAGER = ROOT / "scenarios" / "procedures" / "redcar-external-no-line-manager.yaml"


def _resolved(sc: Scenario) -> tuple[object, ...]:
    return (sc.id, sc.title, sc.assumptions, sc.routes, sc.calendar, sc.arrivals, sc.replay, sc.staff, sc.spec)


@pytest.mark.parametrize("path", shipped_scenario_paths(), ids=lambda p: p.stem)
def test_no_change_rebuilds_the_same_scenario(path: Path) -> None:
    """The file's data is rebuilt from the typed file exactly, so changes start from what the file says."""
    sc = load_scenario(path)
    again = sc.with_settings({})
    assert _resolved(again) == _resolved(sc)
    assert (again.replications, again.seed, again.base_dir) == (sc.replications, sc.seed, sc.base_dir)


def test_a_headcount_changes_that_role_only() -> None:
    base = load_scenario(BASELINE)
    one = base.with_headcount("service_manager", 1)
    assert one.staff["service_manager"].headcount == 1
    assert one.staff["service_manager"].absence == base.staff["service_manager"].absence
    assert {r: s for r, s in one.staff.items() if r != "service_manager"} == {
        r: s for r, s in base.staff.items() if r != "service_manager"
    }
    assert one.routes == base.routes and base.staff["service_manager"].headcount == 3
    assert base.with_headcount("line_manager", 2).staff["line_manager"].headcount == 2, "a role can be added"


def test_a_bad_headcount_is_reported_as_in_a_file() -> None:
    base = load_scenario(BASELINE)
    with pytest.raises(FileError) as info:
        base.with_headcount("service_manager", 1.5)  # type: ignore[arg-type]  # deliberately not an int
    (problem,) = info.value.problems
    assert (problem.file, problem.line) == (str(BASELINE), 1)
    assert (
        problem.message == "staff.service_manager.headcount: headcount must be a whole number or 'unlimited', got 1.5"
    )


def test_a_setting_for_a_role_no_procedure_has_is_an_error() -> None:
    with pytest.raises(FileError, match="no procedure has a role 'nobody'"):
        load_scenario(BASELINE).with_setting("staff.nobody.headcount", 1)


def test_a_swapped_procedure_keeps_the_other_route_and_adapts_the_behaviour_to_its_stages() -> None:
    base = load_scenario(BASELINE)
    swapped = base.with_procedure("redcar-external", NO_LINE_MANAGER)
    route = swapped.route("redcar-external-no-line-manager")
    assert swapped.routes[0] == base.routes[0] and swapped.staff == base.staff
    assert "level2" not in route.behaviour.stages, "the removed stage's behaviour is dropped"
    assert route.behaviour.at("level1").assumed == {"no-reply": "level3"}, "its assumed next stage is redirected"
    assert swapped.id == "redcar-baseline-with-redcar-external-no-line-manager"
    note = swapped.assumptions[-1]
    assert "level2 (no such stage; its behaviour is dropped)" in note
    assert "level1 (assumed no-reply now goes to level3, as an unsatisfactory reply)" in note


def test_the_route_to_swap_may_be_named_by_its_procedure_file() -> None:
    base = load_scenario(BASELINE)
    by_file = base.with_procedure(ROOT / "model" / "procedures" / "redcar-external.yaml", NO_LINE_MANAGER)
    assert by_file == base.with_procedure("redcar-external", NO_LINE_MANAGER)


def test_swapping_a_procedure_the_scenario_does_not_run_is_an_error() -> None:
    with pytest.raises(CpsimError, match="not 'wakefield-chair-concern'"):
        load_scenario(BASELINE).with_procedure("wakefield-chair-concern", NO_LINE_MANAGER)
