r"""Check a file as ``cpsim validate`` does, and lay its problems beside the lines they are at.

Examples
--------
>>> from cpsim.model.errors import Problem
>>> lines = annotated("id: x\nstages: 3\n", [Problem("f.yaml", 2, 9, "stages must be a list")], "f.yaml")
>>> [(n, text, msgs) for n, text, msgs in lines]
[(1, 'id: x', []), (2, 'stages: 3', ['f.yaml:2:9: stages must be a list'])]
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cpsim.model import FileError, Problem, check_procedure_file
from cpsim.model.behaviour import load_behaviour
from cpsim.model.files.kinds import file_kind
from cpsim.model.scenario import check_scenario_file

__all__ = ["annotated", "check_file", "shown"]


def check_file(path: Path) -> tuple[str, list[Problem]]:
    """The kind of file ``path`` is, and every problem in it, found as ``cpsim validate`` finds them."""
    kind = file_kind(path)
    if kind == "scenario":
        return kind, check_scenario_file(path)
    if kind == "behaviour":
        try:
            load_behaviour(path)
        except FileError as exc:
            return kind, list(exc.problems)
        return kind, []
    return "procedure", check_procedure_file(path)


def shown(problem: Problem, path: Path, name: str) -> str:
    """``problem`` as ``cpsim validate`` prints it, with the file called ``name`` when it is ``path``."""
    if Path(problem.file) == path:
        return str(Problem(name, problem.line, problem.column, problem.message, problem.hint))
    return str(problem)


def annotated(text: str, problems: Sequence[Problem], name: str) -> list[tuple[int, str, list[str]]]:
    """Each line of ``text`` (numbered from 1) with the problems at that line, as printed.

    A problem past the last line (or at line 0) is shown at the last line (or the first).
    """
    lines = text.splitlines() or [""]
    out: list[tuple[int, str, list[str]]] = [(i + 1, line, []) for i, line in enumerate(lines)]
    for p in problems:
        index = min(max(p.line, 1), len(lines)) - 1
        out[index][2].append(str(Problem(name, p.line, p.column, p.message, p.hint)))
    return out
