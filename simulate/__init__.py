"""Caseload simulation of procedures on a working-day calendar."""

__all__: list[str] = []
