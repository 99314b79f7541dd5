"""A joint reply's time for the exact analysis: the latest (``from: all``) or earliest (``from: any``) reply.

The responders reply independently, each after its own ``reply_time`` (the stage behaviour's
``responders``, else the stage's ``reply_time``); the analysis is free of staff contention, so
who spends time on it does not matter. The latest of independent times has distribution function
the product of theirs; the earliest, one less the product of their survival functions. When
every responder's time takes finitely many values the joint time is a :class:`Discrete` on the
union of those values, exact on the lattice; otherwise :class:`JointTime` places it on the lower
or upper grid from its distribution function, as a continuous time is placed.

Examples
--------
>>> from cpsim.model.distributions import Fixed, Exponential
>>> joint_time([Fixed(value=1), Fixed(value=3)], first=False).atoms
((3.0, 1.0),)
>>> joint_time([Fixed(value=1), Fixed(value=3)], first=True).atoms
((1.0, 1.0),)
>>> round(joint_time([Exponential(mean=1), Exponential(mean=2)], first=True).cdf(1.0), 6)  # 1 - exp(-1.5)
0.77687
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cpsim.model.behaviour import StageBehaviour
from cpsim.model.distributions import Discrete, Distribution, FloatArray
from cpsim.model.grid import Grid, mass_from_cdf
from cpsim.model.procedure.classes import Stage

__all__ = ["JointTime", "joint_time", "responder_times"]


def responder_times(stage: Stage, sb: StageBehaviour) -> list[Distribution]:
    """Each responder's reply time at a joint ``stage``: its own under ``responders``, else the stage's."""
    return [sb.responders[r.role].reply_time if r.role in sb.responders else sb.reply_time for r in stage.responders]


class JointTime:
    """The latest (``first=False``) or earliest (``first=True``) of independent times, by its distribution function."""

    def __init__(self, times: Sequence[Distribution], first: bool) -> None:
        self.times, self.first = tuple(times), first

    def _cdf_array(self, xs: FloatArray) -> FloatArray:
        fs = [np.asarray(d.cdf(xs), dtype=float) for d in self.times]
        if self.first:
            return np.asarray(1.0 - np.prod([1.0 - f for f in fs], axis=0), dtype=float)
        return np.asarray(np.prod(fs, axis=0), dtype=float)

    def cdf(self, x: float) -> float:
        """P(joint reply time <= x)."""
        return float(self._cdf_array(np.asarray([x], dtype=float))[0])

    @property
    def atoms(self) -> None:
        """None: a joint time with a continuous part has no finite list of values."""
        return None

    def mass_on(self, grid: Grid, *, upto: float | None = None) -> FloatArray:
        """The mass between neighbouring points on the lower or upper one (ValueError on an exact grid)."""
        return mass_from_cdf(self._cdf_array, grid, upto=upto)


def joint_time(times: Sequence[Distribution], first: bool) -> Distribution | JointTime:
    """The joint reply's time: exact (:class:`Discrete`) when every time has finitely many values."""
    atoms = [d.atoms for d in times]
    if any(a is None for a in atoms):
        return JointTime(times, first)
    values = sorted({v for a in atoms if a is not None for v, _ in a})
    cum = JointTime(times, first)._cdf_array(np.asarray(values, dtype=float))
    probs = np.diff(np.concatenate([[0.0], cum]))
    keep = [(v, float(p)) for v, p in zip(values, probs, strict=True) if p > 0]
    total = sum(p for _, p in keep)
    return Discrete(values=tuple(v for v, _ in keep), probs=tuple(p / total for _, p in keep))
