"""YAML that could hang cpsim, eat memory, run code or crash the parser is refused at its line, by every command.

Each input is a small file written in the test. ``cpsim validate`` runs as a separate process (so a
traceback or a hang would show in its real output); ``verify`` and ``simulate`` run in-process
through the same entry point, where an uncaught exception would fail the test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cpsim.cli import main

MINIMAL = (Path(__file__).parent / "data" / "minimal.yaml").read_text(encoding="utf-8")
SCENARIO = (Path(__file__).resolve().parent.parent / "scenarios" / "redcar-baseline.yaml").read_text(encoding="utf-8")

BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip(["", *"abcdefgh"], "abcdefghi", strict=True)
)

# name -> (file bytes, line, column, what the message must say)
CASES: dict[str, tuple[bytes, int, int, str]] = {
    "alias-bomb": (BOMB.encode(), 1, 4, "YAML anchors (&a) are not allowed"),
    "alias-in-procedure": (
        MINIMAL.replace("title: Minimal challenge", "title: &t Minimal challenge")
        .replace("title: Chair raises a concern", "title: *t")
        .encode(),
        3,
        8,
        "YAML anchors (&t) are not allowed",
    ),
    "alias-alone": (b"id: x\ntitle: *nowhere\n", 2, 8, "YAML aliases (*nowhere) are not allowed"),
    "merge-key": (
        MINIMAL.replace("    title: Level 1\n", "    <<: {title: Level 1}\n").encode(),
        27,
        5,
        "YAML merge keys (<<:) are not allowed",
    ),
    "omap-tag": (b"!!omap\n- id: x\n- title: y\n", 1, 1, "YAML tags such as tag:yaml.org,2002:omap are not allowed"),
    "set-tag": (b"id: x\nroles: !!set {chair, sm}\n", 2, 8, "YAML tags such as tag:yaml.org,2002:set are not allowed"),
    "binary-tag": (b"id: !!binary aGVsbG8=\n", 1, 5, "YAML tags such as tag:yaml.org,2002:binary are not allowed"),
    "python-tag": (
        b'id: !!python/object/apply:os.system ["echo hi"]\n',
        1,
        5,
        "YAML tags such as tag:yaml.org,2002:python/object/apply:os.system are not allowed",
    ),
    "local-tag": (b"id: x\ntitle: !mine y\n", 2, 8, "YAML tags such as !mine are not allowed"),
    "deep-flow": (b"id: " + b"[" * 5000 + b"]" * 5000 + b"\n", 1, 44, "nested more than 40 levels deep"),
    "deep-block": (
        ("a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 3000)) + "  " * 3000 + "v: 1\n").encode(),
        41,
        81,
        "nested more than 40 levels deep",
    ),
    "list-as-key": (b"id: x\n? [a, b]\n: c\n", 2, 3, "a key must be a plain word, not a list or a mapping"),
    "tab-indent": (
        MINIMAL.replace("    title: Level 1\n", "\ttitle: Level 1\n").encode(),
        27,
        1,
        "tabs are not allowed for indentation; use spaces",
    ),
    "tab-after-spaces": (b"id: x\nstages:\n  - id: a\n  \t title: b\n", 4, 3, "tabs are not allowed for indentation"),
    "latin-1": ("id: x\ntitle: Café\n".encode("latin-1"), 2, 11, "not UTF-8 text: byte 0xe9 cannot be read"),
    "binary-file": (b"id: x\n" + bytes(range(256)) * 4, 2, 1, "binary data (a zero byte), not text"),
    "control-character": (b"id: x\ntitle: a\x07b\n", 2, 9, "control character (code 7)"),
    "empty": (b"", 1, 1, "the file is empty: it must be a YAML mapping of keys to values"),
    "only-comments": (b"# nothing yet\n", 1, 1, "the file is empty"),
    "top-level-list": (b"- id: x\n- title: y\n", 1, 1, "the file is a list: it must be a YAML mapping"),
    "top-level-scalar": (b"just some words\n", 1, 1, "the file is a single value: it must be a YAML mapping"),
}


def _write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("name", sorted(CASES))
def test_validate_refuses_it_at_its_line_without_a_traceback(tmp_path: Path, name: str) -> None:
    content, line, col, message = CASES[name]
    path = _write(tmp_path, name, content)
    out = subprocess.run(
        [sys.executable, "-m", "cpsim", "validate", str(path)], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr
    first = out.stderr.splitlines()[0]
    assert first.startswith(f"{path}:{line}:{col}: "), first
    assert message in first, first


@pytest.mark.parametrize("command", ["verify", "simulate"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_verify_and_simulate_refuse_it_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, command: str
) -> None:
    content, line, col, message = CASES[name]
    path = _write(tmp_path, name, content)
    extra = ["-o", str(tmp_path / "run")] if command == "simulate" else []
    assert main([command, str(path), *extra]) == 1
    err = capsys.readouterr().err
    assert f"{path}:{line}:{col}: " in err and message in err, err
    assert not (tmp_path / "run").exists()


def test_an_alias_bomb_in_a_scenario_is_refused_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The billion-laughs scenario of issue 17 ran for minutes; now it stops at its first anchor."""
    bomb = SCENARIO.replace("assumptions:\n", BOMB + "assumptions:\n", 1)
    line = SCENARIO.splitlines().index("assumptions:") + 1
    path = _write(tmp_path, "bomb-scenario", bomb.encode())
    assert main(["simulate", str(path), "-n", "1", "-o", str(tmp_path / "run")]) == 1
    err = capsys.readouterr().err
    assert f"{path}:{line}:4: YAML anchors (&a) are not allowed" in err, err


def test_a_file_over_the_size_ceiling_is_refused_before_it_is_parsed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cpsim.model.files.guard import MAX_FILE_BYTES

    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.write(b"notes: >-\n")
        handle.write((b"  " + b"x" * 998 + b"\n") * (MAX_FILE_BYTES // 1000 + 1))
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:1:1: the file is larger than 20 MB, the most cpsim reads" in err


def test_a_byte_order_mark_is_not_a_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "bom", b"\xef\xbb\xbf" + MINIMAL.encode())
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err


def test_the_same_anchor_free_file_is_still_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The cases above differ from a valid file only in what they refuse: the base file passes."""
    path = _write(tmp_path, "minimal", MINIMAL.encode())
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err
    quoted = _write(tmp_path, "quoted", MINIMAL.replace("Minimal challenge", '"<< & * !! not syntax"').encode())
    assert main(["validate", str(quoted)]) == 0, capsys.readouterr().err
