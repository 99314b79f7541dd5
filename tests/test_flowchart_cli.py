"""`cpsim flowchart` picks the format from the extension, writes atomically and never overwrites silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpsim.cli import main
from cpsim.model import PROCEDURES_DIR

REDCAR = str(PROCEDURES_DIR / "redcar-internal.yaml")
MAGIC = {
    ".svg": b"<?xml",
    ".png": b"\x89PNG",
    ".pdf": b"%PDF",
    ".mmd": b"flowchart",
    ".dot": b"digraph",
    ".bpmn": b"<?xml",
}


@pytest.mark.parametrize("suffix", sorted(MAGIC))
def test_format_follows_the_extension(tmp_path: Path, suffix: str):
    out = tmp_path / f"chart{suffix}"
    assert main(["flowchart", REDCAR, "-o", str(out)]) == 0
    assert out.read_bytes().startswith(MAGIC[suffix])
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left behind


def test_refuses_to_overwrite_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "chart.mmd"
    out.write_text("keep me")
    assert main(["flowchart", REDCAR, "-o", str(out)]) == 1
    assert out.read_text() == "keep me"
    assert "--force" in capsys.readouterr().err
    assert main(["flowchart", REDCAR, "-o", str(out), "--force"]) == 0
    assert out.read_text().startswith("flowchart LR")


def test_unknown_extension_is_refused_with_the_list_of_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["flowchart", REDCAR, "-o", str(tmp_path / "chart.sgv")]) == 1
    err = capsys.readouterr().err
    assert "did you mean '.svg'" in err and ".bpmn" in err
    assert not list(tmp_path.iterdir())


def test_bad_procedure_file_is_reported_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\n")
    assert main(["flowchart", str(bad), "-o", str(tmp_path / "x.svg")]) == 1
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "Traceback" not in err


def test_by_agency_gives_one_lane_per_agency(tmp_path: Path):
    out = tmp_path / "chart.mmd"
    assert main(["flowchart", REDCAR, "-o", str(out), "--by", "agency"]) == 0
    assert "Children's Services" in out.read_text()


def test_same_input_gives_identical_svg(tmp_path: Path):
    a, b = tmp_path / "a.svg", tmp_path / "b.svg"
    main(["flowchart", REDCAR, "-o", str(a)])
    main(["flowchart", REDCAR, "-o", str(b)])
    assert a.read_bytes() == b.read_bytes()


def test_findings_flag_only_stages_with_violations_or_warnings(tmp_path: Path):
    from cpsim.model import load_procedure
    from cpsim.verify import verify_procedure

    path = PROCEDURES_DIR / "redcar-external.yaml"
    flagged = {
        s for f in verify_procedure(load_procedure(path)) if f.severity in ("violation", "warning") for s in f.stages
    }
    assert flagged, "redcar-external has warnings to draw"
    out = tmp_path / "chart.dot"
    assert main(["flowchart", str(path), "-o", str(out), "--findings"]) == 0
    thick = {line.split('"')[1] for line in out.read_text().splitlines() if "penwidth=3" in line and "->" not in line}
    assert thick == flagged
