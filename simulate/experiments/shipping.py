"""A scenario sent to worker processes pickled once, and unpickled once in each process.

Every job of a run names the same scenario. Pickled with each job, a scenario costs the sending
process a pickling and each worker an unpickling per job, and the worker gets a new scenario
object every time, so what is compiled once per scenario (:func:`cpsim.simulate.engine.prepared.prepared`,
kept by identity) is compiled again for every replication. :class:`Shipped` holds the scenario's
pickle, made once; unpickled in a worker, it looks the pickle's digest up first and hands back
the object that process already has. The answer is the same either way: only the work differs.

Examples
--------
>>> import pickle
>>> box = Shipped({"a": [1, 2]})
>>> one, two = pickle.loads(pickle.dumps(box)), pickle.loads(pickle.dumps(box))
>>> one.value == {"a": [1, 2]} and one.value is two.value   # unpickled once in this process
True
>>> box.value is one.value   # the sender keeps its own object
False
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from typing import Generic, TypeVar

__all__ = ["KEEP", "Shipped"]

T = TypeVar("T")

KEEP = 8
"""Objects each process keeps by digest (a comparison or sweep ships a handful of scenarios)."""

_received: dict[str, object] = {}
_lock = threading.Lock()


class Shipped(Generic[T]):
    """``value``, pickled once here; unpickling gives the receiving process's one copy of it."""

    def __init__(self, value: T) -> None:
        self.value = value
        self.blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self.digest = hashlib.sha256(self.blob).hexdigest()

    def __reduce__(self) -> tuple[object, tuple[str, bytes]]:
        """Pickle as the digest and the pickle made once (no second pickling of ``value``)."""
        return _received_copy, (self.digest, self.blob)


def _received_copy(digest: str, blob: bytes) -> Shipped[object]:
    """The :class:`Shipped` a process gets: its own copy of the value, unpickled the first time only."""
    with _lock:
        value = _received.get(digest)
        if value is None:
            value = pickle.loads(blob)  # the sender's own pickle of its own value  # noqa: S301
            while len(_received) >= KEEP:
                del _received[next(iter(_received))]
            _received[digest] = value
    box: Shipped[object] = Shipped.__new__(Shipped)
    box.value, box.blob, box.digest = value, blob, digest
    return box
