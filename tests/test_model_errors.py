"""Every malformed procedure file gets every one of its problems, each with its exact line and message.

Each file in tests/malformed/ ends with ``# expect: LINE:COL: message (hint)`` comments listing the
complete set of problems cpsim must report for it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cpsim.cli import main
from cpsim.model import FileError, check_procedure_file, load_procedure

MALFORMED = sorted((Path(__file__).parent / "malformed").glob("*.yaml"))


def expected(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.removeprefix("# expect: ") for line in lines if line.startswith("# expect: ")]


def test_there_are_at_least_fifteen_distinct_malformed_files():
    assert len(MALFORMED) >= 15
    assert all(expected(p) for p in MALFORMED), "every malformed file lists its expected problems"


@pytest.mark.parametrize("path", MALFORMED, ids=[p.stem for p in MALFORMED])
def test_every_problem_is_reported_with_its_line_and_message(path: Path):
    problems = check_procedure_file(path)
    got = [str(p).removeprefix(f"{path}:") for p in problems]
    assert got == expected(path)


@pytest.mark.parametrize("path", MALFORMED[:3], ids=[p.stem for p in MALFORMED[:3]])
def test_loading_a_malformed_file_raises_with_all_problems(path: Path):
    with pytest.raises(FileError) as info:
        load_procedure(path)
    assert len(info.value.problems) == len(expected(path))


def test_validate_prints_each_problem_and_exits_1_without_traceback(capsys):
    path = Path(__file__).parent / "malformed" / "20-many-problems.yaml"
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    for line in expected(path):
        assert f"{path}:{line}" in err
    assert "Traceback" not in err


def test_a_code_tag_in_yaml_is_refused_not_executed(tmp_path, monkeypatch):
    marker = tmp_path / "ran"
    bad = tmp_path / "evil.yaml"
    bad.write_text(f'id: !!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8")
    problems = check_procedure_file(bad)
    assert "YAML tags" in problems[0].message
    assert not marker.exists()
