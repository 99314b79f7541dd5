"""Where replications run: a Dask cluster, local worker processes, or this process.

Results are the same whichever is used (every replication draws from its own seed), so the choice
is only about speed. Local workers ignore Ctrl-C: the main process answers it, cancelling the
work not started and ending the workers at once.

Examples
--------
>>> with executor_from(None, workers=1) as ex:
...     ex is None
True
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import os
from collections.abc import Callable, Iterator
from typing import Protocol, cast

from cpsim.model.errors import CpsimError
from cpsim.simulate.experiments.interrupts import hush_cluster_logs, local_pool

__all__ = ["executor_from"]


class _DaskClient(Protocol):
    """The part of ``distributed.Client`` used here (the package does not annotate it)."""

    def get_executor(self, *, pure: bool) -> cf.Executor:
        """An executor whose tasks run on the cluster."""
        ...

    def close(self) -> None:
        """Disconnect from the scheduler."""
        ...


@contextlib.contextmanager
def executor_from(address: str | None, workers: int | None = 1) -> Iterator[cf.Executor | None]:
    """An executor for the replications: a Dask cluster at ``address``, else local processes, else None.

    ``workers`` is the number of local processes when no address is given (None: one per CPU;
    1: run in this process, shown by None).

    Raises
    ------
    CpsimError
        If the scheduler at ``address`` cannot be reached, saying how to start one.
    """
    if address:
        client = _connect(address)
        try:
            yield client.get_executor(pure=False)
        finally:
            # work cancelled a moment ago (Ctrl-C) makes the closing connections log their errors
            hush_cluster_logs()
            client.close()
        return
    n = workers if workers is not None else (os.cpu_count() or 1)
    if n <= 1:
        yield None
        return
    with local_pool(n) as pool:  # the workers leave Ctrl-C to this process
        yield pool


def _connect(address: str) -> _DaskClient:
    try:
        from distributed import Client

        connect = cast(Callable[..., _DaskClient], Client)
        return connect(address, timeout="10s")
    except OSError as exc:
        raise CpsimError(
            f"cannot reach the Dask scheduler at {address!r}: {exc}; start one with 'dask scheduler' "
            "and workers with 'dask worker ADDRESS', or leave out --scheduler to run locally"
        ) from None
