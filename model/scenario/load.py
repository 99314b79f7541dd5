"""Resolve a scenario file (or scenario data) into checked parts, collecting every problem.

:func:`resolve_file` reads a file (following ``extend``) and :func:`resolve` checks data already in
memory: both validate it against :class:`~cpsim.model.scenario.spec.ScenarioFile`, load the
procedures it names, cross-check the two and build each route's behaviour. They return a
:class:`Resolved` (or None) and the list of problems; :mod:`cpsim.model.scenario.classes` makes the
:class:`~cpsim.model.scenario.classes.Scenario` from it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cpsim.model import shipped_procedure_paths
from cpsim.model.errors import FileError, Problem, did_you_mean
from cpsim.model.files.kinds import kind_of
from cpsim.model.files.table import Problems, count_rows, csv_header, csv_rows, is_file
from cpsim.model.files.yaml import Locator, PlainDoc
from cpsim.model.procedure.classes import Procedure
from cpsim.model.procedure.load import load_procedure
from cpsim.model.scenario.checks import build_behaviour, check_references
from cpsim.model.scenario.errors import SCENARIO_ERRORS
from cpsim.model.scenario.extend import ExtendedDoc, read_scenario_yaml  # follows 'extend: parent.yaml'
from cpsim.model.scenario.paths import inside, outside_message, roots_for
from cpsim.model.scenario.routes import ReplayRow, Route
from cpsim.model.scenario.spec import MAX_REPLAY_ROWS, ReplayArrivals, ScenarioFile

__all__ = ["Resolved", "file_digest", "resolve", "resolve_file"]


@dataclass(frozen=True)
class Resolved:
    """A checked scenario file: the file as written, its routes, replayed arrivals and the files read."""

    spec: ScenarioFile
    routes: tuple[Route, ...]
    replay: tuple[ReplayRow, ...]
    base_dir: Path
    digests: dict[str, str]


def file_digest(path: str | Path) -> str:
    """sha256 of a file's bytes, in hex."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def resolve_file(path: str | Path) -> tuple[Resolved | None, list[Problem]]:
    """The scenario in ``path`` and every problem found (None when there are any)."""
    try:
        doc = read_scenario_yaml(path)
    except FileError as exc:
        return None, list(exc.problems)
    if kind_of(doc.data) in {"procedure", "behaviour"}:
        return None, [_not_a_scenario(str(path), kind_of(doc.data))]
    base_dir = Path(path).resolve().parent
    resolved, problems = resolve(doc.data, base_dir=base_dir, name=str(path), doc=doc, roots=roots_for(path))
    if resolved is None:
        return None, problems
    parents = {p: file_digest(p) for p in (doc.parents if isinstance(doc, ExtendedDoc) else ())}
    digests = {str(path): file_digest(path), **parents, **resolved.digests}
    return Resolved(resolved.spec, resolved.routes, resolved.replay, resolved.base_dir, digests), []


def resolve(
    data: Any, *, base_dir: Path, name: str, doc: Locator | None = None, roots: tuple[Path, ...] | None = None
) -> tuple[Resolved | None, list[Problem]]:
    """Check and resolve scenario ``data``; ``doc`` locates problems (at line 1 of ``name`` when None).

    With ``roots`` (a file's data), every file it names must lie inside them
    (:mod:`cpsim.model.scenario.paths`); data built in memory names files the user chose.
    """
    locator: Locator = doc if doc is not None else PlainDoc(name)
    problems: list[Problem] = []
    try:
        spec: ScenarioFile | None = ScenarioFile.model_validate(data)
    except ValidationError as exc:
        problems.extend(SCENARIO_ERRORS.translate(locator, data, exc))
        spec = None
    procs = _resolve_procedures(locator, data, base_dir, problems, roots)
    problems.extend(check_references(locator, data, procs))
    found = [p for p in procs if p is not None]
    if spec is None or problems or len(found) != len(procs):
        return None, sorted(set(problems))
    routes = []
    digests: dict[str, str] = {}
    for i, (rspec, (proc, ppath)) in enumerate(zip(spec.procedures, found, strict=True)):
        behaviour = build_behaviour(locator, i, rspec, proc, spec, problems)
        routes.append(Route(procedure=proc, share=rspec.share, behaviour=behaviour, path=str(ppath)))
        digests[str(ppath)] = file_digest(ppath)
    replay: tuple[ReplayRow, ...] = ()
    if isinstance(spec.arrivals, ReplayArrivals):
        replay_path = base_dir / spec.arrivals.file
        if roots is not None and not inside(replay_path, roots):
            message, hint = outside_message("arrivals file", spec.arrivals.file[:100], roots)
            return None, [locator.problem(("arrivals", "file"), message, hint)]
        replay = _read_replay(locator, replay_path, [r.procedure.id for r in routes], problems)
        if is_file(replay_path):
            digests[str(replay_path)] = file_digest(replay_path)
    if problems:
        return None, sorted(set(problems))
    return Resolved(spec, tuple(routes), replay, base_dir, digests), []


