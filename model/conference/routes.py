"""The routes a conference scenario runs challenges and dissents through, as checked challenge scenarios.

A failed QA check's challenge runs through the ``escalation`` section's procedures; a dissent from
a conference decision through the procedure its ``dissent`` entry names. Each section is checked
and resolved as a challenge :class:`~cpsim.model.scenario.classes.Scenario` (its arrivals unused:
challenges and dissents come from the conferences), so they run through the same engine,
behaviour and staff as any challenge. Problems in a section are placed at its own lines.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from cpsim.model.conference.dissent import WHO
from cpsim.model.conference.spec import ConferenceFile
from cpsim.model.errors import Problem
from cpsim.model.files.yaml import Loc, Locator
from cpsim.model.scenario.classes import Scenario
from cpsim.model.scenario.load import resolve

__all__ = ["dissent_scenarios", "escalation_scenario"]


class _Mapped:
    """A locator for a section of the file: the synthetic scenario's places are mapped to the section's."""

    def __init__(self, doc: Locator, where: Callable[[Loc], Loc]) -> None:
        self.doc, self.where = doc, where

    def problem(self, loc: Loc, message: str, hint: str = "", *, key: bool = False) -> Problem:
        """A problem at the section's own place for ``loc``."""
        return self.doc.problem(tuple(self.where(tuple(loc))), message, hint, key=key)


def _as_scenario(
    doc: Locator,
    section: dict[str, Any],
    spec: ConferenceFile | None,
    base: Path,
    name: str,
    what: str,
    roots: tuple[Path, ...],
) -> tuple[Scenario | None, list[Problem]]:
    # when the rest of the file has problems, a stand-in calendar still lets the section be checked
    calendar = spec.calendar.model_dump(by_alias=True, mode="json") if spec else {"start": "2026-01-05", "horizon": 2}
    synthetic = {
        "id": spec.id if spec else "conference",
        "title": f"{spec.title if spec else 'conference'}: {what}",
        "procedures": section.get("procedures"),
        "staff": section.get("staff", {}),
        "calendar": calendar,
        "arrivals": {"kind": "poisson", "rate": 1},
    }
    resolved, problems = resolve(synthetic, base_dir=base, name=name, doc=doc, roots=roots)
    if resolved is None or spec is None:
        return None, problems
    s = resolved.spec
    scenario = Scenario(
        id=s.id,
        title=s.title,
        routes=resolved.routes,
        calendar=s.calendar,
        arrivals=s.arrivals,
        staff=s.staff,
        replications=1,
        seed=spec.seed,
        path=name,
        base_dir=str(base),
        digests=resolved.digests,
        spec=s,
    )
    return scenario, []


def escalation_scenario(
    doc: Locator, data: dict[str, Any], spec: ConferenceFile | None, base: Path, name: str, roots: tuple[Path, ...]
) -> tuple[Scenario | None, list[Problem]]:
    """The escalation section as a challenge scenario (None, with the problems, when it has any)."""
    esc = data.get("escalation")
    if not isinstance(esc, dict):
        return None, []
    within = _Mapped(doc, lambda loc: ("escalation", *loc))
    return _as_scenario(within, esc, spec, base, name, "challenges raised by QA checks", roots)


def dissent_scenarios(
    doc: Locator, data: dict[str, Any], spec: ConferenceFile | None, base: Path, name: str, roots: tuple[Path, ...]
) -> tuple[dict[str, Scenario], list[Problem]]:
    """Each dissenter's route as a challenge scenario of one route, by who dissents."""
    section = data.get("dissent")
    if not isinstance(section, dict):
        return {}, []
    out: dict[str, Scenario] = {}
    problems: list[Problem] = []
    for who in WHO:
        entry = section.get(who)
        if not isinstance(entry, dict):
            continue
        route = {k: entry[k] for k in ("procedure", "behaviour") if k in entry}

        def where(loc: Loc, who: str = who) -> Loc:
            if loc[:2] == ("procedures", 0):
                return ("dissent", who, *loc[2:])
            return ("dissent", who, *loc)

        part = {"procedures": [route], "staff": entry.get("staff", {})}
        scenario, found = _as_scenario(_Mapped(doc, where), part, spec, base, name, f"dissent by {who}", roots)
        problems.extend(found)
        if scenario is not None:
            out[who] = scenario
    return out, problems
