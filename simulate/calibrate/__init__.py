"""Calibration: from an authority's own records of its challenges to a scenario.

Modules: ``records`` (a CSV of requests, or an XES event log, read into :class:`Visit` rows with
row-numbered problems), ``clock`` (dates and times on the simulator's working-day clock),
``walk`` (each challenge's path through its procedure), ``densities``, ``fitting`` and
``goodness`` (reply-time distributions fitted by maximum likelihood, censored and
deadline-truncated observations included, and their fit tests), ``intervals`` (Wilson and exact
Poisson intervals), ``stages`` and ``estimate`` (per route and stage: reply times, chances,
route mix, arrivals), ``scenario`` (the calibrated scenario file) and ``summary``.
The guide is ``docs/calibration.md``.
"""

from __future__ import annotations

from cpsim.simulate.calibrate.estimate import Calibration, calibrate
from cpsim.simulate.calibrate.records import Records, Visit, read_records
from cpsim.simulate.calibrate.scenario import scenario_data, to_yaml
from cpsim.simulate.calibrate.summary import summary, summary_lines

__all__ = [
    "Calibration",
    "Records",
    "Visit",
    "calibrate",
    "read_records",
    "scenario_data",
    "summary",
    "summary_lines",
    "to_yaml",
]
