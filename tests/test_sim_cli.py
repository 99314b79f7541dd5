"""`cpsim simulate`: prints the summary, writes a complete run directory, never overwrites without --force."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cpsim.cli import main

BASE = "scenarios/redcar-baseline.yaml"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_run_directory_is_complete_and_json_output_is_the_summary(tmp_path: Path, capsys) -> None:
    out = tmp_path / "run"
    assert main(["simulate", BASE, "-n", "2", "--seed", "3", "--workers", "1", "-o", str(out), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert sorted(p.name for p in out.iterdir()) == [
        "cases.csv",
        "events.csv",
        "events.xes",
        "manifest.json",
        "staff.csv",
        "summary.json",
    ]
    assert json.loads((out / "summary.json").read_text()) == printed
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 3 and manifest["replications_finished"] == 2 and not manifest["interrupted"]
    assert any(k.endswith("redcar-internal.yaml") for k in manifest["files_sha256"])
    assert all(len(v) == 64 for v in manifest["files_sha256"].values())
    ns = {"x": "http://www.xes-standard.org/"}
    log = ET.parse(out / "events.xes").getroot()
    event = log.find("x:trace/x:event", ns)
    keys = {e.get("key") for e in event}
    assert {"concept:name", "time:timestamp", "lifecycle:transition"} <= keys
    assert len(log.findall("x:trace", ns)) == len((out / "cases.csv").read_text().splitlines()) - 1


def test_an_existing_run_directory_is_kept_unless_forced(tmp_path: Path, capsys) -> None:
    """An existing folder is refused; --force replaces a run cpsim wrote, never a file the user put there."""
    out = tmp_path / "run"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    assert main(["simulate", BASE, "-n", "1", "--workers", "1", "-o", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err and (out / "mine.txt").exists()
    assert main(["simulate", BASE, "-n", "1", "--workers", "1", "-o", str(out), "--force"]) == 1
    assert (out / "mine.txt").read_text() == "keep me" and not (out / "summary.json").exists()
    (out / "mine.txt").unlink()
    out.rmdir()
    assert main(["simulate", BASE, "-n", "1", "--workers", "1", "-o", str(out)]) == 0
    assert main(["simulate", BASE, "-n", "1", "--workers", "1", "-o", str(out), "--force"]) == 0
    assert (out / "summary.json").exists()


def test_text_output_names_targets_and_assumptions(tmp_path: Path, capsys) -> None:
    assert main(["simulate", "redcar-baseline", "-n", "1", "--workers", "1", "-o", str(tmp_path / "r")]) == 0
    out = capsys.readouterr().out
    assert "redcar-internal/five-working-days" in out and "95% CI" not in out.split("Assumptions:")[1]
    assert "Assumptions:" in out and "assumed" in out


def test_bad_scenario_and_bad_open_cases_exit_1_with_located_errors(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: X\nprocedures: []\n")
    assert main(["simulate", str(bad), "-o", str(tmp_path / "r")]) == 1
    assert f"{bad}:3:" in capsys.readouterr().err
    oc = tmp_path / "open.csv"
    oc.write_text("id,route,current_rung,date_raised,date_asked\nA,nowhere,level1,2026-01-01,2026-01-02\n")
    assert main(["simulate", BASE, "--open-cases", str(oc), "-o", str(tmp_path / "r2")]) == 1
    assert f"{oc}:2:2: row 2: unknown route 'nowhere'" in capsys.readouterr().err
