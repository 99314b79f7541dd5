"""`cpsim simulate` and `cpsim compare` on conference scenarios: the timescale table, paired differences, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cpsim.cli import main

ROOT = Path(__file__).resolve().parent.parent
BASE = "scenarios/wakefield-conference-baseline.yaml"


def _copied() -> str:
    """The baseline's text to write elsewhere: the dissent procedure it names relative to itself made absolute."""
    text = (ROOT / BASE).read_text(encoding="utf-8")
    return text.replace("procedure: procedures/", f"procedure: {ROOT / 'scenarios' / 'procedures'}/")


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_simulate_prints_the_timescale_table_next_to_the_challenges(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    assert main(["simulate", BASE, "-n", "2", "--seed", "3", "--workers", "1", "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Initial child protection conferences within 15 working days of the strategy discussion: " in text
    assert "Reviews held within timescale (first within 3 months, then within 6 months): " in text
    assert "[timescale stated by the scenario]" in text  # Wakefield's source gives no review timescale
    assert "deadline wakefield-chair-concern/chair_concern (within 3 working days): missed on " in text
    assert "raised per 100 conferences: " in text and "95% CI" in text
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["scenario"]["kind"] == "conference" and summary["replications"] == 2


def test_simulate_json_is_the_summary_and_a_run_directory_is_not_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    assert main(["simulate", "stoke-conference-baseline", "-n", "1", "--seed", "1", "-o", str(out), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads((out / "summary.json").read_text(encoding="utf-8"))
    (out / "summary.json").write_text("mine", encoding="utf-8")
    assert main(["simulate", "stoke-conference-baseline", "-n", "1", "-o", str(out)]) == 1
    assert (out / "summary.json").read_text(encoding="utf-8") == "mine"


def test_compare_gives_paired_differences(capsys: pytest.CaptureFixture[str]) -> None:
    a, b = "scenarios/stoke-conference-baseline.yaml", "scenarios/stoke-conference-one-chair-fewer.yaml"
    assert main(["compare", a, b, "-n", "2", "--seed", "5", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    names = [m["name"] for m in result["measures"]]
    assert "Initial child protection conferences within 15 working days of the strategy discussion" in names
    assert result["common_random_numbers"] and result["replications"] == 2
    assert main(["compare", a, b, "-n", "2", "--seed", "5"]) == 0
    assert "| figure | A | B | B − A (95% CI) | distinguishable from noise |" in capsys.readouterr().out


def test_a_bad_conference_file_is_reported_at_its_line_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(_copied().replace("plan_share: 0.85", "plan_share: lots"), encoding="utf-8")
    assert main(["simulate", str(bad), "-n", "1", "-o", str(tmp_path / "run")]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:37:15: " in err and "plan_share" in err and "Traceback" not in err


def test_validate_checks_a_conference_file_as_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", BASE, "scenarios/stoke-conference-one-chair-fewer.yaml"]) == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(_copied().replace("plan_share: 0.85", "plan_share: 2"), encoding="utf-8")
    assert main(["validate", str(bad)]) == 1
    assert f"{bad}:37:15: plan_share must be at most 1.0, got 2" in capsys.readouterr().err


def test_the_run_directory_has_a_page_with_timescales_and_challenges_together(tmp_path: Path) -> None:
    out = tmp_path / "run"
    assert main(["simulate", BASE, "-n", "2", "--seed", "3", "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "breaches.png",
        "challenges.csv",
        "conferences.csv",
        "dissents.csv",
        "manifest.json",
        "report.html",
        "staff.csv",
        "summary.json",
        "timed.csv",
        "transfers_out.csv",
    ]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    timed = (out / "timed.csv").read_text(encoding="utf-8").splitlines()
    icpc = [row.split(",") for row in timed[1:] if row.split(",")[2] == "icpc"]
    counted = [r for r in icpc if r[10] == "True"]
    assert len(counted) == summary["timescales"]["icpc"]["events"]
    assert sum(r[8] == "True" for r in counted) == summary["timescales"]["icpc"]["within"]
    challenges = (out / "challenges.csv").read_text(encoding="utf-8").splitlines()
    assert len(challenges) - 1 == summary["challenges"]["raised"]
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "Initial child protection conferences within 15 working days of the strategy discussion" in page
    assert "Challenges: wakefield-chair-concern/chair_concern (within 3 working days)" in page
    assert 'src="data:image/png;base64,' in page
    assert (out / "breaches.png").read_bytes().startswith(b"\x89PNG")


def test_options_for_challenge_scenarios_are_refused_plainly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "open.csv"
    csv.write_text("id,route,current_rung,date_raised,date_asked\n", encoding="utf-8")
    assert main(["simulate", BASE, "-n", "1", "--open-cases", str(csv), "-o", str(tmp_path / "run")]) == 1
    err = capsys.readouterr().err
    assert (
        "--open-cases is for challenge scenarios; a conference scenario lists its open plans under open_plans:" in err
    )
    assert not (tmp_path / "run").exists()
