"""Helpers shared by the what-if commands (compare, diff, sweep): executors, procedure swaps, progress."""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from cpsim.model import load_procedure
from cpsim.model.errors import CpsimError
from cpsim.model.scenario.classes import Scenario, load_scenario, load_scenario_data

__all__ = ["add_run_arguments", "executor_from", "progress", "scenario_with_procedure"]


def add_run_arguments(parser: Any) -> None:
    """The options every simulating what-if command takes: replications, seed, workers, scheduler."""
    parser.add_argument("-n", "--replications", type=int, metavar="REPS", help="replications (default: the scenario's)")
    parser.add_argument("--seed", type=int, help="seed (default: the scenario's)")
    parser.add_argument("--workers", type=int, metavar="W", help="local worker processes (default: one per CPU)")
    parser.add_argument(
        "--scheduler", metavar="ADDRESS", help="run on a Dask cluster, e.g. tcp://10.0.0.5:8786 (see docs/what-if.md)"
    )


@contextlib.contextmanager
def executor_from(address: str | None, workers: int | None = 1) -> Iterator[cf.Executor | None]:
    """An executor for the replications: a Dask cluster at ``address``, else local processes, else None.

    ``workers`` is the number of local processes when no address is given (None: one per CPU;
    1: run in this process). Results are the same whichever is used.
    """
    if address:
        try:
            from distributed import Client

            client = Client(address, timeout="10s")
        except OSError as exc:
            raise CpsimError(
                f"cannot reach the Dask scheduler at {address!r}: {exc}; start one with 'dask scheduler' "
                "and workers with 'dask worker ADDRESS', or leave out --scheduler to run locally"
            ) from None
        try:
            yield client.get_executor(pure=False)
        finally:
            client.close()
        return
    n = workers if workers is not None else (os.cpu_count() or 1)
    if n <= 1:
        yield None
        return
    with cf.ProcessPoolExecutor(max_workers=n) as pool:
        yield pool


def scenario_with_procedure(scenario_path: str | Path, old: str | Path, new: str | Path) -> tuple[Scenario, Scenario]:
    """The scenario run with procedure file ``old`` and with ``new`` in the route that runs ``old``'s id (or ``new``'s).

    Behaviour the scenario gives for stages the new procedure no longer has is dropped (and said so
    among the assumptions).

    Raises
    ------
    CpsimError
        If the scenario runs no procedure with ``old``'s id.
    """
    from cpsim.model.scenario.extend import read_scenario_yaml

    base = load_scenario(scenario_path)
    wanted = [load_procedure(old).id, load_procedure(new).id]
    ids = [r.procedure.id for r in base.routes]
    match = next((x for x in wanted if x in ids), None)
    if match is None:
        raise CpsimError(
            f"{scenario_path}: the scenario runs {', '.join(ids)}, not {wanted[0]!r} (the id in {old}) "
            f"nor {wanted[1]!r} (the id in {new}); choose a scenario that runs the procedure being changed"
        )
    index = ids.index(match)
    data = read_scenario_yaml(scenario_path).data
    return _swapped(base, data, index, old), _swapped(base, data, index, new)


def _swapped(base: Scenario, data: dict[str, Any], index: int, path: str | Path) -> Scenario:
    import copy

    proc = load_procedure(path)
    data = copy.deepcopy(data)
    entry = data["procedures"][index]
    entry["procedure"] = str(Path(path).resolve())
    stages = {s.id for s in proc.stages}
    dropped = []
    behaviour = entry.get("behaviour") or {}
    for sid in list(behaviour.get("stages") or {}):
        if sid not in stages:
            dropped.append(f"{sid} (no such stage; its behaviour is dropped)")
            del behaviour["stages"][sid]
    for sid, spec in (behaviour.get("stages") or {}).items():
        assumed = spec.get("assumed") if isinstance(spec, dict) else None
        for outcome, dest in list(assumed.items()) if isinstance(assumed, dict) else ():
            if dest not in stages:
                instead = next((t.to for t in proc.transitions_from(sid) if t.on == "unsatisfied"), None)
                if instead is None:
                    del assumed[outcome]
                else:
                    assumed[outcome] = instead
                    dropped.append(f"{sid} (assumed {outcome} now goes to {instead}, as an unsatisfactory reply)")
    notes = [f"The {proc.id} route runs the procedure in {path} (version {proc.version})."]
    data["assumptions"] = [*data.get("assumptions", []), *notes]
    if dropped:
        note = f"{proc.id}: the scenario's behaviour is adapted to the changed stages: {'; '.join(dropped)}"
        data["assumptions"] = [*data.get("assumptions", []), note]
    data["id"] = f"{base.id}-with-{proc.id}"[:64]
    data["title"] = f"{base.title}, running {proc.id}"
    name = base.path or "<scenario>"
    return load_scenario_data(data, base_dir=base.base_dir, name=name)


def progress(total: int, enabled: bool, label: str) -> contextlib.AbstractContextManager[Callable[[int], None]]:
    """A context giving ``on_done(k)`` that advances a progress bar on a terminal; silent otherwise."""
    if not enabled or not sys.stderr.isatty():
        return contextlib.nullcontext(lambda k: None)
    return _rich_progress(total, label)


@contextlib.contextmanager
def _rich_progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda k: bar.update(task, completed=k)
