"""Joint replies: a request stage whose reply is owed by several responders, from all of them or any one.

The example is tests/data/v2-joint.yaml: Redcar and Cleveland's sections 2.3 and 2.4, with the
"Social Worker / Team Manager are to respond" of 2.3 encoded as a joint reply (quotes checked
against the source). Each rule of model/procedure/joint.py and verify/checks/joint.py has a test
on it or on a change to it, and each test fails if the rule is dropped.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

from cpsim.model import check_procedure_file, describe, ladder, load_procedure
from cpsim.model.behaviour import Behaviour
from cpsim.model.procedure.classes import Procedure
from cpsim.model.procedure.joint import reply_days_at_most, replying, replying_words, the_repliers
from cpsim.model.procedure.parallel import untimed_by_engines
from cpsim.model.procedure.schema import procedure_schema
from cpsim.model.scenario.classes import check_scenario_file
from cpsim.verify import verify_procedure
from cpsim.verify.exact import analyse
from cpsim.verify.exact.steps import BehaviourError

DATA = Path(__file__).parent / "data" / "v2-joint.yaml"
SEEDS = Path("/work/shared/seeds")
yaml = YAML(typ="safe")


def changed(tmp_path: Path, change: Callable[[dict[str, Any]], None], name: str = "p.yaml") -> Path:
    data = yaml.load(DATA.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / name
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(json.loads(json.dumps(data)), fh)  # no shared objects, so no anchors
    return path


def level1(data: dict[str, Any]) -> dict[str, Any]:
    return next(s for s in data["stages"] if s["id"] == "level1")


def found(proc: Procedure, code: str) -> list[Any]:
    return [f for f in verify_procedure(proc) if f.code == code]


def problems(path: Path) -> list[str]:
    return [str(p) for p in check_procedure_file(path)]


CITE = {"doc": "003_16d9b606cf9f47aa.txt", "ref": "2.3", "quote": "are to respond"}


def own_deadline(amount: float | None) -> dict[str, Any]:
    if amount is None:
        return {"unspecified": "The source gives the team manager no time of their own."}
    return {"amount": amount, "unit": "working-days", "source": CITE}


# --- the model ----------------------------------------------------------------------------------


def test_the_example_loads_as_a_joint_reply_and_its_quotes_are_in_the_source():
    proc = load_procedure(DATA)
    s = proc.stage("level1")
    assert s.responder is None
    assert replying(s) == ("social_worker", "team_manager")
    assert s.reply is not None and s.reply.from_ == "any" and s.reply.ambiguous
    assert [r.spends_time for r in s.responders] == [True, True]
    assert replying_words(proc, s) == "Social worker or team manager"
    assert replying(proc.stage("level2")) == ("service_manager",)
    if SEEDS.is_dir():
        assert check_procedure_file(DATA, sources=SEEDS) == []


def test_from_all_joins_the_responders_with_and(tmp_path: Path):
    proc = load_procedure(changed(tmp_path, lambda d: level1(d)["reply"].update({"from": "all"})))
    assert replying_words(proc, proc.stage("level1")) == "Social worker and team manager"


def test_show_gives_the_joint_reply_in_the_files_own_words():
    line = next(x for x in describe(load_procedure(DATA)) if x.startswith(" 2."))
    assert "Social worker or team manager must reply within 1 working day" in line
    assert "a joint reply, due from any one of them (source: “The Social Worker / Team Manager are to respond”" in line
    assert "UNSPECIFIED responder" not in line


def test_the_ladder_and_so_the_catalogue_name_both_responders_and_the_rule():
    [rung, _] = ladder(load_procedure(DATA))
    assert rung.responder.startswith("Social worker or team manager (a joint reply, due from any one of them")


def test_show_names_a_responder_that_spends_no_time_and_a_responders_own_deadline(tmp_path: Path):
    def change(d: dict[str, Any]) -> None:
        level1(d)["responders"] = [
            {"role": "social_worker", "spends_time": False},
            {"role": "team_manager", "deadline": own_deadline(3)},
        ]

    line = next(x for x in describe(load_procedure(changed(tmp_path, change))) if x.startswith(" 2."))
    assert "the social worker spends no time on it" in line
    assert "the team manager within 3 working days" in line


# --- refused at load ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.pop("reply"), "stage 'level1' names several responders but not who replies"),
        (lambda s: s.update(responder="social_worker"), "stage 'level1' names both 'responder' and 'responders'"),
        (
            lambda s: s.update(kind="dialogue"),
            "stage 'level1' is a dialogue stage: only a request stage has responders",
        ),
        (lambda s: s["responders"].pop(), "a joint reply names at least two responders"),
        (
            lambda s: s["responders"].append({"role": "team_manager"}),
            "'team_manager' is listed twice under 'responders'",
        ),
        (lambda s: s["responders"].append({"role": "conference_chair"}), "'conference_chair' is the stage's owner"),
        (lambda s: s["responders"][1].update(role="team_managr"), "unknown role 'team_managr' (did you mean"),
        (
            lambda s: [r.update(spends_time=False) for r in s["responders"]],
            "no responder spends time on the reply",
        ),
        (lambda s: s["reply"].update(unspecified="x"), "'from: all' or 'from: any', or 'unspecified: <note>'"),
        (lambda s: s["reply"].pop("source"), "a joint reply's rule needs 'source'"),
        (lambda s: s["reply"].pop("reading"), "an ambiguous joint reply needs 'reading'"),
        (lambda s: s["reply"].update({"from": "both"}), "'both' is not a valid from (expected one of: 'all', 'any')"),
    ],
)
def test_a_malformed_joint_reply_is_refused_at_load(
    tmp_path: Path, change: Callable[[dict[str, Any]], Any], message: str
):
    found_ = problems(changed(tmp_path, lambda d: change(level1(d))))
    assert any(message in m for m in found_), found_


def test_a_reply_rule_without_responders_is_refused(tmp_path: Path):
    def change(d: dict[str, Any]) -> None:
        level2 = next(s for s in d["stages"] if s["id"] == "level2")
        level2["reply"] = {"from": "all", "source": CITE}

    assert any(
        "stage 'level2' has a joint 'reply' rule but no 'responders'" in m for m in problems(changed(tmp_path, change))
    )


def test_the_example_has_no_load_problems():
    assert problems(DATA) == []


# --- verify -------------------------------------------------------------------------------------


def test_verify_warns_of_the_ambiguous_rule_with_the_reading_route_and_clause():
    proc = load_procedure(DATA)
    [f] = found(proc, "JOINT_REPLY_AMBIGUOUS")
    assert f.severity == "warning" and f.stages == ("level1",) and f.route == ("raise", "level1")
    assert (
        "the source's words for who replies, “The Social Worker / Team Manager are to respond”, can be read"
        in f.message
    )
    assert "as a reply due from each of the social worker and the team manager or from any one of them" in f.message
    assert "The file takes a reply from any one of them — read as one reply from either of them" in f.message
    assert f.source is not None and f.source["ref"] == "2.3"
    assert found(proc, "NO_RESPONDER") == []


def test_verify_describes_the_joint_reply():
    [f] = found(load_procedure(DATA), "JOINT_REPLY")
    assert f.severity == "info"
    assert f.message == (
        "Level 1 — social worker / team manager: the reply is owed jointly by the social worker and the team "
        "manager, due from any one of them, within 1 working day; time is spent on it by all of them."
    )


def test_a_joint_reply_with_no_rule_for_who_replies_is_a_gap(tmp_path: Path):
    note = "Section 2.3 does not say whether one of them or both reply."
    proc = load_procedure(changed(tmp_path, lambda d: level1(d).update(reply={"unspecified": note})))
    [f] = found(proc, "JOINT_REPLY_UNSPECIFIED")
    assert f.severity == "gap" and f.route == ("raise", "level1")
    assert "asks the social worker and the team manager to reply" in f.message
    assert f.message.endswith(f"The source is silent: {note}")
    assert found(proc, "JOINT_REPLY_AMBIGUOUS") == []
    assert f.source is not None and f.source["ref"] == "2.3"  # the stage's citation


@pytest.mark.parametrize(("days", "conflict"), [(3, True), (1, False)])
def test_under_all_a_responders_later_deadline_conflicts_with_the_stages(tmp_path: Path, days: int, conflict: bool):
    def change(d: dict[str, Any]) -> None:
        level1(d)["reply"]["from"] = "all"
        level1(d)["responders"][1]["deadline"] = own_deadline(days)

    got = found(load_procedure(changed(tmp_path, change)), "JOINT_DEADLINES_CONFLICT")
    assert bool(got) is conflict
    if conflict:
        assert got[0].severity == "violation" and got[0].route == ("raise", "level1")
        assert "the team manager has 3 working days" in got[0].message
        assert "the joint reply is not complete by the stage's deadline" in got[0].message


@pytest.mark.parametrize(("days", "conflict"), [((2, 3), True), ((1, 3), False)])
def test_under_any_a_conflict_is_every_responder_given_longer(tmp_path: Path, days: tuple[int, int], conflict: bool):
    def change(d: dict[str, Any]) -> None:
        for r, n in zip(level1(d)["responders"], days, strict=True):
            r["deadline"] = own_deadline(n)

    got = found(load_procedure(changed(tmp_path, change)), "JOINT_DEADLINES_CONFLICT")
    assert bool(got) is conflict
    if conflict:
        assert "every one of them is given longer (the social worker within 2 working days" in got[0].message


def test_under_all_a_responder_with_no_deadline_leaves_the_joint_reply_unbounded(tmp_path: Path):
    def change(d: dict[str, Any]) -> None:
        level1(d)["reply"]["from"] = "all"
        level1(d)["responders"][1]["deadline"] = own_deadline(None)

    [f] = found(load_procedure(changed(tmp_path, change)), "JOINT_DEADLINE_UNSPECIFIED")
    assert f.severity == "gap" and "gives the team manager no deadline" in f.message


def test_a_joint_reply_no_route_reaches_is_not_reported(tmp_path: Path):
    def change(d: dict[str, Any]) -> None:
        d["transitions"] = [t for t in d["transitions"] if t["to"] != "level1"]
        d["transitions"].insert(0, {**d["transitions"][0], "from": "raise", "to": "level2", "on": "raised"})
        d["targets"] = []

    proc = load_procedure(changed(tmp_path, change))
    assert [f for f in verify_procedure(proc) if f.code.startswith("JOINT")] == []


# --- the engines refuse it ----------------------------------------------------------------------

SCENARIO = """\
id: t
title: T
calendar: {start: 2026-01-05, horizon: 40}
arrivals: {kind: poisson, rate: 1}
procedures:
  - procedure: p.yaml
    behaviour:
      stages:
        level1: {reply_time: {dist: fixed, value: 0.5}}
        level2: {reply_time: {dist: fixed, value: 0.5}, p_satisfied: 1}
