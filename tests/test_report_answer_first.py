"""Every report opens with its answer: breach rates with CIs, findings by severity, the three that matter most.

The scenario report's breach rate and its CI are on the first screen (1400×900) in a real browser;
sources are cited by title, the results nest, no empty assumption, a glossary closes the report.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cpsim.model import PROCEDURES_DIR, load_procedure
from cpsim.model.scenario.classes import load_scenario, shipped_scenario_paths
from cpsim.reports.documents.blocks import Bullets, Paragraph, Table
from cpsim.reports.documents.content import procedure_report, run_report
from cpsim.reports.documents.html import render_html
from cpsim.reports.documents.summary import headline, target_rows
from cpsim.reports.exports.render import findings_for
from cpsim.reports.rundir.read import load_run
from cpsim.reports.rundir.write import write_run
from cpsim.simulate.experiments.runner import run
from tests.browser import chromium


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory):
    scenario = load_scenario(next(p for p in shipped_scenario_paths() if p.stem == "redcar-baseline"))
    result = run(scenario, replications=2, workers=1, keep=True, events=True)
    run_dir = write_run(result, tmp_path_factory.mktemp("runs") / "baseline", version="test", workers=1)
    results = load_run(run_dir)
    return results, run_report(results, [r.procedure for r in scenario.routes], scenario)


def test_a_scenario_report_opens_with_each_targets_breach_rate_and_ci(baseline):
    results, report = baseline
    first = report.sections[0]
    assert first.id == "summary"
    table = next(b for b in first.blocks if isinstance(b, Table))
    assert table.header[:3] == ("Target", "Breach rate", "95% CI")
    targets = results.summary["targets"]
    assert len(table.rows) == len(targets)
    for row, t in zip(table.rows, targets.values(), strict=True):
        lo, hi = t["breach_rate"]["ci95"]
        assert row[1] == f"{100 * t['breach_rate']['mean']:.1f}%"
        assert row[2] == f"{100 * max(lo, 0):.1f}% to {100 * min(hi, 1):.1f}%"  # as the terminal shows it


def test_the_breach_rate_and_its_ci_are_on_the_first_screen_in_a_browser(baseline, tmp_path: Path):
    _, report = baseline
    page = tmp_path / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    with chromium() as browser:
        tab = browser.new_page(viewport={"width": 1400, "height": 900})
        tab.goto(page.as_uri())
        cells = tab.locator("#summary table tbody tr td:nth-child(3)")
        assert cells.count() == 2
        for i in range(cells.count()):
            box = cells.nth(i).bounding_box()
            assert box is not None and box["y"] + box["height"] <= 900, box
            assert re.fullmatch(r"\d+\.\d% to \d+\.\d%", cells.nth(i).inner_text())


def test_a_procedure_report_opens_with_findings_by_severity_and_the_three_that_matter():
    proc = load_procedure(PROCEDURES_DIR / "redcar-external.yaml")
    found = [f for f in findings_for(proc) if f.severity != "info"]
    assert found, "the shipped file has findings to summarise"
    first = procedure_report([proc]).sections[0]
    assert first.id == "summary"
    bullets = [b for b in first.blocks if isinstance(b, Bullets)]
    counts, top = bullets[0].items, bullets[1].items
    for sev in {f.severity for f in found}:
        n = sum(1 for f in found if f.severity == sev)
        assert any(item.startswith(f"{n} {sev}") for item in counts)
    assert 1 <= len(top) <= 3
    worst = min(found, key=lambda f: ["violation", "warning", "gap"].index(f.severity))
    assert top[0].startswith(worst.severity.capitalize()) and worst.message in top[0]


def test_sources_are_cited_by_title_with_the_file_named_once_under_sources():
    proc = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
    page = render_html(procedure_report([proc]))
    src = proc.sources[0]
    assert src.title and f"{src.title} §" in page
    assert f"{src.doc} §" not in page
    assert f"(file {src.doc})" in page


def test_results_nest_their_items_under_their_headings_and_no_assumption_is_empty(baseline):
    _, report = baseline
    results = next(s for s in report.sections if s.id == "results")
    heads = [b.text for b in results.blocks if isinstance(b, Paragraph)]
    assert any(h.startswith("Targets") for h in heads)
    assert not any(h.startswith("Assumptions") for h in heads)
    i = next(i for i, b in enumerate(results.blocks) if isinstance(b, Paragraph) and b.text.startswith("Targets"))
    under = results.blocks[i + 1]
    assert isinstance(under, Bullets) and all("missed by" in x for x in under.items)
    assumptions = next(s for s in report.sections if s.id == "assumptions")
    items = [x for b in assumptions.blocks if isinstance(b, Bullets) for x in b.items]
    assert items and all(x.strip() for x in items)


def test_every_report_ends_with_a_glossary_of_the_words_it_uses(baseline):
    _, report = baseline
    ids = [s.id for s in report.sections]
    assert ids.index("glossary") == len(ids) - 2  # then the manifest
    page = render_html(report)
    for word in ("Working day", "Breach rate", "95% CI"):
        assert f"<td>{word}</td>" in page


def test_the_index_line_gives_each_breach_rate_with_its_ci():
    summary = json.loads(Path("tests/expected/redcar-baseline.summary.json").read_text())
    line = headline(summary)
    for key, t in summary["targets"].items():
        lo, hi = t["breach_rate"]["ci95"]
        assert f"missed by {100 * t['breach_rate']['mean']:.1f}% (95% CI {100 * lo:.1f}% to {100 * hi:.1f}%)" in line
        assert key.split("/")[0] in line
    assert len(target_rows(summary)) == len(summary["targets"])


def test_a_large_flowchart_is_shown_at_its_own_size_and_scrolls_rather_than_shrinks(tmp_path: Path):
    proc = load_procedure(PROCEDURES_DIR / "wakefield-conference-dissent.yaml")
    page = tmp_path / "dissent.html"
    page.write_text(render_html(procedure_report([proc])), encoding="utf-8")
    with chromium() as browser:
        tab = browser.new_page(viewport={"width": 1400, "height": 900})
        tab.goto(page.as_uri())
        img = tab.locator(f"#flowchart-{proc.id} img")
        natural = tab.evaluate(f"document.querySelector('#flowchart-{proc.id} img').naturalWidth")
        shown = img.bounding_box()
        assert shown is not None and natural > 1400
        assert abs(shown["width"] - natural) <= 2  # its own size: the 5.5 pt minimum text reads as printed
        scroll = tab.evaluate(
            f"(() => {{ const s = document.querySelector('#flowchart-{proc.id} .scroll');"
            " return [s.scrollWidth, s.clientWidth]; })()"
        )
        assert scroll[0] > scroll[1]  # the drawing scrolls sideways inside the text column
        tab.emulate_media(media="print")
        printed = img.bounding_box()
        assert printed is not None and printed["width"] < natural  # fitted to the page when printed
