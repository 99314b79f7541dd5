"""Random numbers for one replication, in separate streams per purpose so that comparisons are paired.

Every stream is a numpy Generator from ``SeedSequence(seed, spawn_key=(replication, purpose, ...))``:
arrivals have one stream; each role's absences have their own (keyed by the role's name); each
challenge has its own block of uniforms, four per stage visit (reply or stay time, no-reply,
outcome, move time), whatever the stage. Changing a reply-time distribution, a probability or a
headcount therefore changes only the draws it uses: the same challenge gets the same uniforms in
two scenarios run with the same seed (common random numbers).

Times are drawn by inversion (:func:`sampler`), one uniform per time, so no distribution consumes
a variable number of draws.

Examples
--------
>>> from cpsim.model.distributions import Exponential
>>> f = sampler(Exponential(mean=2))
>>> round(f(0.5), 6)                      # the median of an exponential with mean 2
1.386294
>>> d = CaseDraws(seed=1, replication=0)
>>> bool((d.for_case(7)[0] == CaseDraws(seed=1, replication=0).for_case(7)[0]).all())
True
"""

from __future__ import annotations

import math
import zlib
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate
from statistics import NormalDist

import numpy as np
from scipy import special

from cpsim.model.distributions import Discrete, Distribution, Exponential, Fixed, Gamma, Lognormal, Triangular, Uniform

__all__ = ["ARRIVALS", "CASES", "OPEN_CASES", "CaseDraws", "VISIT_DRAWS", "VISITS_IN_BLOCK", "sampler", "stream"]

ARRIVALS, CASES, ABSENCE, OPEN_CASES, OVERFLOW = 0, 1, 2, 3, 4
VISIT_DRAWS = 4
VISITS_IN_BLOCK = 8
CHUNK = 512
_TINY = 1e-300


def stream(seed: int, replication: int, purpose: int, *extra: int) -> np.random.Generator:
    """The Generator for one purpose of one replication."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(replication, purpose, *extra)))


def role_key(role: str) -> int:
    """A stable number for a role's name (so a role's stream does not depend on which others exist)."""
    return zlib.crc32(role.encode("utf-8"))


class CaseDraws:
    """Per-challenge uniforms: ``for_case(n)`` is an array of shape (visits, 4) for challenge ``n``.

    Challenges are numbered in arrival order within a purpose (``CASES`` for arrivals,
    ``OPEN_CASES`` for challenges already open when the run starts). Blocks of :data:`CHUNK`
    challenges are drawn together; a challenge with more than :data:`VISITS_IN_BLOCK` stage
    visits continues on its own stream.
    """

    def __init__(self, seed: int, replication: int, purpose: int = CASES) -> None:
        self.seed, self.replication, self.purpose = seed, replication, purpose
        self._chunk = -1
        self._block = np.empty((0, VISITS_IN_BLOCK, VISIT_DRAWS))

    def for_case(self, n: int) -> np.ndarray:
        """The first :data:`VISITS_IN_BLOCK` visits' uniforms for challenge ``n`` (a copy)."""
        chunk, row = divmod(n, CHUNK)
        if chunk != self._chunk:
            rng = stream(self.seed, self.replication, self.purpose, chunk)
            self._block = rng.random((CHUNK, VISITS_IN_BLOCK, VISIT_DRAWS))
            self._chunk = chunk
        return self._block[row].copy()

    def overflow(self, n: int) -> np.random.Generator:
        """The stream for challenge ``n``'s visits beyond the block."""
        return stream(self.seed, self.replication, OVERFLOW, self.purpose, n)


def sampler(dist: Distribution) -> Callable[[float], float]:
    """A function from a uniform ``u`` in [0, 1) to a draw from ``dist`` (its quantile function).

    >>> sampler(Discrete(values=(1, 3), probs=(0.25, 0.75)))(0.3)
    3.0
    """
    if isinstance(dist, Fixed):
        value = float(dist.value)
        return lambda u: value
    if isinstance(dist, Uniform):
        lo, width = float(dist.low), float(dist.high - dist.low)
        return lambda u: lo + u * width
    if isinstance(dist, Triangular):
        return _triangular(float(dist.low), float(dist.mode), float(dist.high))
    if isinstance(dist, Exponential):
        mean = float(dist.mean_days)
        return lambda u: -mean * math.log1p(-u)
    if isinstance(dist, Lognormal):
        sigma = math.sqrt(math.log(1 + (dist.sd / dist.mean_days) ** 2))
        mu = math.log(dist.mean_days) - sigma**2 / 2
        inv = NormalDist().inv_cdf
        return lambda u: math.exp(mu + sigma * inv(max(u, _TINY)))
    if isinstance(dist, Gamma):
        shape, scale = float(dist.shape), float(dist.scale)
        return lambda u: float(special.gammaincinv(shape, u)) * scale
    if isinstance(dist, Discrete):
        values = [float(v) for v in dist.values]
        cum = list(accumulate(float(p) for p in dist.probs))
        last = len(values) - 1
        return lambda u: values[min(bisect_right(cum, u), last)]
    raise TypeError(f"no sampler for {type(dist).__name__}")


def _triangular(a: float, c: float, b: float) -> Callable[[float], float]:
    cut = (c - a) / (b - a)

    def draw(u: float) -> float:
        if u < cut:
            return a + math.sqrt(u * (b - a) * (c - a))
        return b - math.sqrt((1 - u) * (b - a) * (b - c))

    return draw
