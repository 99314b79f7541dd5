"""``make demo`` reads as a short story: six steps, each printing little, ending with where the reports are.

The tests read the demo recipe from the Makefile and run its shell lines (not make itself), with
``$(BIN)`` pointing at this interpreter's environment and the run and report folders in a temporary
copy of the working layout.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def demo_lines(cwd: Path) -> list[str]:
    """The demo recipe's shell lines, continuation lines joined and make's variables filled in."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^demo:.*\n((?:\t.*\n)+)", text, re.MULTILINE)
    assert recipe, "the Makefile has a demo target"
    joined = recipe.group(1).replace("\\\n", " ")
    seeds = ROOT.parent / "shared" / "seeds"
    lines = []
    for raw in joined.splitlines():
        line = raw.strip().removeprefix("@")
        for name, value in {"BIN": BIN, "SEEDS": seeds, "CURDIR": cwd}.items():
            line = line.replace(f"$({name})", str(value))
        assert "$(" not in line.replace("$$(", ""), f"unexpanded make variable in {line!r}"
        lines.append(line.replace("$$", "$"))
    return lines


def run_line(line: str, cwd: Path) -> str:
    done = subprocess.run(["bash", "-c", line], cwd=cwd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_demo_has_six_steps_and_ends_with_where_the_reports_are(tmp_path):
    lines = demo_lines(tmp_path)
    steps = [line for line in lines if line.startswith('echo "== ')]
    commands = [m.group(1) for s in steps if (m := re.search(r"\(cpsim (\w+)", s))]
    assert commands == ["list", "validate", "show", "verify", "simulate", "report"]
    assert "reports/out/index.html" in lines[-1]


def test_the_demos_verify_step_prints_under_60_lines():
    (verify,) = [line for line in demo_lines(ROOT) if "cpsim verify" in line and not line.startswith("echo")]
    out = run_line(verify, ROOT)
    assert len(out.splitlines()) < 60
    assert out.startswith("14 procedures verified: ")
    assert "route:" not in out


@pytest.mark.slow
def test_the_whole_demo_prints_a_short_story(tmp_path):
    for folder in ("model", "scenarios"):
        (tmp_path / folder).symlink_to(ROOT / folder)
    out = "".join(run_line(line, tmp_path) for line in demo_lines(tmp_path))
    lines = out.splitlines()
    assert len(lines) < 100
    assert "assumptions behind these figures are in the report" in out
    assert "14 procedure files, all well formed" in out
    assert (
        lines[-1]
        == f"Open {tmp_path}/reports/out/index.html to read them; the baseline run is in runs/redcar-baseline/."
    )
    assert (tmp_path / "reports" / "out" / "index.html").is_file()
