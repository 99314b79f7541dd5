"""Benchmarks of the caseload simulator (``python bench/run.py``)."""
