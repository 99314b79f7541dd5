"""Read and check a conference scenario file, collecting every problem at FILE:LINE:COL.

:func:`load_conference` returns a :class:`ConferenceScenario`: the file as written, its life-cycle
procedure, the timescale rules read from that procedure's milestones (or stated by the file where
the procedure gives none), and the escalation procedures as a checked challenge
:class:`~cpsim.model.scenario.classes.Scenario`, so a failed check's challenge runs through the
same engine, behaviour and staff as any challenge. A conference file may ``extend`` another, as
challenge scenarios do (the child names its ``lifecycle`` again, so it is recognised).

Examples
--------
>>> from cpsim.model.conference.load import CONFERENCE_SCENARIOS, load_conference
>>> sc = load_conference(CONFERENCE_SCENARIOS["wakefield-conference-baseline"])
>>> sc.lifecycle.id, sorted(sc.rules)[:3], sc.escalation.routes[0].procedure.id
('wakefield-conference-lifecycle', ['core-group', 'icpc', 'minutes'], 'wakefield-chair-concern')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cpsim.model import shipped_procedure_paths
from cpsim.model.conference.demand import ReplayedDemand
from cpsim.model.conference.open_plans import OpenPlan, read_open_plans
from cpsim.model.conference.replayed import read_replayed_dates
from cpsim.model.conference.routes import dissent_scenarios, escalation_scenario
from cpsim.model.conference.rules import MOVED_AWAY, TOPICS, Rule, timescale_rules, transfer_out_rule
from cpsim.model.conference.spec import ConferenceFile, TimescaleId
from cpsim.model.errors import FileError, Problem, did_you_mean
from cpsim.model.files.pydantic_errors import ErrorFormat
from cpsim.model.files.table import is_file
from cpsim.model.files.yaml import Locator, YamlDoc
from cpsim.model.procedure.classes import Procedure
from cpsim.model.procedure.load import load_procedure
from cpsim.model.scenario.classes import SCENARIOS_DIR, Scenario
from cpsim.model.scenario.extend import ExtendedDoc, read_scenario_yaml
from cpsim.model.scenario.load import file_digest
from cpsim.model.scenario.paths import inside, outside_message, roots_for
from cpsim.model.types import Unit

__all__ = [
    "CONFERENCE_ERRORS",
    "CONFERENCE_SCENARIOS",
    "ConferenceScenario",
    "check_conference_file",
    "load_conference",
]

CONFERENCE_ERRORS = ErrorFormat(ConferenceFile, guide="docs/conference-simulation.md")
"""Errors in conference scenario files."""

CONFERENCE_SCENARIOS = {p.stem: p for p in sorted(SCENARIOS_DIR.glob("*conference*.yaml"))}
"""The shipped conference scenarios, by id."""


@dataclass(frozen=True)
class ConferenceScenario:
    """A checked conference scenario, ready to simulate."""

    spec: ConferenceFile
    lifecycle: Procedure
    rules: dict[TimescaleId, Rule]
    escalation: Scenario
    path: str
    open_plans: tuple[OpenPlan, ...] = ()
    replayed: tuple[dt.date, ...] = ()
    """The replayed strategy discussions' dates (``demand: {kind: replay}``), sorted."""
    dissent: Mapping[str, Scenario] = field(default_factory=dict)
    """Each dissenter's route (``dissent:``) as a challenge scenario of one route, by who dissents."""
    digests: Mapping[str, str] = field(default_factory=dict)
    """sha256 of every file the scenario read, by path as reached: the scenario and the files it extends, the
    life cycle, the escalation and dissent procedures, the open plans and the replayed dates."""

    @property
    def id(self) -> str:
        """The scenario's id."""
        return self.spec.id

    @property
    def title(self) -> str:
        """The scenario's title."""
        return self.spec.title

    @property
    def all_assumptions(self) -> tuple[str, ...]:
        """The file's assumptions, each stated timescale's, each check's chance, then the escalation's."""
        out = list(self.spec.assumptions)
        for rule in self.rules.values():
            if rule.stated:
                out.append(f"{rule.name}: {rule.basis}")
        kinds = {"both": "initial and review", "initial": "initial", "review": "review"}
        out.extend(
            f"QA check '{c.id}' ({c.title}) fails before {kinds[c.before]} conferences {c.describe()}"
            for c in self.spec.checks
        )
        rep = self.spec.reports
        if rep is not None:
            out.append(
                f"a social worker's report reaches the chair late with chance {rep.p_late:g}"
                f" (by {rep.late_by.mean:g} working days on average, before rounding up)"
                f" and never with chance {rep.p_missing:g}"
            )
        out.extend(self._transfer_out_assumptions())
        chairs = self.spec.capacity.chairs
        if chairs.same_chair:
            out.append(
                f"a review is chaired by the child's previous chair, when free, with chance {chairs.same_chair:g}"
            )
        out.extend(f"escalation: {a}" for a in self.escalation.all_assumptions)
        if self.spec.dissent is not None:
            for who, d in self.spec.dissent.dissenters():
                words = "an agency's representative" if who == "professional" else "the parents / carers"
                out.append(
                    f"{words} dissent(s) from a conference's decision with chance {d.p_dissent:g} (each conference "
                    f"held); the dissent runs through {self.dissent[who].routes[0].procedure.id}"
                )
                out.extend(f"dissent ({who}): {a}" for a in self.dissent[who].all_assumptions)
        return tuple(out)

    def _transfer_out_assumptions(self) -> list[str]:
        """How a move away is simulated, and where the sources are silent about it."""
        if "moved-away" not in self.spec.journeys.endings:
            return []
        out = self.spec.transfers_out
        if out is None:
            return [
                "a child who moves away ends the plan here on the day of the move; the receiving authority's "
                "conference is not simulated"
                + (" (the life cycle describes no transfer out)" if transfer_out_rule(self.lifecycle) is None else "")
            ]
        src = out.source
        return [
            "a child who moves away stays on this authority's plan, its reviews and core groups going on, until "
            f'the receiving authority\'s conference ("{src.quote}", {src.doc}, {src.ref}), which is held '
            f"{out.conference_after.mean:g} working days after the move on average (an assumption: the receiving "
            "authority's own timing); the plan ends here on the day of that conference (the source gives no time "
            "for ending it after the conference)",
            "transfers out: the sources do not say what happens when the receiving authority does not convene a "
            "conference; the sending social worker's documents and attendance at it take no simulated time",
        ]


