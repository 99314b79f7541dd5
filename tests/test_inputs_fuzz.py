"""A mutation fuzzer: shipped procedures and scenarios, broken at random, never make cpsim show a traceback.

Each example takes a shipped procedure or scenario file, deletes keys, swaps values for values of
the wrong type or absurd size, inserts unknown keys, then writes it back as YAML and may break the
text itself (a line deleted or doubled, a tab, a stray bracket, a bad byte, the file cut short).
``cpsim validate`` (and ``cpsim verify`` for a procedure) must then answer with exit code 0, 1 or 3
and every problem line must name FILE:LINE:COL; an exception escaping the command is a failure,
and so is an example that runs longer than a minute.

The test suite runs a fixed-seed slice (``CPSIM_FUZZ_EXAMPLES``, default 120); ``make fuzz`` runs
10,000 examples with fresh seeds.
"""

from __future__ import annotations

import copy
import functools
import io
import os
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from cpsim.cli import main
from cpsim.model.files.yaml import read_yaml

ROOT = Path(__file__).resolve().parent.parent
PROCEDURES = sorted((ROOT / "model" / "procedures").glob("*.yaml"))
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
EXAMPLES = int(os.environ.get("CPSIM_FUZZ_EXAMPLES", "120"))
FRESH = os.environ.get("CPSIM_FUZZ_FRESH") == "1"  # make fuzz: new seeds every run
SUMMARY = re.compile(r": (ok|\d+ problems?)$")

Path_ = tuple[str | int, ...]

WEIRD = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "",
            " ",
            "unlimited",
            "unspecified",
            "2024-13-01",
            "x" * 300,
            "../" * 40,
            "a" * 5000 + ".yaml",
            "2024-01-05",
            "09:00",
            "yes",
        ]
    ),
    st.sampled_from([-1, 0, 1, 10**30, -(10**30), 2**63, 1e308, -1e-308, 0.5, True, False]),
    st.sampled_from([{"a": 1}, {"id": {"a": 1}}, [1, "a"], [[[]]], [], {}, {"amount": -1, "unit": "weeks"}]),
    st.text(max_size=12),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
)


def _paths(node: Any, here: Path_ = ()) -> Iterator[Path_]:
    """Every place in ``node``, parents before children."""
    yield here
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*here, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*here, i))


def _parent(data: Any, path: Path_) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


@st.composite
def mutated(draw: st.DrawFn, data: Any) -> Any:
    """``data`` after one to four random edits."""
    for _ in range(draw(st.integers(1, 4))):
        places = [p for p in _paths(data) if p]
        if not places:
            break
        path = draw(st.sampled_from(places))
        parent, last = _parent(data, path), path[-1]
        action = draw(st.sampled_from(["delete", "set", "set", "insert", "double", "wrap"]))
        if action == "delete":
            del parent[last]
        elif action == "set":
            parent[last] = copy.deepcopy(draw(WEIRD))
        elif action == "insert" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["titel", "id", "kind", "x" * 200, "1"]))] = copy.deepcopy(draw(WEIRD))
        elif action == "double" and isinstance(parent, list):
            parent.insert(int(last), parent[last])
        elif action == "wrap":
            parent[last] = [parent[last]] if draw(st.booleans()) else {"value": parent[last]}
    return data


