"""cpsim: check and test child protection challenge and escalation procedures.

The public Python API. The command line lives in :mod:`cpsim.cli`.

Examples
--------
>>> import cpsim
>>> procs = [cpsim.load_procedure(p) for p in cpsim.shipped_procedure_paths()]
>>> sorted({p.authority for p in procs})[0] != ""
True
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cpsim.model import (
        FileError,
        Problem,
        Procedure,
        check_procedure_file,
        describe,
        ladder,
        load_procedure,
        shipped_procedure_paths,
        to_graph,
        to_machine,
    )

try:
    __version__ = version("cpsim")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+local"

__all__ = [
    "FileError",
    "Problem",
    "Procedure",
    "__version__",
    "check_procedure_file",
    "describe",
    "ladder",
    "load_procedure",
    "shipped_procedure_paths",
    "to_graph",
    "to_machine",
]


def __getattr__(name: str) -> Any:
    """The public API, imported on first use so that ``cpsim --version`` starts at once."""
    if name in __all__:
        return getattr(import_module("cpsim.model"), name)
    raise AttributeError(f"module 'cpsim' has no attribute {name!r}")
