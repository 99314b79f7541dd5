"""Ctrl-C during a run: answered at once, the finished replications written and marked, nothing half-made left.

The command runs in a child process of its own process group, as in a terminal; the test waits
until the first replication has been written (the run's hidden folder holds rows) and then sends
SIGINT to the whole group, as Ctrl-C does, workers included. Timeouts are guards against a hang.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from cpsim.model.errors import CpsimError
from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
from cpsim.reports.outputs import record_files
from cpsim.reports.rundir import stream
from cpsim.reports.rundir.stream import PARTIAL, RunWriter, remove_stale
from cpsim.simulate.experiments.runner import Replicated, RunResult, run

BASELINE = SCENARIOS_DIR / "redcar-baseline.yaml"
GUARD = 120


def _started(folder: Path, name: str, proc: subprocess.Popen[str]) -> None:
    """Wait until a replication of the run into ``folder/name`` has been written (or the run ended)."""
    deadline = time.monotonic() + GUARD
    while time.monotonic() < deadline and proc.poll() is None:
        parts = list(folder.glob(f".{name}.*/cases.csv.part"))
        if parts and parts[0].stat().st_size > 0:
            return
        time.sleep(0.05)
    raise AssertionError("the run neither started writing nor ran on")


def _replications(path: Path) -> set[int]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {int(row["replication"]) for row in csv.DictReader(fh)}


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_keeps_the_finished_replications_marked_interrupted(tmp_path: Path, workers: str) -> None:
    cmd = [sys.executable, "-m", "cpsim", "simulate", str(BASELINE), "-n", "5000", "--workers", workers, "-o", "run"]
    proc = subprocess.Popen(
        cmd, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        _started(tmp_path, "run", proc)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=GUARD)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text(encoding="utf-8"))
    summary = json.loads((tmp_path / "run" / "summary.json").read_text(encoding="utf-8"))
    k = manifest["replications_finished"]
    assert manifest["interrupted"] is True and 1 <= k < 5000
    assert summary["interrupted"] == {"replications_requested": 5000, "replications_finished": k}
    assert summary["replications"] == k and summary["warnings"][0].startswith("the run was interrupted")
    assert f"interrupted; kept {k} of 5000 replications" in err
    rows = _replications(tmp_path / "run" / "cases.csv")
    assert len(rows) == k and rows == _replications(tmp_path / "run" / "staff.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # no hidden partial folder left


def _template(replications: int = 2) -> RunResult:
    sc = load_scenario(BASELINE)
    return run(sc, replications=replications, seed=3, workers=1, keep=True, events=True)


def test_a_ctrl_c_while_the_run_is_written_waits_until_it_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGINT in the middle of writing the last files: the run directory is still written whole."""
    result = _template()
    writer = RunWriter(tmp_path / "run", False, result)
    for stats, records in zip(result.stats, result.records, strict=True):
        writer.add(Replicated(stats, records))
    real = record_files

    def interrupted_record(*args: Any, **kwargs: Any) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # arrives while the manifest is being written
        real(*args, **kwargs)

    monkeypatch.setattr(stream, "record_files", interrupted_record)
    assert writer.finish(result, version="t", workers=1) == 1
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["written"]) == {"cases.csv", "events.csv", "events.xes", "staff.csv", "summary.json"}
    assert _replications(tmp_path / "run" / "cases.csv") == {0, 1}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_a_failure_while_writing_leaves_the_old_run_directory_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _template()
    old = RunWriter(tmp_path / "run", False, result)
    old.finish(result, version="old", workers=1)
    before = {p.name: p.read_bytes() for p in (tmp_path / "run").iterdir()}

    def broken(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt  # a second Ctrl-C as the run was being moved into place

    monkeypatch.setattr(stream, "_move_into_place", broken)
    with RunWriter(tmp_path / "run", True, result) as writer, pytest.raises(KeyboardInterrupt):
        writer.finish(result, version="new", workers=1)
    assert {p.name: p.read_bytes() for p in (tmp_path / "run").iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_a_folder_left_by_a_killed_run_is_removed_by_the_next_and_a_users_folder_is_not(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    left = tmp_path / ".run.abc123"
    left.mkdir()
    (left / PARTIAL).write_text(dead.stdout.strip(), encoding="utf-8")
    (left / "cases.csv.part").write_text("half", encoding="utf-8")
    mine = tmp_path / ".run.notes"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", encoding="utf-8")
    assert remove_stale(tmp_path / "run") == [left]
    assert not left.exists() and (mine / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_refused_run_directory_leaves_no_hidden_folder(tmp_path: Path) -> None:
    (tmp_path / "run").mkdir()
    with pytest.raises(CpsimError, match="already exists"):
        RunWriter(tmp_path / "run", False, _template(1))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]
