"""Ctrl-C during a run on a Dask cluster: the run stops at once, keeps what finished, and cancels the rest."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import Client, LocalCluster

from cpsim.model.scenario.classes import SCENARIOS_DIR

GUARD = 120
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::ResourceWarning")


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40) as c:
        yield c


def test_ctrl_c_on_a_cluster_keeps_the_finished_replications_and_cancels_the_rest(
    cluster: LocalCluster, tmp_path: Path
) -> None:
    address = cluster.scheduler_address
    cmd = [sys.executable, "-m", "cpsim", "simulate", str(SCENARIOS_DIR / "redcar-baseline.yaml")]
    cmd += ["-n", "5000", "--scheduler", address, "-o", "run"]
    proc = subprocess.Popen(
        cmd, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        deadline = time.monotonic() + GUARD
        while time.monotonic() < deadline and proc.poll() is None:
            parts = list(tmp_path.glob(".run.*/cases.csv.part"))
            if parts and parts[0].stat().st_size > 0:
                break
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=GUARD)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["interrupted"] is True and 1 <= manifest["replications_finished"] < 5000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]
    with Client(address, timeout="10s") as client:  # nothing of the run is left queued on the cluster
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(client.processing().values()):
            time.sleep(0.2)
        assert not any(client.processing().values())
