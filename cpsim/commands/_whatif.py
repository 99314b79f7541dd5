"""Helpers shared by the what-if commands (compare, diff, sweep): run options, procedure swaps, progress."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from cpsim.commands._common import add_size_option, count
from cpsim.model import load_procedure
from cpsim.model.errors import CpsimError
from cpsim.model.scenario import Scenario, load_scenario

__all__ = ["add_run_arguments", "progress", "scenario_with_procedure"]


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """The options every simulating what-if command takes: replications, seed, workers, scheduler."""
    parser.add_argument(
        "-n", "--replications", type=count, metavar="REPS", help="replications (default: the scenario's)"
    )
    parser.add_argument("--seed", type=int, help="seed (default: the scenario's)")
    parser.add_argument("--workers", type=int, metavar="W", help="local worker processes (default: one per CPU)")
    parser.add_argument(
        "--scheduler", metavar="ADDRESS", help="run on a Dask cluster, e.g. tcp://10.0.0.5:8786 (see docs/what-if.md)"
    )
    add_size_option(parser)


def scenario_with_procedure(scenario_path: str | Path, old: str | Path, new: str | Path) -> tuple[Scenario, Scenario]:
    """The scenario run with procedure file ``old`` and with ``new`` in the route that runs ``old``'s id (or ``new``'s).

    See :meth:`~cpsim.model.scenario.classes.Scenario.with_procedure` for how the behaviour is
    adapted to the swapped procedure.

    Raises
    ------
    CpsimError
        If the scenario runs neither ``old``'s id nor ``new``'s.
    """
    base = load_scenario(scenario_path)
    wanted = [load_procedure(old).id, load_procedure(new).id]
    ids = [r.procedure.id for r in base.routes]
    match = next((x for x in wanted if x in ids), None)
    if match is None:
        raise CpsimError(
            f"{scenario_path}: the scenario runs {', '.join(ids)}, not {wanted[0]!r} (the id in {old}) "
            f"nor {wanted[1]!r} (the id in {new}); choose a scenario that runs the procedure being changed"
        )
    return base.with_procedure(match, old), base.with_procedure(match, new)


def progress(total: int, enabled: bool, label: str) -> contextlib.AbstractContextManager[Callable[[int], None]]:
    """A context giving ``on_done(k)`` that advances a progress bar on a terminal; silent otherwise.

    The bar shows only when ``enabled`` (not ``--json``) and both standard output and standard error
    are terminals: output piped to a file or another program gets no progress lines.
    """
    if not enabled or not sys.stderr.isatty() or not sys.stdout.isatty():
        return contextlib.nullcontext(lambda k: None)
    return _rich_progress(total, label)


@contextlib.contextmanager
def _rich_progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    columns = ("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda k: bar.update(task, completed=k)
