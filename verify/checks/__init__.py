"""Static checks: pure functions ``check_*(procedure) -> list[Finding]``."""

from __future__ import annotations

from verify.checks.authority import check_authority
from verify.checks.completeness import check_completeness
from verify.checks.deadlines import check_deadlines
from verify.checks.duties import check_duties
from verify.checks.reachability import check_reachability
from verify.checks.termination import Termination, check_termination, prove_termination
from verify.checks.units import check_units

__all__ = [
    "Termination",
    "check_authority",
    "check_completeness",
    "check_deadlines",
    "check_duties",
    "check_reachability",
    "check_termination",
    "check_units",
    "prove_termination",
]
