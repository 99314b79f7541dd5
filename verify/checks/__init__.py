"""Static checks: pure functions ``check_*(procedure) -> list[Finding]``."""

from __future__ import annotations

from cpsim.verify.checks.authority import check_authority
from cpsim.verify.checks.completeness import check_completeness
from cpsim.verify.checks.deadlines import check_deadlines
from cpsim.verify.checks.duties import check_duties
from cpsim.verify.checks.reachability import check_reachability
from cpsim.verify.checks.termination import Termination, check_termination, prove_termination
from cpsim.verify.checks.units import check_units

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
