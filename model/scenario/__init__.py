"""The scenario format: its classes, loader, cross-checks, inheritance, open cases and schema."""

from __future__ import annotations

from cpsim.model.scenario.classes import (
    SCENARIOS_DIR,
    Scenario,
    check_scenario_file,
    effective_procedure,
    load_scenario,
    load_scenario_data,
    shipped_scenario_paths,
)
from cpsim.model.scenario.open_cases import OpenCase, read_open_cases
from cpsim.model.scenario.schema import scenario_schema

__all__ = [
    "OpenCase",
    "SCENARIOS_DIR",
    "Scenario",
    "check_scenario_file",
    "effective_procedure",
    "load_scenario",
    "load_scenario_data",
    "read_open_cases",
    "scenario_schema",
    "shipped_scenario_paths",
]
