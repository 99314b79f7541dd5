"""Records are written as replications finish and not held: memory does not grow with the replications.

Checked by what is held, not by timing (the memory figures are in ``make bench``): a run with a
sink keeps no challenge records; the ordered runner never has more than its window of
replications submitted or waiting; a replication's statistics hold numbers, not records; and a
run directory written a replication at a time is byte for byte the one written at the end.
"""

from __future__ import annotations

import concurrent.futures as cf
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cpsim.cli import main
from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
from cpsim.reports.rundir.write import write_run
from cpsim.simulate.experiments.ordered import run_ordered
from cpsim.simulate.experiments.runner import Replicated, run

BASELINE = SCENARIOS_DIR / "redcar-baseline.yaml"
FILES = ("cases.csv", "events.csv", "events.xes", "staff.csv", "summary.json")


def test_a_run_with_a_sink_hands_each_replication_over_in_order_and_keeps_no_records() -> None:
    sc = load_scenario(BASELINE)
    seen: list[tuple[int, int]] = []

    def sink(rep: Replicated) -> None:
        assert rep.records is not None
        seen.append((rep.stats.replication, len(rep.records.cases)))

    streamed = run(sc, replications=4, seed=2, workers=1, keep=True, events=True, sink=sink)
    held = run(sc, replications=4, seed=2, workers=1, keep=True, events=True)
    assert [i for i, _ in seen] == [0, 1, 2, 3] and all(n > 100 for _, n in seen)
    assert streamed.records == () and len(held.records) == 4
    assert [n for _, n in seen] == [len(r.cases) for r in held.records]
    assert streamed.summary() == held.summary()


def test_a_replications_statistics_hold_numbers_not_records() -> None:
    sc = load_scenario(BASELINE)
    stats = run(sc, replications=1, seed=2, workers=1).stats[0]
    assert isinstance(stats.resolution, array) and stats.resolution.typecode == "d"
    assert len(stats.resolution) <= stats.counted
    kinds = {type(v) for v in vars(stats).values()}
    assert kinds <= {int, dict, list, array, tuple}
    assert all(type(x).__name__ == "RoleRecord" for x in stats.roles)  # one per staffed role, not per challenge


class _Counting(cf.Executor):
    """Runs each job at once in this process, and counts the jobs submitted but not yet taken."""

    def __init__(self) -> None:
        self.submitted = 0
        self.taken = 0
        self.most = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future[Any]:
        fut: cf.Future[Any] = cf.Future()
        fut.set_result(fn(*args, **kwargs))
        self.submitted += 1
        self.most = max(self.most, self.submitted - self.taken)
        return fut


@pytest.mark.parametrize("window", [1, 4, 16])
def test_the_runner_never_holds_more_than_its_window_of_replications(window: int) -> None:
    executor = _Counting()
    order: list[int] = []

    def take(i: int, result: int) -> None:
        executor.taken += 1
        order.append(result)

    assert run_ordered(pow, lambda i: (i, 1), 1000, executor, take, window=window) is False
    assert order == list(range(1000))
    assert executor.submitted == 1000 and executor.most <= window


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_run_written_as_it_goes_is_the_run_written_at_the_end(tmp_path: Path, workers: str) -> None:
    args = ["simulate", str(BASELINE), "-n", "3", "--seed", "4", "--workers", workers, "--json"]
    assert main([*args, "-o", str(tmp_path / "streamed")]) == 0
    sc = load_scenario(BASELINE)
    held = run(sc, replications=3, seed=4, workers=1, keep=True, events=True)
    write_run(held, tmp_path / "held", version="t", workers=1)
    for name in FILES:
        assert (tmp_path / "streamed" / name).read_bytes() == (tmp_path / "held" / name).read_bytes(), name
