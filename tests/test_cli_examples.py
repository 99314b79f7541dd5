"""Every example in a command's ``--help`` runs as printed, from a copy of the repository's folders.

The examples are what a new user types first, so each one is run in a shell, in order within its
command, in a fresh folder laid out like the repository (with the source documents at
``../shared/seeds``), and must succeed.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cpsim.cli import command_names

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
# Exit codes an example may end with besides 0: verify says 3 when it finds violations.
ALSO_OK = {"verify": {3}}


def examples(name: str) -> list[str]:
    """The shell lines under ``Example:`` in command ``name``'s help, continuation lines joined."""
    doc = importlib.import_module(f"cpsim.commands.{name}").__doc__ or ""
    lines = doc[doc.index("Example:") + len("Example:") :].strip("\n").splitlines()
    out: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            break
        if out and out[-1].endswith("\\"):
            out[-1] = out[-1][:-1].rstrip() + " " + line
        else:
            out.append(line)
    return out


def test_every_command_has_an_example() -> None:
    """Each command's help ends with at least one example starting with ``cpsim NAME``."""
    for name in command_names():
        lines = examples(name)
        assert lines, name
        assert any(f"cpsim {name}" in line for line in lines), (name, lines)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A folder laid out like the repository: procedures, scenarios, docs, and the sources beside it."""
    work = tmp_path / "cpsim"
    shutil.copytree(ROOT / "model" / "procedures", work / "model" / "procedures")
    shutil.copytree(ROOT / "scenarios", work / "scenarios", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "docs", work / "docs")
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "seeds").symlink_to(SEEDS)
    return work


@pytest.mark.slow
@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source documents are not beside the repository")
@pytest.mark.parametrize("name", command_names())
def test_every_help_example_runs(name: str, workspace: Path) -> None:
    """Each example of command ``name`` exits 0 (or its documented non-zero verdict) with no traceback."""
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    for line in examples(name):
        run = subprocess.run(  # the timeout only guards against a hang: `report --all` simulates every scenario
            ["bash", "-c", line], cwd=workspace, env=env, capture_output=True, text=True, timeout=1200, check=False
        )
        assert run.returncode in {0, *ALSO_OK.get(name, set())}, f"{line}\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}"
        assert "Traceback" not in run.stderr, f"{line}\n{run.stderr[-2000:]}"
