"""Folders that mix procedures, scenarios and behaviour files are sorted by kind, not failed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cpsim.cli import main

ROOT = Path(__file__).resolve().parent.parent
PROCEDURE = ROOT / "model" / "procedures" / "redcar-internal.yaml"
SCENARIO = ROOT / "scenarios" / "redcar-baseline.yaml"
BEHAVIOUR = ROOT / "scenarios" / "behaviours" / "redcar-external-whole-days.yaml"


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    for f in (PROCEDURE, SCENARIO, BEHAVIOUR):
        shutil.copy(f, tmp_path / f.name)
    return tmp_path


def test_list_of_a_mixed_folder_lists_its_procedure_and_counts_the_rest(mixed, capsys):
    assert main(["list", str(mixed)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("redcar-internal ") and len(out.splitlines()) == 1
    assert "left out 1 scenario file" in err and "left out 1 behaviour file" in err


def test_validate_checks_a_scenario_and_a_behaviour_file_as_what_they_are(mixed, capsys):
    assert main(["validate", str(mixed)]) == 0
    out = capsys.readouterr().out
    assert {line.rsplit(": ", 1)[1] for line in out.splitlines()} == {"ok"}
    assert len(out.splitlines()) == 3


def test_validate_reports_a_broken_scenario_with_scenario_messages(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SCENARIO.read_text().replace("replications:", "replicatons:"))
    assert main(["validate", str(bad)]) == 1
    assert "did you mean 'replications'" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["simulate", "analyse", "compare"])
def test_a_procedure_given_for_a_scenario_is_named_as_a_procedure_once(command, capsys):
    args = [command, str(PROCEDURE)] + ([str(PROCEDURE)] if command == "compare" else [])
    assert main(args) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == (
        f"{PROCEDURE}:1:1: this is a procedure file, not a scenario: a scenario names the procedures it runs, "
        "the staff and the arrivals (give a scenario file, such as scenarios/redcar-baseline.yaml, described in "
        "docs/scenario-format.md; a procedure file is for cpsim verify or cpsim show)"
    )
    assert len(err) == 1
