"""``cpsim app`` on the command line: a bad folder or port is refused; --check asks the server for every page."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from cpsim.model import PROCEDURES_DIR
from cpsim.model.scenario import SCENARIOS_DIR


def _cpsim(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cpsim", "app", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def test_a_missing_folder_is_refused_with_a_message(tmp_path: Path) -> None:
    run = _cpsim(str(tmp_path / "nowhere"), "--no-browser")
    assert run.returncode == 1
    assert "nowhere: no such folder" in run.stderr and "Traceback" not in run.stderr


def test_a_port_in_use_is_refused_with_a_message(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = _cpsim(str(tmp_path), "--no-browser", "--port", str(port))
    assert run.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in run.stderr and "choose another --port" in run.stderr


def test_check_asks_the_server_for_every_page_of_the_folder(tmp_path: Path) -> None:
    shutil.copy(SCENARIOS_DIR / "redcar-baseline.yaml", tmp_path)
    shutil.copy(PROCEDURES_DIR / "redcar-external.yaml", tmp_path)
    run = _cpsim(str(tmp_path), "--check")
    assert run.returncode == 0, run.stderr
    # the index, the check page, the style and the script, one procedure and its flowchart, one scenario
    assert "cpsim app: 7 of 7 pages answered at http://127.0.0.1:" in run.stdout


def test_check_names_a_page_that_fails(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("id: broken\nroles: 3\n", encoding="utf-8")
    run = _cpsim(str(tmp_path), "--check")
    assert run.returncode == 1
    assert "procedure/broken.yaml: 422" in run.stderr and "4 of 6 pages answered" in run.stdout


def test_ctrl_c_stops_the_app_and_removes_its_scratch_folder(tmp_path: Path) -> None:
    import os
    import signal

    scratch_root = tmp_path / "tmp"
    scratch_root.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "cpsim", "app", str(tmp_path), "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(scratch_root)},
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().startswith("cpsim app: http://127.0.0.1:")
    assert [p.name[:10] for p in scratch_root.iterdir()] == ["cpsim-app-"]
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=60) == 0, proc.stderr.read()
    assert list(scratch_root.iterdir()) == []