def _normal(node: Any) -> Any:
    """``node`` with ruamel's number and flag types made plain (the safe dumper knows only plain ones)."""
    if isinstance(node, dict):
        return {k: _normal(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_normal(v) for v in node]
    for kind in (bool, int, float, str):
        if isinstance(node, kind):
            return kind(node)
    return node


def _dump(data: Any) -> str:
    data = _normal(data)
    out = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.width = 4096
    yaml.dump(data, out)
    return out.getvalue()


@st.composite
def broken_text(draw: st.DrawFn, text: str) -> bytes:
    """``text`` as bytes, perhaps with the text itself broken."""
    lines = text.splitlines(keepends=True)
    action = draw(st.sampled_from(["none", "none", "drop", "double", "tab", "bracket", "byte", "cut", "indent"]))
    if action == "none" or not lines:
        return text.encode()
    i = draw(st.integers(0, len(lines) - 1))
    if action == "drop":
        del lines[i]
    elif action == "double":
        lines.insert(i, lines[i])
    elif action == "tab":
        lines[i] = "\t" + lines[i]
    elif action == "bracket":
        lines[i] = lines[i].rstrip("\n") + " " + "[" * draw(st.sampled_from([1, 50, 3000])) + "\n"
    elif action == "indent":
        lines[i] = " " * draw(st.integers(1, 5)) + lines[i]
    raw = "".join(lines).encode()
    if action == "byte":
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.sampled_from([b"\x00", b"\xe9", b"\xff\xfe", b"\x07"])) + raw[at:]
    elif action == "cut":
        raw = raw[: draw(st.integers(0, len(raw)))]
    return raw


@contextmanager
def _at_most(seconds: int) -> Iterator[None]:
    """Fail the example if it runs longer than ``seconds`` (a hang, not a slow machine)."""

    def _stop(signum: int, frame: Any) -> None:
        raise TimeoutError(f"no answer within {seconds} s")

    old = signal.signal(signal.SIGALRM, _stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _check(command: str, path: Path, capsys: pytest.CaptureFixture[str], allowed: set[int]) -> None:
    with _at_most(60):
        code = main([command, str(path)])
    out = capsys.readouterr()
    assert code in allowed, (command, code, out.err)
    assert "Traceback" not in out.err + out.out
    if code == 1:
        problems = [line for line in out.err.splitlines() if line.strip() and not SUMMARY.search(line)]
        assert problems, out.err
        unplaced = [line for line in problems if not re.match(r".+:\d+:\d+: \S", line)]
        assert not unplaced, unplaced


def _fuzz_settings() -> settings:
    return settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=not FRESH,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@functools.cache
def _read_once(path: Path) -> Any:
    return read_yaml(path).data


def _original(path: Path) -> Any:
    """A fresh copy of the file's data as first read (the files may be edited while the fuzzer runs)."""
    return copy.deepcopy(_read_once(path))


@st.composite
def procedure_file(draw: st.DrawFn) -> bytes:
    """A shipped procedure, mutated and perhaps broken."""
    source = draw(st.sampled_from(PROCEDURES))
    data = draw(mutated(_original(source)))
    return draw(broken_text(_dump(data)))


@st.composite
def scenario_file(draw: st.DrawFn) -> bytes:
    """A shipped scenario, mutated and perhaps broken."""
    source = draw(st.sampled_from(SCENARIOS))
    data = draw(mutated(_original(source)))
    return draw(broken_text(_dump(data)))


@pytest.mark.slow
@given(content=procedure_file())
@_fuzz_settings()
def test_a_mutated_procedure_never_gives_a_traceback(
    content: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mutated-procedure.yaml"
    path.write_bytes(content)
    _check("validate", path, capsys, {0, 1})
    _check("verify", path, capsys, {0, 1, 3})


@pytest.mark.slow
@given(content=scenario_file())
@_fuzz_settings()
def test_a_mutated_scenario_never_gives_a_traceback(
    content: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mutated-scenario.yaml"
    path.write_bytes(content)
    _check("validate", path, capsys, {0, 1})


def test_the_mutations_reach_the_checks_not_only_the_parser(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A mutated file that still parses is checked in depth: the fuzzer is not stopped at the YAML layer."""
    data = read_yaml(PROCEDURES[0]).data
    data["stages"][1]["id"] = {"a": 1}
    path = tmp_path / "p.yaml"
    path.write_text(_dump(data), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    assert "id must be text, got {'a': 1}" in capsys.readouterr().err
