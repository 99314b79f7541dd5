"""The timing checks on a joint rung: its true time bound, and its responders named.

A request stage whose reply several roles owe (tests/data/v2-joint.yaml's Level 1, "The Social
Worker / Team Manager are to respond") is timed by the rule for who replies: under ``from: all``
the rung lasts until the latest responder's deadline, under ``from: any`` until the earliest, and
with no rule (``reply: {unspecified: ...}``) nothing bounds it. The bounds, the slack, the
TARGET_* findings, the line-of-authority check and ``cpsim diff`` are checked here on the example
and small changes to it, on the listed routes and on the graph (used when routes are too many to
list), which must agree.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from cpsim.cli import main
from cpsim.model import load_procedure
from cpsim.model.procedure.classes import Procedure
from cpsim.verify import verify_procedure
from cpsim.verify.checks.deadlines_dag import check_clock_dag
from cpsim.verify.checks.routes import route_dag
from cpsim.verify.checks.timing import clocks, step
from cpsim.verify.diff import diff_procedures
from cpsim.verify.findings import Finding
from tests.test_verify_polynomial import _check_routes

DATA = Path(__file__).parent / "data" / "v2-joint.yaml"
CITE = {"doc": "003_16d9b606cf9f47aa.txt", "ref": "2.3", "quote": "are to respond"}
RUNG = "Level 1 — social worker / team manager"
yaml = YAML(typ="safe")


def changed(tmp_path: Path, change: Callable[[dict[str, Any]], None], name: str = "p.yaml") -> Path:
    data = yaml.load(DATA.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / name
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(json.loads(json.dumps(data)), fh)
    return path


def stage(data: dict[str, Any], sid: str) -> dict[str, Any]:
    return next(s for s in data["stages"] if s["id"] == sid)


def days(n: float) -> dict[str, Any]:
    return {"amount": n, "unit": "working-days", "source": CITE}


def joint(rule: str | None, own: tuple[Any, Any] = (2, 4)) -> Callable[[dict[str, Any]], None]:
    """Level 1 under ``rule`` (None: unspecified), its responders given ``own`` deadlines; a timed move up."""

    def change(d: dict[str, Any]) -> None:
        level1 = stage(d, "level1")
        if rule is None:
            level1["reply"] = {"unspecified": "Section 2.3 does not say whether one of them or both reply."}
        else:
            level1["reply"]["from"] = rule
        for r, n in zip(level1["responders"], own, strict=True):
            if n == "unspecified":
                r["deadline"] = {"unspecified": "The source gives the team manager no time of their own."}
            elif n is not None:
                r["deadline"] = days(n)
        up = next(t for t in d["transitions"] if (t["from"], t["on"]) == ("level1", "unsatisfied"))
        up["within"] = days(1)

    return change


def load(tmp_path: Path, rule: str | None, own: tuple[Any, Any] = (2, 4)) -> Procedure:
    return load_procedure(changed(tmp_path, joint(rule, own)))


def found(proc: Procedure, code: str, **kw: Any) -> list[Finding]:
    return [f for f in verify_procedure(proc, **kw) if f.code == code]


def stay_hi(proc: Procedure) -> float | None:
    up = next(t for t in proc.transitions if (t.from_, t.on) == ("level1", "unsatisfied"))
    return step(proc, up).stay_hi


# --- the rung's bound ---------------------------------------------------------------------------


@pytest.mark.parametrize(("rule", "bound", "slowest"), [("all", 4.0, 7), ("any", 2.0, 5)])
def test_a_joint_rung_lasts_until_the_latest_reply_under_all_and_the_earliest_under_any(
    tmp_path: Path, rule: str, bound: float, slowest: int
):
    proc = load(tmp_path, rule)  # the stage's deadline is 1 working day; the responders have 2 and 4
    assert stay_hi(proc) == bound
    [bounds] = found(proc, "TARGET_BOUNDS")
    # the slowest route: the rung, a move of 1 day up, the service manager's 2 days
    assert f"the slowest timed route takes {slowest} working days" in bounds.message


def test_under_all_the_latest_deadline_exceeds_the_target_and_under_any_it_does_not(tmp_path: Path):
    [over] = found(load(tmp_path, "all"), "TARGET_EXCEEDED")
    assert over.message.startswith(f"{RUNG} (joint reply within 4 working days) → Level 2 — service manager (reply ")
    assert "can take 7 working days, 2 working days over the target “Resolved within five working days”" in (
        over.message
    )
    assert found(load(tmp_path, "any"), "TARGET_EXCEEDED") == []


def test_a_joint_rung_with_no_rule_for_who_replies_is_unbounded_and_says_why(tmp_path: Path):
    proc = load(tmp_path, None)
    assert stay_hi(proc) is None
    [gap] = [f for f in found(proc, "TARGET_NOT_GUARANTEED") if f.stages == ("level1",)]
    assert gap.message == (
        f"The clock starts at {RUNG}, where the procedure does not say whether the reply is due from both the "
        "social worker and the team manager or from either one, so nothing bounds when the rung ends: nothing "
        "guarantees the target “Resolved within five working days” (5 working days) on this route. (2 routes pass "
        "this way.)"
    )
    [bounds] = found(proc, "TARGET_BOUNDS")
    assert "no route has a time limit at every step" in bounds.message


def test_under_all_a_responder_with_no_deadline_of_their_own_leaves_the_rung_unbounded(tmp_path: Path):
    proc = load(tmp_path, "all", (2, "unspecified"))
    assert stay_hi(proc) is None
    [gap] = [f for f in found(proc, "TARGET_NOT_GUARANTEED") if f.stages == ("level1",)]
    assert "where the team manager has no deadline of their own for the joint reply, due from every one" in (
        gap.message
    )


def test_under_any_one_responders_deadline_bounds_the_rung(tmp_path: Path):
    assert stay_hi(load(tmp_path, "any", (2, "unspecified"))) == 2.0


def test_a_no_reply_from_a_joint_rung_is_known_at_the_earliest_deadline(tmp_path: Path):
    def no_reply(d: dict[str, Any]) -> None:
        joint("all")(d)
        d["transitions"].append({"from": "level1", "to": "level2", "on": "no-reply", "within": days(1), "source": CITE})
        stage(d, "level1").pop("unspecified")

    proc = load_procedure(changed(tmp_path, no_reply))
    late = next(t for t in proc.transitions if (t.from_, t.on) == ("level1", "no-reply"))
    assert (step(proc, late).stay_lo, step(proc, late).stay_hi) == (2.0, 4.0)


# --- the words ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("rule", "who"), [("all", "the social worker and the team manager"), ("any", None)])
def test_the_slack_names_the_responders_and_times_the_reply_by_the_rungs_bound(
    tmp_path: Path, rule: str, who: str | None
):
    who = who or "the social worker or the team manager"
    [slack] = [f for f in found(load(tmp_path, rule), "TARGET_SLACK") if f.stages == ("level1",)]
    worst = 4 if rule == "all" else 2
    assert slack.message == (
        f"{RUNG}: to keep the target “Resolved within five working days” (5 working days), {who} must reply by "
        f"working day 2 counting from {RUNG}; a reply at the deadline comes by day {worst} at the latest "
        f"({worst - 2} working day(s) too late)."
        if worst > 2
        else f"{RUNG}: to keep the target “Resolved within five working days” (5 working days), {who} must reply by "
        f"working day 2 counting from {RUNG}; a reply at the deadline comes by day 2 at the latest "
        "(0 working day(s) to spare)."
    )


def test_the_slack_of_a_rung_with_no_rule_says_why_nothing_makes_the_reply_come_in_time(tmp_path: Path):
    [slack] = [f for f in found(load(tmp_path, None), "TARGET_SLACK") if f.stages == ("level1",)]
    assert "the social worker and the team manager must reply by working day 2" in slack.message
    assert slack.message.endswith(
        "; nothing bounds when a reply at its deadline comes, because the procedure does not say whether the reply "
        "is due from both the social worker and the team manager or from either one, so nothing bounds when the "
        "rung ends."
    )


def test_a_joint_rung_with_no_deadline_names_its_responders(tmp_path: Path):
    def open_deadline(d: dict[str, Any]) -> None:
        stage(d, "level1")["deadline"] = {"unspecified": "The source gives no time."}

    proc = load_procedure(changed(tmp_path, open_deadline))
    [gap] = [f for f in found(proc, "DEADLINE_UNSPECIFIED") if f.stages == ("level1",)]
    assert gap.message.startswith(f"{RUNG}: no deadline for Social worker or team manager.")
    [open_] = [f for f in found(proc, "TARGET_NOT_GUARANTEED") if f.stages == ("level1",)]
    assert f"{RUNG} has no reply deadline" in open_.message


def test_the_route_on_from_a_joint_rung_names_whose_reply_it_was(tmp_path: Path):
    def open_level2(d: dict[str, Any]) -> None:
        joint("any")(d)
        stage(d, "level2")["deadline"] = {"unspecified": "The source gives no time."}

    proc = load_procedure(changed(tmp_path, open_level2))
    [gap] = [f for f in found(proc, "TARGET_NOT_GUARANTEED") if f.stages == ("level2",)]
    assert gap.message.startswith(
        "If the reply of the social worker or the team manager does not satisfy the conference chair, the "
        "challenge goes to Level 2 — service manager, where the social worker's service manager has no reply deadline"
    )


# --- the line of authority ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("above", "severity", "way"),
    [("team_manager", "warning", "sideways (same rank)"), ("social_worker", "violation", "down the line")],
)
def test_escalating_from_a_joint_rung_is_compared_with_its_most_senior_responder(
    tmp_path: Path, above: str, severity: str, way: str
):
    def change(d: dict[str, Any]) -> None:
        stage(d, "level2")["responder"] = above

    [f] = found(load_procedure(changed(tmp_path, change)), "ESCALATION_NOT_UPWARD")
    assert f.severity == severity and f.stages == ("level1", "level2")
    rank = 2 if above == "team_manager" else 1
    assert f"is escalated {way}" in f.message
    assert f.message.endswith(
        f"at Level 2 — service manager has rank {rank}, but the social worker and the team manager at {RUNG} "
        "have ranks 1 and 2 (2 the most senior)."
    )


def test_escalating_to_a_joint_rung_above_is_upward(tmp_path: Path):
    assert found(load_procedure(DATA), "ESCALATION_NOT_UPWARD") == []

    def below(d: dict[str, Any]) -> None:  # a one-responder rung of rank 3 before the joint one
        stage(d, "level2")["responder"] = "social_worker"
        level1 = stage(d, "level1")
        level1.pop("responders"), level1.pop("reply")
        level1["responder"] = "service_manager"
        stage(d, "level2")["responders"] = [{"role": "social_worker"}, {"role": "team_manager"}]
        stage(d, "level2").pop("responder")
        stage(d, "level2")["reply"] = {"from": "all", "source": CITE}

    [f] = found(load_procedure(changed(tmp_path, below)), "ESCALATION_NOT_UPWARD")
    assert f.severity == "violation"
    assert "the social worker and the team manager at Level 2 — service manager have ranks 1 and 2" in f.message


# --- listing the routes and the graph agree -----------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "own", "slowest", "bounded"),
    [("all", (2, 4), 7.0, 2), ("any", (2, 4), 5.0, 2), (None, (2, 4), 3.0, 0), ("all", (2, "unspecified"), 3.0, 0)],
)
def test_the_graph_and_the_listed_routes_agree_on_a_joint_rung(
    tmp_path: Path, rule: str | None, own: tuple[Any, Any], slowest: float, bounded: int
):
    proc = load(tmp_path, rule, own)
    [five] = clocks(proc)
    dag = route_dag(proc, five)
    # on the graph: the slowest route's timed steps, and how many routes have a time limit at every step
    assert dag is not None and (dag.timed_max["level1"][0], dag.bounded_routes) == (slowest, bounded)
    for clock in clocks(proc, target_days=3):
        _check_routes(proc, clock)
        dag = route_dag(proc, clock)
        assert dag is not None
        target = f"the target “{clock.title}” ({clock.label})"
        graph = check_clock_dag(proc, clock, dag, {}, target)
        listed = [f for f in verify_procedure(proc, target_days=3) if f.code.startswith("TARGET_")]
        for code in ("TARGET_NOT_GUARANTEED", "TARGET_SLACK"):
            on_graph = {(f.stages, f.message) for f in graph if f.code == code}
            assert on_graph <= {(f.stages, f.message) for f in listed if f.code == code}, code


# --- cpsim diff ---------------------------------------------------------------------------------


def one_responder(d: dict[str, Any]) -> None:
    level1 = stage(d, "level1")
    level1.pop("responders"), level1.pop("reply")
    level1["responder"] = "social_worker"


def test_diff_names_the_change_from_one_responder_to_a_joint_reply(tmp_path: Path):
    old = load_procedure(changed(tmp_path, one_responder, "old.yaml"))
    diff = diff_procedures(old, load_procedure(DATA))
    whos = [c for c in diff.changes if c.section == "stage" and c.key == "level1"]
    assert [c.summary for c in whos] == [
        "Stage level1: who replies the social worker → the social worker or the team manager (a joint reply, due "
        "from any one of them)."
    ]


def test_diff_names_a_changed_rule_and_a_responders_own_deadline(tmp_path: Path):
    new = load_procedure(changed(tmp_path, joint("all")))
    summaries = [c.summary for c in diff_procedures(load_procedure(DATA), new).changes]
    assert (
        "Stage level1: who replies the social worker or the team manager (a joint reply, due from any one of them) "
        "→ the social worker and the team manager (a joint reply, due from every one of them)." in summaries
    )
    assert "Deadline of the team manager at level1: the stage's (within 1 working day) → within 4 working days." in (
        summaries
    )


def test_cpsim_diff_prints_the_change_in_words(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    old = changed(tmp_path, one_responder, "old.yaml")
    assert main(["diff", str(old), str(DATA)]) == 0
    out = capsys.readouterr().out
    assert "who replies the social worker → the social worker or the team manager" in out


def test_diff_names_a_changed_citation_of_the_reply_rule(tmp_path: Path):
    def requote(d: dict[str, Any]) -> None:
        stage(d, "level1")["reply"]["source"] = CITE

    summaries = [
        c.summary for c in diff_procedures(load_procedure(DATA), load_procedure(changed(tmp_path, requote))).changes
    ]
    assert summaries == [
        "Citation for who replies at level1: 003_16d9b606cf9f47aa.txt §2.3: “The Social Worker / Team Manager are to "
        "respond to the Conference Chair within one day upon receipt of the challenge raised.” → "
        "003_16d9b606cf9f47aa.txt §2.3: “are to respond”."
    ]
