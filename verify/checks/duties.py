"""Duties: who acts and who replies at each stage, what is recorded, and where cases are handed on.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> sorted({f.code for f in check_duties(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml"))})
[]
"""

from __future__ import annotations

import re

import networkx as nx

from cpsim.model.procedure.classes import Procedure, Stage
from cpsim.model.types import StageId, StageKind
from cpsim.verify.checks.walks import digraph, path_to, reachable_from
from cpsim.verify.findings import Finding, Severity, cite

__all__ = ["RECORDING_WORDS", "check_duties"]

RECORDING_WORDS = re.compile(r"\b(case note|record|recorded|minute[sd]?|log|logged|document(?:ed)?)\b", re.IGNORECASE)
"""Words in a stage's cited quote that suggest the source sets a recording duty there."""


def check_duties(procedure: Procedure) -> list[Finding]:
    """Findings NO_OWNER, NO_RESPONDER, RECORD_MISSING and HANDOFF."""
    live = reachable_from(procedure, procedure.start.id)
    out: list[Finding] = []
    recorded = [s for s in procedure.stages if s.kind is StageKind.REQUEST and s.records]
    for stage in procedure.stages:
        if stage.id not in live:
            continue
        unnamed = stage.owner is None or (
            stage.kind is StageKind.REQUEST and stage.responder is None and not stage.responders
        )
        shown = bool(stage.refers_to) if stage.is_terminal else unnamed
        route = tuple(path_to(procedure, stage.id)) if shown else ()
        if stage.is_terminal:
            if stage.refers_to:
                msg = f"Cases that reach {stage.title} are handed to another process: {stage.refers_to}."
                out.append(Finding("HANDOFF", "info", procedure.id, (stage.id,), route, msg, cite(stage.source)))
            continue
        out.extend(_people(procedure, stage, route))
        missing = _record_missing(procedure, stage, recorded)
        if missing:
            msg, route = missing
            out.append(Finding("RECORD_MISSING", "warning", procedure.id, (stage.id,), route, msg, cite(stage.source)))
    return out


def _people(procedure: Procedure, stage: Stage, route: tuple[str, ...]) -> list[Finding]:
    out = []
    if stage.owner is None:
        note = stage.unspecified.get("owner")
        if note:
            msg = f"Nobody is named to act at {stage.title}. The source is silent: {note}"
            out.append(Finding("NO_OWNER", "gap", procedure.id, (stage.id,), route, msg, cite(stage.source)))
        else:
            msg = f"Nobody is named to act at {stage.title}: add 'owner', or 'unspecified: {{owner: ...}}'."
            out.append(Finding("NO_OWNER", "warning", procedure.id, (stage.id,), route, msg, cite(stage.source)))
    if stage.kind is StageKind.REQUEST and stage.responder is None and not stage.responders:
        note = stage.unspecified.get("responder")
        sev: Severity = "gap" if note else "violation"
        tail = f" The source is silent: {note}" if note else " Add 'responder'."
        msg = f"At {stage.title} nobody is named to reply, so nobody can be held to the deadline.{tail}"
        out.append(Finding("NO_RESPONDER", sev, procedure.id, (stage.id,), route, msg, cite(stage.source)))
    return out


def _record_missing(
    procedure: Procedure, stage: Stage, recorded: list[Stage]
) -> tuple[str, tuple[StageId, ...]] | None:
    """Why ``stage`` seems to lack a recording duty, with a route showing it; None when nothing is missing.

    A rung that records nothing while other rungs record is only reported for the duties that some
    route reaches it without having done: a record the source asks for once per challenge, made at
    an earlier rung on every route, is not missing at a later one.
    """
    if stage.records:
        return None
    if RECORDING_WORDS.search(stage.source.quote):
        msg = (
            f"The source quoted for {stage.title} mentions recording (“{stage.source.quote}”), "
            "but the file gives the stage no recording duty."
        )
        return msg, tuple(path_to(procedure, stage.id))
    if stage.kind is not StageKind.REQUEST or not recorded:
        return None
    undone: dict[str, list[Stage]] = {}
    route: tuple[StageId, ...] = ()
    for what in dict.fromkeys(r.what for s in recorded for r in s.records):
        doers = [s for s in recorded if any(r.what == what for r in s.records)]
        way = _route_avoiding(procedure, stage.id, {s.id for s in doers})
        if way:
            undone[what] = doers
            route = route or way
    if not undone:
        return None
    others = ", ".join(dict.fromkeys(s.title for doers in undone.values() for s in doers))
    msg = (
        f"{stage.title} records nothing, although {others} record: {'; '.join(undone)}; and a case can reach "
        f"{stage.title} without passing them. Check whether the source asks for a record here too."
    )
    return msg, route


def _route_avoiding(procedure: Procedure, dest: StageId, avoid: set[StageId]) -> tuple[StageId, ...]:
    """A shortest route from the start to ``dest`` through none of ``avoid``; empty when there is none."""
    g = digraph(procedure)
    g.remove_nodes_from(avoid - {dest})
    try:
        return tuple(nx.shortest_path(g, procedure.start.id, dest))
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return ()
