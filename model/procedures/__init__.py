"""Shipped procedure files (data only)."""

__all__: list[str] = []
