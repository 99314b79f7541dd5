"""Run directories and their files get the permissions the user's umask gives, like any file they make."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from cpsim.cli import main
from cpsim.model.scenario.classes import SCENARIOS_DIR

SIM = ["simulate", str(SCENARIOS_DIR / "redcar-baseline.yaml"), "-n", "1", "--workers", "1", "--json"]


@pytest.fixture
def mask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o077], indirect=True)
def test_a_run_directory_follows_the_umask(tmp_path: Path, mask: int, capsys: pytest.CaptureFixture[str]) -> None:
    run = tmp_path / "deeper" / "run"
    assert main([*SIM, "-o", str(run)]) == 0
    capsys.readouterr()
    assert stat.S_IMODE(run.stat().st_mode) == 0o777 & ~mask  # 0o755 under the usual umask 022
    assert stat.S_IMODE(run.parent.stat().st_mode) == 0o777 & ~mask
    for path in run.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask, path.name
