"""Shipped scenario files (data only)."""
