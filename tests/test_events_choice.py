"""The event log is a choice: none, the first K replications or all, plain or gzipped; every reader copes.

Every replication's challenges are in cases.csv whatever the choice; the manifest says which
replications the event log holds; pandas and pm4py read the gzipped files as they are; a report,
the workload chart and calibrate work on a run with a partial log or none and say what is missing.
"""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pandas as pd
import pm4py
import pytest

from cpsim.cli import main
from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
from cpsim.reports.rundir.eventlog import AUTO_FIRST, EventLog, parse_events
from cpsim.reports.rundir.read import load_run, request_spans
from cpsim.reports.rundir.write import write_run
from cpsim.simulate.calibrate.records import read_records
from cpsim.simulate.experiments.runner import run

BASELINE = SCENARIOS_DIR / "redcar-baseline.yaml"
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def _simulate(out: Path, *extra: str, n: int = 4) -> dict[str, object]:
    args = ["simulate", str(BASELINE), "-n", str(n), "--seed", "3", "--workers", "1", "--json", "-o", str(out)]
    assert main([*args, *extra]) == 0
    manifest: dict[str, object] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return manifest


def _reps(rows: list[dict[str, str]]) -> set[int]:
    return {int(r["replication"]) for r in rows}


def _csv(path: Path) -> list[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_choice_reads_as_written_and_auto_keeps_all_of_a_small_run_and_the_first_of_a_large() -> None:
    assert parse_events("first:7", gzip=True) == EventLog("first", 7, True)
    assert parse_events("auto").resolve(AUTO_FIRST).label == "all"
    assert parse_events("auto").resolve(AUTO_FIRST + 1).label == f"first:{AUTO_FIRST}"
    assert parse_events("first:9").resolve(4).label == "all"
    assert [EventLog("first", 2).keeps(i) for i in range(4)] == [True, True, False, False]
    assert EventLog("none").files == () and EventLog("all", gzip=True).files == ("events.csv.gz", "events.xes.gz")


@pytest.mark.parametrize("bad", ["some", "first:", "first:0", "first:x", "last:3"])
def test_a_choice_cpsim_does_not_know_is_refused_before_any_work(bad: str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["simulate", str(BASELINE), "-n", "2", "--events", bad, "-o", str(tmp_path / "run")]) == 1
    err = capsys.readouterr().err
    assert f"--events {bad!r}" in err and "first:K" in err and "Traceback" not in err
    assert not (tmp_path / "run").exists()


def test_first_k_gzipped_holds_those_replications_events_and_every_replications_challenges(tmp_path: Path) -> None:
    manifest = _simulate(tmp_path / "run", "--events", "first:2", "--gzip")
    run_dir = tmp_path / "run"
    assert sorted(p.name for p in run_dir.iterdir()) == [
        "cases.csv", "events.csv.gz", "events.xes.gz", "manifest.json", "staff.csv", "summary.json"
    ]  # fmt: skip
    assert manifest["events"] == {
        "choice": "first:2", "gzip": True, "files": ["events.csv.gz", "events.xes.gz"],
        "replications": 2, "of": 4, "kept": "0-1",
    }  # fmt: skip
    assert _reps(_csv(run_dir / "cases.csv")) == {0, 1, 2, 3}
    assert _reps(_csv(run_dir / "events.csv.gz")) == {0, 1}
    frame = pd.read_csv(run_dir / "events.csv.gz")  # pandas reads the gzipped CSV as it is
    assert set(frame["replication"]) == {0, 1} and frame["timestamp"].str.endswith(("+00:00", "+01:00")).all()
    log = pm4py.read_xes(str(run_dir / "events.xes.gz"))  # and pm4py the gzipped XES
    assert {name.split("-")[0] for name in log["case:concept:name"]} == {"0", "1"}
    assert len(log) == sum(1 for r in _csv(run_dir / "events.csv.gz") if r["timestamp"])
    records = read_records(run_dir / "events.xes.gz")  # calibrate reads it too, as two copies of the period
    assert records.periods == 2 and records.visits


def test_the_gzipped_log_holds_the_same_text_as_the_plain_one(tmp_path: Path) -> None:
    _simulate(tmp_path / "plain", "--events", "first:2")
    _simulate(tmp_path / "packed", "--events", "first:2", "--gzip")
    for name in ("events.csv", "events.xes"):
        plain = (tmp_path / "plain" / name).read_bytes()
        assert gzip.decompress((tmp_path / "packed" / f"{name}.gz").read_bytes()) == plain, name
    assert (tmp_path / "plain" / "cases.csv").read_bytes() == (tmp_path / "packed" / "cases.csv").read_bytes()


def test_a_partial_log_gives_the_workload_of_its_own_replications(tmp_path: Path) -> None:
    _simulate(tmp_path / "all")
    _simulate(tmp_path / "first", "--events", "first:2")
    full, part = load_run(tmp_path / "all"), load_run(tmp_path / "first")
    roles = set(full.summary["staff"])
    assert full.event_replications == 4 and full.events_note is None
    assert part.event_replications == 2 and "first 2 of the 4 replications" in (part.events_note or "")
    assert main(["report", str(tmp_path / "first"), "-o", str(tmp_path / "first.md")]) == 0
    assert "The event log holds the first 2 of the 4 replications" in (tmp_path / "first.md").read_text(
        encoding="utf-8"
    )
    spans_all, spans_first = request_spans(full, roles), request_spans(part, roles)
    assert spans_first and spans_first == {
        role: [s for s in spans if s[0] < 2] for role, spans in spans_all.items() if any(s[0] < 2 for s in spans)
    }


def test_a_run_without_an_event_log_is_reported_and_calibrate_says_what_is_missing(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    manifest = _simulate(tmp_path / "run", "--events", "none", n=2)
    assert "no event log" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "run").iterdir()) == [
        "cases.csv", "manifest.json", "staff.csv", "summary.json"
    ]  # fmt: skip
    assert manifest["events"] == {"choice": "none", "gzip": False, "files": [], "replications": 0, "of": 2, "kept": ""}
    results = load_run(tmp_path / "run")
    assert results.event_replications == 0 and "no event log" in (results.events_note or "")
    assert main(["report", str(tmp_path / "run"), "-o", str(tmp_path / "report.md")]) == 0
    assert "This run directory has no event log (events.csv)" in (tmp_path / "report.md").read_text(encoding="utf-8")
    assert main(["calibrate", str(tmp_path / "run" / "events.xes"), "-o", str(tmp_path / "c.yaml")]) == 1
    err = capsys.readouterr().err
    assert "events.xes:1:1: no such file" in err and "--events none" in err and "Traceback" not in err


