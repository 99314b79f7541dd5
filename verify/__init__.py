"""Verification of procedures: termination, reachability, completeness, deadlines, authority, duties, units.

Each ``check_*`` is a pure function of a :class:`~cpsim.model.procedure.classes.Procedure` returning
:class:`Finding` records; :func:`verify_procedure` runs them all in a fixed order.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> findings = verify_procedure(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml"))
>>> [f.code for f in findings if f.severity == "violation"]
[]
"""

from __future__ import annotations

from cpsim.model.procedure.classes import Procedure
from cpsim.verify.checks import (
    Termination,
    check_authority,
    check_completeness,
    check_deadlines,
    check_duties,
    check_reachability,
    check_termination,
    check_units,
    prove_termination,
)
from cpsim.verify.checks.joint import check_joint
from cpsim.verify.checks.loops import source_sets_no_bound
from cpsim.verify.checks.parallel import check_parallel
from cpsim.verify.checks.provisional import check_provisional
from cpsim.verify.checks.rules import check_rules
from cpsim.verify.checks.timeline import check_timeline
from cpsim.verify.exact import Analysis, TargetResult, analyse
from cpsim.verify.findings import SEVERITIES, Finding, Severity

__all__ = [
    "SEVERITIES",
    "Finding",
    "Severity",
    "Termination",
    "check_authority",
    "check_completeness",
    "check_deadlines",
    "check_duties",
    "check_parallel",
    "check_reachability",
    "check_rules",
    "check_termination",
    "check_units",
    "prove_termination",
    "verify_procedure",
    "Analysis",
    "TargetResult",
    "analyse",
]


def verify_procedure(procedure: Procedure, target_days: float | None = None) -> list[Finding]:
    """Every finding about ``procedure``, check by check in a fixed order.

    Parameters
    ----------
    procedure
        The procedure to check.
    target_days
        When given, also check a target "from the start to any ending within ``target_days`` working
        days", replacing any target the file sets over that same span.

    Returns
    -------
    list[Finding]
        Termination, reachability, completeness, deadlines, authority, duties, units, the timeline, then
        parallel duties, joins, meetings and times to send, joint replies, then quorums, decision
        rules, checklists and provisional rules.
    """
    found = [
        *check_termination(procedure),
        *check_reachability(procedure),
        *check_completeness(procedure),
        *check_deadlines(procedure, target_days),
        *check_authority(procedure),
        *check_duties(procedure),
        *check_units(procedure),
        *check_timeline(procedure),
        *check_parallel(procedure),
        *check_joint(procedure),
        *check_rules(procedure),
        *check_provisional(procedure),
    ]
    return source_sets_no_bound(procedure, found)
