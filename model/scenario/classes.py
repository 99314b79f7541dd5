"""Scenarios: which procedures run, how many challenges arrive, who is on the staff, how they behave.

A scenario is data, like a procedure. :func:`load_scenario` reads a scenario YAML file, checks it
(every problem at once, each with FILE:LINE:COL) and returns a :class:`Scenario` that holds the
resolved :class:`~cpsim.model.procedure.classes.Procedure` objects and one :class:`~cpsim.model.behaviour.Behaviour`
per procedure, ready for the exact analysis and the simulator. A what-if is a typed change to a
scenario (:meth:`Scenario.with_setting`, :meth:`Scenario.with_headcount`,
:meth:`Scenario.with_procedure`), checked like a file.

The file's layout (documented for authors in ``docs/scenario-format.md``; the classes are in
:mod:`cpsim.model.scenario.spec`)::

    id: redcar-baseline
    title: ...
    assumptions: [...]              # plain-English statements shown with every result
    procedures:                     # the mix of routes
      - procedure: redcar-internal  # a shipped procedure id, or a path relative to this file
        share: 0.7
        flagged: {immediate-concern: 0.05}   # share taking a skip route from the start stage
        behaviour:
          roles:  {<role>: <stage behaviour>}   # defaults for stages this role replies at or owns
          stages: {<stage>: <stage behaviour>}  # per stage; overrides the role's values key by key
    calendar: {start: 2026-01-05, horizon: 250, warm_up: 20, nation: england-and-wales, ...}
    arrivals: {kind: poisson, rate: 1.5, monthly_factors: {december: 0.7}}
    staff:    {<role>: {headcount: 2, capacity: 4, absence: {share: 0.1}, deputy: <role>}}
    replications: 20
    seed: 20260105

Examples
--------
>>> from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
>>> sc = load_scenario(SCENARIOS_DIR / "redcar-baseline.yaml")
>>> [r.procedure.id for r in sc.routes]
['redcar-internal', 'redcar-external']
>>> sc.behaviour("redcar-internal").at("level1").p_satisfied > 0
True
>>> sc.with_setting("staff.service_manager.headcount", 1).staff["service_manager"].headcount
1
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import Field

from cpsim.model.behaviour import Behaviour
from cpsim.model.errors import CpsimError, FileError, Problem
from cpsim.model.files.kinds import file_kind
from cpsim.model.procedure.joint import replying
from cpsim.model.procedure.load import load_procedure
from cpsim.model.scenario import changes
from cpsim.model.scenario.load import Resolved, resolve, resolve_file
from cpsim.model.scenario.routes import ReplayRow, Route, effective_procedure, flagged_shares
from cpsim.model.scenario.spec import (
    Absence,
    AbsencePeriod,
    Arrivals,
    BehaviourSpec,
    CalendarSpec,
    Closure,
    Headcount,
    PoissonArrivals,
    ReplayArrivals,
    RouteSpec,
    ScenarioFile,
    StaffSpec,
    _Frozen,
)
from cpsim.model.types import RoleId

__all__ = [
    "SCENARIOS_DIR",
    "Absence",
    "AbsencePeriod",
    "Arrivals",
    "BehaviourSpec",
    "CalendarSpec",
    "Closure",
    "PoissonArrivals",
    "ReplayArrivals",
    "ReplayRow",
    "Route",
    "RouteSpec",
    "Scenario",
    "ScenarioFile",
    "StaffSpec",
    "check_scenario_file",
    "effective_procedure",
    "load_scenario",
    "load_scenario_data",
    "shipped_scenario_paths",
]

SCENARIOS_DIR = Path(__file__).resolve().parents[2] / "scenarios"


class Scenario(_Frozen):
    """A checked scenario: resolved procedures with their behaviour, calendar, arrivals, staff.

    ``spec`` is the file as written (after ``extend``); the ``with_*`` methods change it and check
    the result as the loader checks a file, so a scenario changed with ``model_copy`` should be
    changed with them instead.
    """

    id: str
    title: str
    description: str | None = None
    assumptions: tuple[str, ...] = ()
    routes: tuple[Route, ...]
    calendar: CalendarSpec
    arrivals: Arrivals
    replay: tuple[ReplayRow, ...] = Field(default=(), description="Arrival dates read from a replay CSV.")
    staff: dict[RoleId, StaffSpec] = Field(default_factory=dict)
    replications: int = 20
    seed: int = 0
    path: str | None = None
    base_dir: str = "."
    digests: dict[str, str] = Field(default_factory=dict, description="sha256 of every file the scenario read.")
    spec: ScenarioFile = Field(repr=False, description="The scenario file as written, after 'extend'.")

    def route(self, procedure_id: str) -> Route:
        """The route running ``procedure_id``; KeyError if there is none."""
        for r in self.routes:
            if r.procedure.id == procedure_id:
                return r
        raise KeyError(procedure_id)

    def behaviour(self, procedure_id: str) -> Behaviour:
        """The behaviour for ``procedure_id``."""
        return self.route(procedure_id).behaviour

    @property
    def all_assumptions(self) -> tuple[str, ...]:
        """The file's assumptions, then every stage's ``assumption``, then roles left unlimited."""
        out = list(self.assumptions)
        for r in self.routes:
            for outcome, share in flagged_shares(r):
                out.append(f"{r.procedure.id}: {share:.0%} of challenges are flagged {outcome} (a skip route)")
            for sid, b in r.behaviour.stages.items():
                if b.assumption:
                    out.append(f"{r.procedure.id} / {sid}: {b.assumption}")
        out.extend(f"{role}: unlimited staff (not listed under staff)" for role in self.unlimited_roles)
        return tuple(out)

    @property
    def unlimited_roles(self) -> tuple[RoleId, ...]:
        """Roles that act in some route but are not limited by the staff section."""
        stages = [s for r in self.routes for s in r.procedure.stages]
        acting = sorted({x for s in stages for x in (s.owner, *replying(s)) if x})  # a joint reply's responders too
        return tuple(x for x in acting if x not in self.staff or self.staff[x].unlimited)

    def with_settings(self, settings: Mapping[str, Any]) -> Scenario:
        """The scenario with each value in ``settings`` at its dotted path into the file, checked.

        A path names a value as written in the file: ``staff.service_manager.headcount``,
        ``arrivals.rate``, ``procedures.0.share`` (numbers index lists).

        Raises
        ------
        CpsimError
            If a path does not exist, naming the nearest valid key.
        FileError
            If a value is not valid there (each problem names the path, at line 1 of the file).
        """
        data = changes.file_data(self.spec)
        for path, value in settings.items():
            data = changes.set_value(data, path, value)
        return self._checked(data)

    def with_setting(self, path: str, value: Any) -> Scenario:
        """The scenario with ``value`` at the dotted ``path`` into the file (see :meth:`with_settings`)."""
        return self.with_settings({path: value})

    def with_headcount(self, role: RoleId, headcount: Headcount) -> Scenario:
        """The scenario with ``headcount`` people (or ``'unlimited'``) in ``role``, checked."""
        return self._checked(changes.file_data(changes.with_headcount(self.spec, role, headcount)))

    def with_procedure(self, old: str | Path, new: str | Path) -> Scenario:
        """The scenario with the route that runs ``old`` running the procedure in file ``new`` instead, checked.

        ``old`` is a procedure id, or a procedure file whose id is used. Behaviour for stages the
        new procedure no longer has is adapted (and said so among the assumptions; see
        :func:`cpsim.model.scenario.changes.with_procedure`).

        Raises
        ------
        CpsimError
            If no route runs ``old``.
        """
        wanted = load_procedure(old).id if _is_file(old) else str(old)
        ids = [r.procedure.id for r in self.routes]
        if wanted not in ids:
            raise CpsimError(f"{self.path or self.id}: the scenario runs {', '.join(ids)}, not {wanted!r}")
        swapped = changes.with_procedure(self.spec, ids.index(wanted), load_procedure(new), new)
        return self._checked(changes.file_data(swapped))

    def _checked(self, data: dict[str, Any]) -> Scenario:
        resolved, problems = resolve(data, base_dir=Path(self.base_dir), name=self.path or "<scenario>")
        return _scenario(resolved, problems)


def _is_file(ref: str | Path) -> bool:
    return isinstance(ref, Path) or ref.endswith((".yaml", ".yml")) or "/" in ref


def _scenario(resolved: Resolved | None, problems: list[Problem], path: str | None = None) -> Scenario:
    if problems or resolved is None:
        raise FileError(problems)
    spec = resolved.spec
    return Scenario(
        **spec.model_dump(include={"id", "title", "description", "assumptions", "staff", "replications", "seed"}),
        calendar=spec.calendar,
        arrivals=spec.arrivals,
        routes=resolved.routes,
        replay=resolved.replay,
        path=path,
        base_dir=str(resolved.base_dir),
        digests=resolved.digests,
        spec=spec,
    )


def shipped_scenario_paths() -> list[Path]:
    """Challenge scenario files that ship with cpsim, sorted by name (conference scenarios are apart)."""
    return [p for p in sorted(SCENARIOS_DIR.glob("*.yaml")) if file_kind(p) != "conference"]


def load_scenario(path: str | Path) -> Scenario:
    """Read, check and resolve the scenario in ``path``.

    Raises
    ------
    FileError
        Listing every problem found, each with file, line and column.
    """
    return _scenario(*resolve_file(path), path=str(path))


def check_scenario_file(path: str | Path) -> list[Problem]:
    """Every problem in the scenario file ``path`` (empty when it is valid)."""
    return resolve_file(path)[1]


def load_scenario_data(data: dict[str, Any], *, base_dir: str | Path = ".", name: str = "<scenario>") -> Scenario:
    """Check and resolve scenario ``data`` already in memory.

    Problems are reported against ``name`` without line numbers (line 1).
    """
    return _scenario(*resolve(data, base_dir=Path(base_dir), name=name))
