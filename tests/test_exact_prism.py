"""The PRISM export, checked by stormpy, gives the same time-bounded probabilities as the exact analysis."""

from __future__ import annotations

from pathlib import Path

import pytest
import stormpy
from hypothesis import HealthCheck, given, settings

from cpsim.model import load_procedure, shipped_procedure_paths
from cpsim.model.behaviour import Behaviour
from cpsim.model.types import StageKind
from cpsim.reports.exports.prism import ExportError, to_prism, within_property
from cpsim.verify.exact.analysis import analyse
from tests.exact_ladders import ladders

DAYS = (0, 1, 2, 3, 5, 8, 13)


def _storm(text: str, tmp: Path, days=DAYS) -> list[float]:
    path = tmp / "model.prism"
    path.write_text(text, encoding="utf-8")
    program = stormpy.parse_prism_program(str(path))
    props = stormpy.parse_properties(";".join(within_property(k) for k in days), program)
    model = stormpy.build_model(program, props)
    init = model.initial_states[0]
    return [stormpy.model_checking(model, p).get_value(init) for p in props]


def discrete_behaviour(proc) -> Behaviour:
    """A discrete behaviour for any shipped procedure: every choice equally likely, replies in 0-4 days."""
    stages = {}
    for i, s in enumerate(proc.stages):
        outs = sorted({t.on for t in proc.transitions_from(s.id)})
        if s.kind is StageKind.REQUEST:
            values = [(i + k) % 5 for k in range(3)]
            stages[s.id] = {
                "reply_time": {"dist": "discrete", "values": values, "probs": [0.5, 0.3, 0.2]},
                "p_satisfied": 0.6,
                "p_no_reply": 0.1 if "no-reply" in outs else 0.0,
            }
        elif s.kind is not StageKind.TERMINAL and len(outs) > 1:
            stages[s.id] = {"choices": {o: 1 / len(outs) for o in outs}, "stay_time": {"dist": "fixed", "value": 1}}
    return Behaviour.model_validate({"stages": stages})


@pytest.mark.parametrize("path", shipped_procedure_paths(), ids=lambda p: p.stem)
def test_stormpy_reachability_within_k_days_equals_exact_analysis_on_shipped_procedures(path, tmp_path):
    proc = load_procedure(path)
    beh = discrete_behaviour(proc)
    a = analyse(proc, beh, horizon=30, sensitivity=False)
    checked = _storm(to_prism(proc, beh, horizon=30), tmp_path)
    for k, p in zip(DAYS, checked, strict=True):
        assert abs(p - a.within(k)) <= 1e-9, (k, p, a.within(k))


@settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ladders())
def test_stormpy_reachability_within_k_days_equals_exact_analysis_on_random_ladders(tmp_path, case):
    proc, beh = case
    a = analyse(proc, beh, horizon=30, sensitivity=False)
    checked = _storm(to_prism(proc, beh, horizon=30), tmp_path)
    for k, p in zip(DAYS, checked, strict=True):
        assert abs(p - a.within(k)) <= 1e-9, (k, p, a.within(k))


def test_prism_export_refuses_continuous_reply_times():
    proc = load_procedure(next(p for p in shipped_procedure_paths() if p.stem == "redcar-external"))
    beh = Behaviour.model_validate({"stages": {"level1": {"reply_time": {"dist": "exponential", "mean": 1}}}})
    with pytest.raises(ExportError, match="level1"):
        to_prism(proc, beh)


def test_prism_export_refuses_times_that_are_not_whole_steps():
    proc = load_procedure(next(p for p in shipped_procedure_paths() if p.stem == "redcar-external"))
    beh = Behaviour.model_validate({"stages": {"level1": {"reply_time": {"dist": "fixed", "value": 0.5}}}})
    with pytest.raises(ExportError, match="whole number"):
        to_prism(proc, beh)
    assert "t<=1" in within_property(1)
    assert to_prism(proc, beh, step=0.5).startswith("dtmc")
