"""The lattice a distribution places its mass on for the exact analysis, as an interface.

The exact analysis's :class:`~cpsim.verify.exact.measure.Lattice` is one; the model only needs to
know its shape, so that :meth:`~cpsim.model.distributions.Discrete.mass_on` and the others can be
written without importing the analysis. :func:`mass_from_cdf` places a time given by its
distribution function on a lower or upper grid (a continuous distribution, a joint reply's time).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Protocol

import numpy as np
import numpy.typing as npt

__all__ = ["Grid", "mass_from_cdf"]


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


FloatArray = npt.NDArray[np.float64]
"""An array of floats (times, probabilities)."""


def mass_from_cdf(cdf: Callable[[FloatArray], FloatArray], grid: Grid, *, upto: float | None = None) -> FloatArray:
    """The mass of a time with distribution function ``cdf`` on the points of a lower or upper ``grid``.

    The mass between neighbouring points goes to the lower one (``lower``) or the upper one
    (``upper``), and any mass at 0 to the first point; ValueError on an exact grid, where only a
    time with finitely many values can be placed.

    >>> from types import SimpleNamespace
    >>> grid = SimpleNamespace(tick=1.0, horizon=2.0, mode="upper", size=3)
    >>> [round(float(m), 6) for m in mass_from_cdf(lambda xs: np.minimum(xs / 2, 1.0), grid)]
    [0.0, 0.5, 0.5]
    """
    if grid.mode == "exact":
        raise ValueError("a continuous distribution cannot be placed exactly on a lattice")
    end = grid.horizon + grid.tick if upto is None else min(upto, grid.horizon + grid.tick)
    k = int(math.ceil(end / grid.tick - 1e-9))
    edges = np.minimum(np.arange(k + 1) * grid.tick, end)
    cum = cdf(edges)
    bins = np.clip(np.diff(cum), 0, None)
    out = np.zeros(k + 1)
    if grid.mode == "lower":
        out[:k] = bins
    else:
        out[1:] = bins
    out[0] += cum[0]  # mass at 0 exactly (none for a continuous distribution, whose support starts at 0)
    return out[: grid.size]