def test_calibrate_pointed_at_a_plain_name_is_told_the_gzipped_file_the_run_holds(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _simulate(tmp_path / "run", "--events", "all", "--gzip", n=1)
    assert main(["calibrate", str(tmp_path / "run" / "events.xes"), "-o", str(tmp_path / "c.yaml")]) == 1
    assert "events.csv.gz and events.xes.gz: give that file" in capsys.readouterr().err


def test_a_run_written_whole_is_the_run_written_as_it_goes_for_every_choice(tmp_path: Path) -> None:
    sc = load_scenario(BASELINE)
    held = run(sc, replications=3, seed=3, workers=1, keep=True, events=True)
    for choice in ("none", "first:1", "all"):
        write_run(held, tmp_path / f"held-{choice}", version="t", workers=1, events=parse_events(choice, gzip=True))
        _simulate(tmp_path / f"cli-{choice}", "--events", choice, "--gzip", n=3)
        names = sorted(p.name for p in (tmp_path / f"held-{choice}").iterdir() if p.name != "manifest.json")
        assert names == sorted(p.name for p in (tmp_path / f"cli-{choice}").iterdir() if p.name != "manifest.json")
        for name in names:
            held_bytes = (tmp_path / f"held-{choice}" / name).read_bytes()
            assert held_bytes == (tmp_path / f"cli-{choice}" / name).read_bytes(), (choice, name)
