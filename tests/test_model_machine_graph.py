"""The state machine and the escalation graph are two views of one procedure and must agree."""

from __future__ import annotations

import functools

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from transitions import MachineError

from cpsim.model import OUTCOMES, Case, load_procedure, shipped_procedure_paths, to_graph, to_machine
from cpsim.model.procedure.graph import step
from cpsim.model.procedure.machine import fire

PATHS = shipped_procedure_paths()


def all_outcomes(proc) -> list[str]:
    declared = {o for s in proc.stages for o in (s.outcomes or ())}
    return sorted(set(OUTCOMES) | declared)


@functools.cache
def compiled(path):
    proc = load_procedure(path)
    case = Case()
    return proc, to_graph(proc), to_machine(proc, case), case, all_outcomes(proc)


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_walking_the_graph_and_triggering_the_machine_land_in_the_same_stage(path, data):
    proc, graph, machine, case, outcomes_known = compiled(path)
    machine.set_state(proc.start.id, model=case)
    outcomes = data.draw(st.lists(st.sampled_from(outcomes_known), max_size=12))
    here = proc.start.id
    for outcome in outcomes:
        nxt = step(graph, here, outcome)
        if nxt is None:
            with pytest.raises(MachineError):
                fire(machine, case, outcome)
            assert case.state == here
            break
        assert fire(machine, case, outcome) == nxt
        here = nxt
        assert case.state == here


def test_machine_has_no_hidden_auto_transitions(shipped):
    proc = shipped["redcar-internal"]
    machine = to_machine(proc)
    assert not any(name.startswith("to_") for name in machine.events)
    assert machine.get_triggers("resolved") == []


def test_graph_carries_stage_and_transition_attributes(shipped):
    proc = shipped["redcar-internal"]
    g = to_graph(proc)
    assert isinstance(g, nx.MultiDiGraph)
    assert g.nodes["level1"]["responder"] == "social_worker_or_team_manager"
    assert g.nodes["level1"]["deadline"].amount == 1
    assert g.nodes["level3"]["deadline_unspecified"] is True
    edge = g.get_edge_data("level1", "level2", key="unsatisfied")
    assert edge["transition"].source.ref == "2.4"
    assert g.number_of_edges() == len(proc.transitions)
    assert set(g.nodes) == {s.id for s in proc.stages}


def test_skip_routes_are_marked_on_graph_edges(shipped):
    g = to_graph(shipped["redcar-internal"])
    skips = {(u, v) for u, v, d in g.edges(data=True) if d["skip"]}
    assert ("immediate_choice", "level3") in skips
    assert ("level1", "level2") not in skips
