"""The exact analysis needs one working-day figure: a deadline or target in a calendar unit is refused by name."""

from __future__ import annotations

import pytest

from cpsim.model.behaviour import Behaviour
from cpsim.model.procedure.classes import Procedure
from cpsim.verify.exact.analysis import analyse
from cpsim.verify.exact.sensitivity import breach_probabilities
from cpsim.verify.exact.steps import BehaviourError
from tests.exact_ladders import ladder_data

BEH = Behaviour.model_validate({"stages": {"l1": {"reply_time": {"dist": "fixed", "value": 1}, "p_satisfied": 1}}})


def _rung(deadline=None, target=None) -> Procedure:
    data = ladder_data([{"deadline": 3, "unsatisfied": "closed", "no_reply": "closed"}])
    if deadline is not None:
        data["stages"][1]["deadline"] = {**deadline, "source": data["stages"][1]["source"]}
    if target is not None:
        data["targets"][0]["within"] = target
    return Procedure.model_validate(data)


@pytest.mark.parametrize(
    "deadline", [{"amount": 1, "unit": "weeks"}, {"unit": "same-day"}, {"amount": 3, "unit": "calendar-days"}]
)
def test_a_reply_deadline_in_a_calendar_unit_is_refused_naming_the_stage_and_unit(deadline):
    with pytest.raises(BehaviourError, match=r"reply deadline at l1 .*no single length in working days.*working days"):
        analyse(_rung(deadline=deadline), BEH, horizon=30)


def test_a_target_in_months_is_refused_naming_the_target():
    proc = _rung(target={"amount": 1, "unit": "months"})
    with pytest.raises(BehaviourError, match=r"target .*1 month \(months\)"):
        analyse(proc, BEH, horizon=30)
    with pytest.raises(BehaviourError, match=r"target .*1 month \(months\)"):
        breach_probabilities(proc, BEH, grid=None, horizon=30)


def test_working_days_and_hours_are_still_analysed():
    proc = _rung(deadline={"amount": 15, "unit": "working-hours"})
    assert analyse(proc, BEH, horizon=30).targets
