"""Two clocks on a rung, meetings of several roles, duties alongside the route and the joins that wait for them.

Each rule of verify/checks/parallel.py and of the timing it feeds has a test named for it, on the
invented procedure tests/data/v2-meeting.yaml (a rung with a time to send, a meeting, a duty that
the meeting waits for) or a change to it; each test fails if the rule is dropped.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from cpsim.model import describe, load_procedure
from cpsim.model.procedure.classes import Procedure
from cpsim.model.procedure.parallel import untimed_by_engines
from cpsim.model.scenario.classes import check_scenario_file
from cpsim.reports.flowchart.layout import box_lines
from cpsim.verify import verify_procedure

DATA = Path(__file__).parent / "data" / "v2-meeting.yaml"
yaml = YAML(typ="safe")


def changed(tmp_path: Path, change: Callable[[dict[str, Any]], None], name: str = "p.yaml") -> Path:
    data = yaml.load(DATA.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / name
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    return path


def stage(data: dict[str, Any], sid: str) -> dict[str, Any]:
    return next(s for s in data["stages"] if s["id"] == sid)


def found(proc: Procedure, code: str) -> list[Any]:
    return [f for f in verify_procedure(proc) if f.code == code]


def bounds_message(proc: Procedure) -> str:
    [f] = found(proc, "TARGET_BOUNDS")
    return f.message


def test_the_invented_procedure_meets_its_target_with_both_clocks_the_meeting_and_the_wait():
    """2 (stage 1) + 1 to send + 3 to reply (stage 2) + 2 waiting for the summary + 5 for the meeting = 13."""
    proc = load_procedure(DATA)
    assert "the slowest timed route takes 13 working days" in bounds_message(proc)
    assert not [f for f in verify_procedure(proc) if f.severity in ("violation", "warning")]


def test_send_clock_adds_to_the_reply_deadline(tmp_path: Path):
    def longer_send(d: dict[str, Any]) -> None:
        stage(d, "level2")["send"]["amount"] = 4

    proc = load_procedure(changed(tmp_path, longer_send))
    assert "the slowest timed route takes 16 working days" in bounds_message(proc)
    worst = found(proc, "TARGET_EXCEEDED")[0]
    assert "can take 16 working days, 1 working day over" in worst.message


def test_send_unspecified_is_a_gap_and_leaves_the_rung_unbounded(tmp_path: Path):
    def silent(d: dict[str, Any]) -> None:
        stage(d, "level2")["send"] = {"unspecified": "The procedure does not say how soon the chair sends it."}

    proc = load_procedure(changed(tmp_path, silent))
    [gap] = found(proc, "SEND_UNSPECIFIED")
    assert gap.severity == "gap" and gap.stages == ("level2",)
    assert "no time for the conference chair to send the request to the line manager" in gap.message
    messages = [f.message for f in found(proc, "TARGET_NOT_GUARANTEED")]
    assert any("the conference chair has no time limit to send the request to the line manager" in m for m in messages)
    assert "no upper bound" in bounds_message(proc)


def test_no_reply_waits_out_the_reply_deadline_but_not_the_time_to_send():
    """The least time of a no-reply outcome is the reply deadline; sending may be instant."""
    from cpsim.verify.checks.timing import step

    proc = load_procedure(DATA)
    t = next(t for t in proc.transitions if (t.from_, t.on) == ("level2", "unsatisfied"))
    s = step(proc, t)
    assert (s.stay_lo, s.stay_hi) == (0.0, 4.0)


def test_meeting_time_bounds_the_stage(tmp_path: Path):
    def slower(d: dict[str, Any]) -> None:
        stage(d, "stage3")["meeting"]["within"]["amount"] = 9

    proc = load_procedure(changed(tmp_path, slower))
    assert "the slowest timed route takes 17 working days" in bounds_message(proc)
    assert found(proc, "TARGET_EXCEEDED")


def test_meeting_unspecified_is_a_gap_naming_everyone_who_meets(tmp_path: Path):
    def silent(d: dict[str, Any]) -> None:
        stage(d, "stage3")["meeting"]["within"] = {"unspecified": "No time is given for the meeting."}

    proc = load_procedure(changed(tmp_path, silent))
    [gap] = found(proc, "MEETING_UNSPECIFIED")
    assert "no time is given for the meeting of Head of QA and Head of Service" in gap.message
    assert any("has no time limit for the meeting" in f.message for f in found(proc, "TARGET_NOT_GUARANTEED"))


def test_join_waits_for_its_duty_in_the_target_bounds(tmp_path: Path):
    """The summary starts when stage 2 ends (day 6 at worst); 5 days for it make the meeting wait until day 11."""

    def slow_summary(d: dict[str, Any]) -> None:
        d["duties"][0]["within"]["amount"] = 5

    proc = load_procedure(changed(tmp_path, slow_summary))
    assert "the slowest timed route takes 16 working days" in bounds_message(proc)
    assert found(proc, "TARGET_EXCEEDED")


def test_a_duty_nothing_waits_for_does_not_lengthen_the_route(tmp_path: Path):
    def no_join(d: dict[str, Any]) -> None:
        d["duties"][0]["within"]["amount"] = 50
        del d["duties"][0]["before"]

    proc = load_procedure(changed(tmp_path, no_join))
    assert "the slowest timed route takes 11 working days" in bounds_message(proc)
    [info] = found(proc, "DUTY_OPEN")
    assert "nothing in the file waits for it" in info.message


def test_join_wait_unbounded(tmp_path: Path):
    def silent(d: dict[str, Any]) -> None:
        d["duties"][0]["within"] = {"unspecified": "No time is given for the summary."}

    proc = load_procedure(changed(tmp_path, silent))
    [gap] = found(proc, "JOIN_WAIT_UNBOUNDED")
    assert gap.stages == ("stage3",) and gap.route == ("level2", "stage3")
    assert "nothing bounds the wait" in gap.message
    [duty_gap] = found(proc, "DUTY_UNSPECIFIED")
    assert "No time is given for the summary." in duty_gap.message
    assert any("waits at Stage 3" in f.message for f in found(proc, "TARGET_NOT_GUARANTEED"))


def test_join_unreachable(tmp_path: Path):
    def backwards(d: dict[str, Any]) -> None:
        d["duties"][0]["before"] = ["level1"]

    proc = load_procedure(changed(tmp_path, backwards))
    [f] = found(proc, "JOIN_UNREACHABLE")
    assert f.severity == "warning" and f.stages == ("level2", "level1")
    assert "no route from Stage 2 — line manager reaches it" in f.message


def test_join_bypassed(tmp_path: Path):
    """A skip from stage 1 straight to the meeting reaches it without the summary having been started."""

    def skip(d: dict[str, Any]) -> None:
        stage(d, "level1")["outcomes"] = ["satisfied", "unsatisfied", "urgent"]
        stage(d, "level1")["unspecified"] = {"no-reply": "No reply is not covered."}
        cite = copy.deepcopy(d["transitions"][0]["source"])
        d["transitions"].append({"from": "level1", "to": "stage3", "on": "urgent", "skip": True, "source": cite})

    proc = load_procedure(changed(tmp_path, skip))
    [f] = found(proc, "JOIN_BYPASSED")
    assert f.route == ("raise", "level1", "stage3")
    conditional = proc.model_copy(
        update={"duties": (proc.duties[0].model_copy(update={"when": "the chair judges a summary useful"}),)}
    )
    assert not found(conditional, "JOIN_BYPASSED")


def test_duty_never_starts(tmp_path: Path):
    def orphan(d: dict[str, Any]) -> None:
        d["stages"].append(
            {
                "id": "orphan",
                "kind": "dialogue",
                "title": "Unreached",
                "source": copy.deepcopy(d["stages"][0]["source"]),
            }
        )
        d["duties"][0]["starts"] = "orphan"
        del d["duties"][0]["on"]

    proc = load_procedure(changed(tmp_path, orphan))
    [f] = found(proc, "DUTY_NEVER_STARTS")
    assert f.severity == "warning" and "never arises" in f.message


def test_duty_hands_off():
    proc = load_procedure(Path(__file__).parents[1] / "model" / "procedures" / "wakefield-conference-dissent.yaml")
    [f] = found(proc, "DUTY_HANDS_OFF")
    assert "Resolving Professional Disagreements and Escalation Procedure" in f.message
    assert f.source is not None and f.source["quote"].startswith("In addition")


def test_slack_counts_the_wait_at_a_join():
    """Stage 2's reply at day r is followed by 2 days for the summary and 5 for the meeting: r <= 15 - 7."""
    proc = load_procedure(DATA)
    texts = {f.stages: f.message for f in found(proc, "TARGET_SLACK")}
    assert "must reply by working day 8" in texts[("level2",)]
    assert "must reply by working day 4" in texts[("level1",)]


