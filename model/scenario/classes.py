"""Scenario files: which procedures run, how many challenges arrive, who is on the staff, how they behave.

A scenario is data, like a procedure. :func:`load_scenario` reads a scenario YAML file, checks it
(every problem at once, each with FILE:LINE:COL) and returns a :class:`Scenario` that holds the
resolved :class:`~cpsim.model.procedure.classes.Procedure` objects and one :class:`~cpsim.model.behaviour.Behaviour`
per procedure, ready for the exact analysis and the simulator.

The file's layout (documented for authors in ``docs/scenario-format.md``)::

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
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator

from cpsim.model.behaviour import Behaviour, StageBehaviour
from cpsim.model.errors import FileError
from cpsim.model.procedure.classes import Citation, Procedure, Transition
from cpsim.model.types import OutcomeId, RoleId, StageId

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

Probability = Annotated[float, Field(ge=0, le=1)]
Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=64)]
Text = Annotated[str, Field(min_length=1)]
Nation = Literal["england-and-wales", "scotland", "northern-ireland"]
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class BehaviourSpec(_Frozen):
    """How people behave on one route: defaults per role, then per stage (stage values win key by key)."""

    roles: dict[RoleId, StageBehaviour] = Field(
        default_factory=dict,
        description="Behaviour for every stage where this role replies (request stages) or acts (other stages).",
    )
    stages: dict[StageId, StageBehaviour] = Field(default_factory=dict, description="Behaviour at one stage.")


class RouteSpec(_Frozen):
    """One procedure in the scenario's mix, as written in the file."""

    procedure: Text = Field(description="A shipped procedure id, or a path to a procedure file relative to this file.")
    share: Probability = Field(default=1.0, description="Share of arriving challenges that take this route.")
    flagged: dict[OutcomeId, Probability] = Field(
        default_factory=dict,
        description="Share of this route's challenges that take a skip route from the start stage "
        "(e.g. immediate-concern: 0.05); the rest take the ordinary route.",
    )
    behaviour: BehaviourSpec = Field(default_factory=BehaviourSpec)


class Closure(_Frozen):
    """Days the office is closed (both ends included), e.g. between Christmas and New Year."""

    from_: dt.date = Field(alias="from")
    to: dt.date
    note: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Closure:
        if self.to < self.from_:
            raise ValueError("'to' must not be before 'from'")
        return self


class CalendarSpec(_Frozen):
    """The working-day calendar the clock runs on, and the period simulated."""

    start: dt.date = Field(description="First day of the simulated period.")
    horizon: StrictInt = Field(gt=0, description="Working days during which challenges arrive.")
    warm_up: StrictInt = Field(
        default=0, ge=0, description="Working days at the start whose challenges are simulated but not counted."
    )
    follow_up: StrictInt = Field(
        default=250,
        ge=0,
        description="Working days after the horizon during which open challenges are followed to their end.",
    )
    nation: Nation = Field(default="england-and-wales", description="Whose bank holidays are closed days.")
    closures: tuple[Closure, ...] = Field(default=(), description="Extra closed days.")
    hours_per_day: Annotated[float, Field(gt=0, le=24)] = Field(default=7.5, description="Working hours in a day.")
    opening: dt.time = Field(default=dt.time(9, 0), description="Time the working day starts (for timestamps).")

    @model_validator(mode="after")
    def _warm_up_fits(self) -> CalendarSpec:
        if self.warm_up >= self.horizon:
            raise ValueError("warm_up must be shorter than horizon")
        return self


class PoissonArrivals(_Frozen):
    """Challenges arrive at random (a Poisson process) at ``rate`` per working day."""

    kind: Literal["poisson"] = "poisson"
    rate: Annotated[float, Field(gt=0)] = Field(description="Mean challenges raised per working day.")
    monthly_factors: dict[Literal[MONTHS], Annotated[float, Field(ge=0)]] = Field(  # type: ignore[valid-type]
        default_factory=dict,
        description="Multiply the rate in a month (e.g. december: 0.7); months not listed use 1.",
    )

    def factor(self, month: int) -> float:
        """The factor for calendar month ``month`` (1 = January)."""
        return float(self.monthly_factors.get(MONTHS[month - 1], 1.0))


class ReplayArrivals(_Frozen):
    """Challenges arrive on the dates listed in a CSV file (column ``date``; optional ``route``)."""

    kind: Literal["replay"] = "replay"
    file: Text = Field(description="CSV file relative to the scenario file.")


Arrivals = Annotated[PoissonArrivals | ReplayArrivals, Field(discriminator="kind")]


class AbsencePeriod(_Frozen):
    """An explicit absence: ``people`` of the role away from ``from`` to ``to`` (both included)."""

    from_: dt.date = Field(alias="from")
    to: dt.date
    people: StrictInt | None = Field(default=None, ge=1, description="How many are away; all of them if omitted.")
    note: str | None = None


class Absence(_Frozen):
    """Leave and sickness: a share of working days each person is away, and/or explicit periods."""

    share: Probability = Field(default=0.0, description="Share of working days each person is absent.")
    periods: tuple[AbsencePeriod, ...] = ()


