"""The compiled transition table takes exactly the transitions the `transitions` Machine takes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cpsim.model import shipped_procedure_paths
from cpsim.model.behaviour import Behaviour
from cpsim.model.procedure.load import load_procedure
from cpsim.model.procedure.machine import run_outcomes
from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
from cpsim.model.types import OUTCOMES
from cpsim.simulate.engine.table import compile_route, walk
from tests.strategies import procedures

SHIPPED = [load_procedure(p) for p in shipped_procedure_paths()]
BASELINE = load_scenario(SCENARIOS_DIR / "redcar-baseline.yaml")


def _outcomes(proc) -> list[str]:
    return sorted({t.on for t in proc.transitions} | set(OUTCOMES))


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_table_walk_equals_machine_on_shipped_procedures(data) -> None:
    proc = data.draw(st.sampled_from(SHIPPED))
    seq = data.draw(st.lists(st.sampled_from(_outcomes(proc)), max_size=12))
    table = compile_route(proc, Behaviour())
    assert walk(table, seq) == run_outcomes(proc, seq)


@settings(max_examples=200, deadline=None)
@given(proc=procedures(), data=st.data())
def test_table_walk_equals_machine_on_random_procedures(proc, data) -> None:
    seq = data.draw(st.lists(st.sampled_from(_outcomes(proc)), max_size=15))
    assert walk(compile_route(proc, Behaviour()), seq) == run_outcomes(proc, seq)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_table_with_assumed_routes_equals_machine_on_the_effective_procedure(data) -> None:
    route = data.draw(st.sampled_from(BASELINE.routes))
    table = compile_route(route.procedure, route.behaviour)
    seq = data.draw(st.lists(st.sampled_from(_outcomes(route.effective)), max_size=12))
    assert walk(table, seq) == run_outcomes(route.effective, seq)
