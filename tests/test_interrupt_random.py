"""Ctrl-C at random moments of a run, 1 and 2 workers: every finished replication is written whole, or none is claimed.

``cpsim simulate`` runs in a child process of its own process group, as in a terminal, and gets
SIGINT (as Ctrl-C sends it, to the workers too) at moments drawn with a fixed-seed generator over
the life of an uninterrupted run of the same size: while it starts, while replications run,
while the run directory is written, and after it has finished. A second Ctrl-C follows the first
in some runs. Whatever the moment, the command exits 130 (or 0 if it had finished), prints no
traceback, leaves no hidden folder, and either writes no run directory or one whose manifest
lists its files with their true digests, says how many replications finished and whether it was
interrupted, and whose summary, cases.csv, staff.csv and events.csv hold exactly those
replications, each row for row the same as in the uninterrupted run. Timeouts are guards only.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

from cpsim.model.scenario.classes import SCENARIOS_DIR

BASELINE = SCENARIOS_DIR / "redcar-baseline.yaml"
N = 16
GUARD = 120


def _command(workers: int) -> list[str]:
    return [sys.executable, "-m", "cpsim", "simulate", str(BASELINE), "-n", str(N), "--seed", "5"] + [
        "--workers", str(workers), "--json", "-o", "run"
    ]  # fmt: skip


def _in_main(pid: int) -> bool:
    """True once the command has started loading its module (it imports numpy only from within its main)."""
    try:
        return "numpy" in Path(f"/proc/{pid}/maps").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def _start(folder: Path, workers: int) -> tuple[subprocess.Popen[str], float]:
    """Start the command in ``folder``; return it and the moment it began answering Ctrl-C as cpsim."""
    proc = subprocess.Popen(
        _command(workers), cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + GUARD
    while not _in_main(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    return proc, time.monotonic()


def _rows(path: Path) -> dict[int, list[dict[str, str]]]:
    by_rep: dict[int, list[dict[str, str]]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            by_rep[int(row["replication"])].append(row)
    return by_rep


def _finish(proc: subprocess.Popen[str]) -> str:
    try:
        _, err = proc.communicate(timeout=GUARD)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    return err


def _check(folder: Path, code: int | None, err: str, reference: Path | None) -> int | None:
    """Assert the promise; return the replications the run directory holds (None when there is none)."""
    assert code in (0, 130), err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == [], "a hidden partial folder was left"
    run = folder / "run"
    if not run.exists():
        assert code == 130 and "interrupted" in err, err
        return None
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    written = manifest["written"]
    assert sorted(written) == sorted(p.name for p in run.iterdir() if p.name != "manifest.json")
    for name, digest in written.items():
        assert hashlib.sha256((run / name).read_bytes()).hexdigest() == digest, name
    k = manifest["replications_finished"]
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    assert summary["replications"] == k and manifest["replications_requested"] == N
    assert manifest["interrupted"] is (k < N) and (code == 130 or k == N)
    assert ("interrupted" in summary) is (k < N)
    cases, staff, events = (_rows(run / f) for f in ("cases.csv", "staff.csv", "events.csv"))
    assert len(cases) == k and set(cases) == set(staff) == set(events) and manifest["events"]["replications"] == k
    counted = [r for rows in cases.values() for r in rows if r["counted"] == "True"]
    assert summary["challenges"]["counted_total"] == len(counted)
    for key, cell in summary["targets"].items():
        route, target = key.split("/")
        missed = sum(r["route"] == route and target in r["breached_targets"].split(";") for r in counted)
        assert cell["breached"] == missed, key
    if reference is not None:  # each replication kept is the uninterrupted run's, row for row
        full = _rows(reference / "cases.csv")
        assert all(cases[i] == full[i] for i in cases)
    return int(k)


@pytest.fixture(scope="module")
def references(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[Path, float]]:
    """An uninterrupted run per worker count, and how long it took from start-up to exit."""
    out = {}
    for workers in (1, 2):
        folder = tmp_path_factory.mktemp(f"reference{workers}")
        proc, ready = _start(folder, workers)
        err = _finish(proc)
        assert _check(folder, proc.returncode, err, None) == N
        out[workers] = (folder / "run", time.monotonic() - ready)
    return out


@pytest.mark.parametrize("workers", [1, 2])
def test_ctrl_c_at_random_moments_keeps_whole_replications_or_claims_none(
    workers: int, references: dict[int, tuple[Path, float]], tmp_path: Path
) -> None:
    reference, span = references[workers]
    rng = random.Random(18_000 + workers)
    kept = []
    for trial in range(4):
        folder = tmp_path / f"t{trial}"
        folder.mkdir()
        delay = rng.uniform(0.0, 1.1 * span)
        proc, ready = _start(folder, workers)
        time.sleep(max(0.0, ready + delay - time.monotonic()))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
        if trial % 2:  # a second Ctrl-C soon after the first
            time.sleep(rng.uniform(0.0, 0.3))
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGINT)
        err = _finish(proc)
        kept.append(_check(folder, proc.returncode, err, reference))
    folder = tmp_path / "mid-run"  # and one moment surely mid-run: soon after the first replication is written
    folder.mkdir()
    proc, _ = _start(folder, workers)
    deadline = time.monotonic() + GUARD
    while proc.poll() is None and time.monotonic() < deadline and not _writing(folder):
        time.sleep(0.005)
    time.sleep(rng.uniform(0.0, 0.2))
    os.killpg(proc.pid, signal.SIGINT)
    err = _finish(proc)
    k = _check(folder, proc.returncode, err, reference)
    assert k is not None and 1 <= k < N, f"stopped mid-run, the run kept {k} of {N} (the random trials kept {kept})"


def _writing(folder: Path) -> bool:
    parts = list(folder.glob(".run.*/cases.csv.part"))
    return bool(parts) and parts[0].stat().st_size > 0


@pytest.mark.parametrize("workers", [1, 2])
def test_ctrl_c_while_the_run_directory_is_written_keeps_it_whole(
    workers: int, references: dict[int, tuple[Path, float]], tmp_path: Path
) -> None:
    """SIGINT the moment the last files begin (the summary appears in the hidden folder), then again."""
    proc, _ = _start(tmp_path, workers)
    deadline = time.monotonic() + GUARD
    while proc.poll() is None and time.monotonic() < deadline and not list(tmp_path.glob(".run.*/summary.json")):
        time.sleep(0.001)
    for _ in range(2):
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
        time.sleep(0.02)
    err = _finish(proc)
    assert _check(tmp_path, proc.returncode, err, references[workers][0]) == N