class StaffSpec(_Frozen):
    """The people in one role and how much they can take on."""

    headcount: StrictInt | Literal["unlimited"] = Field(description="Number of people, or 'unlimited'.")
    capacity: StrictInt = Field(default=1, ge=1, description="Open challenges one person handles at once.")
    absence: Absence = Field(default_factory=Absence)
    deputy: RoleId | None = Field(
        default=None, description="Role that covers when everyone in this role is away; null: the work waits."
    )

    @property
    def unlimited(self) -> bool:
        """True when the role never makes anyone wait."""
        return self.headcount == "unlimited"


class ScenarioFile(_Frozen):
    """A scenario file as written, before procedures are resolved."""

    id: Slug
    title: Text
    description: str | None = None
    assumptions: tuple[Text, ...] = Field(default=(), description="Assumptions shown with every result.")
    procedures: tuple[RouteSpec, ...] = Field(min_length=1)
    calendar: CalendarSpec
    arrivals: Arrivals
    staff: dict[RoleId, StaffSpec] = Field(
        default_factory=dict, description="People per role; roles not listed are unlimited (and say so)."
    )
    replications: StrictInt = Field(default=20, ge=1)
    seed: StrictInt = Field(default=0, ge=0)


class ReplayRow(_Frozen):
    """One replayed arrival: the date a challenge was raised, and its route if the CSV gives one."""

    date: dt.date
    route: str | None = None


class Route(_Frozen):
    """One resolved procedure in the mix, with its behaviour."""

    procedure: Procedure
    share: float
    behaviour: Behaviour
    path: str = Field(description="The procedure file the route was loaded from.")

    @property
    def effective(self) -> Procedure:
        """The procedure with the scenario's ``assumed`` transitions added (see :func:`effective_procedure`)."""
        return effective_procedure(self.procedure, self.behaviour)


class Scenario(_Frozen):
    """A checked scenario: resolved procedures with their behaviour, calendar, arrivals, staff."""

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
            for outcome, share in r_flags(r):
                out.append(f"{r.procedure.id}: {share:.0%} of challenges are flagged {outcome} (a skip route)")
            for sid, b in r.behaviour.stages.items():
                if b.assumption:
                    out.append(f"{r.procedure.id} / {sid}: {b.assumption}")
        out.extend(f"{role}: unlimited staff (not listed under staff)" for role in self.unlimited_roles)
        return tuple(out)

    @property
    def unlimited_roles(self) -> tuple[RoleId, ...]:
        """Roles that act in some route but are not limited by the staff section."""
        acting = sorted({x for r in self.routes for s in r.procedure.stages for x in (s.owner, s.responder) if x})
        return tuple(x for x in acting if x not in self.staff or self.staff[x].unlimited)


def r_flags(route: Route) -> list[tuple[str, float]]:
    """Skip-route outcomes taken from the start stage with their shares (from ``flagged``)."""
    from cpsim.model.types import SKIP_OUTCOMES

    choices = route.behaviour.at(route.procedure.start.id).choices
    return [(o, p) for o, p in choices.items() if o in SKIP_OUTCOMES and p > 0]


def effective_procedure(procedure: Procedure, behaviour: Behaviour) -> Procedure:
    """``procedure`` plus one transition per ``assumed`` outcome in ``behaviour``.

    An assumed transition behaves exactly like one the procedure gives (an assumed ``no-reply``
    transition starts the no-reply timer); its citation points at the scenario's assumption.
    """
    extra = []
    for sid, b in behaviour.stages.items():
        for outcome, dest in b.assumed.items():
            why = b.assumption or f"assumed: {outcome} leads to {dest}"
            cite = Citation(doc="scenario", ref=f"assumed at {sid}", quote=why)
            extra.append(
                Transition(from_=sid, to=dest, on=outcome, note=f"Assumed by the scenario: {why}", source=cite)
            )
    if not extra:
        return procedure
    return procedure.model_copy(update={"transitions": procedure.transitions + tuple(extra)})


def shipped_scenario_paths() -> list[Path]:
    """Scenario files that ship with cpsim, sorted by name."""
    return sorted(SCENARIOS_DIR.glob("*.yaml"))


def load_scenario(path: str | Path) -> Scenario:
    """Read, check and resolve the scenario in ``path``.

    Raises
    ------
    FileError
        Listing every problem found, each with file, line and column.
    """
    from cpsim.model.scenario.load import load

    scenario, problems = load(path)
    if problems or scenario is None:
        raise FileError(problems)
    return scenario


def check_scenario_file(path: str | Path) -> list:
    """Every problem in the scenario file ``path`` (empty when it is valid)."""
    from cpsim.model.scenario.load import load

    return load(path)[1]


def load_scenario_data(data: dict[str, Any], *, base_dir: str | Path = ".", name: str = "<scenario>") -> Scenario:
    """Check and resolve scenario ``data`` already in memory (e.g. a file after overrides are applied).

    Problems are reported against ``name`` without line numbers (line 1).
    """
    from cpsim.model.scenario.load import load_data

    scenario, problems = load_data(data, base_dir=Path(base_dir), name=name)
    if problems or scenario is None:
        raise FileError(problems)
    return scenario


def file_digest(path: str | Path) -> str:
    """sha256 of a file's bytes, in hex."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
