"""``cpsim verify`` answers on procedures of 1,000 stages, with too many routes to list.

The procedures are generated here by ``bench/procedures.py``'s :func:`synthetic_procedure` (a
ladder, a ladder with a decision at every rung, a ladder whose no-reply goes back a rung at most
twice). Each run is a child process with a generous timeout as a guard only: how long it takes is
measured by ``make bench``, not here.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "procedures.py"


def _synthetic(n: int, shape: str) -> dict[str, Any]:
    spec = importlib.util.spec_from_file_location("bench_procedures", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    data: dict[str, Any] = module.synthetic_procedure(n, shape)
    return data


def _verify(tmp_path: Path, shape: str, n: int = 1_000) -> tuple[int, list[dict[str, Any]]]:
    path = tmp_path / f"{shape}.yaml"
    path.write_text(json.dumps(_synthetic(n, shape), indent=1), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "cpsim", "verify", "--json", str(path)], capture_output=True, text=True, timeout=120
    )
    assert "Traceback" not in run.stderr
    return run.returncode, json.loads(run.stdout)


def _one(findings: list[dict[str, Any]], code: str) -> dict[str, Any]:
    found = [f for f in findings if f["code"] == code]
    assert len(found) == 1, [f["message"] for f in found]
    return found[0]


def test_a_ladder_of_a_thousand_rungs_is_timed_over_all_its_routes(tmp_path: Path) -> None:
    code, findings = _verify(tmp_path, "ladder")
    assert code == 3
    bounds = _one(findings, "TARGET_BOUNDS")["message"]
    # Each rung ends the case or goes up on two outcomes: 2^998 - 1 routes reach an ending from r0.
    assert bounds.startswith("more than 10^300 route(s) from Stage r0")
    assert "worked out on the graph, over every route" in bounds
    assert "only the first" not in bounds
    exceeded = _one(findings, "TARGET_EXCEEDED")
    # The slowest route climbs to the top rung (every reply at its deadline) and ends there.
    assert exceeded["route"][:2] == ["r0", "r1"] and "r997" in exceeded["route"] and len(exceeded["route"]) == 999
    slack = [f for f in findings if f["code"] == "TARGET_SLACK"]
    assert len(slack) == 998
    assert _one(findings, "TERMINATES")["message"].endswith(
        "no route takes more than 999 moves (loops counted up to their repeat limits)."
    )


def test_a_ladder_with_a_decision_at_every_rung_is_timed_over_all_its_routes(tmp_path: Path) -> None:
    code, findings = _verify(tmp_path, "branching")
    assert code == 3
    bounds = _one(findings, "TARGET_BOUNDS")["message"]
    assert "worked out on the graph" in bounds
    assert "r498" in _one(findings, "TARGET_EXCEEDED")["route"]
    assert sum(f["code"] == "JUDGEMENT_CHOICE" for f in findings) == 498


def test_a_ladder_whose_replies_loop_back_says_its_route_listing_was_cut_short(tmp_path: Path) -> None:
    code, findings = _verify(tmp_path, "loops")
    assert code == 3
    bounds = _one(findings, "TARGET_BOUNDS")["message"]
    assert "too many routes to list them all: only the first 316 were checked" in bounds
    assert "hold for those routes only" in bounds
    assert sum(f["code"] == "LOOP_BOUND" for f in findings) == 997


@pytest.mark.parametrize(("shape", "n"), [("ladder", 8), ("branching", 8), ("loops", 5)])
def test_the_same_shapes_small_enough_to_list_are_still_listed(tmp_path: Path, shape: str, n: int) -> None:
    _, findings = _verify(tmp_path, shape, n)
    bounds = _one(findings, "TARGET_BOUNDS")["message"]
    assert "worked out on the graph" not in bounds and "only the first" not in bounds
