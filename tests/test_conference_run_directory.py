"""A conference run directory records what made it, and ``cpsim report`` finds it from there.

``cpsim simulate`` on a conference scenario writes, as a challenge run does, the scenario's path and
the sha256 of every file it read (the scenario, the life cycle, the escalation and dissent
procedures, the open plans, the replayed dates) in ``manifest.json`` and the path in
``summary.json``; ``cpsim report RUN_DIR`` then needs no ``--scenario``, and refuses, naming the
file, when one of those files has changed since the run.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from cpsim.cli import main
from cpsim.model.conference.load import CONFERENCE_SCENARIOS
from cpsim.model.files.yaml import read_yaml

WAKEFIELD = CONFERENCE_SCENARIOS["wakefield-conference-baseline"]
DISSENT = WAKEFIELD.parent / "procedures" / "wakefield-conference-dissent-simulated.yaml"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _own_wakefield(tmp_path: Path) -> Path:
    """The Wakefield baseline under an id no shipped file has, with its own copy of the dissent procedure."""
    (tmp_path / "procedures").mkdir()
    shutil.copy(DISSENT, tmp_path / "procedures" / DISSENT.name)
    own = tmp_path / "ours.yaml"
    own.write_text(WAKEFIELD.read_text().replace("id: wakefield-conference-baseline", "id: our-wakefield", 1))
    return own


def _simulate(scenario: Path, run: Path) -> dict[str, Any]:
    assert main(["simulate", str(scenario), "-n", "1", "--seed", "3", "-o", str(run), "--workers", "1"]) == 0
    manifest: dict[str, Any] = json.loads((run / "manifest.json").read_text())
    return manifest


def test_the_manifest_names_the_scenario_and_the_sha256_of_every_file_it_read(tmp_path: Path, capsys) -> None:
    own = _own_wakefield(tmp_path)
    manifest = _simulate(own, tmp_path / "run")
    lifecycle = WAKEFIELD.parents[1] / "model" / "procedures" / "wakefield-conference-lifecycle.yaml"
    escalation = lifecycle.parent / "wakefield-chair-concern.yaml"
    files = {Path(k).resolve(): v for k, v in manifest["files_sha256"].items()}
    assert files == {p.resolve(): _sha(p) for p in (own, lifecycle, escalation, tmp_path / "procedures" / DISSENT.name)}
    assert manifest["scenario"]["id"] == "our-wakefield" and Path(manifest["scenario"]["path"]).resolve() == own
    assert manifest["seed"] == 3 and manifest["replications_finished"] == 1 and "summary.json" in manifest["written"]
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["scenario"]["path"] == manifest["scenario"]["path"]
    capsys.readouterr()
    assert main(["report", str(tmp_path / "run"), "-o", str(tmp_path / "r.html")]) == 0  # no --scenario needed
    assert "our-wakefield" in (tmp_path / "r.html").read_text()


def test_a_shipped_scenario_is_recorded_relative_to_the_working_directory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(WAKEFIELD.parents[1])
    manifest = _simulate(WAKEFIELD, tmp_path / "run")
    assert manifest["scenario"]["path"] == "scenarios/wakefield-conference-baseline.yaml"
    assert "model/procedures/wakefield-conference-lifecycle.yaml" in manifest["files_sha256"]


def test_a_report_on_a_run_whose_dissent_procedure_changed_since_names_it_and_says_to_simulate_again(
    tmp_path: Path, capsys
) -> None:
    own = _own_wakefield(tmp_path)
    _simulate(own, tmp_path / "run")
    copy = tmp_path / "procedures" / DISSENT.name
    copy.write_text(copy.read_text() + "# edited after the run\n")
    capsys.readouterr()
    assert main(["report", str(tmp_path / "run"), "-o", str(tmp_path / "r.html")]) == 1
    err = capsys.readouterr().err
    assert f"{copy} has changed since the run" in err and "simulate the scenario again" in err
    assert "Traceback" not in err and not (tmp_path / "r.html").exists()
    # naming the file with --scenario does not get round it
    assert main(["report", str(tmp_path / "run"), "-o", str(tmp_path / "r.html"), "--scenario", str(own)]) == 1
    assert "has changed since the run" in capsys.readouterr().err


@pytest.mark.parametrize("edited", ["dates.csv", "open.csv"])
def test_replayed_dates_and_open_plans_are_recorded_and_a_change_to_either_is_named(
    tmp_path: Path, capsys, edited: str
) -> None:
    data: dict[str, Any] = read_yaml(CONFERENCE_SCENARIOS["stoke-conference-baseline"]).data
    data.update(id="our-stoke", demand={"kind": "replay", "file": "dates.csv"}, open_plans="open.csv")
    data["calendar"].update(horizon=60, warm_up=10, follow_up=20)
    (tmp_path / "dates.csv").write_text("date\n2025-07-08\n2025-07-09\n2025-08-01\n")
    (tmp_path / "open.csv").write_text("id,plan_start,last_conference,last_core_group\nA1,2025-05-02,2025-05-02,\n")
    scenario = tmp_path / "ours.yaml"
    scenario.write_text(json.dumps(data, default=str))  # JSON is YAML
    manifest = _simulate(scenario, tmp_path / "run")
    for name in ("dates.csv", "open.csv", "ours.yaml"):
        assert manifest["files_sha256"][str(tmp_path / name)] == _sha(tmp_path / name)
    assert main(["report", str(tmp_path / "run"), "-o", str(tmp_path / "ok.html")]) == 0
    with (tmp_path / edited).open("a") as f:
        f.write("\n")
    capsys.readouterr()
    assert main(["report", str(tmp_path / "run"), "-o", str(tmp_path / "r.html")]) == 1
    assert f"{tmp_path / edited} has changed since the run" in capsys.readouterr().err


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _ci(fig: dict[str, Any], unit: str = "") -> str:
    lo, hi = fig["ci95"]
    return f"{fig['mean']:.2f}{unit} (95% CI {lo:.2f} to {hi:.2f})"


def test_dissents_csv_has_a_row_per_dissent_adding_up_to_the_summary_and_the_page_lists_them_with_cis(
    tmp_path: Path,
) -> None:
    run = tmp_path / "run"
    assert main(["simulate", str(WAKEFIELD), "-n", "2", "--seed", "3", "-o", str(run), "--workers", "1"]) == 0
    summary = json.loads((run / "summary.json").read_text())["dissent"]
    rows = [r for r in _rows(run / "dissents.csv") if r["counted"] == "True"]
    assert rows and {r["replication"] for r in rows} == {"0", "1"}
    for who, fig in summary["by_who"].items():
        mine = [r for r in rows if r["who"] == who]
        assert len(mine) == fig["raised"] > 0
        assert all(r["dissent"] == f"{r['child']}/{r['conference']}/{who}" for r in mine)
        assert all(r["procedure"] == "wakefield-conference-dissent-simulated" for r in mine)
        for sid, ended in fig["ended_at"].items():  # ratio of totals: the rows' own share
            assert ended["share"]["mean"] == pytest.approx(
                sum(r["end_stage"] == sid for r in mine) / len(mine), abs=1e-6
            )
        for sid, reached in fig["visited"].items():
            share = sum(sid in r["stages"].split(";") for r in mine) / len(mine)
            assert reached["share"]["mean"] == pytest.approx(share, abs=1e-6)
        done = [float(r["working_days"]) for r in mine if r["working_days"]]
        assert fig["resolution_working_days_mean"]["mean"] == pytest.approx(sum(done) / len(done), abs=0.01)
    page = (run / "report.html").read_text()
    assert "<h2>Dissent from conference decisions</h2>" in page and _ci(summary["per_100_conferences"]) in page
    for fig in summary["by_who"].values():
        assert f"{_ci(fig['per_100_conferences'])} per 100 conferences ({fig['raised']} raised" in page
        for x in fig["ended_at"].values():
            share = x["share"]
            lo, hi = share["ci95"]
            assert f"{100 * share['mean']:.1f}% (95% CI {100 * lo:.1f}% to {100 * hi:.1f}%)" in page


def test_transfers_out_csv_has_a_row_per_move_adding_up_to_the_summary_and_the_page_lists_them(
    tmp_path: Path,
) -> None:
    run = tmp_path / "run"
    stoke = CONFERENCE_SCENARIOS["stoke-conference-baseline"]
    assert main(["simulate", str(stoke), "-n", "2", "--seed", "3", "-o", str(run), "--workers", "1"]) == 0
    summary = json.loads((run / "summary.json").read_text())
    out, timescale = summary["transfers_out"], summary["timescales"]["transfer-out"]
    rows = [r for r in _rows(run / "transfers_out.csv") if r["counted"] == "True"]
    assert len(rows) == pytest.approx(2 * out["per_replication"]["mean"]) and rows
    assert sum(r["within"] == "True" for r in rows) == timescale["within"]
    assert sum(r["late"] == "True" for r in rows) == timescale["late"]
    held = [int(r["working_days"]) for r in rows if r["working_days"]]
    assert out["working_days_to_conference_mean"]["mean"] == pytest.approx(sum(held) / len(held), abs=0.01)
    assert sum(not r["conference_date"] for r in rows) == out["still_waiting"]
    page = (run / "report.html").read_text()
    assert f"Transfers out per replication: {_ci(out['per_replication'])}" in page
    assert f"conference {_ci(out['working_days_to_conference_mean'])} working days after the move" in page
