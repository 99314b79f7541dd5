"""Ctrl-C that is answered at once and never leaves half a result: held sections, quiet workers, stopping a pool.

A run answers Ctrl-C (SIGINT) in its main process only: worker processes ignore it
(:func:`quiet_worker`, their initializer), so they print nothing and the main process decides
what to keep. Work that must not be cut in half (adding a finished replication to the results
and to the files, writing the last files of a run) runs inside :func:`held_interrupts`: a Ctrl-C
there waits until the block ends. :func:`stop` cancels the work not yet started and ends the
local worker processes at once, so a Ctrl-C is not followed by minutes of replications that
would be thrown away; it then frees the pool's threads, which a worker ended in the middle of a
reply would otherwise keep waiting for ever, so that Python can exit.

Examples
--------
>>> with held_interrupts(reraise=False) as held:
...     held.count
0
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import logging
import signal
import threading
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from types import FrameType
from typing import Any

__all__ = ["Held", "held_interrupts", "hush_cluster_logs", "local_pool", "quiet_worker", "stop"]


@dataclass
class Held:
    """How many Ctrl-C arrived while interrupts were held."""

    count: int = 0


@contextlib.contextmanager
def held_interrupts(*, reraise: bool = True) -> Iterator[Held]:
    """Hold Ctrl-C until the block ends; then raise KeyboardInterrupt if one came (unless ``reraise`` is false).

    Outside the main thread signals cannot be caught, and the block runs as it is.
    """
    held = Held()
    if threading.current_thread() is not threading.main_thread():
        yield held
        return

    def count(signum: int, frame: FrameType | None) -> None:
        held.count += 1

    old = signal.signal(signal.SIGINT, count)
    try:
        yield held
    finally:
        signal.signal(signal.SIGINT, old)
    if held.count and reraise:
        raise KeyboardInterrupt


def quiet_worker() -> None:
    """Initializer of a worker process: ignore Ctrl-C, which the main process answers for the run."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def local_pool(workers: int) -> cf.ProcessPoolExecutor:
    """A pool of ``workers`` local processes that leave Ctrl-C to the main process."""
    return cf.ProcessPoolExecutor(max_workers=workers, initializer=quiet_worker)


def hush_cluster_logs() -> None:
    """Silence the Dask client's loggers: once its work is cancelled, it logs each cancelled task as an error."""
    names = [n for n in logging.root.manager.loggerDict if n.split(".")[0] in ("distributed", "tornado", "asyncio")]
    for name in ["distributed", "tornado", "asyncio", *names]:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


def stop(executor: cf.Executor, futures: Iterable[cf.Future[Any]]) -> None:
    """Cancel ``futures`` not yet started and, for a local pool, end its worker processes now.

    A Dask cluster's executor only has its futures cancelled: its workers are not ours to end. Its
    loggers are silenced first, since the client logs the cancellation of each future as it happens.
    """
    local = isinstance(executor, cf.ProcessPoolExecutor)
    if not local:
        hush_cluster_logs()
    for fut in futures:
        fut.cancel()
    if local:
        processes = list((getattr(executor, "_processes", None) or {}).values())
        queues = (getattr(executor, "_call_queue", None), getattr(executor, "_result_queue", None))
        manager = getattr(executor, "_executor_manager_thread", None)
        if isinstance(manager, threading.Thread):
            _quiet(manager)
        executor.shutdown(wait=False, cancel_futures=True)  # which forgets its queues
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(timeout=5)
        _unblock(*queues)
        if isinstance(manager, threading.Thread):
            manager.join(timeout=5)
    else:
        executor.shutdown(wait=False)  # a Dask executor cancels every future it ran


_quiet_threads: weakref.WeakSet[threading.Thread] = weakref.WeakSet()
"""Manager threads of pools stopped here, whose errors while they wind down are not printed."""
_hooks: list[Any] = []
"""The hook printing threads' errors that :func:`_thread_error` hands the others to."""


def _quiet(thread: threading.Thread) -> None:
    """Leave ``thread``'s uncaught error unprinted (installing :func:`_thread_error` the first time)."""
    _quiet_threads.add(thread)
    if threading.excepthook is not _thread_error:
        _hooks[:] = [threading.excepthook]
        threading.excepthook = _thread_error


def _thread_error(args: threading.ExceptHookArgs) -> None:
    """Print a thread's uncaught error, unless the thread is the manager of a pool stopped by a Ctrl-C.

    Such a manager finds the pool's workers gone and fails each future left, including the ones
    just cancelled, which Python 3.11 reports as an error of its own (InvalidStateError).
    """
    if args.thread not in _quiet_threads:
        (_hooks[0] if _hooks else threading.__excepthook__)(args)


def _unblock(calls: Any, results: Any) -> None:
    """Free a local pool's threads after its workers were ended, so that Python can exit.

    ``calls`` and ``results`` are the pool's task and result queues, taken before its shutdown.

    A worker ended while it sent a result leaves half a message in the result pipe: the pool's
    manager thread would wait for the rest for ever, and Python waits for that thread at exit.
    Closing this process's end of the pipe for writing lets the manager read the end of it and
    give up; the feeder of the task queue, blocked on a pipe no worker reads, is not waited for.
    """
    if calls is not None:
        calls.cancel_join_thread()
    writer = getattr(results, "_writer", None)
    if writer is not None:
        with contextlib.suppress(OSError):
            writer.close()
