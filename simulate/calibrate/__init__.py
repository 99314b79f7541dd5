"""Calibration: from an authority's own records of its challenges to a scenario.

Modules: ``records`` (a CSV of stage visits, or an XES event log, read into :class:`Visit` rows
with row-numbered problems), ``fitting`` (reply-time distributions fitted by maximum likelihood,
right-censored and deadline-truncated observations included), ``intervals`` (Wilson and exact
Poisson intervals), ``estimate`` (per route and stage: reply times, chances, route mix, arrivals)
and ``scenario`` (the calibrated scenario file and its summary).
"""

from __future__ import annotations

__all__: list[str] = []
