"""Scale-out on Dask: the same tasks give identical results on a cluster, in local processes and in one process."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import Client, LocalCluster

from cpsim.cli import main
from cpsim.executors import executor_from
from cpsim.model.scenario.classes import load_scenario
from cpsim.simulate.experiments.tasks import run_tasks, tasks_for

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "redcar-baseline.yaml"
DEMAND = ROOT / "scenarios" / "redcar-demand-plus-50.yaml"

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::ResourceWarning")


@pytest.fixture(scope="module", params=[False, True], ids=["threads", "processes"])
def cluster(request: pytest.FixtureRequest) -> Iterator[LocalCluster]:
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=request.param, dashboard_address=None, silence_logs=40
    ) as c:
        yield c


@pytest.mark.slow
def test_tasks_give_identical_outcomes_on_a_cluster_in_local_processes_and_in_one_process(
    cluster: LocalCluster,
) -> None:
    sc = load_scenario(BASELINE)
    tasks = tasks_for(sc, 3, 17)
    one = run_tasks(tasks)
    with executor_from(None, workers=2) as pool:
        local = run_tasks(tasks, pool)
    with Client(cluster) as client:
        dask = run_tasks(tasks, client.get_executor(pure=False))
    assert one == local == dask
    assert len({o.targets for o in one}) == 3, "replications differ from one another"


@pytest.mark.slow
def test_cli_compare_on_a_scheduler_prints_the_same_json_as_in_one_process(
    cluster: LocalCluster, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["compare", str(BASELINE), str(DEMAND), "-n", "2", "--seed", "4", "--json"]
    assert main([*args, "--workers", "1"]) == 0
    local = json.loads(capsys.readouterr().out)
    assert main([*args, "--scheduler", cluster.scheduler_address]) == 0
    assert json.loads(capsys.readouterr().out) == local


@pytest.mark.slow
def test_cli_sweep_on_a_scheduler_prints_the_same_json_as_in_one_process(
    cluster: LocalCluster, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["sweep", str(BASELINE), "--vary", "staff.assistant_director.capacity=1,2", "-n", "2", "--json"]
    assert main([*args, "--workers", "1"]) == 0
    local = json.loads(capsys.readouterr().out)
    assert main([*args, "--scheduler", cluster.scheduler_address]) == 0
    assert json.loads(capsys.readouterr().out) == local


@pytest.mark.slow  # waits for the connection timeout
def test_an_unreachable_scheduler_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["compare", str(BASELINE), str(BASELINE), "-n", "1", "--scheduler", "tcp://127.0.0.1:9"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "cannot reach the Dask scheduler" in err and "dask scheduler" in err


@pytest.mark.slow
def test_a_whole_run_on_a_cluster_has_the_same_summary_as_in_one_process(cluster: LocalCluster) -> None:
    from cpsim.simulate.experiments.runner import run
    from cpsim.simulate.experiments.tasks import run_on_executor

    sc = load_scenario(BASELINE)
    local = run(sc, replications=2, seed=8, workers=1).summary()
    with Client(cluster) as client:
        remote = run_on_executor(sc, client.get_executor(pure=False), replications=2, seed=8).summary()
    assert json.dumps(remote, sort_keys=True) == json.dumps(local, sort_keys=True)


@pytest.mark.slow
def test_cli_simulate_on_a_scheduler_writes_the_same_summary_as_in_one_process(
    cluster: LocalCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["simulate", str(BASELINE), "-n", "2", "--seed", "9", "--json"]
    assert main([*args, "--workers", "1", "-o", str(tmp_path / "one")]) == 0
    capsys.readouterr()
    assert main([*args, "--scheduler", cluster.scheduler_address, "-o", str(tmp_path / "dask")]) == 0
    capsys.readouterr()
    one = (tmp_path / "one" / "summary.json").read_bytes()
    assert one == (tmp_path / "dask" / "summary.json").read_bytes()
