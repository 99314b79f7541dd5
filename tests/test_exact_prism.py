"""The PRISM export, checked by stormpy, gives the same time-bounded probabilities as the exact analysis."""

from __future__ import annotations

from pathlib import Path

import pytest
import stormpy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpsim.model import load_procedure, shipped_procedure_paths
from cpsim.model.behaviour import Behaviour
from cpsim.model.procedure.classes import Procedure
from cpsim.model.types import StageKind
from cpsim.reports.exports.prism import ExportError, target_properties, to_prism, within_property
from cpsim.verify.exact.analysis import analyse
from tests.exact_ladders import CITE, ladder_data, ladders, rung_specs

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


def _storm_targets(text: str, tmp: Path, props: dict[str, tuple[str, str, str]]) -> dict[str, tuple[float, float]]:
    """Per target: P(met) / P(started), and Storm's conditional property, checked on ``text``."""
    path = tmp / "model.prism"
    path.write_text(text, encoding="utf-8")
    program = stormpy.parse_prism_program(str(path))
    out = {}
    for target, (met, started, conditional) in props.items():
        parsed = stormpy.parse_properties(";".join([met, started, conditional]), program)
        model = stormpy.build_model(program, parsed)
        init = model.initial_states[0]
        p_met, p_started = (stormpy.model_checking(model, p).get_value(init) for p in parsed[:2])
        if p_started == 0:  # Storm refuses a condition no case reaches
            out[target] = (0.0, 0.0)
            continue
        out[target] = (p_met / p_started, stormpy.model_checking(model, parsed[2]).get_value(init))
    return out


def _assert_targets_agree(proc, beh, tmp_path) -> None:
    a = analyse(proc, beh, horizon=30, sensitivity=False)
    text = to_prism(proc, beh, horizon=30)
    props = target_properties(proc, beh)
    assert set(props) == {t.id for t in proc.targets}
    for met, started, _ in props.values():
        assert f"//   {met}" in text and f"//   {started}" in text
    for target, (ratio, conditional) in _storm_targets(text, tmp_path, props).items():
        expected = a.target(target).p_within
        assert abs(ratio - expected) <= 1e-9, (target, ratio, expected)
        assert abs(conditional - expected) <= 1e-9, (target, conditional, expected)


@pytest.mark.parametrize("stem", ["redcar-internal", "redcar-external"])
def test_stormpy_gives_each_target_of_a_shipped_procedure_the_figure_analyse_gives(stem, tmp_path):
    proc = load_procedure(next(p for p in shipped_procedure_paths() if p.stem == stem))
    _assert_targets_agree(proc, discrete_behaviour(proc), tmp_path)


def test_a_target_whose_clock_starts_after_the_first_stage_is_not_the_k_day_figure(tmp_path):
    """redcar-internal's clock starts at level 1, which a case reaches after a day's choice, and not always."""
    proc = load_procedure(next(p for p in shipped_procedure_paths() if p.stem == "redcar-internal"))
    beh = discrete_behaviour(proc)
    a = analyse(proc, beh, horizon=30, sensitivity=False)
    target = a.target("five-working-days")
    assert target.p_started < 1 and abs(a.within(5) - target.p_within) > 0.01
    (ratio, _) = _storm_targets(to_prism(proc, beh, horizon=30), tmp_path, target_properties(proc, beh))[
        "five-working-days"
    ]
    assert abs(ratio - target.p_within) <= 1e-9


@st.composite
def ladders_with_targets(draw: st.DrawFn):
    """A random ladder with one to three targets, each from a random rung to a random set of stops."""
    specs = draw(st.lists(rung_specs(), min_size=1, max_size=3))
    data = ladder_data([s for s, _ in specs], target_days=None)
    names = [f"l{i + 1}" for i in range(len(specs))]
    targets = []
    for i in range(draw(st.integers(1, 3))):
        begin = draw(st.sampled_from(["raise", *names]))
        later = names[names.index(begin) + 1 :] if begin in names else names
        stops = draw(st.sampled_from(["any-terminal", ["resolved"], ["closed"], *([[s] for s in later])]))
        targets.append(
            {
                "id": f"target-{i}",
                "title": f"Target {i}",
                "from": begin,
                "to": stops,
                "within": {"amount": draw(st.integers(1, 8)), "unit": "working-days"},
                "source": CITE,
            }
        )
    data["targets"] = targets
    beh = Behaviour.model_validate({"stages": {f"l{i + 1}": b for i, (_, b) in enumerate(specs)}})
    return Procedure.model_validate(data), beh


@settings(max_examples=30, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ladders_with_targets())
def test_stormpy_gives_each_target_of_a_random_ladder_the_figure_analyse_gives(tmp_path, case):
    proc, beh = case
    _assert_targets_agree(proc, beh, tmp_path)