def test_show_gives_both_clocks_the_meeting_and_the_duty():
    lines = "\n".join(describe(load_procedure(DATA)))
    assert "sends the request within 1 working day" in lines
    assert "then Line manager must reply within 3 working days" in lines
    assert "meets Head of Service within 5 working days" in lines
    assert "Alongside the route: Chair writes a summary" in lines
    assert "Stage 3 — Head of QA meets the Head of Service waits for it (a join)." in lines


def test_flowchart_box_gives_the_time_to_send_and_the_meeting():
    proc = load_procedure(DATA)
    assert box_lines(proc, proc.stage("level2"))[2:] == ("sent within 1 working day", "reply within 3 working days")
    assert box_lines(proc, proc.stage("stage3"))[1:] == ("meets: Head of Service", "meeting within 5 working days")


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
        level2: {reply_time: {dist: fixed, value: 0.5}}
        stage3: {choices: {resolved: 0.5, unresolved: 0.5}}
"""


def test_the_engines_refuse_what_they_cannot_time_saying_what_to_write(tmp_path: Path):
    path = changed(tmp_path, lambda d: None)
    (tmp_path / "s.yaml").write_text(SCENARIO, encoding="utf-8")
    messages = [str(p) for p in check_scenario_file(tmp_path / "s.yaml")]
    assert len(messages) == 3, messages
    assert any("level2: the time to send (within 1 working day) is a second clock" in m for m in messages)
    assert any("stage3: the meeting's time (within 5 working days) is not measured" in m for m in messages)
    assert any("duty 'summary': stage3 wait(s) for it" in m for m in messages)
    assert all("run a copy of the procedure" in m for m in messages)
    assert len(untimed_by_engines(load_procedure(path))) == 3


def test_the_engines_accept_a_time_to_send_the_source_leaves_open(tmp_path: Path):
    """An unspecified time to send is the move into the stage, which the behaviour's move_time gives."""

    def open_clocks(d: dict[str, Any]) -> None:
        stage(d, "level2")["send"] = {"unspecified": "No time is given."}
        stage(d, "stage3")["meeting"]["within"] = {"unspecified": "No time is given."}
        del d["duties"]

    changed(tmp_path, open_clocks)
    (tmp_path / "s.yaml").write_text(SCENARIO, encoding="utf-8")
    assert check_scenario_file(tmp_path / "s.yaml") == []


