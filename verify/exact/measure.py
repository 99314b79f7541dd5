"""Time measures on a lattice: the arithmetic under the exact analysis.

A *measure* is a numpy array of probability mass on the times ``0, tick, 2 tick, ...`` up to the
horizon (working days). It may hold less than total mass 1: mass beyond the horizon is dropped
and accounted for by the caller. A :class:`Lattice` says how a distribution is placed on it:

``exact``
    every value the analysis meets (fixed and discrete reply times, deadlines, move times) is a
    whole number of ticks, so the measures are the true distributions (up to float rounding).
``lower`` / ``upper``
    each value is rounded down (up) to the grid. A route's time is a sum of its steps' times, so
    rounding every step down gives a time that is never later than the true one, and rounding up
    one never earlier: the true distribution function lies between the two results.

Examples
--------
>>> from cpsim.model.distributions import Discrete
>>> lat = Lattice(tick=0.5, horizon=10, mode="exact")
>>> m = place(Discrete(values=(1, 1.5), probs=(0.5, 0.5)), lat)
>>> [float(x) for x in m]
[0.0, 0.0, 0.5, 0.5]
>>> [float(x) for x in convolve(m, m)[:7]]
[0.0, 0.0, 0.0, 0.0, 0.25, 0.5, 0.25]
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, Protocol

import numpy as np

from cpsim.model.distributions import Distribution, FloatArray
from cpsim.model.grid import Grid
from cpsim.model.types import WorkingDays

__all__ = ["FFT_ERROR", "Lattice", "common_tick", "convolve", "place", "point", "uses_fft"]

Mode = Literal["exact", "lower", "upper"]

FFT_ERROR = 1e-12
"""Bound added to the reported error for each convolution done by FFT (float rounding)."""

_DIRECT_LIMIT = 2_000_000


@dataclass(frozen=True)
class Lattice:
    """Grid spacing ``tick`` (working days), ``horizon`` and rounding ``mode`` of a computation."""

    tick: float
    horizon: WorkingDays
    mode: Mode

    @property
    def size(self) -> int:
        """Number of grid points from 0 to the horizon inclusive."""
        return int(math.floor(self.horizon / self.tick + 1e-9)) + 1

    def index(self, value: float) -> int:
        """Grid index of ``value``: rounded down, up, or to the nearest point in exact mode."""
        x = value / self.tick
        if self.mode == "lower":
            return int(math.floor(x + 1e-9))
        if self.mode == "upper":
            return int(math.ceil(x - 1e-9))
        return int(round(x))


def point(value: float, mass: float, lat: Lattice) -> FloatArray:
    """Mass ``mass`` at ``value`` (empty when beyond the horizon)."""
    i = lat.index(value)
    if i >= lat.size:
        return np.zeros(0)
    out = np.zeros(i + 1)
    out[i] = mass
    return out


class Placeable(Protocol):
    """A time that places itself on a lattice: a distribution, or a joint reply's time."""

    def mass_on(self, grid: Grid, *, upto: float | None = None) -> FloatArray:
        """Probability mass on each point of ``grid`` from values ``<= upto``."""
        ...


def place(dist: Distribution | Placeable, lat: Lattice, *, upto: float | None = None) -> FloatArray:
    """The measure of ``dist`` restricted to values ``<= upto`` (all values when None), on ``lat``.

    Mass beyond the horizon is dropped. Its total is ``dist.cdf(upto)`` less what was dropped.
    Each distribution places itself (its ``mass_on``); a continuous one cannot be placed on an
    ``exact`` lattice.
    """
    return _trim(dist.mass_on(lat, upto=upto))


def convolve(a: FloatArray, b: FloatArray, lat: Lattice | None = None) -> FloatArray:
    """The measure of the sum of independent times with measures ``a`` and ``b``, cut at the horizon."""
    if a.size == 0 or b.size == 0:
        return np.zeros(0)
    if a.size * b.size <= _DIRECT_LIMIT:
        out = np.convolve(a, b)
    else:
        from scipy import signal  # here: scipy.signal takes a second to import, and only convolution needs it

        out = np.clip(signal.fftconvolve(a, b), 0, None)
    if lat is not None:
        out = out[: lat.size]
    return _trim(out)


def uses_fft(a: FloatArray, b: FloatArray) -> bool:
    """True when :func:`convolve` would use the FFT for these operands."""
    return a.size * b.size > _DIRECT_LIMIT


def _trim(m: FloatArray) -> FloatArray:
    nz = np.flatnonzero(m)
    return m[: nz[-1] + 1] if nz.size else np.zeros(0)


def common_tick(values: list[float], *, max_den: int = 10_000) -> float | None:
    """The largest tick of which every value is a whole multiple, or None if there is none.

    >>> common_tick([1, 2, 0.5])
    0.5
    >>> common_tick([2 / 15, 1])
    0.06666666666666667
    >>> common_tick([1, 2]) , common_tick([0.0])
    (1.0, None)
    """
    fracs = []
    for v in values:
        if v == 0:
            continue
        f = Fraction(v).limit_denominator(max_den)
        if abs(float(f) - v) > 1e-12 * max(1.0, abs(v)):
            return None
        fracs.append(f)
    if not fracs:
        return None
    num = math.gcd(*(f.numerator for f in fracs))
    den = math.lcm(*(f.denominator for f in fracs))
    return float(Fraction(num, den))
