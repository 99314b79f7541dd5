"""Random numbers for one replication, in separate streams per purpose so that comparisons are paired.

Every stream is a numpy Generator from ``SeedSequence(seed, spawn_key=(replication, purpose, ...))``:
arrivals have one stream; each role's absences have their own (keyed by the role's name); each
challenge has its own block of uniforms, four per stage visit (reply or stay time, no-reply,
outcome, move time), whatever the stage; a time to send (``send_time``) draws on a stream of its
own (:class:`SendDraws`), and so do a joint reply's responders
(:mod:`cpsim.simulate.engine.joint`), so routes without them draw exactly as before. Changing a reply-time
distribution, a probability or a headcount therefore changes only the draws it uses: the same
challenge gets the same uniforms in two scenarios run with the same seed (common random numbers).

Times are drawn by inversion, one uniform per time, through each distribution's quantile function
(``dist.sampler()``, see :mod:`cpsim.model.distributions`), so no distribution consumes a variable
number of draws.

Examples
--------
>>> d = CaseDraws(seed=1, replication=0)
>>> bool((d.for_case(7)[0] == CaseDraws(seed=1, replication=0).for_case(7)[0]).all())
True
"""

from __future__ import annotations

import zlib

import numpy as np

from cpsim.model.distributions import FloatArray

__all__ = [
    "ARRIVALS",
    "CASES",
    "OPEN_CASES",
    "CaseDraws",
    "SendDraws",
    "VISIT_DRAWS",
    "VISITS_IN_BLOCK",
    "stream",
]

ARRIVALS, CASES, ABSENCE, OPEN_CASES, OVERFLOW, SENDS, JOINTS = 0, 1, 2, 3, 4, 5, 6
VISIT_DRAWS = 4
VISITS_IN_BLOCK = 8
CHUNK = 512


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
        self._block: FloatArray = np.empty((0, VISITS_IN_BLOCK, VISIT_DRAWS))

    def for_case(self, n: int) -> FloatArray:
        """The first :data:`VISITS_IN_BLOCK` visits' uniforms for challenge ``n`` (a copy)."""
        chunk, row = divmod(n, CHUNK)
        if chunk != self._chunk:
            rng = stream(self.seed, self.replication, self.purpose, chunk)
            self._block = rng.random((CHUNK, VISITS_IN_BLOCK, VISIT_DRAWS))
            self._chunk = chunk
        return np.array(self._block[row], dtype=np.float64)

    def rows(self, n: int) -> list[list[float]]:
        """:meth:`for_case` as lists of floats.

        >>> d = CaseDraws(seed=1, replication=0)
        >>> d.rows(600) == CaseDraws(seed=1, replication=0).for_case(600).tolist()
        True
        """
        chunk, row = divmod(n, CHUNK)
        if chunk != self._chunk:
            self.for_case(n)
        rows: list[list[float]] = self._block[row].tolist()
        return rows

    def overflow(self, n: int) -> np.random.Generator:
        """The stream for challenge ``n``'s visits beyond the block."""
        return stream(self.seed, self.replication, OVERFLOW, self.purpose, n)


SENDS_IN_BLOCK = 32
"""Visits per challenge whose send uniform comes from the chunked block."""

_KEEP_CHUNKS = 8


class SendDraws:
    """Per-challenge uniforms for the time to send, one per stage visit: ``uniform(n, visit)``.

    Drawn in blocks of :data:`CHUNK` challenges from ``stream(seed, replication, SENDS, purpose,
    chunk)``; a visit beyond :data:`SENDS_IN_BLOCK` has its own stream. Only visits to a stage
    with a time to send use them.

    >>> d = SendDraws(seed=1, replication=0)
    >>> d.uniform(3, 1) == SendDraws(seed=1, replication=0).uniform(3, 1) != d.uniform(3, 2)
    True
    >>> 0 <= d.uniform(3, 40) < 1
    True
    """

    def __init__(self, seed: int, replication: int, purpose: int = CASES) -> None:
        self.seed, self.replication, self.purpose = seed, replication, purpose
        self._chunks: dict[int, FloatArray] = {}

    def uniform(self, n: int, visit: int) -> float:
        """The send uniform of challenge ``n``'s visit number ``visit`` (0 for the first stage)."""
        if visit >= SENDS_IN_BLOCK:
            return float(stream(self.seed, self.replication, SENDS, self.purpose, n, visit).random())
        chunk, row = divmod(n, CHUNK)
        block = self._chunks.get(chunk)
        if block is None:
            if len(self._chunks) >= _KEEP_CHUNKS:
                del self._chunks[next(iter(self._chunks))]
            block = stream(self.seed, self.replication, SENDS, self.purpose, chunk).random((CHUNK, SENDS_IN_BLOCK))
            self._chunks[chunk] = block
        return float(block[row, visit])
