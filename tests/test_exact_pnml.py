"""pm4py's workflow-net soundness of the PNML export agrees with termination decided on the graph.

The plain export is a state-machine workflow net, so it is sound exactly when every stage is
reachable from the start and can reach a terminal stage. The export with loops unrolled (places
are a stage with its repeat counts) is sound exactly when every configuration a case can reach
can still reach a terminal stage; the verifier's termination proof must never claim more than
that, and its dead ends and traps must make the net unsound. Loops without a bound on repeats are
a stronger question that soundness cannot see: the graph check reports them, the net stays sound.
"""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pm4py.algo.analysis.woflan import algorithm as woflan
from pm4py.objects.petri_net.importer import importer as pnml_importer

from cpsim.model import load_procedure, shipped_procedure_paths, to_graph
from cpsim.model.procedure.classes import Procedure
from cpsim.reports.exports.pnml import to_pnml
from cpsim.verify.checks.termination import prove_termination
from tests.exact_ladders import CITE


def _sound(proc: Procedure, tmp_path, *, unroll: bool = False) -> bool:
    path = tmp_path / "net.pnml"
    path.write_text(to_pnml(proc, unroll_loops=unroll), encoding="utf-8")
    net, im, fm = pnml_importer.apply(str(path))
    params = {
        woflan.Parameters.RETURN_ASAP_WHEN_NOT_SOUND: True,
        woflan.Parameters.PRINT_DIAGNOSTICS: False,
        woflan.Parameters.RETURN_DIAGNOSTICS: False,
    }
    return bool(woflan.apply(net, im, fm, parameters=params))


def _weakly_terminates(proc: Procedure) -> bool:
    g = to_graph(proc)
    reachable = nx.descendants(g, proc.start.id) | {proc.start.id}
    ends = {s.id for s in proc.stages if s.is_terminal}
    return reachable == set(g) and all(s in ends or nx.descendants(g, s) & ends for s in g)


def _configurations_terminate(proc: Procedure) -> bool:
    """Every (stage, repeat counts) reachable from the start can still reach a terminal stage."""
    bounded = [t for t in proc.transitions if t.max_repeats is not None]
    g = nx.DiGraph()
    first = (proc.start.id, (0,) * len(bounded))
    g.add_node(first)
    todo = [first]
    while todo:
        stage, counts = todo.pop()
        for t in proc.transitions_from(stage):
            new = list(counts)
            if t in bounded:
                i = bounded.index(t)
                if counts[i] >= t.max_repeats:
                    continue
                new[i] += 1
            nxt = (t.to, tuple(new))
            if nxt not in g:
                todo.append(nxt)
            g.add_edge((stage, counts), nxt)
    ends = {n for n in g if proc.stage(n[0]).is_terminal}
    return all(n in ends or nx.descendants(g, n) & ends for n in g)


def _agrees_with_verifier(proc: Procedure, sound_unrolled: bool) -> bool:
    verdict = prove_termination(proc)
    if verdict.dead_ends or verdict.traps:
        return not sound_unrolled
    return sound_unrolled or bool(verdict.exhaustible)


def _unbounded_cycle(proc: Procedure) -> bool:
    g = nx.DiGraph((t.from_, t.to) for t in proc.transitions if t.max_repeats is None)
    return not nx.is_directed_acyclic_graph(g)


@pytest.mark.parametrize("path", shipped_procedure_paths(), ids=lambda p: p.stem)
def test_soundness_of_shipped_procedure_net_agrees_with_graph_termination(path, tmp_path):
    proc = load_procedure(path)
    assert _sound(proc, tmp_path) == _weakly_terminates(proc)
    unrolled = _sound(proc, tmp_path, unroll=True)
    assert unrolled == _configurations_terminate(proc)
    assert _agrees_with_verifier(proc, unrolled)


@st.composite
def decision_graphs(draw: st.DrawFn) -> Procedure:
    """A procedure of decision stages with random edges: traps, dead ends, unreachable stages and loops."""
    n = draw(st.integers(1, 5))
    names = [f"d{i}" for i in range(n)]
    stages = [{"id": "start", "kind": "start", "title": "Start", "source": CITE}]
    stages += [{"id": d, "kind": "decision", "title": d, "outcomes": ["a", "b"], "source": CITE} for d in names]
    stages += [
        {"id": e, "kind": "terminal", "title": e, "ending": "resolved", "source": CITE} for e in ("end1", "end2")
    ]
    trans = [{"from": "start", "on": "raised", "to": "d0", "source": CITE}]
    for d in names:
        for outcome in ("a", "b"):
            dest = draw(st.sampled_from([None, *names, "end1", "end2"]))
            if dest:
                bound = draw(st.sampled_from([None, 1]))
                extra = {"max_repeats": bound} if bound else {}
                trans.append({"from": d, "on": outcome, "to": dest, "source": CITE, **extra})
    data = {
        "id": "graph",
        "title": "Random graph",
        "authority": "Testshire",
        "version": "1",
        "effective_date": "unspecified",
        "sources": [{"doc": "test.txt", "title": "Test"}],
        "roles": [{"id": "r", "title": "R", "agency": "A", "rank": 1}],
        "stages": stages,
        "transitions": trans,
    }
    return Procedure.model_validate(data)


@settings(max_examples=60, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(decision_graphs())
def test_soundness_of_generated_procedure_net_agrees_with_graph_termination(tmp_path, proc):
    assert _sound(proc, tmp_path) == _weakly_terminates(proc)
    unrolled = _sound(proc, tmp_path, unroll=True)
    assert unrolled == _configurations_terminate(proc)
    assert _agrees_with_verifier(proc, unrolled)


def test_unbounded_loop_is_found_on_the_graph_though_the_net_stays_sound(tmp_path):
    proc = Procedure.model_validate(
        {
            "id": "loop",
            "title": "Loop",
            "authority": "Testshire",
            "version": "1",
            "effective_date": "unspecified",
            "sources": [{"doc": "test.txt", "title": "Test"}],
            "roles": [{"id": "r", "title": "R", "agency": "A", "rank": 1}],
            "stages": [
                {"id": "start", "kind": "start", "title": "Start", "source": CITE},
                {"id": "d0", "kind": "decision", "title": "D", "outcomes": ["a", "b"], "source": CITE},
                {"id": "end", "kind": "terminal", "title": "End", "ending": "resolved", "source": CITE},
            ],
            "transitions": [
                {"from": "start", "on": "raised", "to": "d0", "source": CITE},
                {"from": "d0", "on": "a", "to": "d0", "source": CITE},
                {"from": "d0", "on": "b", "to": "end", "source": CITE},
            ],
        }
    )
    assert _unbounded_cycle(proc) and _weakly_terminates(proc) and _sound(proc, tmp_path)
    bounded = proc.model_copy(
        update={
            "transitions": (
                proc.transitions[0],
                proc.transitions[1].model_copy(update={"max_repeats": 2}),
                proc.transitions[2],
            )
        }
    )
    assert not _unbounded_cycle(bounded) and _sound(bounded, tmp_path, unroll=True)
    assert prove_termination(proc).unbounded_loops and not prove_termination(bounded).unbounded_loops
