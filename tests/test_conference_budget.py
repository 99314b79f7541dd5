"""Conference runs that cannot finish are refused before any work, through the real command line, with a way out."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from cpsim.model.conference.load import CONFERENCE_SCENARIOS, load_conference
from cpsim.simulate.conference.budget import SOFT_EVENTS, check_conference, estimate_conference
from cpsim.simulate.conference.engine import run_conference_replication
from cpsim.simulate.experiments.budget import HARD_REPLICATION_EVENTS

BASELINE = CONFERENCE_SCENARIOS["stoke-conference-baseline"]
GUARD = 120  # seconds: a guard against a hang, not a speed requirement (see bench/)


def cpsim(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed command line in a child process."""
    cmd = [sys.executable, "-m", "cpsim", *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=GUARD)


def scenario(tmp_path: Path, rate: float, name: str = "big") -> Path:
    """A what-if on the shipped Stoke-on-Trent baseline with ``rate`` strategy discussions a working day."""
    path = tmp_path / f"{name}.yaml"
    text = f"extend: {BASELINE}\nid: {name}\nlifecycle: stoke-conference-lifecycle\ndemand: {{rate: {rate}}}\n"
    path.write_text(text, encoding="utf-8")
    return path


def refused(result: subprocess.CompletedProcess[str], *words: str) -> str:
    """The one message of a refused run, checked for exit 1, no traceback and each of ``words``."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    message = result.stderr.strip()
    for word in words:
        assert word in message, message
    return message


@pytest.mark.parametrize("lift", [[], ["--no-size-limit"]])
def test_a_huge_demand_rate_is_refused_in_seconds_whatever_the_options(tmp_path: Path, lift: list[str]) -> None:
    path = scenario(tmp_path, 1e6)
    began = time.monotonic()
    msg = refused(cpsim("simulate", str(path), "-o", "run", *lift, cwd=tmp_path), "events", "children")
    assert time.monotonic() - began < GUARD
    assert "no option lifts this" in msg and "lower demand.rate" in msg
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.yaml"]  # nothing written


def test_a_run_over_the_soft_ceiling_gives_its_estimate_and_how_to_get_under_it(tmp_path: Path) -> None:
    path = scenario(tmp_path, 20)
    msg = refused(cpsim("simulate", str(path), "-n", "100", "-o", "run", cwd=tmp_path), f"{SOFT_EVENTS:,}")
    assert "--no-size-limit" in msg and "-n 100," in msg and "fewer replications (-n " in msg
    other = scenario(tmp_path, 1.3, "other")
    refused(cpsim("compare", str(path), str(other), "-n", "100", cwd=tmp_path), f"{SOFT_EVENTS:,}", "--no-size-limit")
    sc = load_conference(path)
    check_conference(estimate_conference(sc, 100), lifted=True)  # the flag lifts the soft ceiling
    with pytest.raises(Exception, match="--no-size-limit"):
        check_conference(estimate_conference(sc, 100))


def test_the_estimate_is_near_what_a_replication_makes() -> None:
    """Within a factor of two of the events one replication of each baseline really makes."""
    for name in ("stoke-conference-baseline", "wakefield-conference-baseline"):
        sc = load_conference(CONFERENCE_SCENARIOS[name])
        rep = run_conference_replication(sc, seed=1)
        made = len(rep.timed) + len(rep.conferences) + sum(len(c.stages) for c in rep.challenges)
        guess = estimate_conference(sc, 1).replication_events
        assert made / 2 < guess < made * 2, (name, made, guess)
        assert guess < HARD_REPLICATION_EVENTS
