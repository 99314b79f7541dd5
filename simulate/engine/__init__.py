"""The caseload simulator: one replication of a scenario on a working-day calendar."""

from __future__ import annotations

from cpsim.simulate.engine.calendar import WorkingCalendar
from cpsim.simulate.engine.records import CaseRecord, EventRecord, RoleRecord, TargetResult
from cpsim.simulate.engine.replication import ReplicationResult, calendar_for, run_replication
from cpsim.simulate.engine.staff import SlotRequest, StaffPool

__all__ = [
    "CaseRecord",
    "EventRecord",
    "ReplicationResult",
    "RoleRecord",
    "SlotRequest",
    "StaffPool",
    "TargetResult",
    "WorkingCalendar",
    "calendar_for",
    "run_replication",
]