def _lifecycle(doc: Locator, ref: Any, base: Path, problems: list[Problem]) -> tuple[Procedure, Path] | None:
    if not isinstance(ref, str):
        return None
    shipped = {p.stem: p for p in shipped_procedure_paths()}
    path = base / ref if ref.endswith((".yaml", ".yml")) or "/" in ref else shipped.get(ref)
    if path is None or not path.is_file():
        lifecycles = [s for s in shipped if s.endswith("lifecycle")]
        problems.append(
            doc.problem(("lifecycle",), f"life-cycle procedure {ref!r} not found", did_you_mean(ref, lifecycles))
        )
        return None
    try:
        proc = load_procedure(path)
    except FileError as exc:
        problems.append(doc.problem(("lifecycle",), f"life-cycle procedure {ref!r} has problems"))
        problems.extend(exc.problems)
        return None
    if not proc.milestones:
        problems.append(
            doc.problem(
                ("lifecycle",),
                f"procedure {proc.id!r} has no milestones",
                "name a life cycle, e.g. a *-conference-lifecycle",
            )
        )
        return None
    return proc, path


def _rule_problems(
    doc: Locator, proc: Procedure, spec: ConferenceFile
) -> tuple[dict[TimescaleId, Rule], list[Problem]]:
    rules, missing, restated = timescale_rules(proc, spec.timescales.stated())
    if spec.transfers_in is not None and "receiving-in" not in rules:
        missing.append("receiving-in")
    if spec.pre_birth is not None and "pre-birth" not in rules:
        missing.append("pre-birth")
    if spec.reports is not None and "reports-to-chair" not in rules:
        missing.append("reports-to-chair")
    out: list[Problem] = []
    if spec.transfers_out is not None:
        transfer = transfer_out_rule(proc)
        if transfer is None:
            out.append(
                doc.problem(
                    ("transfers_out",),
                    f"{proc.id} describes no transfer out (no milestone '{MOVED_AWAY}' followed by the receiving "
                    "authority's conference), so the sending authority's part cannot be simulated",
                    "remove transfers_out: a child who moves away then ends the plan on the day of the move",
                    key=True,
                )
            )
        else:
            rules["transfer-out"] = transfer
    out += [
        doc.problem(
            ("lifecycle",),
            f"{proc.id} gives no time for '{m}' (its milestone of topic '{TOPICS[m]}' gives none, or there is none)",
            f"state it under timescales: {{{m}: {{within: ..., assumption: why}}}}, saying that the source gives none",
        )
        for m in missing
    ]
    out.extend(
        doc.problem(
            ("timescales", m),
            f"the life cycle already gives this timescale ({basis})",
            f"remove timescales.{m}: a scenario states only what the procedure leaves unspecified",
            key=True,
        )
        for m, basis in restated
    )
    for m, rule in rules.items():
        for d in (rule.within, rule.then):
            units = _BEFORE if m == "reports-to-chair" else _COUNTED
            if d is not None and (d.unit not in units or (d.is_range and m != "pre-birth")):
                where: tuple[str | int, ...] = ("timescales", m) if rule.stated else ("lifecycle",)
                out.append(
                    doc.problem(
                        where,
                        f"the timescale for '{m}' ({d.phrase}) is not one the simulator counts",
                        "reports to the chair are due a number of working days before the conference"
                        if m == "reports-to-chair"
                        else "conference timescales are counted in working days, calendar days, weeks or months "
                        "(a range only for pre-birth conferences)",
                    )
                )
    return rules, out


