"""Shared fixtures: the source documents, the shipped procedures, and a helper to write files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cpsim.model import Procedure, load_procedure, shipped_procedure_paths

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
PROCEDURES = ROOT / "model" / "procedures"


@pytest.fixture(scope="session")
def seeds() -> Path:
    """The folder of source documents (../shared/seeds beside the checkout)."""
    if not SEEDS.is_dir():
        pytest.fail(f"source documents not found at {SEEDS}: the checkout needs ../shared beside it")
    return SEEDS


@pytest.fixture(scope="session")
def shipped() -> dict[str, Procedure]:
    """Every shipped procedure, by id."""
    procs = [load_procedure(p) for p in shipped_procedure_paths()]
    return {p.id: p for p in procs}


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write ``text`` to ``tmp_path/name`` and return the path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write
