"""Build a :class:`~cpsim.model.scenario.classes.Scenario` from a file or from data, collecting every problem."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cpsim.model import shipped_procedure_paths
from cpsim.model.errors import FileError, Problem
from cpsim.model.files.yaml import Loc
from cpsim.model.procedure.classes import Procedure
from cpsim.model.procedure.load import load_procedure
from cpsim.model.scenario.checks import build_behaviour, check_references
from cpsim.model.scenario.classes import ReplayArrivals, Route, Scenario, ScenarioFile, file_digest
from cpsim.model.scenario.errors import translate
from cpsim.model.scenario.extend import read_scenario_yaml  # follows 'extend: parent.yaml'

__all__ = ["PlainDoc", "load", "load_data"]


class PlainDoc:
    """Stand-in for a YamlDoc when the data did not come from a file: every problem is at line 1."""

    def __init__(self, path: str) -> None:
        self.path = path

    def problem(self, loc: Loc, message: str, hint: str = "", *, key: bool = False) -> Problem:
        """A problem at line 1 naming ``loc`` in the message."""
        where = ".".join(str(p) for p in loc)
        return Problem(self.path, 1, 1, f"{where}: {message}" if where else message, hint)


def load(path: str | Path) -> tuple[Scenario | None, list[Problem]]:
    """The scenario in ``path`` and every problem found (the scenario is None when there are any)."""
    try:
        doc = read_scenario_yaml(path)
    except FileError as exc:
        return None, list(exc.problems)
    scenario, problems = load_data(doc.data, base_dir=Path(path).resolve().parent, name=str(path), doc=doc)
    if scenario is not None:
        parents = {p: file_digest(p) for p in getattr(doc, "parents", ())}
        digests = {str(path): file_digest(path), **parents, **scenario.digests}
        scenario = scenario.model_copy(update={"path": str(path), "digests": digests})
    return scenario, problems


def load_data(
    data: dict[str, Any], *, base_dir: Path, name: str, doc: Any = None
) -> tuple[Scenario | None, list[Problem]]:
    """Check and resolve scenario ``data``; ``doc`` locates problems (a YamlDoc, or line 1 when None)."""
    doc = doc if doc is not None else PlainDoc(name)
    problems: list[Problem] = []
    try:
        spec: ScenarioFile | None = ScenarioFile.model_validate(data)
    except ValidationError as exc:
        problems.extend(translate(doc, data, exc))
        spec = None
    procs = _resolve_procedures(doc, data, base_dir, problems)
    problems.extend(check_references(doc, data, procs))
    if spec is None or problems or any(p is None for p in procs):
        return None, sorted(set(problems))
    routes = []
    digests: dict[str, str] = {}
    for i, (rspec, (proc, ppath)) in enumerate(zip(spec.procedures, procs, strict=True)):  # type: ignore[misc]
        behaviour = build_behaviour(doc, i, rspec, proc, spec, problems)
        routes.append(Route(procedure=proc, share=rspec.share, behaviour=behaviour, path=str(ppath)))
        digests[str(ppath)] = file_digest(ppath)
    replay = ()
    if isinstance(spec.arrivals, ReplayArrivals):
        replay_path = base_dir / spec.arrivals.file
        replay = _read_replay(doc, replay_path, [r.procedure.id for r in routes], problems)
        if replay_path.is_file():
            digests[str(replay_path)] = file_digest(replay_path)
    if problems:
        return None, sorted(set(problems))
    scenario = Scenario(
        **spec.model_dump(include={"id", "title", "description", "assumptions", "staff", "replications", "seed"}),
        calendar=spec.calendar,
        arrivals=spec.arrivals,
        routes=tuple(routes),
        replay=replay,
        base_dir=str(base_dir),
        digests=digests,
    )
    return scenario, []


def _resolve_procedures(
    doc: Any, data: Any, base_dir: Path, problems: list[Problem]
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
        if path is None or not path.is_file():
            from cpsim.model.errors import did_you_mean

            problems.append(
                doc.problem(
                    ("procedures", i, "procedure"),
                    f"procedure {ref!r} not found",
                    did_you_mean(ref, list(shipped)) + "; give a shipped id, or a .yaml path relative to this file",
                )
            )
            out.append(None)
            continue
        try:
            out.append((load_procedure(path), path))
        except FileError as exc:
            problems.append(doc.problem(("procedures", i, "procedure"), f"procedure file {ref!r} has problems"))
            problems.extend(exc.problems)
            out.append(None)
    return out


def _read_replay(doc: Any, path: Path, routes: list[str], problems: list[Problem]) -> tuple:
    from cpsim.model.scenario.classes import ReplayRow

    loc = ("arrivals", "file")
    if not path.is_file():
        problems.append(
            doc.problem(loc, f"arrivals file {path.name!r} not found", "give a CSV path relative to this file")
        )
        return ()
    rows = []
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "date" not in reader.fieldnames:
            problems.append(Problem(str(path), 1, 1, "the CSV needs a 'date' column", "first line: date,route"))
            return ()
        for n, row in enumerate(reader, start=2):
            try:
                day = dt.date.fromisoformat((row.get("date") or "").strip())
            except ValueError:
                problems.append(Problem(str(path), n, 1, f"row {n}: date {row.get('date')!r} is not like 2026-01-05"))
                continue
            route = (row.get("route") or "").strip() or None
            if route is not None and route not in routes:
                problems.append(Problem(str(path), n, 1, f"row {n}: unknown route {route!r}", f"one of {routes}"))
                continue
            rows.append(ReplayRow(date=day, route=route))
    return tuple(sorted(rows, key=lambda r: r.date))
