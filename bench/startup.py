"""Benchmark: how long the author's inner loop takes, next to ``python -c pass`` on the same machine.

The loop is ``cpsim --version``, ``list``, ``show`` and ``validate`` of one file.

Each command runs ``--runs`` times in a fresh process; the median wall time is reported in
milliseconds, with the interpreter's own start-up as the floor.

Usage: python bench/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROCEDURE = ROOT / "model" / "procedures" / "redcar-internal.yaml"
CPSIM = [sys.executable, "-m", "cpsim"]
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "cpsim --version": [*CPSIM, "--version"],
    "cpsim list": [*CPSIM, "list"],
    "cpsim show FILE": [*CPSIM, "show", str(PROCEDURE)],
    "cpsim validate FILE": [*CPSIM, "validate", str(PROCEDURE)],
}


def median_ms(argv: list[str], runs: int) -> float:
    """The median wall time of ``argv`` over ``runs`` fresh processes, in milliseconds."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, check=True, capture_output=True)
        times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 1)


def startup(runs: int) -> dict[str, float]:
    """Median milliseconds per command, ``python -c pass`` first."""
    for argv in COMMANDS.values():
        subprocess.run(argv, cwd=ROOT, check=True, capture_output=True)  # warm the file cache
    return {name: median_ms(argv, runs) for name, argv in COMMANDS.items()}


def main() -> None:
    """Print the start-up figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(json.dumps({"startup_ms": startup(args.runs)}, indent=2))


if __name__ == "__main__":
    main()
