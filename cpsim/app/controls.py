"""The form controls of a what-if: one labelled field per value a what-if may change, filled with the baseline's.

Each control is named by where its value goes: ``staff.ROLE.headcount``, ``staff.ROLE.absence.share``,
``staff.ROLE.deputy``, ``arrivals.rate``, ``arrivals.monthly_factors.MONTH``,
``route.I.stages.STAGE.reply_time.PARAM`` (route I's behaviour at a stage) and
``route.I.deadline.STAGE`` (a rung's reply deadline, changed in a draft of the procedure).

Examples
--------
>>> from cpsim.model.scenario import SCENARIOS_DIR, load_scenario
>>> groups = controls_for(load_scenario(SCENARIOS_DIR / "redcar-baseline.yaml"))
>>> c = find(groups, "staff.service_manager.headcount")
>>> c.label, c.value
("Social worker's service manager: headcount", '3')
>>> find(groups, "route.0.deadline.level2").label
'Conference chair challenge — internal route, Level 2 — service manager: reply deadline (working days)'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cpsim.model.scenario import Scenario
from cpsim.model.scenario.changes import file_data
from cpsim.model.scenario.spec import MONTHS, PoissonArrivals

__all__ = ["Control", "Group", "controls_for", "find", "role_title"]

_PARAM_WORDS = {
    "mean": "mean (working days)",
    "sd": "standard deviation (working days)",
    "low": "shortest (working days)",
    "mode": "most likely (working days)",
    "high": "longest (working days)",
    "shape": "shape",
    "scale": "scale (working days)",
    "value": "always (working days)",
}


@dataclass(frozen=True)
class Control:
    """One form field: its name (where the value goes), its label, the baseline's value as text."""

    name: str
    label: str
    value: str
    kind: str = "number"  # number, text or select
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()

    @property
    def html_id(self) -> str:
        """An id for the field made of letters, digits and hyphens."""
        return "f-" + "".join(ch if ch.isalnum() else "-" for ch in self.name)


@dataclass(frozen=True)
class Group:
    """Controls shown together under a legend."""

    legend: str
    controls: tuple[Control, ...]
    hint: str = ""


def role_title(scenario: Scenario, role: str) -> str:
    """The role's title as its procedure gives it (the id with spaces when no procedure names it)."""
    for route in scenario.routes:
        for r in route.procedure.roles:
            if r.id == role:
                return r.title
    return role.replace("_", " ")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _staff_groups(scenario: Scenario) -> list[Group]:
    groups = []
    roles = list(scenario.staff)
    for role, spec in scenario.staff.items():
        title = role_title(scenario, role)
        deputies = (("", "nobody: the work waits"),) + tuple((r, role_title(scenario, r)) for r in roles if r != role)
        controls = (
            Control(
                f"staff.{role}.headcount",
                f"{title}: headcount",
                _text(spec.headcount),
                "text",
                "people in post; 0 for a vacant post, or 'unlimited'",
            ),
            Control(
                f"staff.{role}.absence.share",
                f"{title}: share of working days away",
                _text(spec.absence.share),
                hint="leave and sickness, from 0 to 1 (0.1 is one day in ten)",
            ),
            Control(f"staff.{role}.deputy", f"{title}: deputy", spec.deputy or "", "select", choices=deputies),
        )
        groups.append(Group(f"Staff: {title}", controls, f"each can take {spec.capacity} open challenge(s) at once"))
    return groups


def _demand_group(scenario: Scenario) -> list[Group]:
    arrivals = scenario.arrivals
    if not isinstance(arrivals, PoissonArrivals):
        return []
    controls = [Control("arrivals.rate", "Challenges raised per working day", _text(arrivals.rate), hint="on average")]
    for month in MONTHS:
        controls.append(
            Control(
                f"arrivals.monthly_factors.{month}",
                f"Demand in {month.capitalize()} (times the average)",
                _text(arrivals.factor(MONTHS.index(month) + 1)),
                hint="1 is an ordinary month; 0.7 is 30% fewer challenges",
            )
        )
    return [Group("Demand and its seasonality", tuple(controls))]


def _route_groups(scenario: Scenario) -> list[Group]:
    groups = []
    data = file_data(scenario.spec)
    for i, route in enumerate(scenario.routes):
        proc = route.procedure
        controls = []
        for stage in proc.stages:
            d = stage.deadline
            if d is not None and d.is_specified and d.unit is not None and d.unit.value == "working-days":
                controls.append(
                    Control(
                        f"route.{i}.deadline.{stage.id}",
                        f"{proc.title}, {stage.title}: reply deadline (working days)",
                        _text(d.amount),
                        hint="changing it runs a draft of the procedure with this deadline",
                    )
                )
        stages = data["procedures"][i].get("behaviour", {}).get("stages", {})
        for sid, b in stages.items():
            reply = b.get("reply_time") if isinstance(b, dict) else None
            if not isinstance(reply, dict):
                continue
            title = proc.stage(sid).title if sid in {s.id for s in proc.stages} else sid
            for param, value in reply.items():
                if param == "dist" or not isinstance(value, int | float):
                    continue
                words = _PARAM_WORDS.get(param, param)
                controls.append(
                    Control(
                        f"route.{i}.stages.{sid}.reply_time.{param}",
                        f"{proc.title}, {title}: reply time, {words}",
                        _text(value),
                        hint=f"assumed {reply.get('dist', '')} distribution",
                    )
                )
        if controls:
            groups.append(Group(f"Route: {proc.title} ({proc.authority})", tuple(controls)))
    return groups


def controls_for(scenario: Scenario) -> list[Group]:
    """The what-if controls of ``scenario``, in groups: staff per role, demand, then each route's rungs."""
    return [*_staff_groups(scenario), *_demand_group(scenario), *_route_groups(scenario)]


def find(groups: Sequence[Group], name: str) -> Control:
    """The control called ``name``; KeyError if there is none."""
    for g in groups:
        for c in g.controls:
            if c.name == name:
                return c
    raise KeyError(name)
