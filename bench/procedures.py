"""Benchmark: ``cpsim validate`` and ``cpsim verify`` time and peak memory against the number of stages.

Generated procedures of 10, 100, 1,000 and 10,000 stages, in three shapes:

* ``ladder``: a chain of request rungs; a satisfied reply ends the case, any other goes up a rung;
* ``branching``: every rung is followed by a decision between the next two rungs, so the number of
  routes from start to end doubles with every rung (2^(n/2) routes);
* ``loops``: the ladder, with every rung's no-reply going back one rung at most twice;

and a ladder whose every stage has a note of 20,000 characters (``notes``).

Each command runs in a child process (``python -m cpsim``), timed from start to exit (wall and CPU
seconds), with the child's own peak resident memory (VmHWM, read by the child as it exits). A run
still going after ten minutes is stopped and recorded as ``timeout``.
Usage: ``python bench/procedures.py [--sizes 10,100,1000]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SHAPES = ("ladder", "branching", "loops", "notes")
SIZES = (10, 100, 1_000, 10_000)
CITE = {"doc": "bench-source.txt", "ref": "1", "quote": "a rule"}


def synthetic_procedure(n: int, shape: str = "ladder") -> dict[str, Any]:
    """Data of a valid procedure of about ``n`` stages in ``shape`` (see the module docstring).

    >>> data = synthetic_procedure(10, "branching")
    >>> len(data["stages"]), data["stages"][0]["kind"], data["stages"][-1]["kind"]
    (10, 'start', 'terminal')
    """
    rungs = max(1, (n - 2) // 2 if shape == "branching" else n - 2)
    stages: list[dict[str, Any]] = [_stage("raise", "start")]
    moves: list[dict[str, Any]] = [_move("raise", "raised", "r0")]
    for i in range(rungs):
        rid, up = f"r{i}", f"r{i + 1}" if i + 1 < rungs else "closed"
        stage = _stage(rid, "request", responder=f"p{i % 8}")
        stage["deadline"] = {"amount": 1 + i % 5, "unit": "working-days", "source": CITE}
        if shape == "notes":
            stage["notes"] = ("The policy author's long note on this rung. " * 450)[:20_000]
        stages.append(stage)
        moves.append(_move(rid, "satisfied", "resolved"))
        if shape == "branching" and i + 1 < rungs:
            pick, other = f"d{i}", f"r{i + 2}" if i + 2 < rungs else "closed"
            stages.append(_stage(pick, "decision", outcomes=["go-next", "go-skip"], judgement="as they see fit"))
            moves += [_move(rid, "unsatisfied", pick), _move(rid, "no-reply", pick)]
            moves += [_move(pick, "go-next", up), _move(pick, "go-skip", other)]
            continue
        moves.append(_move(rid, "unsatisfied", up))
        back = shape == "loops" and i > 0
        moves.append(_move(rid, "no-reply", f"r{i - 1}" if back else up) | ({"max_repeats": 2} if back else {}))
    stages += [_stage("resolved", "terminal", ending="resolved"), _stage("closed", "terminal", ending="resolved")]
    roles: list[dict[str, Any]] = [{"id": "chair", "title": "Chair", "agency": "Review unit", "rank": None}]
    roles += [{"id": f"p{k}", "title": f"Person {k}", "agency": "Agency", "rank": 1 + k % 4} for k in range(8)]
    return {
        "id": f"bench-{shape}-{n}",
        "title": f"A generated {shape} of {n} stages",
        "authority": "Benchshire",
        "version": "1",
        "effective_date": "unspecified",
        "sources": [{"doc": CITE["doc"], "title": "Generated source"}],
        "roles": roles,
        "stages": stages,
        "transitions": moves,
        "targets": [
            {"id": "ten-days", "title": "Within ten working days", "from": "r0"}
            | {"within": {"amount": 10, "unit": "working-days"}, "source": CITE}
        ],
    }


def _stage(sid: str, kind: str, **extra: Any) -> dict[str, Any]:
    owner = {} if kind == "terminal" else {"owner": "chair"}
    return {"id": sid, "kind": kind, "title": f"Stage {sid}", **owner, **extra, "source": CITE}


def _move(src: str, on: str, dst: str) -> dict[str, Any]:
    return {"from": src, "on": on, "to": dst, "source": CITE}


def write_procedure(folder: Path, n: int, shape: str = "ladder") -> Path:
    """Write :func:`synthetic_procedure` to ``folder`` as YAML (JSON, one item a line) and return its path."""
    data = synthetic_procedure(n, shape)
    path = folder / f"{data['id']}.yaml"
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


# The child runs ``python -m cpsim`` itself (runpy, so that its exit code is cpsim's own, SystemExit
# included) with an exit hook that writes its own peak resident memory, VmHWM from /proc/self/status,
# and its CPU seconds to the file named in CPSIM_BENCH_PEAK. Not ru_maxrss: on Linux a child's
# ru_maxrss starts from the high-water mark of the process that started it, here a benchmark that
# has just built a 200 MB procedure, so every child would seem to need as much.
_CHILD = (
    "import atexit, os, resource, runpy, sys\n"
    "def _peak():\n"
    "    with open('/proc/self/status', encoding='ascii') as f:\n"
    "        kb = next(line.split()[1] for line in f if line.startswith('VmHWM:'))\n"
    "    use = resource.getrusage(resource.RUSAGE_SELF)\n"
    "    with open(os.environ['CPSIM_BENCH_PEAK'], 'w', encoding='ascii') as f:\n"
    "        f.write(f'{kb} {use.ru_utime + use.ru_stime}')\n"
    "atexit.register(_peak)\n"
    "sys.argv[0] = 'cpsim'\n"
    "runpy.run_module('cpsim', run_name='__main__', alter_sys=True)\n"
)


def measure(command: str, path: Path, timeout: float = 600) -> dict[str, Any]:
    """Run ``cpsim COMMAND PATH`` in a child process: exit code, seconds and the child's own peak memory (MB).

    >>> row = measure("--version", Path("."))
    >>> row["code"], row["peak_mb"] > 1, row["cpu_seconds"] >= 0
    (0, True, True)
    """
    with tempfile.TemporaryDirectory() as tmp:
        peak_file = Path(tmp) / "peak"
        env = os.environ | {"CPSIM_BENCH_PEAK": str(peak_file)}
        argv = [sys.executable, "-c", _CHILD, command, str(path)]
        t0 = time.perf_counter()
        try:
            out = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env)
        except subprocess.TimeoutExpired:
            return {"code": "timeout", "seconds": timeout, "cpu_seconds": None, "peak_mb": None}
        seconds = time.perf_counter() - t0
        peak = peak_file.read_text(encoding="ascii").split() if peak_file.exists() else []
    return {
        "code": out.returncode,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(float(peak[1]), 2) if peak else None,
        "peak_mb": round(int(peak[0]) / 1024, 1) if peak else None,
    }


def run(sizes: tuple[int, ...] = SIZES, shapes: tuple[str, ...] = SHAPES) -> list[dict[str, Any]]:
    """Every (shape, size, command) measured, as flat rows."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for shape in shapes:
            for n in sizes:
                path = write_procedure(Path(tmp), n, shape)
                size_kb = round(os.path.getsize(path) / 1024)
                for command in ("validate", "verify"):
                    rows.append(
                        {"shape": shape, "stages": n, "kb": size_kb, "command": command} | measure(command, path)
                    )
    return rows


def report(rows: list[dict[str, Any]]) -> str:
    """The rows as a Markdown table."""
    lines = [
        "| shape | stages | file (kB) | command | exit | wall s | CPU s | peak MB |",
        "|---|---:|---:|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['shape']} | {r['stages']:,} | {r['kb']:,} | {r['command']} | {r['code']} "
            f"| {r['seconds']} | {r['cpu_seconds']} | {r['peak_mb']} |"
        )
    return "\n".join(lines)


def main() -> None:
    """Print the table of validate and verify times against the number of stages."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--sizes", default=",".join(map(str, SIZES)), help="comma-separated numbers of stages")
    p.add_argument("--shapes", default=",".join(SHAPES), help="comma-separated shapes")
    args = p.parse_args()
    sizes = tuple(int(s) for s in args.sizes.split(","))
    print(report(run(sizes, tuple(args.shapes.split(",")))))


if __name__ == "__main__":
    main()
