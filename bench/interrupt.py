"""Benchmark: how soon ``cpsim simulate`` exits after Ctrl-C, with 1 and 2 workers (bound: 5 s).

Each trial runs ``cpsim simulate redcar-baseline -n 2000`` in a child process group, as in a
terminal, waits until its first replication has been written plus a moment drawn with a
fixed-seed generator (0 to 3 s, so mid-run), sends SIGINT to the group as Ctrl-C does, and times
the exit: stopping the workers, writing the replications that finished and moving the run
directory into place. It also times a Ctrl-C during ``cpsim compare`` and ``cpsim sweep``.

Usage: python bench/interrupt.py [TRIALS]
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOUND = 5.0
"""Seconds from the Ctrl-C to the exit that the run must stay within."""


def _signal_and_time(cmd: list[str], folder: Path, ready: object, wait: float) -> tuple[float, int, str]:
    """Start ``cmd`` in ``folder``, wait for ``ready(folder)`` and ``wait`` seconds, Ctrl-C it; time the exit."""
    proc = subprocess.Popen(
        cmd, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline and not ready(folder):  # type: ignore[operator]
        time.sleep(0.01)
    time.sleep(wait)
    sent = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=300)
    return time.monotonic() - sent, proc.returncode, (err.strip().splitlines() or [""])[-1]


def _writing(folder: Path) -> bool:
    parts = list(folder.glob(".run.*/cases.csv.part"))
    return bool(parts) and parts[0].stat().st_size > 0


def _loaded(started: float, after: float) -> object:
    return lambda folder: time.monotonic() - started > after


def trials(n: int) -> list[dict[str, object]]:
    """``n`` timed Ctrl-Cs per case: simulate with 1 and 2 workers, compare and sweep with 2."""
    rng = random.Random(18)
    cpsim = [sys.executable, "-m", "cpsim"]
    base = str(ROOT / "scenarios" / "redcar-baseline.yaml")
    other = str(ROOT / "scenarios" / "redcar-sickness-service-managers.yaml")
    cases = {
        "simulate, 1 worker": ([*cpsim, "simulate", base, "-n", "2000", "--workers", "1", "-o", "run"], True),
        "simulate, 2 workers": ([*cpsim, "simulate", base, "-n", "2000", "--workers", "2", "-o", "run"], True),
        "compare, 2 workers": ([*cpsim, "compare", base, other, "-n", "2000", "--workers", "2"], False),
        "sweep, 2 workers": (
            [*cpsim, "sweep", base, "--vary", "staff.iro_team_manager.headcount=1..8", "-n", "100", "--workers", "2"],
            False,
        ),
    }
    out = []
    for name, (cmd, streams) in cases.items():
        for _ in range(n):
            with tempfile.TemporaryDirectory() as tmp:
                wait = rng.uniform(0.0, 3.0)
                ready = _writing if streams else _loaded(time.monotonic(), 5.0)
                seconds, code, last = _signal_and_time(cmd, Path(tmp), ready, wait)
            out.append(
                {"case": name, "after": round(wait, 2), "seconds": round(seconds, 2), "code": code, "said": last}
            )
    return out


def report(rows: list[dict[str, object]]) -> str:
    """The slowest exit per case against the bound, then every trial."""
    lines = [f"Ctrl-C to exit (bound {BOUND:g} s), slowest of the trials per case:"]
    for case in dict.fromkeys(str(r["case"]) for r in rows):
        mine = [r for r in rows if r["case"] == case]
        worst = max(float(str(r["seconds"])) for r in mine)
        flag = "within the bound" if worst <= BOUND else "OVER THE BOUND"
        lines.append(f"  {case:20} {worst:5.2f} s ({len(mine)} trials, {flag})")
    lines += [f"    {r['case']}: signal {r['after']} s in, exit {r['code']} after {r['seconds']} s" for r in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    results = trials(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
    print(report(results))
    print(json.dumps({"worst_seconds": max(float(str(r["seconds"])) for r in results)}))
