"""The caseload simulator: one replication of a scenario on a working-day calendar."""

from __future__ import annotations

from cpsim.simulate.engine.calendar import WorkingCalendar
from cpsim.simulate.engine.records import CaseRecord, EventRecord, RoleRecord, TargetResult
from cpsim.simulate.engine.replication import ReplicationResult, run_replication

__all__ = [
    "CaseRecord",
    "EventRecord",
    "ReplicationResult",
    "RoleRecord",
    "TargetResult",
    "WorkingCalendar",
    "run_replication",
]