"""


def test_a_scenario_whose_procedure_has_a_joint_reply_with_no_rule_is_refused_saying_what_to_write(tmp_path: Path):
    def silent(d: dict[str, Any]) -> None:
        level1(d)["reply"] = {"unspecified": "Section 2.3 does not say whether one of them or both reply."}

    changed(tmp_path, lambda d: None)
    (tmp_path / "s.yaml").write_text(SCENARIO, encoding="utf-8")
    assert [m for m in map(str, check_scenario_file(tmp_path / "s.yaml")) if "jointly" in m] == []  # from: any
    changed(tmp_path, silent)
    messages = [str(p) for p in check_scenario_file(tmp_path / "s.yaml")]
    [joint] = [m for m in messages if "jointly" in m]
    assert "level1: the reply is owed jointly by the social worker and the team manager (from all or any" in joint
    assert "cannot choose between a reply from all of them and a reply from any one" in joint
    assert "'reply: {from: all}' or 'reply: {from: any}'" in joint


def test_the_scenario_loads_once_the_copy_names_one_responder(tmp_path: Path):
    def one(d: dict[str, Any]) -> None:
        s = level1(d)
        del s["responders"], s["reply"]
        s["responder"] = "social_worker"

    changed(tmp_path, one)
    (tmp_path / "s.yaml").write_text(SCENARIO, encoding="utf-8")
    assert [m for m in map(str, check_scenario_file(tmp_path / "s.yaml")) if "jointly" in m] == []


def _silent(d: dict[str, Any]) -> None:
    level1(d)["reply"] = {"unspecified": "Section 2.3 does not say whether one of them or both reply."}


def test_the_exact_analysis_times_a_joint_reply_and_refuses_one_with_no_rule(tmp_path: Path):
    proc = load_procedure(DATA)
    assert untimed_by_engines(proc) == []  # timed: the earliest reply, as 'from: any' says
    assert analyse(proc, Behaviour(), sensitivity=False).targets
    silent = load_procedure(changed(tmp_path, _silent))
    with pytest.raises(BehaviourError, match="owed jointly by the social worker and the team manager"):
        analyse(silent, Behaviour(), sensitivity=False)


def test_analyse_on_the_procedure_file_refuses_one_with_no_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    from cpsim.cli import main

    assert main(["analyse", "--procedure", str(changed(tmp_path, _silent))]) == 1
    err = capsys.readouterr().err
    assert "owed jointly" in err and "Traceback" not in err


# --- the schema editors use ---------------------------------------------------------------------


def test_the_schema_accepts_the_example_and_completes_the_new_keys():
    schema = procedure_schema()
    data = json.loads(json.dumps(yaml.load(DATA.read_text(encoding="utf-8")), default=str))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []
    stage = schema["$defs"]["Stage"]["properties"]
    assert "instead of 'responder'" in stage["responders"]["description"]
    defs = schema["$defs"]
    assert set(defs["Responder"]["properties"]) == {"role", "spends_time", "deadline", "note", "source"}
    from_ = defs["JointReply"]["properties"]["from"]
    assert "all" in json.dumps(from_) and "any" in json.dumps(from_) and "description" in from_
    data["stages"][1]["reply"]["from"] = "both"
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data))


def test_a_provisional_reply_rule_and_own_deadline_are_reported(tmp_path: Path):
    def change(d: dict[str, Any]) -> None:
        level1(d)["reply"]["provisional"] = "The partnership is reviewing who replies at Level 1."
        level1(d)["responders"][1]["deadline"] = {**own_deadline(1), "provisional": CITE}

    got = [f.message for f in found(load_procedure(changed(tmp_path, change)), "PROVISIONAL_RULE")]
    assert any(m.startswith("The joint reply rule at Level 1") and "reviewing who replies" in m for m in got), got
    assert any(m.startswith("The team manager's own deadline at Level 1") and "“are to respond”" in m for m in got)


@pytest.mark.parametrize(
    ("rule", "own", "days"),
    [("any", (None, None), 1.0), ("all", (None, 3), 3.0), ("any", (2, 3), 2.0), ("all", (None, "unspecified"), None)],
)
def test_the_joint_reply_takes_the_latest_deadline_under_all_and_the_earliest_under_any(
    tmp_path: Path, rule: str, own: tuple[Any, Any], days: float | None
):
    def change(d: dict[str, Any]) -> None:
        level1(d)["reply"]["from"] = rule
        for r, n in zip(level1(d)["responders"], own, strict=True):
            if n is not None:
                r["deadline"] = own_deadline(None if n == "unspecified" else n)

    proc = load_procedure(changed(tmp_path, change))
    assert reply_days_at_most(proc.stage("level1")) == days
    assert reply_days_at_most(proc.stage("level2")) == 2.0


def test_the_repliers_mid_sentence():
    proc = load_procedure(DATA)
    assert the_repliers(proc, proc.stage("level1")) == "the social worker or the team manager"
    assert the_repliers(proc, proc.stage("level2")) == "the social worker's service manager"


def test_show_json_lists_a_joint_rungs_responders_and_rule_and_only_there(capsys: pytest.CaptureFixture[str]):
    from cpsim.cli import main

    assert main(["show", "--json", str(DATA)]) == 0
    rungs = json.loads(capsys.readouterr().out)["ladder"]
    assert rungs[0]["responders"] == ["Social worker", "Team manager"] and rungs[0]["reply"] == "any"
    assert "responders" not in rungs[1] and "reply" not in rungs[1]


def test_the_catalogue_names_the_responders_and_lists_the_ambiguous_rule_in_the_files_words():
    from cpsim.reports.documents.catalogue import silences

    proc = load_procedure(DATA)
    [joint] = [x for x in silences(proc) if x.what.startswith("who replies")]
    assert joint.what == "who replies (ambiguous, read as a reply from any one of them)"
    assert joint.note.startswith("as written “The Social Worker / Team Manager are to respond”; read as one reply")
    assert joint.source.ref == "2.3"


def test_findings_about_a_joint_rung_name_its_responders(tmp_path: Path):
    [missing] = [f for f in found(load_procedure(DATA), "UNSPECIFIED_OUTCOME") if f.stages == ("level1",)]
    assert "(the social worker or the team manager replying)" in missing.message

    def open_send(d: dict[str, Any]) -> None:
        level1(d)["send"] = {"unspecified": "The source does not say how soon the chair raises it."}

    [send] = found(load_procedure(changed(tmp_path, open_send)), "SEND_UNSPECIFIED")
    assert "send the request to the social worker or the team manager;" in send.message
