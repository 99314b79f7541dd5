"""The pages that change and run: a scenario's what-if form, a run's progress and results, save, report.

Examples
--------
>>> from cpsim.app.server import create_app
>>> client = create_app(None, Path(".")).test_client()
>>> b"headcount" in client.get("/scenario/redcar-baseline.yaml").data
True
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from cpsim.app.controls import controls_for
from cpsim.app.jobs import Job, RunOptions
from cpsim.app.pages import problems_page
from cpsim.app.server import allowing, state
from cpsim.app.whatif import WhatIf, check, edits_from, slug, whatif_files
from cpsim.model.errors import FileError
from cpsim.model.scenario import Scenario, load_scenario
from cpsim.reports.outputs import write_atomic

__all__ = ["bp"]

bp = Blueprint("runs", __name__)

_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.ya?ml$")


def _baseline(name: str) -> tuple[Path, Scenario | tuple[str, int]]:
    scenarios = state().workspace.scenarios()
    if name not in scenarios:
        abort(404, description=f"no scenario file {name!r} in {state().workspace.label}")
    path = scenarios[name]
    try:
        return path, load_scenario(path)
    except FileError as exc:
        return path, problems_page(path, name, list(exc.problems))


def _form_page(name: str, base: Scenario, values: Mapping[str, str], **extra: Any) -> str:
    groups = controls_for(base)
    ids = {c.name: c.html_id for g in groups for c in g.controls}
    return render_template(
        "scenario.html", name=name, base=base, groups=groups, values=values, field_id=ids.get, **extra
    )


def _defaults(name: str, base: Scenario) -> dict[str, str]:
    stem = f"{Path(name).stem}-what-if"
    return {
        "whatif_title": f"{base.title} — what-if",
        "whatif_stem": stem,
        "replications": str(base.replications),
        "seed": str(base.seed),
        "workers": "1",
        "scheduler": "",
    }


@bp.get("/scenario/<path:name>")
def scenario(name: str) -> str | tuple[str, int]:
    """The what-if form for a scenario, filled with its values (or with an earlier run's, ``?run=ID``)."""
    path, base = _baseline(name)
    if not isinstance(base, Scenario):
        return base
    values = _defaults(name, base)
    job = state().jobs.get(request.args.get("run", ""))
    if job is not None and job.spec.baseline == path:
        values |= {e.name: e.text for e in job.spec.edits}
        values |= {"whatif_title": job.spec.title, "whatif_stem": job.spec.stem}
    return _form_page(name, base, values)


def _options(form: Mapping[str, str], base: Scenario) -> tuple[RunOptions | None, dict[str, str]]:
    """The run options from the form, or the messages saying what is wrong with them."""
    errors: dict[str, str] = {}
    numbers: dict[str, int] = {}
    for key, least, default in (("replications", 1, base.replications), ("seed", 0, base.seed), ("workers", 1, 1)):
        text = form.get(key, "").strip()
        try:
            numbers[key] = int(text) if text else default
        except ValueError:
            errors[key] = f"{key} must be a whole number, got {text!r}"
            continue
        if numbers[key] < least:
            errors[key] = f"{key} must be at least {least}, got {numbers[key]}"
    if errors:
        return None, errors
    scheduler = form.get("scheduler", "").strip() or None
    return RunOptions(numbers["replications"], numbers["seed"], numbers["workers"], scheduler), {}


@bp.post("/scenario/<path:name>/run")
def start(name: str) -> str | tuple[str, int] | BaseResponse:
    """Check the what-if with the loader; run it in the background, or show each problem at its field."""
    path, base = _baseline(name)
    if not isinstance(base, Scenario):
        return base
    form = request.form.to_dict()
    options, option_errors = _options(form, base)
    edits = edits_from(controls_for(base), form)
    stem = slug(form.get("whatif_stem", "") or f"{path.stem}-what-if")
    spec = WhatIf(path, stem, form.get("whatif_title", ""), tuple(edits))
    if not edits:
        message = "Change at least one value: this what-if is the same as the baseline."
        return _form_page(name, base, form, messages=[message], option_errors=option_errors), 422
    scratch = state().scratch / "runs" / uuid.uuid4().hex[:12]
    scratch.mkdir(parents=True)
    ws = state().workspace
    with allowing([f for f in (ws.folder, ws.save_dir) if f is not None]):
        checked = check(base, spec, scratch)
    if checked.problems or options is None or checked.scenario is None:
        messages = [checked.shown(p) for p in checked.problems] + list(option_errors.values())
        fields = {m: c for c, ms in checked.by_control.items() for m in ms}  # problem message -> its field
        links = {checked.shown(p): fields.get(p.message + (f" ({p.hint})" if p.hint else "")) for p in checked.problems}
        page = _form_page(
            name,
            base,
            form,
            messages=messages,
            links=links,
            field_errors=checked.by_control,
            option_errors=option_errors,
        )
        return page, 422
    job = state().jobs.start(base, checked.scenario, spec, options, scratch)
    return redirect(url_for("runs.show", job_id=job.id), code=303)


def _job(job_id: str) -> Job:
    job = state().jobs.get(job_id)
    if job is None:
        abort(404, description="no such run (runs are kept only while the app is running)")
    return job


def _run_page(job: Job, **extra: Any) -> str:
    names = {path: name for name, path in state().workspace.scenarios().items()}
    return render_template(
        "run.html",
        job=job,
        baseline_name=names.get(job.spec.baseline, job.spec.baseline.name),
        save_dir=state().workspace.save_dir,
        **extra,
    )


@bp.get("/runs/<job_id>")
def show(job_id: str) -> str:
    """A run: its progress while it runs (the page polls), then the results, charts, save and report."""
    return _run_page(_job(job_id))


@bp.get("/runs/<job_id>/status")
def status(job_id: str) -> Response:
    """The run's progress as JSON: state, done, total, phase, error."""
    return jsonify(_job(job_id).status())


@bp.post("/runs/<job_id>/cancel")
def cancel(job_id: str) -> BaseResponse:
    """Stop the run at the next finished replication."""
    _job(job_id).cancel()
    return redirect(url_for("runs.show", job_id=job_id), code=303)


@bp.post("/runs/<job_id>/save")
def save(job_id: str) -> str | tuple[str, int]:
    """Save the what-if as a scenario file that extends the baseline; an existing file only when confirmed."""
    job = _job(job_id)
    file_name = request.form.get("file_name", "").strip()
    if not _FILE_NAME.match(file_name):
        message = f"{file_name!r} is not a file name: use letters, digits, '-' or '_', ending in .yaml"
        return _run_page(job, save_error=message, file_name=file_name), 422
    folder = state().workspace.save_dir
    spec = WhatIf(job.spec.baseline, Path(file_name).stem, job.spec.title, job.spec.edits)
    files = whatif_files(job.baseline, spec, folder, relative=True)
    files = {(file_name if rel == spec.file_name else rel): data for rel, data in files.items()}
    replace = request.form.get("replace") == "yes"
    existing = [rel for rel in files if (folder / rel).exists()]
    if existing and not replace:
        message = f"{', '.join(existing)} already exists in {folder}. Tick “Replace the existing file” to overwrite it."
        return _run_page(job, save_error=message, file_name=file_name, confirm=True), 409
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / rel, data, force=replace)
    valid, said = state().validate(folder / file_name)
    return _run_page(job, saved=folder / file_name, valid=valid, said=said, file_name=file_name)


@bp.get("/runs/<job_id>/report.html")
def report(job_id: str) -> Response:
    """The HTML report of the what-if (the run report with the comparison first), as a download."""
    job = _job(job_id)
    if job.outcome is None:
        abort(409, description="the run has not finished")
    name = f"{job.spec.stem}-report.html"
    return Response(
        job.outcome.report_html,
        mimetype="text/html",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/runs/<job_id>/compare.svg")
def compare_svg(job_id: str) -> Response:
    """The chart of the paired differences with their 95% CIs."""
    job = _job(job_id)
    if job.outcome is None:
        abort(404)
    return Response(job.outcome.compare_svg, mimetype="image/svg+xml")


@bp.get("/runs/<job_id>/chart/<int:index>")
def chart(job_id: str, index: int) -> Response:
    """One of the charts the HTML report draws for the what-if's run."""
    job = _job(job_id)
    if job.outcome is None or not 0 <= index < len(job.outcome.charts):
        abort(404)
    image = job.outcome.charts[index]
    return Response(image.data, mimetype=image.mime)