@pytest.mark.parametrize("sid", ["level1", "raise"])
def test_send_is_refused_on_a_stage_that_sends_nothing(tmp_path: Path, sid: str):
    def misplaced(d: dict[str, Any]) -> None:
        stage(d, sid)["send"] = {"unspecified": "x"}

    if sid == "level1":
        assert load_procedure(changed(tmp_path, misplaced)).stage("level1").send is not None
    else:
        from cpsim.model import check_procedure_file

        [problem] = check_procedure_file(changed(tmp_path, misplaced))
        assert "only a request stage has a time to send" in str(problem)


def test_analyse_on_a_procedure_file_refuses_what_it_cannot_time(capsys: pytest.CaptureFixture[str]):
    from cpsim.cli import main

    assert main(["analyse", "--procedure", str(DATA)]) == 1
    err = capsys.readouterr().err
    assert "level2: the time to send (within 1 working day) is a second clock" in err
    assert "Traceback" not in err


def test_the_ladder_gives_a_rungs_two_clocks_to_every_table_of_rungs():
    from cpsim.model import ladder

    rungs = {r.stage: r for r in ladder(load_procedure(DATA))}
    assert rungs["level2"].deadline == "within 3 working days, once sent (within 1 working day)"
    assert rungs["level2"].send == "within 1 working day" and rungs["level1"].send == ""


def test_diff_reports_a_changed_time_to_send_and_a_removed_duty(tmp_path: Path):
    from cpsim.reports.text.diff import procedure_diff_markdown
    from cpsim.verify.diff import diff_procedures

    def edit(d: dict[str, Any]) -> None:
        stage(d, "level2")["send"]["amount"] = 2
        del d["duties"]

    old, new = load_procedure(DATA), load_procedure(changed(tmp_path, edit))
    d = diff_procedures(old, new)
    assert [(c.kind, c.section, c.key) for c in d.changes] == [
        ("changed", "deadline", "level2"),
        ("removed", "duty", "summary"),
    ]
    assert d.changes[0].summary.startswith("Time to send at level2 (Stage 2 — line manager): within 1 working day")
    text = "\n".join(procedure_diff_markdown(d, old_name="a", new_name="b"))
    assert "### Duties alongside the route" in text
