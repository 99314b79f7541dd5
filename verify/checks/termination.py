"""Termination: every case that starts must be able to end, and no loop may repeat for ever.

Proved on the graph, not sampled: traps and dead ends come from reachability to the terminal
stages, unbounded loops from the strongly connected components of the transitions that carry no
``max_repeats``, and the bound on the number of moves from an exhaustive walk of the routes.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> proof = prove_termination(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml"))
>>> proof.terminates, proof.max_steps
(True, 4)
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from cpsim.model.procedure.classes import Procedure, Transition
from cpsim.model.types import StageId
from cpsim.verify.checks.walks import digraph, enumerate_walks, path_to, reachable_from
from cpsim.verify.checks.wording import render
from cpsim.verify.findings import Finding, cite

__all__ = ["Termination", "check_termination", "prove_termination"]


@dataclass(frozen=True)
class Termination:
    """What the graph proves about how cases end.

    ``max_steps`` bounds the number of moves of any walk from the start that honours every
    ``max_repeats``; it is None when some loop has no bound.
    """

    dead_ends: tuple[StageId, ...]
    traps: tuple[tuple[StageId, ...], ...]
    unbounded_loops: tuple[tuple[StageId, ...], ...]
    exhaustible: tuple[StageId, ...]
    max_steps: int | None

    @property
    def terminates(self) -> bool:
        """True when every route from the start is proved to reach an ending."""
        return not (self.dead_ends or self.traps or self.unbounded_loops or self.exhaustible)


_PROVED: list[tuple[Procedure, Termination]] = []
"""The last procedure's proof (the checks ask for it once per target as well as once for the procedure)."""


def prove_termination(procedure: Procedure) -> Termination:
    """Analyse ``procedure``'s graph for dead ends, traps, unbounded loops and the longest route."""
    if _PROVED and _PROVED[0][0] is procedure:
        return _PROVED[0][1]
    proof = _prove(procedure)
    _PROVED[:] = [(procedure, proof)]
    return proof


def _prove(procedure: Procedure) -> Termination:
    g = digraph(procedure)
    live = reachable_from(procedure, procedure.start.id)
    ends = {s.id for s in procedure.stages if s.is_terminal}
    ending = _reaching(g, ends)
    stuck = {s for s in live if s not in ending}
    dead = tuple(s.id for s in procedure.stages if s.id in stuck and g.out_degree(s.id) == 0)
    sub = g.subgraph(stuck)
    traps = []
    for comp in nx.strongly_connected_components(sub):
        leaves = all(v in comp for u in comp for v in g.successors(u))
        if leaves and (len(comp) > 1 or sub.has_edge(next(iter(comp)), next(iter(comp)))):
            traps.append(tuple(s.id for s in procedure.stages if s.id in comp))
    loops = tuple(_unbounded_cycles(procedure, live))
    exhaustible = tuple(_exhaustible(procedure, live - stuck, ends))
    return Termination(dead, tuple(traps), loops, exhaustible, None if loops else _max_steps(procedure))


def _unbounded_cycles(procedure: Procedure, live: set[StageId]) -> list[tuple[StageId, ...]]:
    free = digraph(procedure, [t for t in procedure.transitions if t.max_repeats is None])
    sub = free.subgraph(live)
    out = []
    rank = {s.id: k for k, s in enumerate(procedure.stages)}
    for comp in nx.strongly_connected_components(sub):
        first = min(comp, key=rank.__getitem__)
        if len(comp) == 1 and not sub.has_edge(first, first):
            continue
        cycle = nx.find_cycle(sub.subgraph(comp), source=first)
        out.append(tuple(u for u, _ in cycle) + (cycle[0][0],))
    return out


def _reaching(g: nx.DiGraph[StageId], ends: set[StageId]) -> set[StageId]:
    """The stages of ``g`` from which some stage in ``ends`` can be reached (those stages included)."""
    out = set(ends)
    for e in ends:
        out |= nx.ancestors(g, e)
    return out


def _components(g: nx.DiGraph[StageId]) -> dict[StageId, int]:
    return {s: k for k, comp in enumerate(nx.strongly_connected_components(g)) for s in comp}


def _on_cycle(g: nx.DiGraph[StageId], t: Transition, comps: dict[StageId, int] | None = None) -> bool:
    """True when ``t`` lies on a loop of ``g``: it leads back to its own stage, or into that stage's component."""
    comps = _components(g) if comps is None else comps
    return t.from_ == t.to or comps[t.to] == comps[t.from_]


def _exhaustible(procedure: Procedure, live: set[StageId], ends: set[StageId]) -> list[StageId]:
    """Stages that reach an ending only through repeat-limited loop transitions."""
    g = digraph(procedure)
    comps = _components(g)
    kept = [t for t in procedure.transitions if t.max_repeats is None or not _on_cycle(g, t, comps)]
    ending = _reaching(digraph(procedure, kept), ends)
    return [s.id for s in procedure.stages if s.id in live and s.id not in ending]


