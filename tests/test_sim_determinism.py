"""Same seed, same results: byte-identical summary.json whatever the number of worker processes."""

from __future__ import annotations

from pathlib import Path

from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
from cpsim.reports.rundir.write import write_run
from cpsim.simulate.engine.replication import run_replication
from cpsim.simulate.experiments.runner import run


def test_summary_json_is_byte_identical_with_one_and_two_workers(tmp_path: Path) -> None:
    sc = load_scenario(SCENARIOS_DIR / "redcar-baseline.yaml")
    texts = []
    for workers in (1, 2):
        result = run(sc, replications=4, seed=99, workers=workers, keep=True, events=True)
        out = write_run(result, tmp_path / f"w{workers}", version="test", workers=workers)
        texts.append((out / "summary.json").read_bytes())
        texts.append((out / "cases.csv").read_bytes())
    assert texts[0] == texts[2] and texts[1] == texts[3]


def test_a_replication_depends_only_on_seed_and_number() -> None:
    sc = load_scenario(SCENARIOS_DIR / "redcar-baseline.yaml")
    later = run_replication(sc, seed=5, replication=3)
    run_replication(sc, seed=5, replication=0)
    assert run_replication(sc, seed=5, replication=3) == later
    assert run_replication(sc, seed=6, replication=3).cases != later.cases


def test_an_interrupted_run_keeps_the_replications_that_finished() -> None:
    sc = load_scenario(SCENARIOS_DIR / "redcar-baseline.yaml")

    def stop_after_two(k: int) -> None:
        if k == 2:
            raise KeyboardInterrupt

    result = run(sc, replications=5, seed=1, workers=1, on_done=stop_after_two)
    assert result.interrupted and [s.replication for s in result.stats] == [0, 1]
    full = run(sc, replications=2, seed=1, workers=1).summary()
    partial = result.summary()
    assert partial.pop("interrupted") == {"replications_requested": 5, "replications_finished": 2}
    assert partial["warnings"].pop(0).startswith("the run was interrupted: 2 of 5 replications finished")
    assert partial == full
