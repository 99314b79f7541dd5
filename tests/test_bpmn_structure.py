"""What a modeller expects of the BPMN export, read back from the XML of every shipped procedure."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cpsim.model import load_procedure, shipped_procedure_paths
from cpsim.model.procedure import Duration, Procedure
from cpsim.reports.exports.bpmn import NS, bpmn_graph, condition, iso_duration, to_bpmn
from cpsim.reports.exports.bpmn.text import task_size, text_width, wrap
from tests.browser import ROOT

PROCS = shipped_procedure_paths() + sorted((ROOT / "scenarios" / "procedures").glob("*.yaml"))
B = f"{{{NS['bpmn']}}}"
ISO = re.compile(r"P(?:\d+(?:\.\d+)?[YMWD])+|PT\d+(?:\.\d+)?[HMS]")


@pytest.fixture(params=PROCS, ids=[p.stem for p in PROCS])
def proc(request: pytest.FixtureRequest) -> Procedure:
    return load_procedure(request.param)


_XML: dict[str, str] = {}


def process(proc: Procedure) -> ET.Element:
    """The exported process element (each shipped procedure is exported once per test run)."""
    if proc.id not in _XML:
        _XML[proc.id] = to_bpmn(proc)
    found = ET.fromstring(_XML[proc.id]).find("bpmn:process", NS)
    assert found is not None
    return found


def nodes(p: ET.Element) -> dict[str, ET.Element]:
    skip = (B + "sequenceFlow", B + "laneSet")
    return {el.get("id", ""): el for el in p if el.tag not in skip}


def test_no_gateway_both_forks_and_joins_and_only_gateways_fork_or_join(proc: Procedure):
    p = process(proc)
    for nid, el in nodes(p).items():
        ins, outs = len(el.findall("bpmn:incoming", NS)), len(el.findall("bpmn:outgoing", NS))
        assert not (ins > 1 and outs > 1), f"{nid} forks and joins"
        if el.tag != B + "exclusiveGateway":
            assert ins <= 1 and outs <= 1, f"{nid} ({el.tag}) has {ins} in and {outs} out"
        else:
            assert ins + outs > 2, f"{nid} is a gateway with one way in and one way out"


def test_start_and_end_events_say_what_starts_and_ends_the_procedure(proc: Procedure):
    p = process(proc)
    (start,) = p.findall("bpmn:startEvent", NS)
    assert start.get("id") == proc.start.id and start.get("name") == proc.start.title
    ends = {el.get("id"): el.get("name") for el in p.findall("bpmn:endEvent", NS)}
    for s in proc.stages:
        if s.is_terminal:
            assert ends[s.id] == s.title
    assert all(ends.values())


def test_every_forking_route_is_named_with_its_outcome_and_carries_it_as_a_condition(proc: Procedure):
    p = process(proc)
    forks = {nid for nid, el in nodes(p).items() if len(el.findall("bpmn:outgoing", NS)) > 1}
    for i, t in enumerate(proc.transitions):
        (flow,) = [f for f in p.findall("bpmn:sequenceFlow", NS) if f.get("id") == f"Flow_{i}"]
        expr = flow.find("bpmn:conditionExpression", NS)
        if flow.get("sourceRef") in forks:
            assert expr is not None and expr.text == condition(t.from_, t.on)
            assert flow.get("name", "").startswith(t.on.replace("-", " "))
        else:
            assert expr is None and flow.get("name") is None  # a lone route is not labelled (bpmnlint)


def test_each_reply_deadline_is_a_timer_on_its_task_with_an_iso_duration_and_the_working_day_wording(proc: Procedure):
    p = process(proc)
    timers = {el.get("attachedToRef"): el for el in p.findall("bpmn:boundaryEvent", NS)}
    timed = {s.id: s for s in proc.stages if s.deadline is not None and s.deadline.is_specified}
    assert set(timers) == set(timed)
    for sid, s in timed.items():
        el = timers[sid]
        assert s.deadline is not None and s.deadline.duration is not None
        duration = el.find("bpmn:timerEventDefinition/bpmn:timeDuration", NS)
        assert duration is not None and ISO.fullmatch(duration.text or "")
        assert duration.text == iso_duration(s.deadline.duration)
        assert s.deadline.label in el.get("name", "")
        doc = el.findtext("bpmn:documentation", "", NS)
        if s.deadline.unit is not None and s.deadline.unit.value == "working-days":
            assert "working day" in el.get("name", "") and "working-day calendar" in doc
        stops = any(t.on == "no-reply" for t in proc.transitions_from(sid))
        assert el.get("cancelActivity") == ("true" if stops else "false")


def test_shipped_deadlines_are_targets_and_named_as_such():
    proc = load_procedure(PROCS[0])  # cheshire-west-chairs-challenge: 3 working days, no no-reply route
    g = bpmn_graph(proc)
    timer = g.node("level1__deadline")
    assert (timer.interrupting, timer.name, timer.duration) == (False, "Reply due within 3 working days", "P3D")
    assert [f.target for f in g.flows if f.source == timer.id] == ["level1__overdue"]


def test_wakefield_dissent_gateways_that_forked_and_joined_now_join_first():
    proc = load_procedure(next(p for p in PROCS if p.stem == "wakefield-conference-dissent"))
    g = bpmn_graph(proc)
    for sid in ("consensus", "decision_made"):
        assert [f.target for f in g.flows if f.source == f"{sid}__join"] == [sid]
        assert sum(f.target == sid for f in g.flows) == 1
    assert g.node("final_powers").tag == "userTask"  # a one-way decision is an act, not a gateway


def test_iso_durations_of_every_unit():
    got = [
        iso_duration(Duration(amount=a, unit=u))  # type: ignore[arg-type]
        for a, u in [
            (5, "working-days"),
            (7.5, "working-hours"),
            (10, "calendar-days"),
            (3, "months"),
            (0, "immediately"),
        ]
    ]
    assert got == ["P5D", "PT7.5H", "P10D", "P3M", "PT0S"]


def test_a_task_is_sized_so_its_wrapped_name_fits_inside_its_padding():
    for name in ["Resolved", "Level 1 — social worker / team manager", "Multi-agency review of the plan " * 3]:
        w, h = task_size(name)
        lines = wrap(name, w - 14)
        assert max(text_width(line) for line in lines) <= w - 14
        assert len(lines) * 14.4 <= h
    assert task_size("x " * 80)[1] > 80  # a long name grows the task downwards once it is as wide as allowed


def test_agency_lanes_still_hold_every_node(tmp_path: Path):
    proc = load_procedure(PROCS[2])
    root = ET.fromstring(to_bpmn(proc, "agency"))
    refs = sorted(r.text or "" for r in root.iter(B + "flowNodeRef"))
    assert refs == sorted(n.id for n in bpmn_graph(proc).nodes)
    assert {lane.get("name") for lane in root.iter(B + "lane")} >= {"Children's Services", "Case ends"}