def _max_steps(procedure: Procedure) -> int:
    walks, complete = enumerate_walks(procedure, procedure.start.id)
    if complete:
        return max(len(w) for w in walks)
    g = digraph(procedure)
    if nx.is_directed_acyclic_graph(g):
        return int(nx.dag_longest_path_length(g.subgraph(reachable_from(procedure, procedure.start.id))))
    bounded = sum(t.max_repeats or 0 for t in procedure.transitions)
    free = digraph(procedure, [t for t in procedure.transitions if t.max_repeats is None])
    return (bounded + 1) * nx.dag_longest_path_length(free) + bounded


def check_termination(procedure: Procedure) -> list[Finding]:
    """Findings DEAD_END, TRAP, UNBOUNDED_LOOP, LOOP_EXIT_EXHAUSTED, LOOP_BOUND and TERMINATES."""
    proof = prove_termination(procedure)
    pid = procedure.id
    out: list[Finding] = []
    for sid in proof.dead_ends:
        out.append(_dead_end(procedure, sid))
    for trap in proof.traps:
        names = ", ".join(procedure.stage(s).title for s in trap)
        route = tuple(path_to(procedure, trap[0])) + _around(procedure, trap)
        msg = (
            f"Once a case reaches {procedure.stage(trap[0]).title}, it can only move among {names}: "
            "no route from there leads to an ending, so the case never closes."
        )
        out.append(Finding("TRAP", "violation", pid, trap, route, msg, cite(procedure.stage(trap[0]).source)))
    for loop in proof.unbounded_loops:
        route = tuple(path_to(procedure, loop[0])[:-1]) + loop
        back = next(t for t in procedure.transitions if t.from_ == loop[-2] and t.to == loop[-1])
        msg = (
            f"A case can go round the loop {render(procedure, loop)} again and again: no move on it says how "
            "many times it may repeat, so nothing bounds how long the case lasts. If the source sets a limit, add "
            "'max_repeats' to one of its transitions, or a rule for leaving the loop; if it sets none, the missing "
            "bound is a question for the source's authors."
        )
        out.append(Finding("UNBOUNDED_LOOP", "violation", pid, loop[:-1], route, msg, cite(back.source)))
    for sid in proof.exhaustible:
        msg = (
            f"From {procedure.stage(sid).title} every way to an ending repeats a move that has a repeat limit; "
            "once those repeats are used up the case has nowhere to go."
        )
        route = tuple(path_to(procedure, sid))
        out.append(
            Finding("LOOP_EXIT_EXHAUSTED", "violation", pid, (sid,), route, msg, cite(procedure.stage(sid).source))
        )
    out.extend(_loop_bounds(procedure))
    if proof.terminates:
        msg = (
            f"Every route from {procedure.start.title} reaches an ending, and no route takes more than "
            f"{proof.max_steps} moves (loops counted up to their repeat limits)."
        )
        out.append(Finding("TERMINATES", "info", pid, (), (), msg, None))
    return out


def _dead_end(procedure: Procedure, sid: StageId) -> Finding:
    stage = procedure.stage(sid)
    route = tuple(path_to(procedure, sid))
    note = stage.unspecified.get("next-step")
    outcomes = stage.expected_outcomes
    if not note and outcomes and all(o in stage.unspecified for o in outcomes):
        note = " ".join(dict.fromkeys(stage.unspecified[o] for o in outcomes))
    if note:
        msg = f"After {stage.title} the procedure stops without an ending; the source does not say what happens next: "
        msg += note
        return Finding("DEAD_END", "gap", procedure.id, (sid,), route, msg, cite(stage.source))
    msg = (
        f"{stage.title} has no way out: no outcome there leads anywhere, so a case that reaches it "
        "never ends. Add its transitions, or 'unspecified: {next-step: ...}' if the source is silent."
    )
    return Finding("DEAD_END", "violation", procedure.id, (sid,), route, msg, cite(stage.source))


def _around(procedure: Procedure, comp: tuple[StageId, ...]) -> tuple[StageId, ...]:
    """Stages of a walk from ``comp[0]`` once round a loop inside the strongly connected ``comp`` and back."""
    g = digraph(procedure).subgraph(comp)
    first = comp[0]
    nxt = next(v for v in g.successors(first))
    return tuple(nx.shortest_path(g, nxt, first))


def _loop_bounds(procedure: Procedure) -> list[Finding]:
    g = digraph(procedure)
    comps = _components(g)
    out = []
    for t in procedure.transitions:
        if t.max_repeats is not None and _on_cycle(g, t, comps):
            a, b = procedure.stage(t.from_).title, procedure.stage(t.to).title
            msg = f"The move from {a} back to {b} may happen at most {t.max_repeats} time(s) in one case."
            route = tuple(nx.shortest_path(g, t.to, t.from_)) + (t.to,)
            out.append(Finding("LOOP_BOUND", "info", procedure.id, (t.from_, t.to), route, msg, cite(t.source)))
    return out
