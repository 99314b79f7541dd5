"""Exact contention-free analysis: distributions of time to resolution, computed, not sampled."""

from __future__ import annotations

from verify.exact.analysis import analyse
from verify.exact.results import Analysis, TargetResult
from verify.exact.sensitivity import sensitivities

__all__ = ["Analysis", "TargetResult", "analyse", "sensitivities"]
