"""Verification of procedures: termination, reachability, deadlines against targets, duties."""

__all__: list[str] = []
