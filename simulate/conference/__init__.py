"""The conference life-cycle simulator: conferences, core groups, minutes and the challenges QA checks raise."""

from __future__ import annotations

__all__: list[str] = []
