"""The procedure format: its classes, loader, checks, quotations, schema and compiled views."""

from __future__ import annotations

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
from cpsim.model.procedure.describe import Rung, beside_the_route, describe, ladder, stage_order
from cpsim.model.procedure.graph import to_graph
from cpsim.model.procedure.load import check_procedure_file, load_procedure
from cpsim.model.procedure.machine import Case, to_machine
from cpsim.model.procedure.quotes import check_quotes
from cpsim.model.procedure.schema import procedure_schema

__all__ = [
    "Case",
    "Citation",
    "Deadline",
    "Duration",
    "Procedure",
    "Record",
    "Role",
    "Rung",
    "SourceDoc",
    "Stage",
    "Target",
    "Timescale",
    "Transition",
    "beside_the_route",
    "check_procedure_file",
    "check_quotes",
    "describe",
    "ladder",
    "load_procedure",
    "procedure_schema",
    "stage_order",
    "to_graph",
    "to_machine",
]
