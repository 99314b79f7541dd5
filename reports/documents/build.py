"""Build reports from what a user names: a procedure file or a simulation run directory (challenge or conference).

Also writes a set of reports — one per shipped procedure, per shipped scenario and per shipped
conference scenario — with an index.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR
>>> report_for(PROCEDURES_DIR / "redcar-internal.yaml").sections[0].id
'summary'
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cpsim.model import load_procedure, shipped_procedure_paths
from cpsim.model.conference.load import CONFERENCE_SCENARIOS, ConferenceScenario, load_conference
from cpsim.model.errors import CpsimError
from cpsim.model.files import read_yaml
from cpsim.model.procedure import Procedure
from cpsim.model.scenario import Scenario, load_scenario, shipped_scenario_paths
from cpsim.reports.documents.conference import RUN_FILES, write_conference_run
from cpsim.reports.documents.conference_report import (
    conference_report,
    conference_scenario_for,
    is_conference_run,
    read_conference_run,
)
from cpsim.reports.documents.conference_summary import conference_headline
from cpsim.reports.documents.content import Report, procedure_report, run_report, severity_counts
from cpsim.reports.documents.html import render_html, render_index
from cpsim.reports.documents.markdown import render_markdown
from cpsim.reports.documents.summary import headline
from cpsim.reports.exports.render import findings_for
from cpsim.reports.outputs import check_output_files, cpsim_version, refuse_existing, write_atomic, write_files
from cpsim.reports.rundir.read import is_run_dir, load_run
from cpsim.reports.rundir.write import check_output_dir, write_run
from cpsim.simulate import run
from cpsim.simulate.conference.runner import run_conferences

__all__ = ["check_report_output", "report_for", "write_all", "write_report"]

Row = tuple[str, str, str]
"""A row of the index page: relative link, name, description."""


def _scenario_of(manifest: dict[str, Any]) -> Scenario | None:
    """The scenario a run read, if its file is still where the manifest says."""
    path = (manifest.get("scenario") or {}).get("path")
    try:
        return load_scenario(path) if path else None
    except (CpsimError, OSError):
        return None


def _procedures_of(manifest: dict[str, Any], scenario: Scenario | None) -> list[Procedure]:
    """The procedures a run used: the scenario's routes, or the procedure files the manifest lists."""
    if scenario is not None:
        return [r.procedure for r in scenario.routes]
    procs = []
    for name in manifest.get("files_sha256", {}):
        if name.endswith(".yaml") and "procedures" in Path(name).parts and Path(name).is_file():
            procs.append(load_procedure(name))
    return procs


def report_for(subject: str | Path, scenario: Path | None = None) -> Report:
    """The report on ``subject``: a run directory (from ``cpsim simulate``) or a procedure YAML file.

    ``scenario`` names the file a conference run simulated, when the run directory does not lead to it.

    Raises
    ------
    CpsimError
        If ``subject`` is neither, saying what to give instead.
    """
    path = Path(subject)
    if is_run_dir(path) and is_conference_run(path):
        summary, manifest = read_conference_run(path)
        return conference_report(path, conference_scenario_for(path, summary, manifest, scenario))
    if scenario is not None:
        raise CpsimError("--scenario is for a conference run directory; a challenge run's manifest names its scenario")
    if is_run_dir(path):
        results = load_run(path)
        read = _scenario_of(results.manifest)
        procs = _procedures_of(results.manifest, read)
        if not procs:
            raise CpsimError(
                f"{path}: cannot find the procedures this run used; run the report from the folder it was simulated in"
            )
        return run_report(results, procs, read)
    if path.is_dir():
        raise CpsimError(
            f"{path}: not a run directory (no summary.json and manifest.json); "
            "give a run directory from 'cpsim simulate' or a procedure file"
        )
    if not path.exists():
        raise CpsimError(
            f"{path}: no such file or directory; give a procedure YAML file or a run directory from 'cpsim simulate'"
        )
    if path.suffix in (".yaml", ".yml") and _is_scenario(path):
        raise CpsimError(
            f"{path} is a scenario: simulate it first ('cpsim simulate {path} -o RUN_DIR'), then 'cpsim report RUN_DIR'"
        )
    return procedure_report([load_procedure(path)], [path])


def _is_scenario(path: Path) -> bool:
    try:
        data = read_yaml(path).data
    except CpsimError:
        return False
    return isinstance(data, dict) and ("procedures" in data or "lifecycle" in data) and "stages" not in data


def _images_folder(out: Path) -> Path:
    """The folder beside a Markdown report ``out`` that holds its images: ``<stem>_files``."""
    return out.parent / f"{out.stem}_files"


def check_report_output(out: Path, fmt: str, force: bool) -> None:
    """Raise unless a report may be written to ``out`` (and, for Markdown, images beside it); call it first.

    Raises
    ------
    CpsimError
        As :func:`~cpsim.reports.outputs.refuse_existing` and, for the images folder,
        :func:`~cpsim.reports.outputs.check_output_files` do.
    """
    refuse_existing(out, force)
    if fmt == "md":
        check_output_files(_images_folder(out), (), force)