_COUNTED = frozenset({Unit.WORKING_DAYS, Unit.CALENDAR_DAYS, Unit.WEEKS, Unit.MONTHS, Unit.SAME_DAY, Unit.IMMEDIATELY})
"""Units a conference timescale may be in (:meth:`cpsim.simulate.conference.dates.DayClock.due` counts them)."""

_BEFORE = frozenset({Unit.WORKING_DAYS})
"""Units a time before a conference may be in (reports to the chair)."""


def _check(path: str | Path) -> tuple[ConferenceScenario | None, list[Problem]]:
    try:
        doc = read_scenario_yaml(path)
    except FileError as exc:
        return None, list(exc.problems)
    data, name, base = _demand_of_its_kind(doc), str(path), Path(path).resolve().parent
    problems: list[Problem] = []
    try:
        spec: ConferenceFile | None = ConferenceFile.model_validate(data)
    except ValidationError as exc:
        problems.extend(CONFERENCE_ERRORS.translate(doc, data, exc))
        spec = None
    found = _lifecycle(doc, data.get("lifecycle"), base, problems)
    proc = found[0] if found else None
    roots = roots_for(path)
    escalation, esc_problems = escalation_scenario(doc, data, spec, base, name, roots)
    problems.extend(esc_problems)
    dissent, dissent_problems = dissent_scenarios(doc, data, spec, base, name, roots)
    problems.extend(dissent_problems)
    rules: dict[TimescaleId, Rule] = {}
    if proc is not None and spec is not None:
        rules, more = _rule_problems(doc, proc, spec)
        problems.extend(more)
    plans = _open_plans(doc, spec, Path(path).parent, roots, problems)  # CSV problems name the file as reached
    replayed = _replayed(doc, spec, Path(path).parent, roots, problems)
    if problems or spec is None or found is None or escalation is None:
        return None, sorted(set(problems))
    read = _files_read(doc, path, found[1], spec, escalation, dissent)
    return ConferenceScenario(spec, found[0], rules, escalation, name, plans, replayed, dissent, read), []


