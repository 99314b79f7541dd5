"""Build reports from what a user names: a procedure file or a simulation run directory.

Also writes a set of reports — one per shipped procedure and per shipped scenario — with an index.

Examples
--------
>>> from model import PROCEDURES_DIR
>>> report_for(PROCEDURES_DIR / "redcar-internal.yaml").sections[0].id
'procedure'
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from cpsim.model import load_procedure, shipped_procedure_paths
from cpsim.model.errors import CpsimError
from cpsim.model.procedure.classes import Procedure
from cpsim.reports.documents.content import Report, procedure_report, run_report
from cpsim.reports.documents.html import render_html, render_index
from cpsim.reports.documents.markdown import render_markdown
from cpsim.reports.exports.render import cpsim_version, write_atomic
from cpsim.reports.rundir.read import is_run_dir, load_run

__all__ = ["report_for", "write_all", "write_report"]


def _scenario_of(manifest: dict[str, Any]) -> Any:
    from cpsim.model.scenario.classes import load_scenario

    path = (manifest.get("scenario") or {}).get("path")
    try:
        return load_scenario(path) if path else None
    except (CpsimError, OSError):
        return None


def _procedures_of(manifest: dict[str, Any], scenario: Any) -> list[Procedure]:
    if scenario is not None:
        return [r.procedure for r in scenario.routes]
    procs = []
    for name in manifest.get("files_sha256", {}):
        if name.endswith(".yaml") and "procedures" in Path(name).parts and Path(name).is_file():
            procs.append(load_procedure(name))
    return procs


def report_for(subject: str | Path) -> Report:
    """The report on ``subject``: a run directory (from ``cpsim simulate``) or a procedure YAML file.

    Raises
    ------
    CpsimError
        If ``subject`` is neither, saying what to give instead.
    """
    path = Path(subject)
    if is_run_dir(path):
        results = load_run(path)
        scenario = _scenario_of(results.manifest)
        procs = _procedures_of(results.manifest, scenario)
        if not procs:
            raise CpsimError(
                f"{path}: cannot find the procedures this run used; run the report from the folder it was simulated in"
            )
        return run_report(results, procs, scenario)
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
    from cpsim.model.files.yaml import read_yaml

    try:
        data = read_yaml(path).data
    except CpsimError:
        return False
    return isinstance(data, dict) and "procedures" in data and "stages" not in data


def write_report(report: Report, out: Path, fmt: str, force: bool = False) -> list[Path]:
    """Write ``report`` as ``fmt`` ("html" or "md") to ``out``; Markdown images go to ``<stem>_files/``."""
    if fmt == "html":
        return [write_atomic(out, render_html(report).encode("utf-8"), force=force)]
    if out.exists() and not force:
        raise CpsimError(f"{out}: file exists; choose another name or add --force to overwrite it")
    text, files = render_markdown(report, f"{out.stem}_files")
    written = []
    for rel, data in files.items():
        target = out.parent / rel
        target.parent.mkdir(exist_ok=True)
        written.append(write_atomic(target, data, force=True))
    return [*written, write_atomic(out, text.encode("utf-8"), force=force)]


def _finding_counts(proc: Procedure) -> str:
    from cpsim.reports.exports.render import findings_for

    found = findings_for(proc)
    if found is None:
        return "not verified"
    counts = {sev: sum(f.severity == sev for f in found) for sev in ("violation", "warning", "gap")}
    return ", ".join(f"{n} {sev}{'s' if n != 1 else ''}" for sev, n in counts.items())


def _headline(summary: dict[str, Any]) -> str:
    """Each target's breach rate, then the replications and seed, e.g. for the index page."""
    parts = [
        f"{k.split('/')[0]}: {t['title'].lower()} missed by {t['breach_rate']['mean']:.0%}"
        for k, t in summary.get("targets", {}).items()
        if (t.get("breach_rate") or {}).get("mean") is not None
    ]
    return "; ".join(parts + [f"{summary.get('replications')} replications, seed {summary.get('seed')}"])


def write_all(
    out_dir: Path, replications: int | None, workers: int | None, force: bool, log: Callable[[str], None] = print
) -> Path:
    """Reports for every shipped procedure and scenario (run here), and ``index.html`` linking them."""
    from cpsim.model.scenario.classes import load_scenario, shipped_scenario_paths
    from cpsim.reports.rundir.write import write_run
    from cpsim.simulate.experiments.runner import run

    index = out_dir / "index.html"
    if index.exists() and not force:
        raise CpsimError(f"{index}: file exists; choose another folder or add --force to overwrite the reports in it")
    for sub in ("procedures", "scenarios", "runs"):
        (out_dir / sub).mkdir(parents=True, exist_ok=True)
    proc_rows = []
    for p in shipped_procedure_paths():
        proc = load_procedure(p)
        write_atomic(
            out_dir / "procedures" / f"{proc.id}.html", render_html(procedure_report([proc], [p])).encode(), force=True
        )
        about = f"{proc.authority} ({proc.id}): {_finding_counts(proc)}"
        proc_rows.append((f"procedures/{proc.id}.html", proc.title, about))
        log(f"wrote {out_dir / 'procedures' / (proc.id + '.html')}")
    scen_rows = []
    for sp in shipped_scenario_paths():
        scenario = load_scenario(sp)
        result = run(scenario, replications=replications, workers=workers, keep=True, events=True)
        run_dir = write_run(
            result, out_dir / "runs" / scenario.id, version=cpsim_version(), workers=workers or 1, force=True
        )
        report = run_report(load_run(run_dir), [r.procedure for r in scenario.routes], scenario)
        write_atomic(out_dir / "scenarios" / f"{scenario.id}.html", render_html(report).encode(), force=True)
        scen_rows.append((f"scenarios/{scenario.id}.html", scenario.title, _headline(result.summary())))
        log(f"wrote {out_dir / 'scenarios' / (scenario.id + '.html')}")
    page = render_index("cpsim reports", [("Procedures", proc_rows), ("Scenarios (simulated)", scen_rows)])
    return write_atomic(index, page.encode(), force=True)
