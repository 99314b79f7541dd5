"""A path too long for the system to look up is a clear message and exit 1, never a traceback, in every command."""

from __future__ import annotations

import subprocess
import sys

import pytest

LONG = "a" * 5000 + ".yaml"
COMMANDS = [
    ["validate", LONG],
    ["verify", LONG],
    ["show", LONG],
    ["simulate", LONG],
    ["analyse", LONG],
    ["report", LONG, "-o", "never.html"],
    ["flowchart", LONG, "-o", "never.svg"],
    ["calibrate", LONG, "-o", "never.yaml"],
    ["sweep", LONG, "--vary", "arrivals.rate=1,2"],
    ["compare", LONG, LONG],
    ["diff", LONG, LONG],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_a_path_too_long_to_look_up_is_refused_plainly(argv: list[str], tmp_path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cpsim", *argv], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert "too long" in done.stderr.lower() or "not found" in done.stderr.lower() or "no such" in done.stderr.lower()
    assert not list(tmp_path.iterdir())
