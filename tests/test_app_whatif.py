"""The what-if the form makes: each kind of change lands where the file format says, checked by the real loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpsim.app.controls import controls_for, find
from cpsim.app.whatif import Checked, WhatIf, check, edits_from, whatif_files
from cpsim.model.scenario import SCENARIOS_DIR, Scenario, load_scenario

BASELINE = SCENARIOS_DIR / "redcar-baseline.yaml"


def _checked(form: dict[str, str], folder: Path) -> tuple[Scenario, WhatIf, Checked]:
    base = load_scenario(BASELINE)
    spec = WhatIf(BASELINE, "w", "W", tuple(edits_from(controls_for(base), form)))
    return base, spec, check(base, spec, folder)


def test_every_control_is_labelled_and_starts_at_the_baselines_value() -> None:
    base = load_scenario(BASELINE)
    groups = controls_for(base)
    assert find(groups, "arrivals.rate").value == "1.2"
    assert find(groups, "arrivals.monthly_factors.august").value == "0.7"
    assert find(groups, "arrivals.monthly_factors.march").value == "1"
    assert find(groups, "staff.service_manager.deputy").value == "assistant_director"
    assert find(groups, "route.0.stages.level2.reply_time.mode").value == "1.5"
    assert find(groups, "route.1.deadline.level1").label.endswith("reply deadline (working days)")
    assert all(c.label for g in groups for c in g.controls)
    assert edits_from(groups, {c.name: c.value for g in groups for c in g.controls}) == []


def test_staff_demand_and_seasonality_merge_into_the_baseline(tmp_path: Path) -> None:
    form = {
        "staff.service_manager.deputy": "",
        "staff.assistant_director.absence.share": "0.3",
        "arrivals.rate": "1.5",
        "arrivals.monthly_factors.march": "1.4",
    }
    base, _, checked = _checked(form, tmp_path)
    assert not checked.problems, checked.problems
    sc = checked.scenario
    assert sc is not None
    assert sc.staff["service_manager"].deputy is None and sc.staff["service_manager"].headcount == 3
    assert sc.staff["assistant_director"].absence.share == 0.3
    assert sc.arrivals.rate == 1.5  # type: ignore[union-attr]
    assert sc.arrivals.monthly_factors == {"august": 0.7, "december": 0.8, "march": 1.4}  # type: ignore[union-attr]
    assert sc.routes == base.routes  # nothing about the routes changed


def test_a_reply_time_restates_the_routes_and_a_deadline_runs_a_draft(tmp_path: Path) -> None:
    form = {"route.0.stages.level2.reply_time.mode": "2.5", "route.0.deadline.level2": "1"}
    base, spec, checked = _checked(form, tmp_path)
    assert not checked.problems, checked.problems
    sc = checked.scenario
    assert sc is not None
    internal = sc.routes[0]
    assert internal.procedure.id == "redcar-internal-w"
    level2 = internal.procedure.stage("level2").deadline
    assert level2 is not None and level2.amount == 1
    assert internal.behaviour.at("level2").reply_time.model_dump()["mode"] == 2.5
    assert sc.routes[1] == base.routes[1]
    files = whatif_files(base, spec, tmp_path / "saved", relative=True)
    assert list(files) == ["w.yaml", "procedures/redcar-internal-w.yaml"]
    assert "A WHAT-IF EDIT, not a faithful encoding" in files["procedures/redcar-internal-w.yaml"].decode()


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("staff.service_manager.headcount", "two", "headcount"),
        ("arrivals.rate", "0", "rate must be more than 0.0, got 0"),
        ("route.0.stages.level2.reply_time.mode", "9", "need low <= mode <= high"),
        ("route.0.deadline.level2", "-1", "amount"),
    ],
)
def test_a_bad_value_is_refused_by_the_loader_at_its_control(
    name: str, text: str, message: str, tmp_path: Path
) -> None:
    _, _, checked = _checked({name: text}, tmp_path)
    assert checked.scenario is None and checked.problems
    assert any(message in m for m in checked.by_control[name]), (checked.by_control, checked.problems)
