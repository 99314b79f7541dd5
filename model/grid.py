"""The lattice a distribution places its mass on for the exact analysis, as an interface.

The exact analysis's :class:`~cpsim.verify.exact.measure.Lattice` is one; the model only needs to
know its shape, so that :meth:`~cpsim.model.distributions.Discrete.mass_on` and the others can be
written without importing the analysis.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["Grid"]


class Grid(Protocol):
    """Points ``0, tick, ...`` up to ``horizon``; ``index`` places a value on one (exactly, or rounded down or up)."""

    @property
    def tick(self) -> float:
        """Spacing of the points, in working days."""

    @property
    def horizon(self) -> float:
        """The last time on the grid, in working days."""

    @property
    def mode(self) -> str:
        """``exact``, ``lower`` or ``upper``."""

    @property
    def size(self) -> int:
        """Number of points from 0 to the horizon inclusive."""

    def index(self, value: float) -> int:
        """The point ``value`` is placed on."""
