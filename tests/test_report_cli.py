"""`cpsim report` writes one report or, with --all, every report and an index; it never overwrites silently."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from cpsim.cli import main
from cpsim.model import PROCEDURES_DIR, shipped_procedure_paths
from cpsim.model.conference.load import CONFERENCE_SCENARIOS
from cpsim.model.scenario.classes import shipped_scenario_paths

REDCAR = str(PROCEDURES_DIR / "redcar-internal.yaml")


def test_report_on_a_procedure_writes_html(tmp_path: Path):
    out = tmp_path / "r.html"
    assert main(["report", REDCAR, "-o", str(out)]) == 0
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_md_extension_selects_markdown(tmp_path: Path):
    out = tmp_path / "r.md"
    assert main(["report", REDCAR, "-o", str(out)]) == 0
    assert out.read_text().startswith("# ")


def test_refuses_to_overwrite_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "r.html"
    out.write_text("keep")
    assert main(["report", REDCAR, "-o", str(out)]) == 1
    assert out.read_text() == "keep" and "--force" in capsys.readouterr().err
    assert main(["report", REDCAR, "-o", str(out), "--force"]) == 0


def test_a_scenario_is_sent_to_simulate_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    scenario = next(p for p in shipped_scenario_paths() if p.stem == "redcar-baseline")
    assert main(["report", str(scenario), "-o", str(tmp_path / "r.html")]) == 1
    assert "cpsim simulate" in capsys.readouterr().err


def test_a_folder_that_is_not_a_run_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["report", str(tmp_path), "-o", str(tmp_path / "r.html")]) == 1
    assert "not a run directory" in capsys.readouterr().err


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.hrefs += [v for k, v in attrs if k == "href"]


@pytest.mark.slow
def test_all_writes_a_report_per_procedure_and_scenario_and_an_index(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    out = tmp_path / "out"
    assert main(["report", "--all", "-o", str(out), "-n", "2", "--workers", "1"]) == 0
    assert str(out / "index.html") in capsys.readouterr().out
    links = _Links()
    links.feed((out / "index.html").read_text())
    assert len(links.hrefs) == len(shipped_procedure_paths()) + len(shipped_scenario_paths()) + len(
        CONFERENCE_SCENARIOS
    )
    for href in links.hrefs:
        assert (out / href).is_file(), href
    assert main(["report", "--all", "-o", str(out), "-n", "2"]) == 1  # exists: needs --force