def _resolve_procedures(
    doc: Locator, data: Any, base_dir: Path, problems: list[Problem], roots: tuple[Path, ...] | None
) -> list[tuple[Procedure, Path] | None]:
    entries = data.get("procedures") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return []
    shipped = {p.stem: p for p in shipped_procedure_paths()}
    out: list[tuple[Procedure, Path] | None] = []
    for i, entry in enumerate(entries):
        ref = entry.get("procedure") if isinstance(entry, dict) else None
        if not isinstance(ref, str):
            out.append(None)
            continue
        path = base_dir / ref if ref.endswith((".yaml", ".yml")) or "/" in ref else shipped.get(ref)
        loc = ("procedures", i, "procedure")
        if path is not None and roots is not None and not inside(path, roots):
            problems.append(doc.problem(loc, *outside_message("procedure file", ref[:100], roots)))
            out.append(None)
            continue
        if path is None or not is_file(path):
            hint = did_you_mean(ref[:100], list(shipped)) + "; give a shipped id, or a .yaml path relative to this file"
            shown = ref if len(ref) <= 60 else ref[:57] + "..."
            problems.append(doc.problem(loc, f"procedure {shown!r} not found", hint))
            out.append(None)
            continue
        try:
            out.append((load_procedure(path), path))
        except FileError as exc:
            problems.append(doc.problem(loc, f"procedure file {ref!r} has problems"))
            problems.extend(exc.problems)
            out.append(None)
    return out


def _read_replay(doc: Locator, path: Path, routes: list[str], problems: list[Problem]) -> tuple[ReplayRow, ...]:
    if not is_file(path):
        shown = path.name if len(path.name) <= 60 else path.name[:57] + "..."
        message = f"arrivals file {shown!r} not found"
        problems.append(doc.problem(("arrivals", "file"), message, "give a CSV path relative to this file"))
        return ()
    name = str(path)
    try:
        count = count_rows(path)
    except FileError as exc:
        problems.extend(exc.problems)
        return ()
    if "date" not in csv_header(path):
        problems.append(Problem(name, 1, 1, "the CSV needs a 'date' column", "first line: date,route"))
        return ()
    if count > MAX_REPLAY_ROWS:
        message = f"the file lists {count:,} arrivals, more than the {MAX_REPLAY_ROWS:,} a scenario may replay"
        problems.append(Problem(name, 1, 1, message, "replay a shorter period; see docs/limits.md"))
        return ()
    rows, found = [], Problems(name)
    for n, row in csv_rows(path):
        try:
            day = dt.date.fromisoformat((row.get("date") or "").strip())
        except ValueError:
            found.add(Problem(name, n, 1, f"row {n}: date {(row.get('date') or '')[:60]!r} is not like 2026-01-05"))
            continue
        route = (row.get("route") or "").strip() or None
        if route is not None and route not in routes:
            found.add(Problem(name, n, 1, f"row {n}: unknown route {route[:60]!r}", f"one of {routes}"))
            continue
        rows.append(ReplayRow(date=day, route=route))
    problems.extend(found.listed())
    return tuple(sorted(rows, key=lambda r: r.date))


def _not_a_scenario(path: str, kind: str) -> Problem:
    what = "procedure" if kind == "procedure" else "behaviour"
    use = "cpsim verify or cpsim show" if kind == "procedure" else "cpsim analyse --procedure FILE --behaviour"
    return Problem(
        path,
        1,
        1,
        f"this is a {what} file, not a scenario: a scenario names the procedures it runs, the staff and the arrivals",
        f"give a scenario file, such as scenarios/redcar-baseline.yaml, described in docs/scenario-format.md; "
        f"a {what} file is for {use}",
    )
