"""The pages that read: the folder's procedures and scenarios, one procedure, and checking a file.

Examples
--------
>>> from cpsim.app.server import create_app
>>> client = create_app(None, Path(".")).test_client()
>>> b"Findings" in client.get("/procedure/redcar-internal.yaml").data
True
"""

from __future__ import annotations

import uuid
from pathlib import Path

from flask import Blueprint, Response, abort, render_template, request
from werkzeug.utils import secure_filename

from cpsim.app.checking import annotated, check_file, shown
from cpsim.app.procedure_page import findings_cached, load_cached, procedure_page
from cpsim.app.server import state
from cpsim.model.errors import CpsimError, FileError, Problem
from cpsim.model.files import read_yaml
from cpsim.reports.exports.render import render_flowchart

__all__ = ["bp"]

bp = Blueprint("pages", __name__)
_DRAWN: dict[tuple[str, int], bytes] = {}
"""Flowcharts drawn, by file and its modification time."""


def _title(path: Path, kind: str) -> tuple[str, str]:
    """The file's title and a line about it; a file with problems says so instead."""
    try:
        if kind == "procedure":
            proc = load_cached(path)
            return proc.title, proc.authority
        data = read_yaml(path).data
        return str(data.get("title", path.stem)), str(data.get("id", ""))
    except (CpsimError, OSError, AttributeError):
        return path.name, "has problems: open it to see them at their lines"


@bp.get("/")
def index() -> str:
    """The procedures and scenarios in the folder, and a way to check a file."""
    ws = state().workspace
    procedures = [(name, *_title(path, "procedure")) for name, path in ws.procedures().items()]
    scenarios = [(name, *_title(path, "scenario")) for name, path in ws.scenarios().items()]
    return render_template("index.html", procedures=procedures, scenarios=scenarios, folder=ws.label)


def problems_page(path: Path, name: str, problems: list[Problem], status: int = 422) -> tuple[str, int]:
    """The page listing ``problems`` in the file at ``path`` (called ``name``), each beside its line."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    here = [p for p in problems if Path(p.file) == path]
    return (
        render_template(
            "check.html",
            name=name,
            messages=[(shown(p, path, name), p.line if Path(p.file) == path else None) for p in problems],
            lines=annotated(text, here, name),
            checked=True,
        ),
        status,
    )


@bp.get("/procedure/<path:name>")
def procedure(name: str) -> str | tuple[str, int]:
    """One procedure: flowchart, ladder, plain English, findings with clauses, timescales beside others'."""
    ws = state().workspace
    procs = ws.procedures()
    if name not in procs:
        abort(404, description=f"no procedure file {name!r} in {ws.label}")
    try:
        page = procedure_page(procs[name], procs.values())
    except FileError as exc:
        return problems_page(procs[name], name, list(exc.problems))
    return render_template("procedure.html", name=name, page=page)


@bp.get("/procedure/<path:name>/flowchart.svg")
def flowchart(name: str) -> Response:
    """The procedure's flowchart as SVG, as ``cpsim flowchart`` draws it."""
    procs = state().workspace.procedures()
    if name not in procs:
        abort(404)
    path = procs[name]
    key = (str(path.resolve()), path.stat().st_mtime_ns)
    if key not in _DRAWN:
        try:
            proc = load_cached(path)
        except FileError:
            abort(404)
        _DRAWN[key] = render_flowchart(proc, ".svg", findings_cached(path))
    return Response(_DRAWN[key], mimetype="image/svg+xml")


@bp.get("/check")
def check_form() -> str:
    """The form to check a procedure or scenario file."""
    return render_template("check.html", checked=False)


@bp.post("/check")
def check_upload() -> str | tuple[str, int]:
    """Check the uploaded file as ``cpsim validate`` would and show each problem at its line."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_template("check.html", checked=False, error="Choose a file to check."), 400
    name = secure_filename(upload.filename) or "uploaded.yaml"
    folder = state().scratch / "uploads" / uuid.uuid4().hex[:12]
    folder.mkdir(parents=True)
    path = folder / name
    upload.save(path)
    kind, problems = check_file(path)
    if problems:
        return problems_page(path, name, problems)
    text = path.read_text(encoding="utf-8", errors="replace")
    return render_template(
        "check.html", name=name, kind=kind, messages=[], lines=annotated(text, [], name), checked=True
    )
