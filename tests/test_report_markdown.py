"""The Markdown report has every section, links its images as files beside it and includes Mermaid."""

from __future__ import annotations

from pathlib import Path

from cpsim.model import PROCEDURES_DIR, load_procedure
from cpsim.reports.documents.build import write_report
from cpsim.reports.documents.content import Table, procedure_report
from cpsim.reports.documents.markdown import render_markdown


def test_markdown_has_every_section_and_image_link():
    rep = procedure_report([load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")])
    text, files = render_markdown(rep, "r_files")
    for s in rep.sections:
        assert f'<a id="{s.id}"></a>' in text and f"## {s.title}" in text
    for name in files:
        assert f"]({name})" in text
    assert len(files) == len(rep.images)
    assert "```mermaid\nflowchart LR" in text


def test_markdown_tables_have_as_many_cells_as_the_header():
    rep = procedure_report([load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")])
    text, _ = render_markdown(rep, "r_files")
    lines = text.splitlines()
    tables = 0
    for i, line in enumerate(lines):
        if line.startswith("|---"):
            tables += 1
            width = line.count("|") - 1
            assert lines[i - 1].replace("\\|", "").count("|") - 1 == width, lines[i - 1]
            j = i + 1
            while j < len(lines) and lines[j].startswith("| "):
                assert lines[j].replace("\\|", "").count("|") - 1 == width, lines[j]
                j += 1
    assert tables == sum(isinstance(b, Table) for s in rep.sections for b in s.blocks)


def test_write_report_md_writes_images_beside_the_file(tmp_path: Path):
    rep = procedure_report([load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")])
    written = write_report(rep, tmp_path / "r.md", "md")
    assert (tmp_path / "r.md").is_file() and (tmp_path / "r_files").is_dir()
    assert len(written) == len(rep.images) + 1
