"""Hand-computable and closed-form answers that the exact analysis must reproduce."""

from __future__ import annotations

import json
import math

import pytest

from cpsim.model.behaviour import Behaviour
from cpsim.model.procedure.classes import Procedure
from cpsim.verify.exact.analysis import analyse
from tests.exact_ladders import ladder_data


def _one_rung(deadline, no_reply="closed") -> Procedure:
    return Procedure.model_validate(
        ladder_data([{"deadline": deadline, "unsatisfied": "closed", "no_reply": no_reply}])
    )


def _beh(**level1) -> Behaviour:
    return Behaviour.model_validate({"stages": {"l1": level1}})


def test_one_rung_with_discrete_replies_gives_the_hand_computed_race():
    # replies at 1, 2 or 4 days (0.5, 0.3, 0.2); deadline 3; 10% never reply; 60% of replies satisfy
    beh = _beh(
        reply_time={"dist": "discrete", "values": [1, 2, 4], "probs": [0.5, 0.3, 0.2]}, p_satisfied=0.6, p_no_reply=0.1
    )
    a = analyse(_one_rung(3), beh, horizon=10)
    assert a.method == "exact" and a.error_bound == 0
    assert math.isclose(a.terminals["resolved"], 0.9 * 0.8 * 0.6)
    assert math.isclose(a.terminals["closed"], 0.9 * 0.8 * 0.4 + 0.1 + 0.9 * 0.2)
    assert math.isclose(a.within(1), 0.9 * 0.5)
    assert math.isclose(a.within(2.5), 0.9 * 0.8)
    assert math.isclose(a.within(3), 1.0)
    assert math.isclose(a.mean_days, 0.9 * (0.5 * 1 + 0.3 * 2) + (0.1 + 0.9 * 0.2) * 3)
    t = a.target("t")
    assert math.isclose(t.p_within, 1.0)


def test_fixed_reply_after_the_deadline_always_takes_the_no_reply_route():
    a = analyse(_one_rung(2), _beh(reply_time={"dist": "fixed", "value": 3}), horizon=10)
    assert a.terminals == {"closed": 1.0, "resolved": 0.0}
    assert a.within(1.9) == 0 and math.isclose(a.within(2), 1.0)


def test_waiting_without_a_no_reply_route_never_ends_for_silent_responders():
    beh = _beh(reply_time={"dist": "fixed", "value": 5}, p_no_reply=0.25)
    a = analyse(_one_rung(2, no_reply=None), beh, horizon=10)
    assert math.isclose(a.p_never_ends, 0.25)
    assert math.isclose(a.within(4.9), 0) and math.isclose(a.within(5), 0.75)
    assert a.never_ends[0].stage == "l1" and a.never_ends[0].outcome is None


def test_bounded_loop_is_unrolled_to_its_max_repeats():
    # no reply loops back to the same rung at most twice; then the no-reply outcome has nowhere to go
    proc = Procedure.model_validate(
        ladder_data([{"deadline": 1, "unsatisfied": "closed", "no_reply": "same", "repeats": 2}])
    )
    a = analyse(proc, _beh(reply_time={"dist": "fixed", "value": 0}, p_no_reply=0.5), horizon=10)
    assert math.isclose(a.p_never_ends, 0.125)
    assert math.isclose(a.within(0), 0.5) and math.isclose(a.within(1), 0.75) and math.isclose(a.within(2), 0.875)


def test_exponential_reply_racing_a_deadline_matches_its_closed_form_within_the_reported_bound():
    beh = _beh(reply_time={"dist": "exponential", "mean": 2}, p_satisfied=0.7)
    a = analyse(_one_rung(3), beh, horizon=10, sensitivity=False)
    assert a.method == "grid" and 0 < a.error_bound < 1e-3
    for x in (0.5, 1, 2, 2.9):
        assert abs(a.within(x) - (1 - math.exp(-x / 2))) <= a.cdf.error(x) + 1e-12
    assert math.isclose(a.within(3), 1.0, abs_tol=1e-12)
    assert math.isclose(a.terminals["resolved"], 0.7 * (1 - math.exp(-1.5)))


def test_two_exponential_rungs_without_deadlines_match_the_hypoexponential_distribution():
    proc = Procedure.model_validate(ladder_data([{"unsatisfied": "next"}, {"unsatisfied": "closed"}]))
    beh = Behaviour.model_validate(
        {
            "stages": {
                "l1": {"reply_time": {"dist": "exponential", "mean": 1}, "p_satisfied": 0},
                "l2": {"reply_time": {"dist": "exponential", "mean": 2}},
            }
        }
    )
    a = analyse(proc, beh, horizon=30, sensitivity=False)
    for x in (0.5, 1, 3, 6):
        exact = 1 - (2 * math.exp(-x / 2) - math.exp(-x))
        assert abs(a.within(x) - exact) <= a.cdf.error(x) + 1e-12
    assert abs(a.mean_days - 3) < 1e-2


def test_sensitivity_of_a_linear_breach_probability_is_its_slope():
    # replies come at once, so only the no-reply route (at 1 day) misses a half-day target: breach = p_no_reply
    beh = _beh(reply_time={"dist": "fixed", "value": 0}, p_no_reply=0.3)
    proc = Procedure.model_validate(
        ladder_data([{"deadline": 1, "unsatisfied": "closed", "no_reply": "closed"}], target_days=None)
    )
    proc = proc.model_copy(update={"targets": (Procedure.model_validate(ladder_data([{}], target_days=1)).targets[0],)})
    a = analyse(proc, beh, horizon=5)
    t = a.target("t")
    assert math.isclose(t.p_breach, 0.0, abs_tol=1e-12)
    short = proc.model_copy(
        update={
            "targets": (
                t_half := proc.targets[0].model_copy(
                    update={"within": proc.targets[0].within.model_copy(update={"amount": 0.5})}
                ),
            )
        }
    )
    b = analyse(short, beh, horizon=5).target(t_half.id)
    assert math.isclose(b.p_breach, 0.3)
    slope = {s.parameter: s.effect for s in b.sensitivity if s.stage == "l1"}
    assert math.isclose(slope["p_no_reply"], 1.0) and math.isclose(slope["p_satisfied"], 0.0, abs_tol=1e-12)


def test_analysis_as_dict_is_json_with_the_documented_keys():
    a = analyse(_one_rung(3), _beh(reply_time={"dist": "fixed", "value": 1}), horizon=10)
    d = json.loads(json.dumps(a.as_dict()))
    assert set(d) >= {
        "procedure",
        "method",
        "error_bound",
        "p_resolved",
        "quantiles",
        "stage_reach",
        "targets",
        "cdf_by_day",
    }
    assert set(d["targets"][0]) >= {"target", "p_within", "p_breach", "error", "breaching_routes", "sensitivity"}


def test_a_stage_with_several_ways_out_and_no_choices_is_refused_by_name():
    from cpsim.model import load_procedure, shipped_procedure_paths
    from cpsim.verify.exact.steps import BehaviourError

    proc = load_procedure(next(p for p in shipped_procedure_paths() if p.stem == "redcar-internal"))
    with pytest.raises(BehaviourError, match="'raise'.*choices"):
        analyse(proc, Behaviour(), horizon=5)
