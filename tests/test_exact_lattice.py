"""Which lattice the exact analysis works on, and that every number it reports holds for times off any common tick."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from cpsim.model.behaviour import Behaviour
from cpsim.model.procedure.classes import Procedure
from cpsim.verify.exact.analysis import QUANTILES, analyse
from cpsim.verify.exact.results import Analysis
from tests.exact_ladders import ladder_data

V1 = 0.123456789
V2 = math.sqrt(3)


def _one_rung(deadline: int | None = 3) -> Procedure:
    return Procedure.model_validate(
        ladder_data([{"deadline": deadline, "unsatisfied": "closed", "no_reply": "closed"}])
    )


def _reply(reply_time: dict[str, Any], **level1: Any) -> Behaviour:
    return Behaviour.model_validate({"stages": {"l1": {"reply_time": reply_time, **level1}}})


def _atoms_cdf(atoms: list[tuple[float, float]]) -> Callable[[float], float]:
    return lambda x: sum(p for v, p in atoms if v <= x)


def _quantile(atoms: list[tuple[float, float]], q: float) -> float:
    return next(v for v in sorted(a for a, _ in atoms) if _atoms_cdf(atoms)(v) >= q - 1e-12)


def _assert_stands_behind(a: Analysis, atoms: list[tuple[float, float]]) -> None:
    """Every probability, quantile and the mean lie within the analysis' own stated bounds of the true ones."""
    cdf = _atoms_cdf(atoms)
    mean = sum(v * p for v, p in atoms)
    if a.method == "exact":
        assert a.error_bound == 0 and a.mean_error == 0
    else:
        assert a.method == "grid" and a.error_bound > 0
    xs = sorted({*np.arange(0, a.horizon, a.tick / 3), *(v + d for v, _ in atoms for d in (-1e-7, 0, 1e-7))})
    for x in (x for x in xs if 0 <= x <= a.horizon):
        assert abs(a.within(x) - cdf(x)) <= a.cdf.error(x) + 1e-12, x
    assert a.mean_days is not None and abs(a.mean_days - mean) <= a.mean_error + 1e-12, (a.mean_days, a.mean_error)
    for q in QUANTILES:
        bounds = a.quantiles[f"{q:g}"]
        assert bounds is not None and bounds[0] <= _quantile(atoms, q) <= bounds[1], (q, bounds)


def test_fixed_time_with_no_common_tick_uses_the_grid_with_a_stated_error_bound() -> None:
    a = analyse(_one_rung(), _reply({"dist": "fixed", "value": V1}), horizon=10, sensitivity=False)
    assert a.method == "grid" and 0 < a.mean_error <= a.tick
    _assert_stands_behind(a, [(V1, 1.0)])


def test_discrete_times_with_no_common_tick_use_the_grid_with_a_stated_error_bound() -> None:
    beh = _reply({"dist": "discrete", "values": [V1, V2], "probs": [0.6, 0.4]}, p_satisfied=0.7)
    a = analyse(_one_rung(), beh, horizon=10, sensitivity=False)
    assert a.method == "grid"
    _assert_stands_behind(a, [(V1, 0.6), (V2, 0.4)])
    assert math.isclose(a.terminals["resolved"], 0.7) and math.isclose(a.target("t").p_within, 1.0)


def test_reply_off_the_tick_racing_a_whole_day_deadline_keeps_exact_outcome_probabilities() -> None:
    # the later reply (at 4.567... days) comes after the 3-day deadline: those cases close at 3 days
    beh = _reply({"dist": "discrete", "values": [V1, 4.567891], "probs": [0.25, 0.75]}, p_satisfied=1)
    a = analyse(_one_rung(3), beh, horizon=10, sensitivity=False)
    assert math.isclose(a.terminals["resolved"], 0.25) and math.isclose(a.terminals["closed"], 0.75)
    _assert_stands_behind(a, [(V1, 0.25), (3.0, 0.75)])


def test_cases_resolved_after_the_horizon_widen_the_stated_error_of_the_mean() -> None:
    # half the cases end just after the 10-day horizon; the mean is over those resolved within it (all at V1)
    beh = _reply({"dist": "discrete", "values": [V1, 10.0001], "probs": [0.5, 0.5]})
    a = analyse(_one_rung(None), beh, horizon=10, sensitivity=False)
    assert a.method == "grid" and a.mean_days is not None
    assert abs(a.mean_days - V1) <= a.mean_error


def test_times_that_are_all_zero_stay_exact_on_a_one_day_tick() -> None:
    a = analyse(_one_rung(None), _reply({"dist": "fixed", "value": 0}), horizon=10, sensitivity=False)
    assert (a.method, a.tick, a.mean_days) == ("exact", 1.0, 0.0)
    _assert_stands_behind(a, [(0.0, 1.0)])


def test_times_on_a_common_tick_stay_exact() -> None:
    beh = _reply({"dist": "discrete", "values": [0.25, 1.5], "probs": [0.5, 0.5]})
    a = analyse(_one_rung(), beh, horizon=10, sensitivity=False)
    assert (a.method, a.tick) == ("exact", 0.25)
    _assert_stands_behind(a, [(0.25, 0.5), (1.5, 0.5)])


def test_a_quantile_bound_beyond_the_horizon_is_null_in_json() -> None:
    """JSON has no infinity: an upper bound past the horizon is written as null, and the file is strict JSON."""
    import json

    reply = _reply({"dist": "discrete", "values": [0.5, 5.0000001], "probs": [0.4, 0.6]})
    a = analyse(_one_rung(deadline=None), reply, horizon=5, sensitivity=False)
    assert a.quantiles["0.5"] == (5.0, math.inf)
    data = json.loads(json.dumps(a.as_dict(), allow_nan=False))
    assert data["quantiles"]["0.5"] == [5.0, None]


def test_a_target_longer_than_the_horizon_is_refused_by_name() -> None:
    """The analysis does not judge a 5-day target on cases followed for 2 days."""
    import pytest

    from cpsim.verify.exact.steps import BehaviourError

    with pytest.raises(BehaviourError, match="longer than the analysis horizon of 2 working days"):
        analyse(_one_rung(), _reply({"dist": "fixed", "value": 1}), horizon=2, sensitivity=False)
