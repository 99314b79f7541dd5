"""Units on a joint responder's own deadline get the same findings as a stage's deadline, naming the responder.

A request stage with ``responders`` may give one of them its own ``deadline`` (model/procedure/joint.py).
The unit findings of verify/checks/units.py (AMBIGUOUS_UNIT, UNMARKED_AMBIGUITY, UNIT_READING,
MIXED_UNITS) look at that deadline as they look at the stage's own. The example is
tests/data/v2-joint.yaml, whose Level 1 is a reply from the social worker or the team manager.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cpsim.model import load_procedure
from cpsim.verify import check_units
from tests.test_v2_joint import DATA, changed, level1

QUOTE = "are to respond to the Conference Chair within one day upon receipt of the challenge raised"
SOURCE = {"doc": "003_16d9b606cf9f47aa.txt", "ref": "2.3", "quote": QUOTE}


def _own_deadline(tmp_path: Path, deadline: dict[str, Any]) -> list[Any]:
    """check_units on v2-joint.yaml with the team manager given ``deadline`` as their own."""

    def change(data: dict[str, Any]) -> None:
        level1(data)["responders"][1]["deadline"] = deadline | {"source": SOURCE}

    return check_units(load_procedure(changed(tmp_path, change)))


def _naming_team_manager(findings: list[Any], code: str) -> list[Any]:
    return [f for f in findings if f.code == code and "Team manager" in f.message]


def test_the_shipped_example_has_no_finding_naming_a_responder():
    findings = check_units(load_procedure(DATA))
    assert [f for f in findings if "Team manager" in f.message or "Social worker" in f.message] == []


def test_an_ambiguous_unit_on_a_responders_own_deadline_is_listed_with_the_reading_taken(tmp_path):
    findings = _own_deadline(
        tmp_path,
        {
            "amount": 2,
            "unit": "working-days",
            "as_written": "within two days",
            "ambiguous": True,
            "reading": "read as two working days",
        },
    )
    [f] = _naming_team_manager(findings, "AMBIGUOUS_UNIT")
    assert f.severity == "warning" and f.stages == ("level1",)
    assert "“within two days”" in f.message and "read as two working days" in f.message
    assert "Level 1" in f.message
    assert f.source is not None and f.source["quote"] == QUOTE


def test_bare_days_on_a_responders_own_deadline_not_marked_ambiguous_is_reported(tmp_path):
    findings = _own_deadline(tmp_path, {"amount": 2, "unit": "working-days", "as_written": "within 2 days"})
    [f] = _naming_team_manager(findings, "UNMARKED_AMBIGUITY")
    assert f.stages == ("level1",) and "Add 'ambiguous: true'" in f.message
    said_working = _own_deadline(tmp_path, {"amount": 2, "unit": "working-days", "as_written": "2 working days"})
    assert _naming_team_manager(said_working, "UNMARKED_AMBIGUITY") == []


def test_a_calendar_unit_on_a_responders_own_deadline_gets_its_reading_and_mixes_units(tmp_path):
    findings = _own_deadline(tmp_path, {"amount": 2, "unit": "calendar-days"})
    [f] = _naming_team_manager(findings, "UNIT_READING")
    assert f.severity == "info" and f.stages == ("level1",) and "2 calendar days" in f.message
    [mixed] = [f for f in findings if f.code == "MIXED_UNITS"]
    assert "calendar days for the reply deadline of Team manager at Level 1" in mixed.message
