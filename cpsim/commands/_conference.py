"""``cpsim simulate`` and ``cpsim compare`` on conference scenarios (files with a ``lifecycle`` key).

The commands hand a conference scenario here; the run uses the conference simulator
(:mod:`cpsim.simulate.conference`) and prints its timescale table next to the challenges' targets
(:mod:`cpsim.reports.text.conference`). A run directory gets ``summary.json``, the chart of what
was missed (``breaches.png``), a self-contained page with both (``report.html``) and the flat
records as CSV (:mod:`cpsim.reports.rundir.conference`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
from pathlib import Path

from cpsim.commands._common import print_json
from cpsim.model.conference.load import CONFERENCE_SCENARIOS, load_conference
from cpsim.model.errors import CpsimError
from cpsim.model.files.kinds import file_kind
from cpsim.model.scenario.extend import read_scenario_yaml
from cpsim.reports.outputs import check_output_files, refuse_existing, write_atomic
from cpsim.reports.text.conference import conference_comparison_lines, conference_summary_lines
from cpsim.simulate.conference.budget import check_conference, estimate_conference
from cpsim.simulate.conference.compare import compare_conferences
from cpsim.simulate.conference.runner import run_conferences

__all__ = ["compare_conference", "is_conference", "run_conference"]


def _path(arg: str) -> Path | None:
    path = Path(arg)
    if path.is_file():
        return path
    return CONFERENCE_SCENARIOS.get(arg)


def is_conference(arg: str) -> bool:
    """True when ``arg`` names a conference scenario file (or a shipped one by id)."""
    path = _path(arg)
    if path is None:
        return False
    if file_kind(path) == "conference":
        return True
    try:
        return "lifecycle" in read_scenario_yaml(path).data
    except CpsimError:
        return False


def _workers(args: argparse.Namespace, replications: int) -> int:
    """``--workers``, or one local process per CPU, at most one per replication (as for challenge scenarios)."""
    given = getattr(args, "workers", None)
    return max(1, given) if given is not None else max(1, min(replications, os.cpu_count() or 1))


def _refuse_challenge_options(args: argparse.Namespace) -> None:
    for option, why in (("open_cases", "a conference scenario lists its open plans under open_plans:"),
                        ("scheduler", "conference scenarios run on local workers (--workers)")):  # fmt: skip
        if getattr(args, option, None):
            raise CpsimError(f"--{option.replace('_', '-')} is for challenge scenarios; {why}")


def run_conference(args: argparse.Namespace) -> int:
    """Simulate the conference scenario ``args.scenario``, print its table, write its run directory."""
    # here, not at the top: the report builders load matplotlib, which a challenge run never needs
    from cpsim.reports.documents.conference import RUN_FILES, write_conference_run

    path = _path(args.scenario)
    assert path is not None
    _refuse_challenge_options(args)
    sc = load_conference(path)
    n = getattr(args, "replications", None)
    if n is not None and n < 1:
        raise CpsimError("-n must be at least 1")
    check_conference(estimate_conference(sc, n), lifted=bool(getattr(args, "no_size_limit", False)))  # before any work
    workers = _workers(args, n or sc.spec.replications)
    out = getattr(args, "output", None)
    folder = Path(out) if out else Path("runs") / f"{sc.id}-{dt.datetime.now():%Y%m%d-%H%M%S}"
    force = bool(getattr(args, "force", False))
    check_output_files(folder, list(RUN_FILES), force)  # before any work
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    result = run_conferences(sc, replications=n, seed=getattr(args, "seed", None), workers=workers)
    summary = write_conference_run(folder, result, force=force, workers=workers, started=started)
    if getattr(args, "json", False):
        print_json(summary)
    else:
        print("\n".join(conference_summary_lines(summary)))
        print(f"\nRun directory: {folder}")
    return 0


def compare_conference(args: argparse.Namespace) -> int:
    """Compare two conference scenarios pairwise and print (or write) the table."""
    if getattr(args, "output", None):
        refuse_existing(Path(args.output), bool(args.force))
    pa, pb = _path(args.a), _path(args.b)
    if pa is None or pb is None or not is_conference(str(pb)):
        raise CpsimError(f"{args.b}: compare a conference scenario with another conference scenario")
    _refuse_challenge_options(args)
    a, b = load_conference(pa), load_conference(pb)
    parts = [estimate_conference(sc, args.replications) for sc in (a, b)]
    check_conference(parts, lifted=bool(getattr(args, "no_size_limit", False)))  # before any work
    workers = _workers(args, args.replications or a.spec.replications)
    result = compare_conferences(a, b, replications=args.replications, seed=args.seed, workers=workers)
    if args.json:
        text = json.dumps(result.as_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    else:
        text = "\n".join([f"# {a.title} compared with {b.title}", "", *conference_comparison_lines(result)]) + "\n"
    if args.output:
        write_atomic(Path(args.output), text.encode("utf-8"), force=args.force)
    else:
        print(text, end="")
    return 0
