"""Shipped scenarios run with a fixed seed and reproduce their checked-in expected summaries.

The expected summaries are regression pins: they record what the simulator produced when they
were last generated, not independently known answers (correctness is checked against exact
results in ``test_sim_erlang.py`` and ``test_sim_exact.py``). A failure here means the simulated
results changed. After a deliberate change to the simulator or a scenario, regenerate the
expected files with ``python -m tests.test_sim_shipped`` and review the differences before
committing them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cpsim.model.scenario.classes import Scenario, load_scenario, shipped_scenario_paths
from cpsim.simulate.experiments.runner import run

EXPECTED = Path(__file__).parent / "expected"
REPS, SEED = 3, 2026


def summary_of(sc: Scenario) -> dict:
    """The summary the test compares: a few replications with a fixed seed, in one process."""
    return json.loads(json.dumps(run(sc, replications=REPS, seed=SEED, workers=1).summary()))


@pytest.mark.parametrize("path", shipped_scenario_paths(), ids=lambda p: p.stem)
def test_shipped_scenario_reproduces_its_expected_summary(path: Path) -> None:
    expected = EXPECTED / f"{path.stem}.summary.json"
    assert expected.exists(), f"no expected summary for {path.name}: run python -m tests.test_sim_shipped"
    assert summary_of(load_scenario(path)) == json.loads(expected.read_text(encoding="utf-8"))


if __name__ == "__main__":
    EXPECTED.mkdir(exist_ok=True)
    for p in shipped_scenario_paths():
        text = json.dumps(summary_of(load_scenario(p)), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        (EXPECTED / f"{p.stem}.summary.json").write_text(text, encoding="utf-8")
        print(f"wrote {p.stem}.summary.json")
