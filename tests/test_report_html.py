"""The HTML report parses, is self-contained, and has every section and every image."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cpsim.model import PROCEDURES_DIR, load_procedure
from cpsim.model.scenario.classes import load_scenario, shipped_scenario_paths
from cpsim.reports.documents.content import procedure_report, run_report
from cpsim.reports.documents.html import render_html, render_index
from cpsim.reports.rundir.read import load_run
from cpsim.reports.rundir.write import write_run
from cpsim.simulate.experiments.runner import run

VOID = {"meta", "img", "br", "hr", "link", "input"}
EXTERNAL = re.compile(r"^\s*(https?:)?//", re.I)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.imgs: list[str] = []
        self.links: list[str] = []
        self.styles: list[str] = []
        self.errors: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "img":
            self.imgs.append(a.get("src", ""))
        self.links += [v for k, v in attrs if k in ("src", "href") and v]
        if "style" in a:
            self.styles.append(a["style"])
        self._in_style = tag == "style"
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def parse(page: str) -> _Collector:
    p = _Collector()
    p.feed(page)
    p.close()
    return p


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    scenario = load_scenario(next(p for p in shipped_scenario_paths() if p.stem == "redcar-baseline"))
    result = run(scenario, replications=2, workers=1, keep=True, events=True)
    return write_run(result, tmp_path_factory.mktemp("runs") / "baseline", version="test", workers=1)


@pytest.fixture(scope="module")
def baseline_report(run_dir: Path):
    scenario = load_scenario(next(p for p in shipped_scenario_paths() if p.stem == "redcar-baseline"))
    return run_report(load_run(run_dir), [r.procedure for r in scenario.routes], scenario)


def _check_self_contained(page: str, n_images: int) -> _Collector:
    doc = parse(page)
    assert doc.errors == [] and doc.stack == []
    assert not [x for x in doc.links if EXTERNAL.match(x)]
    assert not [u for s in doc.styles for u in re.findall(r"url\(([^)]*)\)", s) if EXTERNAL.match(u.strip("'\""))]
    assert "http://" not in page.split("<body>")[0] and "https://" not in page.split("<body>")[0]
    assert len(doc.imgs) == n_images and all(src.startswith("data:image/") for src in doc.imgs)
    for src in doc.imgs:
        data = base64.b64decode(src.split(",", 1)[1], validate=True)
        assert data.startswith(b"\x89PNG") or data.lstrip().startswith(b"<?xml")
    return doc


def test_procedure_report_has_its_sections_and_flowchart_inline():
    rep = procedure_report([load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")])
    doc = _check_self_contained(render_html(rep), len(rep.images))
    assert {"procedure", "flowchart", "findings", "manifest"} <= set(doc.ids)
    assert "flowchart-redcar-internal" in doc.ids


def test_run_report_has_every_section_and_image(baseline_report):
    page = render_html(baseline_report)
    doc = _check_self_contained(page, len(baseline_report.images))
    assert {"procedure", "flowchart", "findings", "results", "assumptions", "manifest"} <= set(doc.ids)
    for img in baseline_report.images:
        assert img.id in doc.ids
    assert len(baseline_report.images) == 2 + 4  # a flowchart per route and four charts


def test_run_report_states_every_assumption_and_the_seed(baseline_report, run_dir: Path):
    import json

    page = render_html(baseline_report)
    summary = json.loads((run_dir / "summary.json").read_text())
    from html import escape

    assert summary["assumptions"]
    for a in summary["assumptions"]:
        assert escape(a) in page
    assert f"<td>{summary['seed']}</td>" in page


def test_report_shows_citations_and_unspecified_gaps():
    proc = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
    page = render_html(procedure_report([proc]))
    for s in proc.stages:
        assert f"§{s.source.ref}" in page
    assert '<span class="unspecified">UNSPECIFIED</span>' in page


def test_html_escapes_text_from_files():
    from cpsim.reports.documents.content import Paragraph, Report, Section

    page = render_html(Report("<script>", "x", (Section("procedure", "P", (Paragraph("<img src=http://x>"),)),)))
    assert "<script>" not in page.split("<body>")[1] and "<img src=http" not in page


def test_index_links_are_relative_and_parse():
    page = render_index("cpsim reports", [("Procedures", [("procedures/a.html", "A", "about A")])])
    doc = parse(page)
    assert doc.errors == [] and doc.links == ["procedures/a.html"]
