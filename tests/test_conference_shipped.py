"""Shipped conference scenarios reproduce their pinned summaries, and their what-ifs move the right way.

The expected summaries are regression pins (what the simulator produced when last generated);
correctness is checked against exact answers in ``test_conference_exact.py``. After a deliberate
change, regenerate them with ``python -m tests.test_conference_shipped`` and review the differences.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cpsim.model.conference.load import CONFERENCE_SCENARIOS, ConferenceScenario, load_conference
from cpsim.simulate.conference.compare import compare_conference_runs
from cpsim.simulate.conference.runner import run_conferences

EXPECTED = Path(__file__).parent / "expected"
REPS, SEED = 2, 2026


def summary_of(sc: ConferenceScenario) -> dict[str, Any]:
    """A few replications with a fixed seed, in one process, as JSON would give them back."""
    out: dict[str, Any] = json.loads(json.dumps(run_conferences(sc, replications=REPS, seed=SEED).summary()))
    return out


@pytest.mark.parametrize("path", sorted(CONFERENCE_SCENARIOS.values()), ids=lambda p: p.stem)
def test_shipped_conference_scenario_reproduces_its_expected_summary(path: Path) -> None:
    expected = EXPECTED / f"{path.stem}.summary.json"
    assert expected.exists(), f"no expected summary for {path.name}: run python -m tests.test_conference_shipped"
    got = summary_of(load_conference(path))
    assert got == json.loads(expected.read_text(encoding="utf-8"))
    assert got["challenges"]["raised"] == got["challenges"]["failed_checks"] > 0
    for row in got["timescales"].values():
        assert row["events"] == row["within"] + row["late"] + row["unfinished"]


def _icpc(measures: Any) -> Any:
    return next(d for key, _, d in measures if key == "icpc")


def test_one_chair_fewer_makes_initial_conferences_later_beyond_noise() -> None:
    """Five chairs instead of six: fewer initial conferences within 15 working days, with a CI below zero."""
    base = load_conference(CONFERENCE_SCENARIOS["stoke-conference-baseline"])
    fewer = load_conference(CONFERENCE_SCENARIOS["stoke-conference-one-chair-fewer"])
    ra, rb = (run_conferences(sc, replications=5, seed=SEED, workers=2) for sc in (base, fewer))
    result = compare_conference_runs(ra, rb)
    d = _icpc(result.rows)
    assert d.ci95 is not None and d.ci95[1] < 0 and d.distinguishable
    assert d.b_mean < d.a_mean
    wait = next(diff for key, _, diff in result.rows if key == "chair-wait-initial")
    assert wait.mean > 0


def test_a_scenario_compared_with_itself_shows_no_difference() -> None:
    sc = load_conference(CONFERENCE_SCENARIOS["wakefield-conference-baseline"])
    run = run_conferences(sc, replications=2, seed=SEED)
    result = compare_conference_runs(run, run)
    assert all(d.mean == 0 and d.ci95 == (0.0, 0.0) for _, _, d in result.rows if d.ci95 is not None)


if __name__ == "__main__":
    EXPECTED.mkdir(exist_ok=True)
    for p in sorted(CONFERENCE_SCENARIOS.values()):
        text = json.dumps(summary_of(load_conference(p)), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        (EXPECTED / f"{p.stem}.summary.json").write_text(text, encoding="utf-8")
        print(f"wrote {p.stem}.summary.json")
