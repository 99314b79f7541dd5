"""Conference scenario files: how they are recognised, checked (FILE:LINE:COL) and where their timescales come from."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from cpsim.model.conference.load import CONFERENCE_SCENARIOS, check_conference_file, load_conference
from cpsim.model.files.kinds import file_kind
from cpsim.model.scenario.classes import shipped_scenario_paths

ROOT = Path(__file__).resolve().parent.parent
BASE = (
    (ROOT / "scenarios" / "wakefield-conference-baseline.yaml")
    .read_text(encoding="utf-8")
    .replace("procedure: procedures/", f"procedure: {ROOT / 'scenarios' / 'procedures'}/")  # copied elsewhere
)


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("path", sorted(CONFERENCE_SCENARIOS.values()), ids=lambda p: p.stem)
def test_shipped_conference_scenarios_load_and_are_recognised(path: Path) -> None:
    sc = load_conference(path)
    assert file_kind(path) == "conference"
    assert path not in shipped_scenario_paths()  # challenge-scenario commands leave them out
    assert {"icpc", "review", "core-group", "minutes"} <= set(sc.rules)
    assert sc.all_assumptions


@pytest.mark.parametrize("path", sorted(CONFERENCE_SCENARIOS.values()), ids=lambda p: p.stem)
def test_every_check_quotes_its_source(path: Path, seeds: Path) -> None:
    """Each QA check's citation is found, whitespace folded, in the document it names."""
    for check in load_conference(path).spec.checks:
        assert check.source is not None
        assert _fold(check.source.quote) in _fold((seeds / check.source.doc).read_text(encoding="utf-8")), check.id


def test_timescales_come_from_the_life_cycle_and_cite_it() -> None:
    stoke = load_conference(CONFERENCE_SCENARIOS["stoke-conference-baseline"])
    wake = load_conference(CONFERENCE_SCENARIOS["wakefield-conference-baseline"])
    assert stoke.rules["minutes"].within.amount == 10 and not stoke.rules["minutes"].stated
    assert wake.rules["minutes"].within.amount == 15 and "record-circulated" in wake.rules["minutes"].basis
    assert stoke.rules["core-group"].then is not None and stoke.rules["core-group"].then.label == "6 weeks"
    assert wake.rules["core-group"].then is not None and wake.rules["core-group"].then.label == "4 weeks"
    assert (
        stoke.rules["review"].within.label == "3 months" and "004_320570d7d739b6a4.txt" in stoke.rules["review"].basis
    )
    # what the sources leave unspecified is the scenario's stated assumption, shown with the results
    assert stoke.rules["icpc"].stated and wake.rules["review"].stated
    assert any(a.startswith("Reviews held within timescale") for a in wake.all_assumptions)
    assert "plan-circulated" not in stoke.rules and "reconvened" not in wake.rules


def _problems(write: Callable[[str, str], Path], text: str) -> list[str]:
    return [str(p) for p in check_conference_file(write("c.yaml", text))]


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_a_timescale_the_life_cycle_gives_may_not_be_restated(write: Callable[[str, str], Path]) -> None:
    text = BASE.replace(
        "timescales:\n",
        "timescales:\n  minutes:\n    within: {amount: 5, unit: working-days}\n    assumption: faster\n",
    )
    (problem,) = _problems(write, text)
    assert f"c.yaml:{_line(text, '  minutes:')}:3: the life cycle already gives this timescale" in problem
    assert "record-circulated" in problem and "remove timescales.minutes" in problem


def test_a_timescale_neither_gives_is_asked_for(write: Callable[[str, str], Path]) -> None:
    text = re.sub(r"timescales:\n(  .*\n|    .*\n|      .*\n)+", "", BASE)
    (problem,) = _problems(write, text)
    assert f"c.yaml:{_line(text, 'lifecycle:')}:" in problem
    assert "gives no time for 'review'" in problem and "state it under timescales" in problem


def test_errors_in_every_section_are_found_at_once(write: Callable[[str, str], Path]) -> None:
    text = (
        BASE.replace("plan_share: 0.85", "plan_share: 1.5")
        .replace("conferences_per_week: 4", "conferences_per_wk: 4")
        .replace("          chair_concern:", "          chair_concerns:")
    )
    problems = _problems(write, text)
    assert any(f"c.yaml:{_line(text, 'plan_share')}:" in p and "plan_share" in p for p in problems), problems
    assert any(f"c.yaml:{_line(text, 'conferences_per_wk')}:" in p and "did you mean" in p for p in problems), problems
    assert any(
        f"c.yaml:{_line(text, 'chair_concerns:')}:" in p and "no stage 'chair_concerns'" in p for p in problems
    ), problems


def test_an_unknown_life_cycle_names_the_shipped_ones(write: Callable[[str, str], Path]) -> None:
    text = BASE.replace("lifecycle: wakefield-conference-lifecycle", "lifecycle: wakefield-lifecycle")
    problems = _problems(write, text)
    (problem,) = problems
    assert problem.endswith(
        f"c.yaml:{_line(text, 'lifecycle: w')}:12: life-cycle procedure 'wakefield-lifecycle' not found "
        "(did you mean 'wakefield-conference-lifecycle'?)"
    )


def test_a_what_if_extends_the_baseline() -> None:
    base = load_conference(CONFERENCE_SCENARIOS["stoke-conference-baseline"])
    fewer = load_conference(CONFERENCE_SCENARIOS["stoke-conference-one-chair-fewer"])
    four = load_conference(CONFERENCE_SCENARIOS["stoke-conference-core-groups-4-weeks"])
    assert (base.spec.capacity.chairs.headcount, fewer.spec.capacity.chairs.headcount) == (6, 5)
    assert fewer.spec.checks == base.spec.checks and fewer.spec.assumptions == base.spec.assumptions
    assert four.spec.practice.core_group_every is not None and four.spec.practice.core_group_every.label == "4 weeks"


def test_a_quorum_no_conference_can_reach_is_refused(write: Callable[[str, str], Path]) -> None:
    text = BASE.replace("p_attend: 0.8", "p_attend: 0")
    (problem,) = _problems(write, text)
    assert f"c.yaml:{_line(text, 'attendance:')}:" in problem and "reconvened forever" in problem


def test_transfers_in_need_a_receiving_in_timescale(write: Callable[[str, str], Path]) -> None:
    """Wakefield's source gives receiving-in conferences no time, so a scenario with transfers must state one."""
    text = BASE.replace(
        "journeys:\n",
        "transfers_in:\n  rate: 0.04\n  plan_share: 0.9\n  booking_delay: {dist: fixed, value: 5}\n\njourneys:\n",
    )
    (problem,) = _problems(write, text)
    assert "gives no time for 'receiving-in'" in problem and "receiving-in-conference" in problem


def test_a_timescale_in_hours_is_refused_not_miscounted(write: Callable[[str, str], Path]) -> None:
    text = BASE.replace("    within: {amount: 3, unit: months}", "    within: {amount: 72, unit: hours}")
    (problem,) = _problems(write, text)
    assert f"c.yaml:{_line(text, '  review:')}:3: the timescale for 'review' (within 72 hours)" in problem
    assert "working days, calendar days, weeks or months" in problem
