"""The simulator times a joint reply: due from all the responders (the last) or from any one (the first)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from cpsim.model.errors import CpsimError
from cpsim.model.scenario.classes import load_scenario
from cpsim.simulate.engine.replication import run_replication
from cpsim.simulate.experiments.runner import run

DATA = Path(__file__).parent / "data" / "v2-joint.yaml"


def _procedure(tmp_path: Path, rule: str, own: str | None = None) -> None:
    text = DATA.read_text(encoding="utf-8")
    assert "      from: any\n" in text and "      - {role: team_manager}\n" in text
    if rule == "unspecified":
        i, j = text.index("    reply:\n"), text.index("    deadline:\n")
        text = (
            text[:i]
            + "    reply: {unspecified: Section 2.3 does not say whether one of them or both reply.}\n"
            + text[j:]
        )
    else:
        text = text.replace("      from: any\n", f"      from: {rule}\n")
    if own is not None:
        text = text.replace("      - {role: team_manager}\n", f"      - {{role: team_manager, deadline: {own}}}\n")
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")


def _scenario(
    tmp_path: Path,
    rule: str,
    sw: dict[str, Any],
    tm: dict[str, Any],
    *,
    start: str = "2026-01-05",
    horizon: int = 40,
    rate: float = 1.0,
    staff: str = "",
    own: str | None = None,
) -> Any:
    _procedure(tmp_path, rule, own)
    text = f"""\
id: t
title: T
calendar: {{start: {start}, horizon: {horizon}, follow_up: 60}}
arrivals: {{kind: poisson, rate: {rate}}}
procedures:
  - procedure: p.yaml
    behaviour:
      stages:
        level1:
          responders:
            social_worker: {{reply_time: {_flow(sw)}}}
            team_manager: {{reply_time: {_flow(tm)}}}
        level2: {{reply_time: {{dist: fixed, value: 0.5}}}}
{staff}"""
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    return load_scenario(tmp_path / "s.yaml")


def _flow(d: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in d.items()) + "}"


ONE = {"dist": "fixed", "value": 1}
THREE = {"dist": "fixed", "value": 3}


@pytest.mark.parametrize(("rule", "days", "end_date"), [("all", 3.0, "2026-12-30"), ("any", 1.0, "2026-12-24")])
def test_fixed_reply_times_end_with_the_last_or_first_reply_across_the_christmas_bank_holidays(
    tmp_path: Path, rule: str, days: float, end_date: str
):
    # Working days from Mon 21 Dec 2026: 21, 22, 23, 24, then 25 (Fri), 28 (Mon, Boxing Day's substitute) are
    # bank holidays, so 29 and 30 follow. Raised on Wed 23: three working days later is Wed 30, one is Thu 24.
    sc = _scenario(tmp_path, rule, ONE, THREE, start="2026-12-21", horizon=6, rate=3)
    cases = run_replication(sc, seed=5).cases
    assert cases and all(c.working_days == pytest.approx(days) for c in cases)
    on_23 = [c for c in cases if c.raised_date == "2026-12-23"]
    assert on_23 and all(c.end_date == end_date for c in on_23)
    assert all(c.rung_breaches == (("level1",) if rule == "all" else ()) for c in cases)  # the deadline is 1 day


@pytest.mark.parametrize("rule", ["any", "all"])
def test_the_share_of_joint_replies_later_than_the_deadline_matches_the_exact_answer(tmp_path: Path, rule: str):
    a, b, d = 1.0, 0.5, 1.0  # rates per working day; the deadline is one working day
    exact = math.exp(-(a + b) * d) if rule == "any" else 1 - (1 - math.exp(-a * d)) * (1 - math.exp(-b * d))
    cases = [c for rep in range(20) for c in run_replication(_sc_exp(tmp_path, rule, a, b), 11, rep).cases]
    p = sum("level1" in c.rung_breaches for c in cases) / len(cases)
    half = 1.96 * math.sqrt(exact * (1 - exact) / len(cases))
    assert len(cases) > 5000
    assert abs(p - exact) < half, (p, exact, half)


def _sc_exp(tmp_path: Path, rule: str, a: float, b: float) -> Any:
    return _scenario(
        tmp_path, rule, {"dist": "exponential", "mean": 1 / a}, {"dist": "exponential", "mean": 1 / b}, horizon=400
    )


STAFF_TM = "staff:\n  team_manager: {headcount: 1, capacity: 1}\n"


def test_a_responder_with_limited_headcount_queues_under_all(tmp_path: Path):
    free = _scenario(tmp_path, "all", ONE, ONE, horizon=60, rate=2)
    assert all(c.working_days == pytest.approx(1.0) for c in run_replication(free, seed=3).cases)
    tight = _scenario(tmp_path, "all", ONE, ONE, horizon=60, rate=2, staff=STAFF_TM)
    cases = run_replication(tight, seed=3).cases
    assert max(c.working_days for c in cases if c.working_days is not None) > 5  # one team manager, two a day


def test_under_any_the_others_work_is_withdrawn_and_their_slots_given_back(tmp_path: Path):
    sc = _scenario(tmp_path, "any", ONE, THREE, horizon=60, rate=2, staff=STAFF_TM)
    r = run_replication(sc, seed=3)
    assert all(c.working_days == pytest.approx(1.0) for c in r.cases)  # the social worker always answers first
    assert r.leftover_users == 0  # no team manager's slot or queued request is left behind


def test_a_responders_own_deadline_is_reported_like_a_rung(tmp_path: Path):
    cite = '{doc: 003_16d9b606cf9f47aa.txt, ref: "2.3", quote: "are to respond"}'
    own = "{amount: 2, unit: working-days, source: " + cite + "}"
    cases = run_replication(_scenario(tmp_path, "all", ONE, THREE, own=own), seed=2).cases
    assert cases and all(c.rung_breaches == ("level1/team_manager", "level1") for c in cases)
    cases = run_replication(_scenario(tmp_path, "any", ONE, THREE, own=own), seed=2).cases
    assert all(c.rung_breaches == () for c in cases)  # the social worker's reply answered for both


def test_same_results_on_one_and_two_workers(tmp_path: Path):
    sc = _sc_exp(tmp_path, "all", 1.0, 0.5)
    one = run(sc, replications=4, seed=8, workers=1).summary()
    two = run(sc, replications=4, seed=8, workers=2).summary()
    assert one == two


def test_a_joint_reply_with_no_rule_for_who_replies_is_still_refused(tmp_path: Path):
    with pytest.raises(CpsimError) as err:
        _scenario(tmp_path, "unspecified", ONE, THREE)
    assert "cannot choose between a reply from all of them and a reply from any one" in str(err.value)


def test_a_reply_time_for_a_role_who_is_not_a_responder_is_refused_naming_the_line(tmp_path: Path):
    _scenario(tmp_path, "all", ONE, THREE)
    path = tmp_path / "s.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("team_manager: {reply", "team_manger: {reply"), "utf-8")
    with pytest.raises(CpsimError) as err:
        load_scenario(path)
    assert "s.yaml:12:13: 'team_manger' is not one of the responders who owe the joint reply at stage 'level1'" in str(
        err.value
    )
    assert "did you mean 'team_manager'?" in str(err.value)


# --- the exact analysis: the latest of independent reply times (cdf product) or the earliest ------------------


def _exact_miss(tmp_path: Path, rule: str, sw: dict[str, Any], tm: dict[str, Any]) -> tuple[float, float]:
    from cpsim.verify.exact import analyse

    route = _scenario(tmp_path, rule, sw, tm).routes[0]
    [target] = analyse(route.procedure, route.behaviour, sensitivity=False).targets  # resolved within 5 days
    return 1.0 - target.p_within, target.error


@pytest.mark.parametrize(("rule", "missed"), [("all", 1.0), ("any", 0.0)])
def test_the_exact_analysis_times_fixed_joint_replies_by_the_last_or_first(tmp_path: Path, rule: str, missed: float):
    miss, error = _exact_miss(tmp_path, rule, ONE, {"dist": "fixed", "value": 6})
    assert error == 0.0 and miss == pytest.approx(missed)


@pytest.mark.parametrize("rule", ["any", "all"])
def test_the_exact_analysis_of_exponential_joint_replies_matches_the_formula(tmp_path: Path, rule: str):
    a, b, d = 1.0, 0.25, 5.0
    exact = math.exp(-(a + b) * d) if rule == "any" else 1 - (1 - math.exp(-a * d)) * (1 - math.exp(-b * d))
    sw, tm = {"dist": "exponential", "mean": 1 / a}, {"dist": "exponential", "mean": 1 / b}
    miss, error = _exact_miss(tmp_path, rule, sw, tm)
    assert abs(miss - exact) <= error + 1e-9, (miss, exact, error)


def test_a_roles_reply_time_under_behaviour_roles_is_its_time_at_a_joint_reply(tmp_path: Path):
    _procedure(tmp_path, "all")
    (tmp_path / "s.yaml").write_text(
        """\