def write_report(report: Report, out: Path, fmt: str, force: bool = False) -> list[Path]:
    """Write ``report`` as ``fmt`` ("html" or "md") to ``out``; Markdown images go to ``<stem>_files/``.

    The images folder lists the images in its ``manifest.json``: ``force`` replaces ``out`` and
    the images cpsim wrote there before, and nothing else. Everything is checked before anything is written.
    """
    if fmt == "html":
        return [write_atomic(out, render_html(report).encode("utf-8"), force=force)]
    folder = _images_folder(out)
    text, files = render_markdown(report, folder.name)
    images = {Path(rel).relative_to(folder.name).as_posix(): data for rel, data in files.items()}
    check_report_output(out, fmt, force)
    check_output_files(folder, images, force)
    written = write_files(folder, images, force) if images else []
    return [*written, write_atomic(out, text.encode("utf-8"), force=force)]


def _finding_counts(proc: Procedure) -> str:
    return severity_counts(findings_for(proc), ("violation", "warning", "gap"), zeros=True)


def _headline(summary: dict[str, Any]) -> str:
    """Each target's breach rate with its 95% CI, then the replications and seed, for the index page."""
    return f"{headline(summary)}; {_runs(summary)}"


def write_all(
    out_dir: Path, replications: int | None, workers: int | None, force: bool, log: Callable[[str], None] = print
) -> Path:
    """Reports for every shipped procedure and scenario (run here), and ``index.html`` linking them.

    Every page and run directory is checked before the first is written: without ``force`` none may
    exist; with it, each that exists must be one cpsim wrote (pages are listed in ``out_dir/manifest.json``).
    Files in ``out_dir`` that cpsim does not write are left as they are.
    """
    procs = [(path, load_procedure(path)) for path in shipped_procedure_paths()]
    scenarios = [(path, load_scenario(path)) for path in shipped_scenario_paths()]
    conferences = [load_conference(path) for path in CONFERENCE_SCENARIOS.values()]
    pages = [f"procedures/{p.id}.html" for _, p in procs] + [f"scenarios/{s.id}.html" for _, s in scenarios]
    pages += [f"scenarios/{c.id}.html" for c in conferences]
    check_output_files(out_dir, [*pages, "index.html"], force)
    for _, scenario in scenarios:
        check_output_dir(out_dir / "runs" / scenario.id, force)
    for conference in conferences:
        check_output_files(out_dir / "runs" / conference.id, RUN_FILES, force)
    # Checked: from here on only files cpsim wrote (before, or just now) are replaced, hence force=True.
    proc_rows = [_write_procedure_report(out_dir, path, proc, log) for path, proc in procs]
    scen_rows = [_write_scenario_report(out_dir, sc, replications, workers, log) for _, sc in scenarios]
    conf_rows = [_write_conference_report(out_dir, c, replications, workers, log) for c in conferences]
    groups = [("Procedures", proc_rows), ("Scenarios (simulated)", scen_rows)]
    page = render_index("cpsim reports", [*groups, ("Conference scenarios (simulated)", conf_rows)])
    write_files(out_dir, {"index.html": page.encode()}, force=True)
    return out_dir / "index.html"


def _write_page(out_dir: Path, name: str, report: Report, log: Callable[[str], None]) -> None:
    """Write ``report`` as HTML to ``out_dir/name``, listed in the folder's manifest."""
    write_files(out_dir, {name: render_html(report).encode()}, force=True)
    log(f"wrote {out_dir / name}")


def _write_procedure_report(out_dir: Path, path: Path, proc: Procedure, log: Callable[[str], None]) -> Row:
    """Write ``procedures/<id>.html`` for the procedure read from ``path``; its row of the index."""
    _write_page(out_dir, f"procedures/{proc.id}.html", procedure_report([proc], [path]), log)
    return (f"procedures/{proc.id}.html", proc.title, f"{proc.authority} ({proc.id}): {_finding_counts(proc)}")


def _write_scenario_report(
    out_dir: Path, scenario: Scenario, replications: int | None, workers: int | None, log: Callable[[str], None]
) -> Row:
    """Simulate ``scenario`` into ``runs/<id>``, write ``scenarios/<id>.html``; its row of the index."""
    result = run(scenario, replications=replications, workers=workers, keep=True, events=True)
    run_dir = write_run(
        result, out_dir / "runs" / scenario.id, version=cpsim_version(), workers=workers or 1, force=True
    )
    report = run_report(load_run(run_dir), [r.procedure for r in scenario.routes], scenario)
    _write_page(out_dir, f"scenarios/{scenario.id}.html", report, log)
    return (f"scenarios/{scenario.id}.html", scenario.title, _headline(result.summary()))


def _write_conference_report(
    out_dir: Path, sc: ConferenceScenario, replications: int | None, workers: int | None, log: Callable[[str], None]
) -> Row:
    """Simulate the conference scenario ``sc`` into ``runs/<id>``, write ``scenarios/<id>.html``; its index row."""
    n = sc.spec.replications if replications is None else replications
    used = workers or max(1, min(n, os.cpu_count() or 1))
    result = run_conferences(sc, replications=n, workers=used)
    run_dir = out_dir / "runs" / sc.id
    write_conference_run(run_dir, result, force=True, workers=used)
    _write_page(out_dir, f"scenarios/{sc.id}.html", conference_report(run_dir, sc), log)
    summary = result.summary()
    return (f"scenarios/{sc.id}.html", sc.title, f"{conference_headline(summary)}; {_runs(summary)}")


def _runs(summary: dict[str, Any]) -> str:
    return f"{summary.get('replications')} replications, seed {summary.get('seed')}"
