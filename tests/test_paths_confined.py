"""A scenario reads only files inside the folders the user chose, and a citation only documents in --sources.

Each escape (a ``..`` out, an absolute path elsewhere, a link pointing out) is refused at the
line that names it, with the file left unread: its contents (here a secret token) never appear.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cpsim.cli import main
from cpsim.model import PROCEDURES_DIR
from cpsim.model.scenario.classes import SCENARIOS_DIR
from cpsim.model.scenario.paths import ALLOW_ENV

SECRET = "Secret-Token-ABC123"
UNLIMITED = SCENARIOS_DIR / "redcar-unlimited-staff.yaml"


@pytest.fixture
def place(tmp_path: Path) -> Path:
    """``tmp/work`` (the user's folder) beside ``tmp/secret`` (a folder they did not name)."""
    secret = tmp_path / "secret"
    secret.mkdir()
    text = (PROCEDURES_DIR / "redcar-internal.yaml").read_text(encoding="utf-8")
    (secret / "p.yaml").write_text(text.replace("id: redcar-internal", f"id: {SECRET}", 1), encoding="utf-8")
    (secret / "base.yaml").write_text(f"id: {SECRET}\n", encoding="utf-8")
    (secret / "dates.csv").write_text(f"date\n{SECRET}\n", encoding="utf-8")
    (tmp_path / "work").mkdir()
    return tmp_path / "work"


def _scenario(folder: Path, body: str, base: Path = UNLIMITED) -> Path:
    path = folder / "s.yaml"
    path.write_text(f"extend: {base}\nid: s\n{body}", encoding="utf-8")
    return path


def _naming(folder: Path, ref: object) -> Path:
    """The shipped unlimited-staff scenario, copied into ``folder``, running its internal route from ``ref``."""
    path = folder / "s.yaml"
    text = UNLIMITED.read_text(encoding="utf-8").replace("procedure: redcar-internal", f"procedure: {ref}", 1)
    path.write_text(text.replace("procedure: redcar-external", f"procedure: {PROCEDURES_DIR}/redcar-external.yaml"))
    return path


def _refused(capsys: pytest.CaptureFixture[str], path: Path, line: int) -> str:
    assert main(["simulate", str(path), "-n", "1", "--workers", "1", "--json"]) == 1
    err = capsys.readouterr().err
    assert f"{path}:{line}:" in err and "outside the folders this scenario may read" in err, err
    assert SECRET not in err and "Traceback" not in err
    return err


PROCEDURE = "procedures:\n  - procedure: {ref}\n    share: 0.7\n  - procedure: redcar-external\n    share: 0.3\n"


def test_a_procedure_above_the_scenarios_folder_is_refused(place: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _refused(capsys, _scenario(place, PROCEDURE.format(ref="../secret/p.yaml")), 4)


def test_an_absolute_procedure_path_elsewhere_is_refused(place: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _refused(capsys, _scenario(place, PROCEDURE.format(ref=place.parent / "secret" / "p.yaml")), 4)


def test_a_link_in_the_folder_pointing_out_is_refused(place: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (place / "p.yaml").symlink_to(place.parent / "secret" / "p.yaml")
    _refused(capsys, _scenario(place, PROCEDURE.format(ref="p.yaml")), 4)


def test_extending_a_file_outside_is_refused_at_the_extend_line(
    place: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = place / "s.yaml"
    path.write_text("id: s\nextend: ../secret/base.yaml\n", encoding="utf-8")
    _refused(capsys, path, 2)


def test_an_arrivals_file_outside_is_refused(place: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = place / "s.yaml"
    text = UNLIMITED.read_text(encoding="utf-8")
    start = text.index("arrivals:")
    end = text.index("\n\n", start)
    path.write_text(text[:start] + "arrivals: {kind: replay, file: ../secret/dates.csv}" + text[end:], encoding="utf-8")
    _refused(capsys, path, text[:start].count("\n") + 1)


def test_files_inside_the_folder_a_subfolder_and_the_shipped_data_are_read(
    place: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (place / "sub").mkdir()
    shutil.copy(PROCEDURES_DIR / "redcar-internal.yaml", place / "sub" / "p.yaml")
    ok = _naming(place, "sub/p.yaml")
    assert main(["simulate", str(ok), "-n", "1", "--workers", "1", "--json", "-o", str(place / "r1")]) == 0
    shipped = _naming(place, PROCEDURES_DIR / "redcar-internal.yaml")
    assert main(["simulate", str(shipped), "-n", "1", "--workers", "1", "--json", "-o", str(place / "r2")]) == 0
    capsys.readouterr()


def test_the_environment_variable_widens_the_folders(
    place: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = place.parent / "shared"
    outside.mkdir()
    shutil.copy(PROCEDURES_DIR / "redcar-internal.yaml", outside / "p.yaml")
    path = _naming(place, "../shared/p.yaml")
    _refused(capsys, path, 18)
    monkeypatch.setenv(ALLOW_ENV, str(outside))
    assert main(["simulate", str(path), "-n", "1", "--workers", "1", "--json", "-o", str(place / "r")]) == 0
    capsys.readouterr()


@pytest.mark.parametrize("doc", ["../secret/p.yaml", "/etc/passwd", "link.txt"])
def test_a_citation_outside_the_sources_folder_is_refused_unread(
    place: Path, capsys: pytest.CaptureFixture[str], doc: str
) -> None:
    sources = place / "sources"
    sources.mkdir()
    (sources / "link.txt").symlink_to(place.parent / "secret" / "p.yaml")
    text = (PROCEDURES_DIR / "redcar-internal.yaml").read_text(encoding="utf-8")
    proc = place / "p.yaml"
    proc.write_text(text.replace("doc: 003_16d9b606cf9f47aa.txt", f"doc: {doc}"), encoding="utf-8")
    assert main(["validate", "--sources", str(sources), str(proc)]) == 1
    err = capsys.readouterr().err
    line = next(err_line for err_line in err.splitlines() if "outside the sources folder" in err_line)
    assert line.startswith(f"{proc}:29:") and SECRET not in err and "root:" not in err