id: t
title: T
calendar: {start: 2026-01-05, horizon: 20}
arrivals: {kind: poisson, rate: 1}
procedures:
  - procedure: p.yaml
    behaviour:
      roles:
        team_manager: {reply_time: {dist: fixed, value: 3}}
      stages:
        level1: {reply_time: {dist: fixed, value: 1}}
""",
        encoding="utf-8",
    )
    cases = run_replication(load_scenario(tmp_path / "s.yaml"), seed=1).cases
    assert cases and all(c.working_days == pytest.approx(3.0) for c in cases)  # the team manager's 3, the last


def test_a_responders_own_deadline_has_its_row_in_the_summary_and_the_terminal(tmp_path: Path):
    """The engine records a responder's own missed deadline; the summary and the terminal must not drop it."""
    from cpsim.reports.text.run_summary import summary_lines

    cite = '{doc: 003_16d9b606cf9f47aa.txt, ref: "2.3", quote: "are to respond"}'
    own = "{amount: 2, unit: working-days, source: " + cite + "}"
    summary = run(_scenario(tmp_path, "all", ONE, THREE, own=own), replications=2, seed=2, workers=1).summary()
    [rows] = summary["rung_deadlines"].values()
    row = rows["level1/team_manager"]
    assert row["breach_rate"]["mean"] == 1.0 and row["visits"] == rows["level1"]["visits"] > 0
    assert "'s own" in row["deadline"]
    text = "\n".join(summary_lines(summary))
    assert "/ level1/team_manager (within 2 working days" in text and "deadline missed on 100.0%" in text
