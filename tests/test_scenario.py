"""The scenario format: shipped scenarios load, bad files get every located problem at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cpsim.model.errors import FileError
from cpsim.model.scenario.classes import check_scenario_file, load_scenario, shipped_scenario_paths
from cpsim.model.scenario.schema import SCENARIO_SCHEMA_PATH, scenario_schema_text

HEAD = """\
id: t
title: T
calendar: {start: 2026-01-05, horizon: 20}
arrivals: {kind: poisson, rate: 1}
"""


@pytest.mark.parametrize("path", shipped_scenario_paths(), ids=lambda p: p.stem)
def test_every_shipped_scenario_loads_with_a_behaviour_per_procedure(path: Path) -> None:
    sc = load_scenario(path)
    assert sc.routes and abs(sum(r.share for r in sc.routes) - 1) < 1e-9
    for r in sc.routes:
        assert sc.behaviour(r.procedure.id) is r.behaviour
    assert str(path) in sc.digests


def test_checked_in_scenario_schema_is_current() -> None:
    assert SCENARIO_SCHEMA_PATH.read_text(encoding="utf-8") == scenario_schema_text()


def test_flagged_share_becomes_start_choices_with_the_ordinary_route_taking_the_rest() -> None:
    sc = load_scenario(shipped_scenario_paths()[0])
    route = sc.route("redcar-internal")
    assert route.behaviour.at("raise").choices == pytest.approx({"immediate-concern": 0.05, "raised": 0.95})
    assert any("immediate-concern" in a for a in sc.all_assumptions)


def test_assumed_outcome_becomes_a_transition_of_the_effective_procedure() -> None:
    route = load_scenario(shipped_scenario_paths()[0]).route("redcar-internal")
    assert ("level1", "no-reply") not in {(t.from_, t.on) for t in route.procedure.transitions}
    assumed = [t for t in route.effective.transitions if (t.from_, t.on) == ("level1", "no-reply")]
    assert [t.to for t in assumed] == ["level2"]


def test_role_behaviour_applies_to_its_stages_and_stage_values_win_key_by_key(write: Callable) -> None:
    path = write(
        "s.yaml",
        HEAD
        + """\
procedures:
  - procedure: redcar-external
    behaviour:
      roles:
        practitioner: {reply_time: {dist: fixed, value: 0.5}, p_satisfied: 0.9}
      stages:
        level1: {p_satisfied: 1}
""",
    )
    b = load_scenario(path).behaviour("redcar-external").at("level1")
    assert (b.reply_time.mean, b.p_satisfied) == (0.5, 1.0)


def test_bad_file_reports_every_problem_with_its_line(write: Callable) -> None:
    path = write(
        "bad.yaml",
        """\
id: bad
title: Bad
procedures:
  - procedure: redcar-internl
    share: 0.7
  - procedure: redcar-external
    share: 0.2
    behaviour:
      stages:
        levl1: {p_satisfied: 0.5}
        level1:
          reply_time: {dist: exponentail, mean: 1}
          p_satisfied: 1.5
calendar: {start: next monday, horizon: 10, nation: wales}
arrivals: {kind: poison, rate: 1}
""",
    )
    with pytest.raises(FileError) as info:
        load_scenario(path)
    found = {(p.line, p.message.split(" ")[0]) for p in info.value.problems}
    text = "\n".join(str(p) for p in info.value.problems)
    for line, word in [
        (3, "the"),
        (4, "procedure"),
        (10, "procedure"),
        (12, "'exponentail'"),
        (13, "p_satisfied"),
        (14, "start"),
        (14, "'wales'"),
        (15, "'poison'"),
    ]:
        assert (line, word) in found, text
    assert "did you mean 'redcar-internal'?" in text and "did you mean 'level1'?" in text


def test_outcome_that_can_happen_without_a_transition_is_rejected(write: Callable) -> None:
    path = write(
        "s.yaml",
        HEAD
        + """\
procedures:
  - procedure: redcar-external
    behaviour:
      stages:
        level1: {p_satisfied: 0.5, p_no_reply: 0.1}
        level2: {p_satisfied: 0.5}
""",
    )
    problems = check_scenario_file(path)
    assert any("'no-reply' can happen" in p.message and p.line == 9 for p in problems), problems
    assert any("no reply deadline" in p.message for p in problems), "level3 is reached and needs an assumption"


def test_reply_later_than_the_deadline_needs_an_assumed_no_reply_route_only_if_one_exists(write: Callable) -> None:
    path = write(
        "s.yaml",
        HEAD
        + """\
procedures:
  - procedure: redcar-external
    behaviour:
      stages:
        level1: {reply_time: {dist: uniform, low: 0, high: 3}}
""",
    )
    assert check_scenario_file(path) == []


def test_staff_roles_and_deputies_must_exist(write: Callable) -> None:
    path = write(
        "s.yaml",
        HEAD
        + """\
procedures:
  - procedure: redcar-external
staff:
  iro_team_manger: {headcount: 1}
  line_manager: {headcount: two, deputy: nobody}
""",
    )
    text = "\n".join(map(str, check_scenario_file(path)))
    assert "s.yaml:8:3: no procedure has a role 'iro_team_manger' (did you mean 'iro_team_manager'?)" in text
    assert "headcount must be a whole number or 'unlimited'" in text
    assert "deputy 'nobody' is not another role under staff" in text


def test_replay_csv_rows_with_bad_dates_are_reported_by_row(write: Callable) -> None:
    write("arrivals.csv", "date,route\n2026-01-06,redcar-external\n06/01/2026,\n2026-01-07,nowhere\n")
    path = write(
        "s.yaml",
        """\
id: t
title: T
calendar: {start: 2026-01-05, horizon: 20}
arrivals: {kind: replay, file: arrivals.csv}
procedures:
  - procedure: redcar-external
""",
    )
    problems = check_scenario_file(path)
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [(3, "row 3"), (4, "row 4")]
