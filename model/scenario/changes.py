"""Typed changes to a scenario file: a value at a dotted path, a headcount, a procedure swapped in.

Each function returns a changed copy of a :class:`~cpsim.model.scenario.spec.ScenarioFile` (or of
its plain data); none of them checks the result. :class:`~cpsim.model.scenario.classes.Scenario`'s
``with_*`` methods call them and then check the changed file exactly as the loader checks a file,
so a bad value gets the same located message as in a file.

Examples
--------
>>> set_value({"staff": {"sm": {"headcount": 3}}}, "staff.sm.headcount", 1)
{'staff': {'sm': {'headcount': 1}}}
>>> set_value({"staff": {}}, "staf.sm.headcount", 1)
Traceback (most recent call last):
...
cpsim.model.errors.CpsimError: staf.sm.headcount: no 'staf' (did you mean 'staff'?)
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from cpsim.model.behaviour import StageBehaviour
from cpsim.model.errors import CpsimError, did_you_mean
from cpsim.model.procedure.classes import Procedure
from cpsim.model.scenario.spec import BehaviourSpec, Headcount, ScenarioFile, StaffSpec
from cpsim.model.types import RoleId, StageId

__all__ = ["file_data", "set_value", "with_headcount", "with_procedure"]


def file_data(spec: ScenarioFile) -> dict[str, Any]:
    """``spec`` as the plain data of a file that says the same: only the keys the file gave, lists for sequences."""
    # A changed value is not checked until the data is validated again, so it may not have its
    # field's type yet: the serializer need not warn about it.
    data = spec.model_dump(by_alias=True, exclude_unset=True, warnings=False)
    return {k: _plain(v) for k, v in data.items()}


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, (list, tuple)):
        return [_plain(v) for v in node]
    return node


def set_value(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``data`` with ``value`` at the dotted ``path`` (numbers index lists; the last key may be new).

    A missing mapping below the top level is created (``staff.new_role.headcount``).

    Raises
    ------
    CpsimError
        If a part of the path before the last does not exist, naming the nearest valid key.
    """
    out = copy.deepcopy(data)
    node: Any = out
    parts = path.split(".")
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        key: Any = int(part) if isinstance(node, list) and part.isdigit() else part
        if isinstance(node, dict):
            if last:
                node[key] = value
            elif key in node and isinstance(node[key], (dict, list)):
                node = node[key]
            elif key not in node and i > 0:
                node[key] = {}
                node = node[key]
            else:
                raise CpsimError(f"{path}: no {'.'.join(parts[: i + 1])!r} ({did_you_mean(part, list(node))})")
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            if last:
                node[key] = value
            else:
                node = node[key]
        else:
            raise CpsimError(f"{path}: {'.'.join(parts[:i])!r} has no item {part!r}")
    return out


def with_headcount(spec: ScenarioFile, role: RoleId, headcount: Headcount) -> ScenarioFile:
    """``spec`` with ``role``'s headcount set (the role is added to ``staff`` if it is not there)."""
    current = spec.staff.get(role)
    changed = (
        current.model_copy(update={"headcount": headcount})
        if current is not None
        else StaffSpec.model_construct(headcount=headcount)
    )
    return spec.model_copy(update={"staff": {**spec.staff, role: changed}})


def with_procedure(spec: ScenarioFile, index: int, procedure: Procedure, path: str | Path) -> ScenarioFile:
    """``spec`` with route ``index`` running ``procedure`` (read from ``path``).

    The route's behaviour is adapted to the procedure's stages: behaviour for a stage it no longer
    has is dropped, and an ``assumed`` next stage it no longer has becomes the stage an
    unsatisfactory reply leads to (or is dropped when there is none). The file's assumptions say
    which procedure runs and what was adapted; the id and title say the procedure was swapped in.
    """
    entry = spec.procedures[index]
    stages, notes = _adapted(entry.behaviour, procedure)
    behaviour = entry.behaviour
    if stages != behaviour.stages:
        behaviour = behaviour.model_copy(update={"stages": stages})
    route = entry.model_copy(update={"procedure": str(Path(path).resolve()), "behaviour": behaviour})
    assumptions = [f"The {procedure.id} route runs the procedure in {path} (version {procedure.version})."]
    if notes:
        assumptions.append(
            f"{procedure.id}: the scenario's behaviour is adapted to the changed stages: {'; '.join(notes)}"
        )
    procedures = (*spec.procedures[:index], route, *spec.procedures[index + 1 :])
    return spec.model_copy(
        update={
            "procedures": procedures,
            "assumptions": (*spec.assumptions, *assumptions),
            "id": f"{spec.id}-with-{procedure.id}"[:64],
            "title": f"{spec.title}, running {procedure.id}",
        }
    )


def _adapted(behaviour: BehaviourSpec, procedure: Procedure) -> tuple[dict[StageId, StageBehaviour], list[str]]:
    """The per-stage behaviour fitted to ``procedure``'s stages, and a note on each change."""
    known = {s.id for s in procedure.stages}
    notes = [f"{sid} (no such stage; its behaviour is dropped)" for sid in behaviour.stages if sid not in known]
    out: dict[StageId, StageBehaviour] = {}
    for sid, b in behaviour.stages.items():
        if sid not in known:
            continue
        assumed = dict(b.assumed)
        for outcome, dest in b.assumed.items():
            if dest in known:
                continue
            instead = next((t.to for t in procedure.transitions_from(sid) if t.on == "unsatisfied"), None)
            if instead is None:
                del assumed[outcome]
            else:
                assumed[outcome] = instead
                notes.append(f"{sid} (assumed {outcome} now goes to {instead}, as an unsatisfactory reply)")
        out[sid] = b if assumed == b.assumed else b.model_copy(update={"assumed": assumed})
    return out, notes
