"""A file over the size ceiling is refused from its size on disk, before any of it is read.

The 200 MB procedure of ``bench/procedures.py`` (``notes`` shape, 10,000 stages) is refused with
the same message as any file over :data:`~cpsim.model.files.guard.MAX_FILE_BYTES`; checking the
size first means not one byte of such a file is read into memory. A sparse file stands in for a
big one, so the test writes almost nothing to disk.
"""

from __future__ import annotations

import builtins
from pathlib import Path
from typing import Any

import pytest

from cpsim.cli import main
from cpsim.model.errors import FileError
from cpsim.model.files import guard
from cpsim.model.files.guard import MAX_FILE_BYTES, read_text


def sparse(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.write(b"id: x\n")
        handle.truncate(size)
    return path


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the guard opens to read."""
    seen: list[str] = []

    def spy(file: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(str(file))
        return builtins.open(file, *args, **kwargs)

    monkeypatch.setattr(guard, "open", spy, raising=False)
    return seen


def test_a_file_just_over_the_ceiling_is_refused_without_being_read(tmp_path: Path, opened: list[str]) -> None:
    path = sparse(tmp_path / "huge.yaml", MAX_FILE_BYTES + 1)
    with pytest.raises(FileError) as caught:
        read_text(path)
    [problem] = caught.value.problems
    assert str(problem) == (
        f"{path}:1:1: the file is larger than 20 MB, the most cpsim reads (split it, or check that it is the file "
        "you meant)"
    )
    assert opened == []


def test_a_file_at_the_ceiling_is_read(tmp_path: Path, opened: list[str]) -> None:
    path = sparse(tmp_path / "full.yaml", MAX_FILE_BYTES)
    with pytest.raises(FileError) as caught:  # a sparse file's tail is zero bytes: read, then refused as binary
        read_text(path)
    assert caught.value.problems[0].message == "the file holds binary data (a zero byte), not text"
    assert opened == [str(path)]


def test_validate_refuses_a_200_mb_procedure_by_its_size(
    tmp_path: Path, opened: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    path = sparse(tmp_path / "bench-notes-10000.yaml", 206_592_953)
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:1:1: the file is larger than 20 MB, the most cpsim reads" in err
    assert "Traceback" not in err and opened == []
