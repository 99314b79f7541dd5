"""The author's inner loop stays light: checking a file loads no simulator, no drawing, no statistics.

Each command runs in a fresh interpreter, which then lists the heavy packages it has imported.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from cpsim.cli import build_parser, command_names

ROOT = Path(__file__).resolve().parent.parent
PROCEDURE = ROOT / "model" / "procedures" / "redcar-internal.yaml"
HEAVY = ("matplotlib", "scipy", "dask", "distributed", "simpy", "pm4py")
PROBE = """
import sys
from cpsim.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
wanted = set(sys.argv[0].split(','))
loaded = sorted(m for m in sys.modules if m in wanted or m.split('.')[0] in wanted)
print('LOADED=' + ','.join(loaded), file=sys.stderr)
sys.exit(code or 0)
"""


def _heavy_modules_loaded(*args: str, heavy: tuple[str, ...] = HEAVY) -> list[str]:
    run = subprocess.run(
        [sys.executable, "-c", PROBE.replace("sys.argv[0]", repr(",".join(heavy))), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    line = next(x for x in run.stderr.splitlines() if x.startswith("LOADED="))
    return [m for m in line.removeprefix("LOADED=").split(",") if m]


@pytest.mark.parametrize(
    "args",
    [
        ("--version",),
        ("list",),
        ("show", str(PROCEDURE)),
        ("validate", str(PROCEDURE)),
        ("validate", "--help"),
    ],
    ids=lambda a: " ".join(a[:1] + tuple(x for x in a[1:] if x.startswith("-"))),
)
def test_quick_commands_import_no_heavy_package(args: tuple[str, ...]) -> None:
    """``--version``, ``list``, ``show`` and ``validate`` load none of matplotlib, scipy, dask or simpy."""
    assert _heavy_modules_loaded(*args) == []


def test_the_probe_sees_a_heavy_import() -> None:
    """The probe is not blind: a command that simulates does load SimPy."""
    assert "simpy" in _heavy_modules_loaded("simulate", "--help")


def test_a_challenge_run_loads_no_drawing_and_no_heavy_statistics(tmp_path: Path) -> None:
    """``simulate`` writes its run without matplotlib, scipy.stats or scipy.signal (about a second each to load)."""
    heavy = ("matplotlib", "scipy.stats", "scipy.signal", "pandas", "pm4py", "dask")
    scenario = ROOT / "scenarios" / "redcar-baseline.yaml"
    out = tmp_path / "run"
    assert _heavy_modules_loaded("simulate", str(scenario), "-n", "1", "-o", str(out), heavy=heavy) == []
    assert (out / "summary.json").is_file()


def test_every_command_module_is_named_as_its_command() -> None:
    """Only the named module is imported, so each module's ``NAME`` must be its file name."""
    for name in command_names():
        assert importlib.import_module(f"cpsim.commands.{name}").NAME == name


def test_help_lists_every_command_with_its_summary() -> None:
    """``cpsim --help`` still lists every command and what it does."""
    text = build_parser().format_help()
    for name in command_names():
        module = importlib.import_module(f"cpsim.commands.{name}")
        assert name in text
        assert module.HELP.split()[0] in text