def _files_read(
    doc: YamlDoc | ExtendedDoc,
    path: str | Path,
    lifecycle: Path,
    spec: ConferenceFile,
    escalation: Scenario,
    dissent: Mapping[str, Scenario],
) -> dict[str, str]:
    """sha256 of every file a checked scenario read, by path as reached (:attr:`ConferenceScenario.digests`)."""
    here = Path(path).parent
    files = [Path(path), *(Path(p) for p in (doc.parents if isinstance(doc, ExtendedDoc) else ())), lifecycle]
    out = {str(p): file_digest(p) for p in files}
    for route in (escalation, *dissent.values()):
        out.update(route.digests)
    if spec.open_plans is not None:
        out[str(here / spec.open_plans)] = file_digest(here / spec.open_plans)
    if isinstance(spec.demand, ReplayedDemand):
        out[str(here / spec.demand.file)] = file_digest(here / spec.demand.file)
    return out


def _demand_of_its_kind(doc: YamlDoc | ExtendedDoc) -> Any:
    """The file's data; in a what-if that changes the demand's ``kind``, without the parent's keys of the other kind.

    A what-if replaying dates (``demand: {kind: replay, file: ...}``) on a baseline with a rate
    replaces the baseline's demand whole, instead of keeping its ``rate`` beside the file.
    """
    data = doc.data
    demand = data.get("demand") if isinstance(data, dict) else None
    if not isinstance(doc, ExtendedDoc) or not isinstance(demand, dict) or "kind" not in demand:
        return data
    rank = {id(d): i for i, d in enumerate(doc.docs)}
    setter = rank[id(doc.owner(("demand", "kind")))]
    kept = {k: v for k, v in demand.items() if rank[id(doc.owner(("demand", k)))] <= setter}
    return {**data, "demand": kept}


def _replayed(
    doc: Locator, spec: ConferenceFile | None, base: Path, roots: tuple[Path, ...], problems: list[Problem]
) -> tuple[dt.date, ...]:
    """The replayed dates of ``demand: {kind: replay, file: ...}``, the file confined to the scenario's folders."""
    if spec is None or not isinstance(spec.demand, ReplayedDemand):
        return ()
    ref = spec.demand.file
    path = base / ref
    if not inside(path, roots):
        problems.append(doc.problem(("demand", "file"), *outside_message("demand file", ref[:100], roots)))
        return ()
    if not is_file(path):
        shown = ref if len(ref) <= 60 else ref[:57] + "..."
        problems.append(
            doc.problem(("demand", "file"), f"demand file {shown!r} not found", "give a CSV path relative to this file")
        )
        return ()
    try:
        return read_replayed_dates(path, spec.calendar.start)
    except FileError as exc:
        problems.extend(exc.problems)
        return ()


def _open_plans(
    doc: Locator, spec: ConferenceFile | None, base: Path, roots: tuple[Path, ...], problems: list[Problem]
) -> tuple[OpenPlan, ...]:
    if spec is None or spec.open_plans is None:
        return ()
    path = base / spec.open_plans
    if not inside(path, roots):
        problems.append(doc.problem(("open_plans",), *outside_message("open plans file", spec.open_plans[:100], roots)))
        return ()
    if not is_file(path):
        problems.append(
            doc.problem(
                ("open_plans",),
                f"open plans file {spec.open_plans!r} not found",
                "give a CSV path relative to this file",
            )
        )
        return ()
    try:
        return read_open_plans(path, spec.calendar.start)
    except FileError as exc:
        problems.extend(exc.problems)
        return ()


def load_conference(path: str | Path) -> ConferenceScenario:
    """Read, check and resolve the conference scenario in ``path``.

    Raises
    ------
    FileError
        Listing every problem found, each with file, line and column.
    """
    scenario, problems = _check(path)
    if scenario is None:
        raise FileError(problems)
    return scenario


def check_conference_file(path: str | Path) -> Sequence[Problem]:
    """Every problem in the conference scenario file ``path`` (empty when it is valid)."""
    return _check(path)[1]
