"""Procedure model: typed, immutable procedures loaded from cited YAML files.

Examples
--------
>>> from model import PROCEDURES_DIR, load_procedure
>>> proc = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
>>> proc.authority
'Redcar and Cleveland'
"""

from __future__ import annotations

from pathlib import Path

from cpsim.model.behaviour import Behaviour, StageBehaviour, load_behaviour
from cpsim.model.errors import CpsimError, FileError, Problem
from cpsim.model.procedure.classes import (
    Citation,
    Deadline,
    Duration,
    Procedure,
    Record,
    Role,
    SourceDoc,
    Stage,
    Target,
    Timescale,
    Transition,
)
from cpsim.model.procedure.describe import Rung, describe, ladder, stage_order
from cpsim.model.procedure.graph import to_graph
from cpsim.model.procedure.load import check_procedure_file, load_procedure
from cpsim.model.procedure.machine import Case, to_machine
from cpsim.model.types import OUTCOMES, Ending, StageKind, Unit

__all__ = [
    "OUTCOMES",
    "PROCEDURES_DIR",
    "Behaviour",
    "Case",
    "Citation",
    "CpsimError",
    "Deadline",
    "Duration",
    "Ending",
    "FileError",
    "Problem",
    "Procedure",
    "Record",
    "Role",
    "Rung",
    "SourceDoc",
    "Stage",
    "StageBehaviour",
    "StageKind",
    "Target",
    "Timescale",
    "Transition",
    "Unit",
    "check_procedure_file",
    "describe",
    "ladder",
    "load_behaviour",
    "load_procedure",
    "shipped_procedure_paths",
    "stage_order",
    "to_graph",
    "to_machine",
]

PROCEDURES_DIR = Path(__file__).resolve().parent / "procedures"


def shipped_procedure_paths() -> list[Path]:
    """Paths of the procedure files that ship with cpsim, sorted by name."""
    return sorted(PROCEDURES_DIR.glob("*.yaml"))
