"""Exact contention-free analysis: distributions of time to resolution, computed, not sampled."""

from __future__ import annotations

from cpsim.verify.exact.analysis import analyse
from cpsim.verify.exact.results import Analysis, TargetResult
from cpsim.verify.exact.sensitivity import sensitivities

__all__ = ["Analysis", "TargetResult", "analyse", "sensitivities"]
