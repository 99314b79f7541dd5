"""Flowcharts, charts and self-contained reports: the only package that draws."""

__all__: list[str] = []
