"""Cited quotes must appear in their source document, compared with whitespace folded."""

from __future__ import annotations

from pathlib import Path

from cpsim.cli import main
from cpsim.model import check_procedure_file, shipped_procedure_paths

MINIMAL = Path(__file__).parent / "data" / "minimal.yaml"


def test_every_shipped_procedure_quotes_its_sources_verbatim(seeds):
    for path in shipped_procedure_paths():
        assert check_procedure_file(path, sources=seeds) == [], path.name


def test_a_quote_with_different_line_breaks_still_matches(seeds, write):
    text = MINIMAL.read_text().replace(
        "will be resolved within five working days", "will be\n      resolved within   five working days", 1
    )
    assert check_procedure_file(write("p.yaml", text), sources=seeds) == []


def test_a_misquoted_rule_is_named_with_its_line(seeds, write):
    text = MINIMAL.read_text().replace(
        'quote: "respond to the Conference Chair within one day"', 'quote: "respond within three days"'
    )
    path = write("p.yaml", text)
    problems = check_procedure_file(path, sources=seeds)
    assert [(p.line, p.message) for p in problems] == [
        (33, "quote not found in 003_16d9b606cf9f47aa.txt: 'respond within three days'")
    ]


def test_a_missing_source_document_is_reported(tmp_path, write):
    path = write("p.yaml", MINIMAL.read_text())
    problems = check_procedure_file(path, sources=tmp_path)
    assert problems and all("is not in" in p.message for p in problems)


def test_validate_with_sources_exits_0_on_shipped_files(seeds, capsys):
    assert main(["validate", "--sources", str(seeds), *map(str, shipped_procedure_paths())]) == 0


def test_validate_json_lists_problems_with_lines(seeds, write, capsys):
    text = MINIMAL.read_text().replace('quote: "initially with the individual practitioner"', 'quote: "not there"')
    path = write("p.yaml", text)
    assert main(["validate", "--json", "--sources", str(seeds), str(path)]) == 1
    import json

    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False
    (entry,) = report["files"]
    assert entry["problems"][0]["line"] == 34
    assert set(entry["problems"][0]) == {"file", "line", "column", "message", "hint"}
