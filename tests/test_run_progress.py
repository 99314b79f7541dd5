"""Progress shows on a terminal only: never when the output goes to a file or a pipe, nor with --json."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from cpsim.model.scenario.classes import SCENARIOS_DIR

CMD = [sys.executable, "-m", "cpsim", "simulate", str(SCENARIOS_DIR / "redcar-baseline.yaml"), "-n", "4"]
CMD += ["--workers", "1"]


def _on_a_terminal(args: list[str], cwd: Path) -> str:
    """What the command writes when both its outputs are a (pseudo-)terminal."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(args, cwd=cwd, stdin=follower, stdout=follower, stderr=follower, close_fds=True)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_a_terminal_shows_the_replications_progress(tmp_path: Path) -> None:
    shown = _on_a_terminal([*CMD, "-o", "run"], tmp_path)
    assert "replications" in shown and "/4" in shown  # the bar: 'replications ━━━ 2/4'
    assert "Run directory: run" in shown


def test_no_progress_into_a_pipe_or_with_json(tmp_path: Path) -> None:
    piped = subprocess.run([*CMD, "-o", "a"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0 and "/4" not in piped.stdout + piped.stderr
    as_json = _on_a_terminal([*CMD, "-o", "b", "--json"], tmp_path)
    assert "/4" not in as_json and as_json.lstrip().startswith("{")
