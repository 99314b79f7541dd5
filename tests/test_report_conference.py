"""`cpsim report` on a conference run directory: the timescales met and the challenges' deadlines missed first.

The report opens with the headline timescales and the challenges, each with its 95% CI (on the
first screen at 1400×900 in a real browser), lists every timescale under the national statistics'
names, charts timescale and challenge breaches together, gives the life cycle and escalation
procedures with their sources by title and their flowcharts, every assumption, a glossary and the
manifest; it makes no external request. ``--all`` simulates and lists the shipped conference scenarios.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from cpsim.cli import main
from cpsim.model import PROCEDURES_DIR, load_procedure
from cpsim.model.conference.load import CONFERENCE_SCENARIOS, load_conference
from cpsim.model.errors import CpsimError
from cpsim.reports.charts.conference import breaches_chart
from cpsim.reports.documents import build
from cpsim.reports.documents.blocks import Bullets, Image, Paragraph, Report, Steps, Table
from cpsim.reports.documents.build import report_for
from cpsim.reports.documents.conference_report import challenge_names
from cpsim.reports.documents.conference_summary import HEADLINE, conference_headline
from cpsim.reports.documents.content import procedure_report
from cpsim.reports.documents.html import render_html
from cpsim.reports.text.run_summary import ci_words, percent
from cpsim.simulate.conference.summary import MEASURES
from tests.browser import chromium

STOKE = CONFERENCE_SCENARIOS["stoke-conference-baseline"]
WAKEFIELD = CONFERENCE_SCENARIOS["wakefield-conference-baseline"]
FILE_NAME = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")


def _simulate(scenario: Path, out: Path, n: int = 2) -> Path:
    args = ["simulate", str(scenario), "-n", str(n), "--seed", "1", "-o", str(out), "--workers", "1"]
    assert main(args) == 0
    return out


@pytest.fixture(scope="module")
def stoke(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], Report]:
    run = _simulate(STOKE, tmp_path_factory.mktemp("runs") / "stoke")
    return run, json.loads((run / "summary.json").read_text()), report_for(run)


@pytest.fixture(scope="module")
def wakefield(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], Report]:
    run = _simulate(WAKEFIELD, tmp_path_factory.mktemp("runs") / "wakefield")
    return run, json.loads((run / "summary.json").read_text()), report_for(run)


def _section(report: Report, sid: str):
    return next(s for s in report.sections if s.id == sid)


def _tables(report: Report, sid: str) -> list[Table]:
    return [b for b in _section(report, sid).blocks if isinstance(b, Table)]


def _ci(fig: dict[str, Any]) -> str:
    words = ci_words(fig["ci95"])
    assert words is not None
    return words


def test_report_on_a_conference_run_writes_html_and_markdown_with_its_images(stoke, tmp_path: Path):
    run, _, _ = stoke
    html, md = tmp_path / "r.html", tmp_path / "r.md"
    assert main(["report", str(run), "-o", str(html)]) == 0
    assert html.read_text().startswith("<!DOCTYPE html>")
    assert main(["report", str(run), "-o", str(md)]) == 0
    text = md.read_text()
    assert text.startswith("# Stoke-on-Trent") and "## Summary" in text
    images = {p.name for p in (tmp_path / "r_files").iterdir()}
    assert {"chart-breaches.png", "flowchart-stoke-conference-lifecycle.svg", "manifest.json"} <= images
    assert "flowchart-stoke-professional-disagreement.svg" in images


def test_the_summary_opens_with_the_headline_timescales_and_their_cis(stoke):
    _, summary, report = stoke
    assert report.sections[0].id == "summary"
    table = _tables(report, "summary")[0]
    assert table.header[:3] == ("Measure (as the national statistics name it)", "On time", "95% CI")
    expected = [summary["timescales"][k] for k in HEADLINE if k in summary["timescales"]]
    assert len(expected) >= 5 and len(table.rows) == len(expected)
    for row, t in zip(table.rows, expected, strict=True):
        assert row[0] == t["name"]
        assert row[1] == percent(t["within_share"]["mean"])
        assert row[2] == _ci(t["within_share"])
        assert row[3] == f"{t['within']} of {t['events'] - t['unfinished']}"
    names = [r[0] for r in table.rows]
    assert names[0].startswith("Initial child protection conferences within 15 working days")
    assert any(n.startswith("Reports to the chair on time") for n in names)


def test_the_summary_puts_the_challenges_and_their_breaches_beside_the_timescales(wakefield, stoke):
    _, summary, report = wakefield
    texts = [b.text for b in _section(report, "summary").blocks if isinstance(b, Paragraph)]
    c = summary["challenges"]
    per = c["per_100_conferences"]
    assert any(
        f"{c['raised']} challenges were raised for {c['failed_checks']} failed QA checks" in t
        and f"{per['mean']:.2f} (95% CI {per['ci95'][0]:.2f} to {per['ci95'][1]:.2f}) per 100 conferences" in t
        for t in texts
    )
    rows = _tables(report, "summary")[1].rows
    rung = c["rung_deadlines"]["wakefield-chair-concern/chair_concern"]
    (row,) = rows
    assert row[0].startswith("Reply deadline: CP Chair Concern sent to the professional(s)") and "within 3" in row[0]
    assert row[1] == percent(rung["breach_rate"]["mean"]) and row[2] == _ci(rung["breach_rate"])
    assert row[3] == f"{rung['breached']} of {rung['visits'] - rung['unfinished']}"
    assert any("sets no overall target for resolving a challenge" in t for t in texts)
    _, _, stoke_report = stoke
    stoke_texts = [b.text for b in _section(stoke_report, "summary").blocks if isinstance(b, Paragraph)]
    assert any("sets no overall target" in t for t in stoke_texts)


def test_every_timescale_is_listed_under_its_name_in_the_tables_order_with_where_it_comes_from(stoke):
    _, summary, report = stoke
    (table,) = _tables(report, "timescales")
    keys = sorted(summary["timescales"], key=MEASURES.index)
    assert [r[0] for r in table.rows] == [summary["timescales"][k]["name"] for k in keys]
    basis = [r[-1] for r in table.rows]
    assert not [b for b in basis if "milestone '" in b or FILE_NAME.search(b)]
    icpc = basis[keys.index("icpc")]
    assert icpc.startswith("Stated by the scenario (the source gives none)")
    review = basis[keys.index("review")]
    assert review.startswith("Milestone “Child protection review conference”")
    assert "Initial & Child Protection Review Conferences" in review


def test_sources_are_cited_by_title_and_their_files_named_only_under_sources(stoke):
    _, _, report = stoke
    page = render_html(report)
    for m in FILE_NAME.finditer(page):
        before = page[max(0, m.start() - 6) : m.start()]
        assert before == "(file ", page[m.start() - 80 : m.end()]


def test_the_life_cycles_milestones_are_tabled_with_their_sources_by_title(stoke):
    _, _, report = stoke
    sc = load_conference(STOKE)
    tables = [t for t in _tables(report, "procedure") if t.header[0] == "Milestone"]
    assert len(tables) == 1
    rows = tables[0].rows
    assert [r[0] for r in rows] == [m.title for m in sc.lifecycle.milestones]
    core = next(r for r in rows if r[0] == "Core group meeting")
    assert core[1].startswith("within 10 working days after the initial child protection conference")
    assert "then at most every 6 weeks" in core[1]
    title = sc.lifecycle.sources[0].title
    assert all(r[2].startswith(f"{title} §") for r in rows)
    steps = _section(report, "procedure")
    assert not any(isinstance(b, Table) and b.header[0] == "Rung" and not b.rows for b in steps.blocks)


def test_flowcharts_of_the_life_cycle_and_the_escalation_procedure(stoke):
    _, _, report = stoke
    ids = {b.id for b in _section(report, "flowchart").blocks if isinstance(b, Image)}
    assert ids == {"flowchart-stoke-conference-lifecycle", "flowchart-stoke-professional-disagreement"}


def test_the_chart_shows_timescale_and_challenge_breaches_together(wakefield):
    _, summary, report = wakefield
    (image,) = _section(report, "charts").blocks
    assert isinstance(image, Image) and image.data.startswith(b"\x89PNG")
    sc = load_conference(WAKEFIELD)
    ax = breaches_chart(summary, challenge_names(sc)).axes[0]
    labels = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    measured = [t["name"] for t in summary["timescales"].values() if t["within_share"]["mean"] is not None]
    assert set(measured) <= set(labels)
    assert [x for x in labels if x.startswith("Challenges: CP Chair Concern sent")]
    assert len(labels) == len(measured) + 1


def test_every_assumption_is_listed_with_its_sources_by_title(stoke):
    _, summary, report = stoke
    items = [x for b in _section(report, "assumptions").blocks if isinstance(b, Bullets) for x in b.items]
    assert len(items) == len(summary["assumptions"])
    source = load_conference(STOKE).lifecycle.sources[0]
    assert [a for a in summary["assumptions"] if "(004, " in a]  # the scenario cites a source by its number
    for mine, theirs in zip(items, summary["assumptions"], strict=True):
        assert mine == theirs.replace(source.doc, source.title).replace("(004, ", f"({source.title}, ")
        assert not FILE_NAME.search(mine)


def test_the_manifest_gives_version_seed_replications_and_the_hash_of_every_file_the_run_wrote(stoke):
    run, summary, report = stoke
    (table,) = _tables(report, "manifest")
    rows = dict(table.rows)
    manifest = json.loads((run / "manifest.json").read_text())
    assert rows["seed"] == "1" and rows["replications"] == "2" and rows["cpsim version"]
    for name, digest in manifest["written"].items():
        assert rows[f"sha256 of {name} (written by the run)"] == digest
    recorded = manifest["scenario"]["path"]  # the scenario file as the run recorded it
    assert Path(recorded).resolve() == STOKE.resolve()
    assert rows["to simulate it again"] == f"cpsim simulate {recorded} -n 2 --seed 1 -o RUN_DIR"


def test_a_glossary_of_the_conference_words_comes_before_the_manifest(stoke):
    _, _, report = stoke
    ids = [s.id for s in report.sections]
    assert ids[-2:] == ["glossary", "manifest"]
    words = {r[0] for r in _tables(report, "glossary")[0].rows}
    assert {"Working day", "95% CI", "Breach", "Core group", "QA check", "Review conference"} <= words


def test_the_failed_qa_checks_by_check_add_up_to_the_summarys_failed_checks(stoke):
    _, summary, report = stoke
    table = next(t for t in _tables(report, "challenges") if t.header[0] == "QA check")
    assert sum(int(r[1]) for r in table.rows) == summary["challenges"]["failed_checks"]
    assert any(r[0].startswith("Pre-meeting report completed and shared with the chair") for r in table.rows)


def test_figures_the_summary_adds_are_shown_with_their_labels_and_missing_ones_left_out(stoke, tmp_path: Path):
    run, summary, _ = stoke
    copy = tmp_path / "run"
    shutil.copytree(run, copy)
    changed = json.loads(json.dumps(summary))
    changed["conferences"]["dissents"] = {"mean": 2.5, "ci95": [1.0, 4.0], "replications": 2}
    changed["conferences"].pop("same_chair_share")
    changed["transfers_out"] = 7
    (copy / "summary.json").write_text(json.dumps(changed))
    rows = dict(_tables(report_for(copy), "conferences")[0].rows)
    assert rows["Dissents"] == "2.50 (95% CI 1.00 to 4.00)"
    assert rows["Transfers out"] == "7"
    assert "Reviews chaired by the child's previous chair" not in rows
    ended = [k.split(": ")[1] for k in rows if k.startswith("Plans ended per replication: ")]
    assert ended == ["no longer at risk", "moved away", "18th birthday", "died", "left the UK"]  # the model's order


def test_a_run_whose_scenario_file_moved_needs_its_file_and_only_that_file(tmp_path: Path, capsys):
    own = tmp_path / "own.yaml"
    own.write_text(STOKE.read_text().replace("id: stoke-conference-baseline", "id: own-stoke", 1))
    run = _simulate(own, tmp_path / "run", n=1)
    moved = own.rename(tmp_path / "moved.yaml")  # the file the run recorded is no longer there
    capsys.readouterr()
    assert main(["report", str(run), "-o", str(tmp_path / "a.html")]) == 1
    err = capsys.readouterr().err
    assert "cannot find the conference scenario" in err and "--scenario FILE" in err and "Traceback" not in err
    assert main(["report", str(run), "-o", str(tmp_path / "b.html"), "--scenario", str(STOKE)]) == 1
    assert "is not the scenario it simulated: its id is 'stoke-conference-baseline'" in capsys.readouterr().err
    assert main(["report", str(run), "-o", str(tmp_path / "c.html"), "--scenario", str(moved)]) == 0
    assert "own-stoke" in (tmp_path / "c.html").read_text()


def test_a_run_whose_scenario_has_changed_since_is_refused_saying_what_changed(stoke, tmp_path: Path):
    run, summary, _ = stoke
    copy = tmp_path / "run"
    shutil.copytree(run, copy)
    changed = dict(summary, assumptions=["Something else.", *summary["assumptions"][1:]])
    (copy / "summary.json").write_text(json.dumps(changed))
    with pytest.raises(CpsimError, match="where the run assumed “Something else.”. Simulate the scenario again"):
        report_for(copy)


def test_a_conference_scenario_file_is_sent_to_simulate_first(tmp_path: Path, capsys):
    assert main(["report", str(STOKE), "-o", str(tmp_path / "r.html")]) == 1
    assert "simulate it first" in capsys.readouterr().err


def test_an_existing_report_is_not_overwritten_without_force(stoke, tmp_path: Path, capsys):
    run, _, _ = stoke
    out = tmp_path / "r.html"
    out.write_text("keep")
    assert main(["report", str(run), "-o", str(out)]) == 1
    assert out.read_text() == "keep" and "--force" in capsys.readouterr().err
    assert main(["report", str(run), "-o", str(out), "--force"]) == 0
    assert out.read_text().startswith("<!DOCTYPE html>")


class _Sources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [v or "" for k, v in attrs if k in ("src", "href")]


def test_the_summarys_cis_are_on_the_first_screen_and_the_page_requests_nothing(wakefield, tmp_path: Path):
    _, _, report = wakefield
    page = tmp_path / "report.html"
    html = render_html(report)
    page.write_text(html, encoding="utf-8")
    parser = _Sources()
    parser.feed(html)
    assert parser.urls and all(u.startswith(("#", "data:")) for u in parser.urls)
    requested: list[str] = []
    with chromium() as browser:
        tab = browser.new_page(viewport={"width": 1400, "height": 900})
        tab.on("request", lambda r: requested.append(r.url))
        tab.goto(page.as_uri())
        tab.wait_for_load_state("networkidle")
        for table in (1, 2):  # the timescales, then the challenges' deadlines
            cells = tab.locator(f"#summary table:nth-of-type({table}) tbody tr td:nth-child(3)")
            assert cells.count() >= 1
            for i in range(cells.count()):
                box = cells.nth(i).bounding_box()
                assert box is not None and box["y"] + box["height"] <= 900, (table, i, box)
                assert re.fullmatch(r"\d+\.\d% to \d+\.\d%", cells.nth(i).inner_text())
    assert [u for u in requested if not u.startswith(("file:", "data:"))] == []
    assert requested[0] == page.as_uri()


def test_all_simulates_the_shipped_conference_scenarios_and_lists_them_with_cis(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(build, "shipped_procedure_paths", lambda: [])
    monkeypatch.setattr(build, "shipped_scenario_paths", lambda: [])
    monkeypatch.setattr(build, "CONFERENCE_SCENARIOS", {"wakefield-conference-baseline": WAKEFIELD})
    out = tmp_path / "out"
    index = build.write_all(out, 2, 1, False, log=lambda _: None)
    page = index.read_text()
    assert "Conference scenarios (simulated)" in page and 'href="scenarios/wakefield-conference-baseline.html"' in page
    summary = json.loads((out / "runs" / "wakefield-conference-baseline" / "summary.json").read_text())
    line = conference_headline(summary)
    icpc = summary["timescales"]["icpc"]["within_share"]
    assert f"on time (95% CI {_ci(icpc)})" in line and line.replace("&", "&amp;") in page
    report = (out / "scenarios" / "wakefield-conference-baseline.html").read_text()
    assert '<section id="summary">' in report and "national statistics" in report
    listed = json.loads((out / "runs" / "wakefield-conference-baseline" / "manifest.json").read_text())["written"]
    assert set(listed) == set(build.RUN_FILES)
    with pytest.raises(CpsimError, match="--force"):
        build.write_all(out, 2, 1, False, log=lambda _: None)
    edited = out / "runs" / "wakefield-conference-baseline" / "summary.json"
    edited.write_text("{}")  # a file cpsim wrote, changed since: kept even with --force
    with pytest.raises(CpsimError, match="summary.json"):
        build.write_all(out, 2, 1, True, log=lambda _: None)
    assert edited.read_text() == "{}"


def test_what_a_file_says_beside_its_route_is_listed_apart_from_the_numbered_stages():
    proc = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
    blocks = _section(procedure_report([proc]), "procedure").blocks
    (steps,) = [b for b in blocks if isinstance(b, Steps)]
    assert len(steps.items) == len(proc.stages)
    beside = [b for b in blocks if isinstance(b, Bullets) and any(x.startswith("Checklist:") for x in b.items)]
    assert beside and any(x.startswith("Target: Resolved within five working days") for x in beside[0].items)
