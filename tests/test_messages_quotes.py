"""Quotes checked against the sources fold typographic quotes, dashes and spaces; a real slip is pointed at.

A small procedure and a sources folder of its own are checked through ``cpsim validate --sources``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = (ROOT / "tests" / "data" / "minimal.yaml").read_text(encoding="utf-8")
SOURCE = (
    "3.3 The Conference Chair will raise any concerns initially with the individual practitioner, "
    "who is to respond to the Conference Chair within one day \u2013 the chair\u2019s \u201cinformal\u201d\u00a0step.\n"
    "3.4 Should the Conference Chair not be satisfied, they will escalate.\n"
    "3.6 The matter will be resolved within five working days.\n"
)


def cpsim(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the command line as a user does."""
    return subprocess.run([sys.executable, "-m", "cpsim", *args], capture_output=True, text=True, timeout=120, cwd=ROOT)


def _setup(tmp_path: Path, quote: str) -> tuple[Path, Path]:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "003_16d9b606cf9f47aa.txt").write_text(SOURCE, encoding="utf-8")
    text = MINIMAL.replace('quote: "respond to the Conference Chair within one day"', f"quote: {quote}", 1)
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    return path, sources


def test_straight_quotes_plain_dashes_and_spaces_match_typographic_ones(tmp_path: Path) -> None:
    path, sources = _setup(tmp_path, "'within one day - the chair\\'s \"informal\" step'".replace("\\'", "''"))
    run = cpsim("validate", "--sources", str(sources), str(path))
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"{path}: ok"


def test_a_real_slip_is_pointed_at_its_first_differing_character(tmp_path: Path) -> None:
    path, sources = _setup(tmp_path, '"respond to the Conference Chair within two days"')
    run = cpsim("validate", "--sources", str(sources), str(path))
    assert run.returncode == 1
    assert run.stderr.splitlines()[0] == (
        f"{path}:33:66: quote not found in 003_16d9b606cf9f47aa.txt: "
        "'respond to the Conference Chair within two days' (differs at character 40: the file has 't', "
        "the source has 'o', in “respond to the Conference Chair within one day - the chair's”; "
        "copy the words exactly from the source)"
    )


def test_a_quote_with_nothing_like_it_in_the_source_says_so(tmp_path: Path) -> None:
    path, sources = _setup(tmp_path, '"zebra crossings at dawn"')
    run = cpsim("validate", "--sources", str(sources), str(path))
    assert run.returncode == 1
    assert run.stderr.splitlines()[0] == (
        f"{path}:33:66: quote not found in 003_16d9b606cf9f47aa.txt: 'zebra crossings at dawn' "
        "(nothing like it is in the source; copy the words exactly from the source)"
    )
