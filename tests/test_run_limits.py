"""Runs that cannot finish are refused before any work, through the real command line, with a way out.

Each input from the report of runs that climbed past gigabytes (a huge replication count in the
file or with ``-n``, an arrival rate of 10,000 a day) is run as a user would run it, in a child
process with a generous timeout as a guard: it must end with exit code 1, one clear message
giving the estimate, the ceiling and how to get under it, and nothing written.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
from cpsim.simulate.experiments.budget import (
    HARD_EVENTS,
    HARD_REPLICATION_EVENTS,
    SOFT_EVENTS,
    Estimate,
    check,
    estimate,
    total,
)

BASELINE = SCENARIOS_DIR / "redcar-baseline.yaml"
GUARD = 120  # seconds: a guard against a hang, not a speed requirement (see bench/)


def cpsim(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed command line in a child process."""
    cmd = [sys.executable, "-m", "cpsim", *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=GUARD)


def scenario(tmp_path: Path, extra: str) -> Path:
    """A scenario extending the shipped baseline with ``extra`` YAML lines."""
    path = tmp_path / "big.yaml"
    path.write_text(f"extend: {BASELINE}\nid: big\n{extra}", encoding="utf-8")
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


def test_replications_of_a_million_million_in_the_file_are_refused(tmp_path: Path) -> None:
    path = scenario(tmp_path, "replications: 1000000000000\n")
    msg = refused(cpsim("simulate", str(path), "-o", "run", cwd=tmp_path), "1.6e+15 stage visits", "1,000,000,000")
    assert "fewer replications (-n " in msg and "no option lifts this" in msg
    assert list(tmp_path.iterdir()) == [path]  # no run directory, no hidden temporary one


def test_replications_written_1e12_in_the_file_are_refused_at_their_line(tmp_path: Path) -> None:
    path = scenario(tmp_path, "replications: 1e12\n")
    refused(cpsim("simulate", str(path), "-o", "run", cwd=tmp_path), f"{path.name}:3:", "whole number")


@pytest.mark.parametrize("lift", [[], ["--no-size-limit"]])
def test_dash_n_1e12_is_refused_even_with_the_soft_limit_lifted(tmp_path: Path, lift: list[str]) -> None:
    result = cpsim("simulate", str(BASELINE), "-n", "1e12", "-o", "run", *lift, cwd=tmp_path)
    refused(result, "-n 1,000,000,000,000", f"{HARD_EVENTS:,}", "fewer replications")
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize("lift", [[], ["--no-size-limit"]])
def test_an_arrival_rate_of_ten_thousand_a_day_is_refused_for_memory(tmp_path: Path, lift: list[str]) -> None:
    path = scenario(tmp_path, "arrivals: {rate: 1e4}\n")
    result = cpsim("simulate", str(path), "-n", "1", "-o", "run", *lift, cwd=tmp_path)
    msg = refused(result, "one replication", f"{HARD_REPLICATION_EVENTS:,}", "lower arrivals.rate")
    assert "2,395,833 challenges" in msg


def test_a_run_over_the_soft_limit_says_how_to_lift_it_and_the_flag_lifts_it(tmp_path: Path) -> None:
    """-n 20000 of the baseline is over the time ceiling; with the flag the run gets past it (to the output check)."""
    msg = refused(cpsim("simulate", str(BASELINE), "-n", "20000", cwd=tmp_path), f"{SOFT_EVENTS:,}", "--no-size-limit")
    fewer = int(20000 * SOFT_EVENTS / estimate(load_scenario(BASELINE), 20000).events)
    assert f"-n {fewer} or fewer" in msg and fewer < 20000
    (tmp_path / "taken").write_text("mine", encoding="utf-8")
    lifted = cpsim("simulate", str(BASELINE), "-n", "20000", "--no-size-limit", "-o", "taken", cwd=tmp_path)
    refused(lifted, "taken: is a file")  # the size check passed; the output check, which comes next, did not


def test_sweep_compare_and_report_check_the_size_first(tmp_path: Path) -> None:
    plus = str(SCENARIOS_DIR / "redcar-demand-plus-50.yaml")
    refused(cpsim("compare", str(BASELINE), plus, "-n", "1e12", cwd=tmp_path), "fewer replications")
    sweep = ["sweep", str(BASELINE), "--vary", "arrivals.rate=1,1e4", "-n", "2"]
    refused(cpsim(*sweep, cwd=tmp_path), "one replication", "lower arrivals.rate")
    refused(cpsim(*sweep, "--find-min", "arrivals.rate", "--max-breach", "0.1", cwd=tmp_path), "one replication")
    refused(cpsim("report", "--all", "-o", "out", "-n", "1e9", cwd=tmp_path), "stage visits")
    assert not (tmp_path / "out").exists()


def test_a_horizon_of_millions_of_days_is_refused() -> None:
    sc = load_scenario(BASELINE)
    e = estimate(sc, 1)
    with pytest.raises(Exception, match="working days"):
        check(Estimate(1.0, 1.0, 1, 1.0, 10**7))
    check(e)  # the baseline itself passes


def test_the_estimate_counts_arrivals_stages_replications_and_open_cases() -> None:
    sc = load_scenario(BASELINE)
    one = estimate(sc, 1)
    # 1.2 a day over 250 working days, August at 0.7 and December at 0.8: 1.2 * 250 * 11.5 / 12
    assert one.units_per_replication == pytest.approx(287.5)
    stages = 0.7 * len(sc.routes[0].procedure.stages) + 0.3 * len(sc.routes[1].procedure.stages)
    assert one.events == pytest.approx(287.5 * stages)
    assert estimate(sc, 10).events == pytest.approx(10 * one.events)
    assert estimate(sc, 1, open_cases=100).units_per_replication == pytest.approx(387.5)
    both = total([estimate(sc, 10), estimate(sc, 10)])
    assert both.events == pytest.approx(20 * one.events) and both.replications == 10


def test_the_soft_ceiling_is_lifted_by_the_flag_and_the_hard_ones_are_not() -> None:
    over_soft = Estimate(SOFT_EVENTS * 2.0, 1000.0, 10, 100.0, 500)
    with pytest.raises(Exception, match="--no-size-limit"):
        check(over_soft)
    check(over_soft, lifted=True)
    with pytest.raises(Exception, match="no option lifts this"):
        check(Estimate(HARD_EVENTS * 2.0, 1000.0, 10, 100.0, 500), lifted=True)
    with pytest.raises(Exception, match="no option lifts this"):
        check(Estimate(10.0 * HARD_REPLICATION_EVENTS, 2.0 * HARD_REPLICATION_EVENTS, 5, 1e6, 500), lifted=True)
