"""Ctrl-C during compare and sweep keeps what finished, marked interrupted, with exit code 130 (1 and 2 workers).

A comparison keeps the pairs of replications that finished on both sides, and its figures and
intervals are those of a comparison of just those pairs; a sweep keeps the points whose every
replication finished, each with the figures of a sweep of just that point. The commands run in a
child process of their own process group and get SIGINT as Ctrl-C sends it; the time waited
before it grows only if a machine under load had not yet finished enough to keep.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
from cpsim.simulate.experiments.compare import compare_scenarios
from cpsim.simulate.experiments.sweep import run_sweep

BASELINE = SCENARIOS_DIR / "redcar-baseline.yaml"
SICKNESS = SCENARIOS_DIR / "redcar-sickness-service-managers.yaml"
GUARD = 120
VARY = "staff.iro_team_manager.headcount"


def _in_main(pid: int) -> bool:
    try:
        return "numpy" in Path(f"/proc/{pid}/maps").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def _interrupted(args: list[str], folder: Path, delay: float, second: bool = False) -> tuple[int, str, str]:
    """Run ``cpsim ARGS`` in ``folder``, Ctrl-C it ``delay`` seconds after it started loading (twice if ``second``)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "cpsim", *args], cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + GUARD
        while not _in_main(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(delay)
        for _ in range(2 if second else 1):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGINT)
            time.sleep(0.1)
        out, err = proc.communicate(timeout=GUARD)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    return proc.returncode, out, err


def _nothing(err: str, why: str) -> bool:
    """True when the command said it kept nothing: ``why``, or, interrupted while still loading, just that."""
    return why in err or err.strip() == "cpsim: interrupted"


@pytest.mark.parametrize("workers", [1, 2])
def test_an_interrupted_comparison_keeps_the_pairs_that_finished_with_their_intervals(
    workers: int, tmp_path: Path
) -> None:
    n = 2000
    args = ["compare", str(BASELINE), str(SICKNESS), "-n", str(n), "--seed", "7", "--workers", str(workers)]
    for delay in (3.0, 6.0, 12.0):  # a longer wait only if too little had finished to keep
        out_file = tmp_path / f"cmp-{delay}.json"
        code, _, err = _interrupted([*args, "--json", "-o", str(out_file)], tmp_path, delay, second=workers == 2)
        assert code == 130, err
        if out_file.exists():
            break
        assert _nothing(err, "a comparison needs at least 2 for a confidence interval, so nothing was written")
    else:
        pytest.fail("the comparison never kept two pairs")
    doc = json.loads(out_file.read_text(encoding="utf-8"))
    k = doc["replications"]
    assert doc["interrupted"] == {"replications_requested": n, "replications_finished": k} and 2 <= k < n
    assert f"cpsim: interrupted; kept {k} of {n} paired replications in {out_file}" in err
    assert all(m["pairs"] <= k for m in doc["measures"]) and doc["measures"][0]["ci95"] is not None
    if workers == 1:  # in one process the pairs are replications 0 .. k-1: the comparison of those alone
        alone = compare_scenarios(load_scenario(BASELINE), load_scenario(SICKNESS), replications=k, seed=7)
        assert doc["measures"] == [m.as_dict() for m in alone.measures]


def test_an_interrupted_comparison_in_markdown_says_so_before_its_figures(tmp_path: Path) -> None:
    args = ["compare", str(BASELINE), str(SICKNESS), "-n", "2000", "--seed", "7", "--workers", "1"]
    for delay in (3.0, 6.0, 12.0):
        code, out, err = _interrupted(args, tmp_path, delay)
        assert code == 130, err
        if out:
            break
    lines = out.splitlines()
    assert lines[0].startswith("# ") and lines[2].startswith("**Interrupted:** ") and "of 2000 paired" in lines[2]


@pytest.mark.parametrize("workers", [1, 2])
def test_an_interrupted_sweep_keeps_the_points_whose_every_replication_finished(workers: int, tmp_path: Path) -> None:
    n, values = 40, [1, 2, 3, 4, 5, 6, 7, 8]
    grid = f"{VARY}={','.join(map(str, values))}"
    args = ["sweep", str(BASELINE), "--vary", grid, "-n", str(n), "--seed", "3", "--workers", str(workers)]
    for delay in (4.0, 8.0, 16.0):
        folder = tmp_path / f"out-{delay}"
        code, _, err = _interrupted([*args, "--json", "-o", str(folder)], tmp_path, delay, second=workers == 2)
        assert code == 130, err
        if folder.exists() and (folder / "sweep.json").exists():
            break
        assert _nothing(err, "interrupted before any point finished; nothing written")
    else:
        pytest.fail("the sweep never kept a point")
    doc = json.loads((folder / "sweep.json").read_text(encoding="utf-8"))["sweep"]
    kept = sorted({row[VARY] for row in doc["rows"]})
    assert doc["interrupted"] == {"points_requested": len(values), "points_finished": len(kept)}
    assert 1 <= len(kept) < len(values) and f"kept the {len(kept)} of {len(values)} points" in err
    assert sorted(p.name for p in folder.iterdir()) == ["chart.png", "manifest.json", "results.csv", "sweep.json"]
    alone = run_sweep(load_scenario(BASELINE), [(VARY, kept)], replications=n, seed=3)
    assert doc["rows"] == alone.rows()  # each point kept is the point run whole


def test_an_interrupted_sweep_prints_the_points_it_kept_and_says_it_was_interrupted(tmp_path: Path) -> None:
    args = ["sweep", str(BASELINE), "--vary", f"{VARY}=1,2,3,4,5,6,7,8", "-n", "40", "--workers", "1"]
    for delay in (4.0, 8.0, 16.0):
        code, out, err = _interrupted(args, tmp_path, delay)
        assert code == 130, err
        if out:
            break
    assert "Interrupted: " in out and "points finished; the rest are not shown." in out


@pytest.mark.parametrize("workers", [1, 2])
def test_an_interrupted_search_claims_no_value_and_keeps_the_values_it_tried_in_full(
    workers: int, tmp_path: Path
) -> None:
    n = 120
    args = ["sweep", str(BASELINE), "--vary", f"{VARY}=1..8", "--find-min", VARY, "--max-breach", "0.25"]
    args += ["--target", "redcar-internal/five-working-days"]
    args += ["-n", str(n), "--seed", "3", "--workers", str(workers), "--json"]
    for delay in (3.0, 6.0, 12.0):
        code, out, err = _interrupted(args, tmp_path, delay, second=workers == 2)
        assert code == 130, err
        if out:
            break
        assert _nothing(err, "interrupted before any value was tried in full; nothing written")
    else:
        pytest.fail("the search never tried a value in full")
    doc = json.loads(out)
    assert doc["interrupted"] is True and doc["found"] is False and doc["value"] is None and doc["tried"]
    assert f"the search claims no value ({len(doc['tried'])} value" in err
    tried = [row["value"] for row in doc["tried"]]
    alone = run_sweep(load_scenario(BASELINE), [(VARY, tried)], replications=n, seed=3)
    for row, point in zip(doc["tried"], alone.points, strict=True):
        assert {k: v for k, v in row.items() if k != "value"} == {k: point.breach(k) for k in doc["targets"]}
