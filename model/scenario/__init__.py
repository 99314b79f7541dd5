"""Scenarios: what a scenario file says, how it is checked, and the typed changes a what-if makes.

Modules: ``spec`` (the file's classes), ``load`` (file or data to checked parts), ``checks``
(cross-checks with the procedures), ``extend`` (inheritance), ``changes`` (typed changes),
``routes`` and ``classes`` (the checked :class:`Scenario`), ``open_cases`` and ``schema``.
"""

from __future__ import annotations

from cpsim.model.scenario.classes import (
    SCENARIOS_DIR,
    Scenario,
    check_scenario_file,
    load_scenario,
    load_scenario_data,
    shipped_scenario_paths,
)
from cpsim.model.scenario.open_cases import OpenCase, read_open_cases
from cpsim.model.scenario.routes import ReplayRow, Route, effective_procedure
from cpsim.model.scenario.schema import scenario_schema
from cpsim.model.scenario.spec import ScenarioFile, StaffSpec

__all__ = [
    "SCENARIOS_DIR",
    "OpenCase",
    "ReplayRow",
    "Route",
    "Scenario",
    "ScenarioFile",
    "StaffSpec",
    "check_scenario_file",
    "effective_procedure",
    "load_scenario",
    "load_scenario_data",
    "read_open_cases",
    "scenario_schema",
    "shipped_scenario_paths",
]
