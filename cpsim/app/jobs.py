"""Runs of a what-if off the request thread: progress to poll, a cancel button, the outcome when done.

A run first compares the baseline and the what-if with :func:`compare_scenarios` (the same seed and
replications on both sides, common random numbers, as ``cpsim compare``), then simulates the what-if
once more keeping its records, for the charts and the HTML report (:mod:`cpsim.app.outcome`). It
runs in a background thread, its replications in this process, in local worker processes or on a
Dask cluster (:func:`cpsim.executors.executor_from`, as ``--workers`` and ``--scheduler`` do).

Cancelling stops the run at the next finished replication: no more replications are started, and
those queued on an executor are cancelled.
"""

from __future__ import annotations

import concurrent.futures as cf
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from cpsim.app.outcome import Outcome, outcome_of
from cpsim.app.whatif import WhatIf
from cpsim.executors import executor_from
from cpsim.model.errors import CpsimError, FileError
from cpsim.model.scenario import Scenario
from cpsim.simulate.experiments.compare import compare_scenarios
from cpsim.simulate.experiments.runner import run
from cpsim.simulate.experiments.tasks import run_on_executor

__all__ = ["Cancelled", "Job", "Jobs", "RunOptions"]

State = Literal["running", "done", "cancelled", "failed"]


class Cancelled(Exception):
    """The person running the what-if asked to stop."""


@dataclass(frozen=True)
class RunOptions:
    """How to run: replications, seed, local worker processes, and a Dask scheduler address (or none)."""

    replications: int
    seed: int
    workers: int = 1
    scheduler: str | None = None


class _Tracked(cf.Executor):
    """An executor that remembers its futures, so that a cancel can cancel those not yet started."""

    def __init__(self, inner: cf.Executor, job: Job) -> None:
        self._inner, self._job = inner, job
        self.futures: list[cf.Future[Any]] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future[Any]:
        """Submit to the inner executor, unless the run was cancelled."""
        if self._job.cancel_requested:
            raise Cancelled()
        future = self._inner.submit(fn, *args, **kwargs)
        self.futures.append(future)
        return future

    def cancel_all(self) -> None:
        """Cancel every future not yet running."""
        for f in self.futures:
            f.cancel()


@dataclass
class Job:
    """One run of a what-if against its baseline; its fields are read by the page that shows it."""

    id: str
    baseline: Scenario
    whatif: Scenario
    spec: WhatIf
    options: RunOptions
    scratch: Path
    state: State = "running"
    done: int = 0
    phase: str = "starting"
    error: str | None = None
    outcome: Outcome | None = None
    _cancel: threading.Event = field(default_factory=threading.Event)
    _executors: list[_Tracked] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def total(self) -> int:
        """Replications to run in all: both sides of the comparison, then the what-if with its records."""
        return 3 * self.options.replications

    @property
    def cancel_requested(self) -> bool:
        """True once cancel was asked for."""
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Ask the run to stop; queued replications are cancelled at once."""
        self._cancel.set()
        with self._lock:
            for ex in self._executors:
                ex.cancel_all()

    def status(self) -> dict[str, Any]:
        """What the progress bar shows, JSON-ready."""
        return {
            "state": self.state,
            "done": self.done,
            "total": self.total,
            "phase": self.phase,
            "error": self.error,
        }

    def _ticker(self, offset: int, phase: str) -> Callable[[int], None]:
        self.phase = phase

        def tick(k: int) -> None:
            self.done = offset + k
            if self.cancel_requested:
                raise Cancelled()

        return tick

    def _track(self, ex: cf.Executor | None) -> _Tracked | None:
        if ex is None:
            return None
        tracked = _Tracked(ex, self)
        with self._lock:
            self._executors.append(tracked)
        return tracked

    def execute(self) -> None:
        """Run the comparison and the what-if's own run, then build the outcome; never raises."""
        o, n = self.options, self.options.replications
        try:
            with executor_from(o.scheduler, o.workers) as raw:
                ex = self._track(raw)
                tick = self._ticker(0, "comparing the what-if with the baseline")
                comparison = compare_scenarios(
                    self.baseline, self.whatif, replications=n, seed=o.seed, executor=ex, on_done=tick
                )
                tick = self._ticker(2 * n, "simulating the what-if for its charts and report")
                if ex is None:
                    result = run(
                        self.whatif, replications=n, seed=o.seed, workers=1, keep=True, events=True, on_done=tick
                    )
                else:
                    result = run_on_executor(
                        self.whatif, ex, replications=n, seed=o.seed, keep=True, events=True, on_done=tick
                    )
            self.phase = "drawing the charts and writing the report"
            self.outcome = outcome_of(self.baseline, self.whatif, self.spec, comparison, result, self.scratch)
            self.phase, self.state = "finished", "done"
        except (Cancelled, cf.CancelledError):
            self.phase, self.state = "cancelled", "cancelled"
        except FileError as exc:
            self.error, self.state = "\n".join(str(p) for p in exc.problems), "failed"
        except CpsimError as exc:
            self.error, self.state = str(exc), "failed"
        except Exception as exc:  # noqa: BLE001 - shown on the page instead of a dead progress bar
            self.error, self.state = f"the run stopped: {type(exc).__name__}: {exc}", "failed"


class Jobs:
    """The runs started in this app, by id; each runs in its own daemon thread."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(self, baseline: Scenario, whatif: Scenario, spec: WhatIf, options: RunOptions, scratch: Path) -> Job:
        """Start a run in the background and return its job at once."""
        job = Job(uuid.uuid4().hex[:12], baseline, whatif, spec, options, scratch)
        with self._lock:
            self._jobs[job.id] = job
        threading.Thread(target=job.execute, name=f"cpsim-app-run-{job.id}", daemon=True).start()
        return job

    def get(self, job_id: str) -> Job | None:
        """The job with ``job_id``, or None."""
        with self._lock:
            return self._jobs.get(job_id)
