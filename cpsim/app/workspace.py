"""The folder the app works on: which procedure and scenario files it holds, by name, and where saves go.

Names are paths relative to the folder (``procedures/x.yaml``), or for the shipped files their file
name; only a name the folder listed is ever opened, so a name cannot reach outside it.

Examples
--------
>>> ws = Workspace(None, Path("."))
>>> "redcar-baseline.yaml" in ws.scenarios()
True
>>> ws.procedures()["redcar-internal.yaml"].name
'redcar-internal.yaml'
"""

from __future__ import annotations

from pathlib import Path

from cpsim.model import shipped_procedure_paths
from cpsim.model.files.kinds import file_kind
from cpsim.model.scenario import shipped_scenario_paths

__all__ = ["MAX_FILES", "Workspace"]

MAX_FILES = 500
"""The most YAML files listed from a folder (a folder of thousands is not a policy author's folder)."""


class Workspace:
    """The procedures and scenarios in ``folder`` (the shipped ones when it is None); saves go to ``save_dir``."""

    def __init__(self, folder: Path | None, save_dir: Path) -> None:
        self.folder = folder.resolve() if folder is not None else None
        self.save_dir = save_dir.resolve()

    def _files(self) -> dict[str, Path]:
        if self.folder is None:
            return {p.name: p for p in [*shipped_procedure_paths(), *shipped_scenario_paths()]}
        found: dict[str, Path] = {}
        for path in sorted(self.folder.rglob("*.y*ml")):
            rel = path.relative_to(self.folder)
            if path.suffix in (".yaml", ".yml") and not any(part.startswith(".") for part in rel.parts):
                found[rel.as_posix()] = path
            if len(found) >= MAX_FILES:
                break
        return found

    def _of_kind(self, kind: str) -> dict[str, Path]:
        return {name: path for name, path in self._files().items() if _kind(path) == kind}

    def procedures(self) -> dict[str, Path]:
        """Procedure files by name, sorted by name (a file too broken to tell counts as a procedure)."""
        return self._of_kind("procedure")

    def scenarios(self) -> dict[str, Path]:
        """Scenario files by name, sorted by name."""
        return self._of_kind("scenario")

    @property
    def label(self) -> str:
        """The folder as a reader would name it."""
        return str(self.folder) if self.folder is not None else "the procedures and scenarios shipped with cpsim"


def _kind(path: Path) -> str:
    kind = file_kind(path)
    return "procedure" if kind == "unknown" else kind
