"""SpiffWorkflow runs the exported BPMN: every ending is reached along its shortest route, and timers behave.

Conditions read ``outcomes`` (stage id to outcome), which a runner's forms would fill in; here the
route's outcomes are given when the case starts. SpiffWorkflow evaluates a timer's duration as a
Python expression, while modellers (and bpmn.io) write the ISO literal ``P3D``; the engine below
hands the literal through, or a zero duration to make the timer fire at once.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser import BpmnParser
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.util.task import TaskState

from cpsim.model import load_procedure, shipped_procedure_paths
from cpsim.model.procedure import Citation, Procedure, Transition
from cpsim.reports.exports.bpmn import PROCESS_ID, bpmn_graph, to_bpmn
from tests.browser import ROOT

PROCS = shipped_procedure_paths() + sorted((ROOT / "scenarios" / "procedures").glob("*.yaml"))
ISO = re.compile(r"P(?:\d+(?:\.\d+)?[YMWD])*(?:T(?:\d+(?:\.\d+)?[HMS])+)?")


class Engine(PythonScriptEngine):  # type: ignore[misc]
    """Python conditions as usual; an ISO 8601 duration literal as itself, or as PT0S when ``fire``."""

    def __init__(self, fire: bool = False) -> None:
        super().__init__()
        self.fire = fire

    def evaluate(self, task: Any, expression: str, external_context: Any = None) -> Any:
        if ISO.fullmatch(expression.strip()):
            return "PT0S" if self.fire else expression.strip()
        return super().evaluate(task, expression, external_context)


def workflow(proc: Procedure, tmp_path: Path, fire: bool = False) -> BpmnWorkflow:
    path = tmp_path / f"{proc.id}.bpmn"
    path.write_text(to_bpmn(proc), encoding="utf-8")
    parser = BpmnParser()
    parser.add_bpmn_file(str(path))
    return BpmnWorkflow(parser.get_spec(PROCESS_ID), script_engine=Engine(fire))


def start(wf: BpmnWorkflow, outcomes: dict[str, str]) -> None:
    for task in wf.get_tasks(state=TaskState.READY):
        task.data["outcomes"] = dict(outcomes)
    wf.do_engine_steps()


def run_user_tasks(wf: BpmnWorkflow, limit: int = 100) -> list[str]:
    done = []
    for _ in range(limit):
        ready = wf.get_tasks(state=TaskState.READY, manual=True)
        if not ready:
            break
        done.append(ready[0].task_spec.name)
        ready[0].run()
        wf.do_engine_steps()
    return done


def routes(proc: Procedure) -> list[list[str]]:
    """The shortest route (stage ids) from the start to each ending that can be reached."""
    g = nx.MultiDiGraph([(t.from_, t.to) for t in proc.transitions])
    ends = [s.id for s in proc.stages if s.is_terminal and s.id in g and nx.has_path(g, proc.start.id, s.id)]
    return [nx.shortest_path(g, proc.start.id, e) for e in ends]


def outcome_of(proc: Procedure, a: str, b: str) -> str:
    return next(t.on for t in proc.transitions_from(a) if t.to == b)


@pytest.mark.parametrize("path", PROCS, ids=[p.stem for p in PROCS])
def test_spiffworkflow_runs_each_ending_from_start_to_end_completing_the_user_tasks(path: Path, tmp_path: Path):
    proc = load_procedure(path)
    tags = {n.id: n.tag for n in bpmn_graph(proc).nodes}
    found = routes(proc)
    assert found, "every shipped procedure has an ending the start can reach"
    for route in found:
        wf = workflow(proc, tmp_path)
        start(wf, {a: outcome_of(proc, a, b) for a, b in zip(route, route[1:], strict=False)})
        done = run_user_tasks(wf)
        assert wf.is_completed(), (route, done)
        assert done == [s for s in route if tags[s] == "userTask"]
        ended = [
            t.task_spec.name
            for t in wf.get_tasks(state=TaskState.COMPLETED)
            if tags.get(t.task_spec.name) == "endEvent"
        ]
        assert ended == [route[-1]]


def with_no_reply_route(proc: Procedure, stage: str, to: str) -> Procedure:
    cite = Citation(doc="test", ref="test", quote="no reply")
    extra = Transition.model_validate({"from": stage, "to": to, "on": "no-reply", "source": cite})
    return proc.model_copy(update={"transitions": (*proc.transitions, extra)})


def test_a_timer_interrupts_the_stage_and_takes_the_no_reply_route_when_the_source_gives_one(tmp_path: Path):
    proc = with_no_reply_route(load_procedure(PROCS[2]), "level1", "level2")  # redcar-internal
    assert proc.id == "redcar-internal"
    timer = bpmn_graph(proc).node("level1__deadline")
    assert (timer.interrupting, timer.duration, timer.name) == (True, "P1D", "No reply within 1 working day")
    wf = workflow(proc, tmp_path, fire=True)
    start(wf, {"raise": "raised", "level2": "satisfied"})
    wf.refresh_timers()
    wf.do_engine_steps()
    assert [t.task_spec.name for t in wf.get_tasks(state=TaskState.READY, manual=True)] == ["level2"]
    assert [t.task_spec.name for t in wf.get_tasks(state=TaskState.CANCELLED) if t.task_spec.name == "level1"]
    assert run_user_tasks(wf) == ["level2"] and wf.is_completed()


def test_a_deadline_that_is_only_a_target_fires_without_stopping_the_stage(tmp_path: Path):
    proc = load_procedure(PROCS[2])
    timer = bpmn_graph(proc).node("level1__deadline")
    assert (timer.interrupting, timer.name) == (False, "Reply due within 1 working day")
    wf = workflow(proc, tmp_path, fire=True)
    start(wf, {"raise": "raised", "level1": "satisfied"})
    wf.refresh_timers()
    wf.do_engine_steps()
    names = {t.task_spec.name for t in wf.get_tasks(state=TaskState.COMPLETED)}
    assert "level1__overdue" in names
    assert [t.task_spec.name for t in wf.get_tasks(state=TaskState.READY, manual=True)] == ["level1"]
    assert run_user_tasks(wf) == ["level1"] and wf.is_completed()
