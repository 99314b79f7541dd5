"""Turn a procedure file into a checked :class:`~cpsim.model.procedure.classes.Procedure`, reporting every problem.

This is the one place procedure YAML becomes model objects.

Examples
--------
>>> from model import PROCEDURES_DIR
>>> proc = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
>>> proc.start.kind.value
'start'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cpsim.model.errors import FileError, Problem
from cpsim.model.files.yaml import YamlDoc, read_yaml
from cpsim.model.procedure.checks import check_references
from cpsim.model.procedure.classes import Procedure
from cpsim.model.procedure.errors import PROCEDURE_ERRORS
from cpsim.model.procedure.milestones import check_milestone_references
from cpsim.model.procedure.parallel import check_parallel_references
from cpsim.model.procedure.quotes import check_quotes

__all__ = ["check_procedure_file", "load_procedure"]


def load_procedure(path: str | Path, *, sources: str | Path | None = None) -> Procedure:
    """Read, check and build the procedure in ``path``.

    Parameters
    ----------
    path
        A procedure YAML file.
    sources
        Folder of source documents; when given, every cited quote must appear in its document.

    Raises
    ------
    FileError
        Listing every problem found, each with file, line and column.
    """
    procedure, problems = _load(path, sources)
    if problems or procedure is None:
        raise FileError(problems)
    return procedure


def check_procedure_file(path: str | Path, *, sources: str | Path | None = None) -> list[Problem]:
    """Every problem in the procedure file ``path`` (empty when it is valid)."""
    return _load(path, sources)[1]


def _load(path: str | Path, sources: str | Path | None) -> tuple[Procedure | None, list[Problem]]:
    try:
        doc = read_yaml(path)
    except FileError as exc:
        return None, list(exc.problems)
    data = doc.data
    problems = (
        check_references(doc, data) + check_milestone_references(doc, data) + check_parallel_references(doc, data)
    )
    procedure = _build(doc, data, problems)
    if procedure is not None and sources is not None:
        problems.extend(check_quotes(doc, data, Path(sources)))
    return procedure, sorted(set(problems))


def _build(doc: YamlDoc, data: dict[str, Any], problems: list[Problem]) -> Procedure | None:
    try:
        procedure = Procedure.model_validate(data)
    except ValidationError as exc:
        problems.extend(PROCEDURE_ERRORS.translate(doc, data, exc))
        return None
    return None if problems else procedure
