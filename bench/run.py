"""Benchmark: cpsim against a bare SimPy floor on the Redcar baseline, a million challenges streamed, and memory.

Prints challenges per second for cpsim's engine and for the floor (same arrivals, rungs,
resources and draws; see bench/floor.py) and their ratio, then streams one million challenges
through cpsim in a child process and prints its peak memory, then runs ``cpsim simulate`` on the
Redcar baseline end to end (two workers, default outputs) at each of ``--memory`` replication
counts and prints its time and the peak memory of the main process and of a worker: with records
written as replications finish, the peaks should not grow with the replications.

With ``--interrupt N`` it times N Ctrl-Cs per case (simulate with 1 and 2 workers, compare,
sweep) from the signal to the exit, against the bound of 5 s (bench/interrupt.py).

Usage: python bench/run.py [--reps N] [--scale K] [--million N] [--memory 100,1000] [--interrupt 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.floor import run_floor  # noqa: E402
from cpsim.model.scenario.classes import SCENARIOS_DIR, Scenario, load_scenario  # noqa: E402
from cpsim.simulate.experiments.runner import replicate  # noqa: E402


def scaled(scenario: Scenario, k: float, horizon: int) -> Scenario:
    """The scenario with ``k`` times the arrivals and the staff, over ``horizon`` working days."""
    settings: dict[str, object] = {
        f"staff.{r}.headcount": max(1, round(s.headcount * k)) for r, s in scenario.staff.items() if not s.unlimited
    }
    settings |= {"arrivals.rate": scenario.arrivals.rate * k, "calendar.horizon": horizon}
    settings |= {"calendar.warm_up": 0, "calendar.follow_up": 60}
    return scenario.with_settings(settings)


def speed(reps: int, scale: float) -> dict:
    """Challenges per second of cpsim and of the floor on the same replications.

    The two run alternately, replication by replication, so that other load on the machine
    affects both alike, and each is timed in CPU time of this process (``time.process_time``),
    so that time spent waiting for a core another program holds counts for neither.
    """
    sc = scaled(load_scenario(SCENARIOS_DIR / "redcar-baseline.yaml"), scale, 250)
    runs = {"floor": lambda i: run_floor(sc, 1, i)[0], "cpsim": lambda i: _cpsim(sc, i)}
    totals = {name: {"cases": 0, "seconds": 0.0} for name in runs}
    for fn in runs.values():
        fn(0)  # warm up imports and caches
    for i in range(1, reps + 1):
        for name, fn in runs.items():
            t0 = time.process_time()
            totals[name]["cases"] += fn(i)
            totals[name]["seconds"] += time.process_time() - t0
    out: dict = {}
    for name, row in totals.items():
        out[name] = {
            **row,
            "seconds": round(row["seconds"], 3),
            "cases_per_second": round(row["cases"] / row["seconds"]),
        }
    out["ratio"] = round(out["cpsim"]["cases_per_second"] / out["floor"]["cases_per_second"], 3)
    return out


def _cpsim(sc: Scenario, i: int) -> int:
    return replicate(sc, 1, i).stats.counted


def own_peak_mb() -> float:
    """The calling process's own peak resident memory in MB: VmHWM from /proc/self/status.

    Not ``getrusage(RUSAGE_SELF).ru_maxrss``: on Linux a process started by ``subprocess`` begins
    with the high-water mark of the process that started it, here the benchmark after its speed runs.

    >>> own_peak_mb() > 1
    True
    """
    with open("/proc/self/status", encoding="ascii") as f:
        kb = next(line.split()[1] for line in f if line.startswith("VmHWM:"))
    return int(kb) / 1024


def million_child(n: int) -> dict:
    """Stream ``n`` challenges through cpsim in one replication; return time and peak memory."""
    base = load_scenario(SCENARIOS_DIR / "redcar-baseline.yaml")
    horizon = 1000
    k = n / (base.arrivals.rate * 0.95 * horizon)  # the August and December factors lower the mean rate
    sc = scaled(base, k, horizon)
    t0 = time.perf_counter()
    r = replicate(sc, 1, 0)
    seconds = time.perf_counter() - t0
    peak_mb = own_peak_mb()
    return {"cases": r.stats.counted, "seconds": round(seconds, 1), "peak_mb": round(peak_mb, 1)}


def memory_child(n: int, folder: str) -> dict:
    """Run ``cpsim simulate`` of the baseline with ``n`` replications here; return time and peak memory."""
    from cpsim.cli import main as cli

    t0 = time.perf_counter()
    code = cli(["simulate", "redcar-baseline", "-n", str(n), "--workers", "2", "-o", folder, "--json"])
    seconds = time.perf_counter() - t0
    own = own_peak_mb()
    # The workers are forked (not started afresh), and a forked process's ru_maxrss is its own.
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"code": code, "seconds": round(seconds, 1), "main_mb": round(own, 1), "worker_mb": round(worker, 1)}


def memory(counts: list[int]) -> None:
    """Print time and peak memory of ``cpsim simulate`` at each replication count, each in a fresh process."""
    import tempfile

    print("cpsim simulate redcar-baseline, 2 workers, default outputs (records written as replications finish):")
    for n in counts:
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [sys.executable, __file__, "--memory-child", str(n), "--memory-dir", f"{tmp}/run"]
            child = subprocess.run(cmd, capture_output=True, text=True, check=True)
            m = json.loads(child.stdout.strip().splitlines()[-1])
        peaks = f"peak memory main {m['main_mb']} MB, worker {m['worker_mb']} MB"
        print(f"  {n:>6,} replications: {m['seconds']:>6} s, {peaks}")
    per_rep = floor_per_replication(20)
    print(f"  the bare SimPy floor alone: {per_rep * 1000:.1f} ms of CPU a replication, so 1,000 replications")
    print(f"  need at least {per_rep * 1000 / 2:.1f} s on two workers, before any record is made or written")


def floor_per_replication(reps: int) -> float:
    """CPU seconds the floor (bench/floor.py) takes for one replication of the unscaled baseline, on average."""
    sc = load_scenario(SCENARIOS_DIR / "redcar-baseline.yaml")
    run_floor(sc, 1, 0)  # warm up
    t0 = time.process_time()
    for i in range(1, reps + 1):
        run_floor(sc, 1, i)
    return (time.process_time() - t0) / reps


def main() -> None:
    """Run the benchmark and print its figures."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--reps", type=int, default=10, help="replications of each in the speed comparison")
    p.add_argument("--scale", type=float, default=10.0, help="multiply arrivals and staff (longer replications)")
    p.add_argument("--million", type=int, default=1_000_000, help="challenges in the streaming run (0: skip)")
    p.add_argument("--memory", default="100,1000", help="replication counts for the memory runs ('': skip)")
    p.add_argument("--million-child", type=int, help=argparse.SUPPRESS)
    p.add_argument(
        "--procedures", type=int, default=1, help="time validate and verify on generated procedures (0: skip)"
    )
    p.add_argument("--startup", type=int, default=7, help="runs per command for the start-up times (0: skip)")
    p.add_argument("--interrupt", type=int, default=3, help="timed Ctrl-Cs per case, bound 5 s (0: skip)")
    p.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    p.add_argument("--memory-dir", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.million_child:
        print(json.dumps(million_child(args.million_child)))
        return
    if args.memory_child:
        print(json.dumps(memory_child(args.memory_child, args.memory_dir)))
        return
    if args.startup:
        from bench.startup import startup

        print(f"Start-up of the author's inner loop, median of {args.startup} fresh processes (bench/startup.py):")
        for name, ms in startup(args.startup).items():
            print(f"  {name:22} {ms:8.1f} ms")
    s = speed(args.reps, args.scale)
    print(f"Redcar baseline with staff contention, {args.reps} replications x {args.scale:g} scale:")
    for name in ("cpsim", "floor"):
        row = s[name]
        print(f"  {name:5}: {row['cases_per_second']:>8,} challenges/second ({row['cases']:,} in {row['seconds']} s)")
    print(f"  ratio cpsim/floor: {s['ratio']:.2f} (target at least 0.70)")
    if args.million:
        child = subprocess.run(
            [sys.executable, __file__, "--million-child", str(args.million)], capture_output=True, text=True, check=True
        )
        m = json.loads(child.stdout)
        print(f"Streaming run: {m['cases']:,} challenges in {m['seconds']} s, peak memory {m['peak_mb']} MB")
        print("  (target: under 500 MB)")
    if args.procedures:
        from bench.procedures import report, run

        print("validate and verify against the number of stages (bench/procedures.py):")
        print(report(run()))
    if args.memory:
        memory([int(x) for x in args.memory.split(",")])
    if args.interrupt:
        from bench.interrupt import report, trials

        print(report(trials(args.interrupt)))


if __name__ == "__main__":
    main()
