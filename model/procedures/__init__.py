"""Shipped procedure files (data only)."""
