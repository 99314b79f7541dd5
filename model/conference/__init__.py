"""Conference scenarios: a chair's whole caseload on a child protection conference life cycle, as data.

A conference scenario names a life-cycle procedure (whose milestones give the statutory
timescales), the demand, the children's journeys, the capacity of chairs, minute takers and core
group chairs, the quality assurance checks made before each conference and the escalation
procedure a failed check's challenge runs through. See ``docs/conference-simulation.md``.
"""

from __future__ import annotations

__all__: list[str] = []
