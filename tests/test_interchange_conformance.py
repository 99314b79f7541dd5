"""A simulated event log conforms to the exported Petri net: pm4py replays it with fitness 1.0.

The simulator writes ``events.xes``; ``cpsim export --pnml --behaviour`` writes the net of the same
procedure with the scenario's assumed routes. pm4py reads both, as a process analyst would; the
traces of challenges that finished (and were not already open when the run began) are replayed,
keeping the ``complete`` events (one per stage visit, named by the stage). Token-based replay and
alignments must both find every trace fitting, with no move on the log and no visible move on the
model alone.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pm4py
import pytest
import yaml

from cpsim.cli import main
from cpsim.model import load_procedure, shipped_procedure_paths
from cpsim.model.procedure.classes import Procedure
from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
from cpsim.simulate.engine.table import compile_route

SHIPPED = {p.stem: p for p in shipped_procedure_paths()}
SIMULATED = [
    "cheshire-west-chairs-challenge",
    "redcar-external",
    "redcar-internal",
    "sheffield-challenge-escalation",
    "sheffield-not-convening-conference",
    "stoke-conference-lifecycle",
    "stoke-no-response",
    "wakefield-chair-concern",
    "wakefield-chair-conduct",
    "wakefield-conference-lifecycle",
]
"""Shipped procedures with decisions, requests, loops and no-reply routes the simulator runs one route at a time."""


def _behaviour(proc: Procedure) -> dict[str, object]:
    """A behaviour taking every outcome the simulator can take, a no-reply one included where timed."""
    stages: dict[str, object] = {}
    for s in proc.stages:
        outs = sorted({t.on for t in proc.transitions_from(s.id)})
        if s.kind.value == "request":
            both = {"satisfied", "unsatisfied"} <= set(outs)
            b: dict[str, object] = {
                "reply_time": {"dist": "uniform", "low": 0, "high": 3},
                "p_satisfied": 0.5 if both else (1.0 if "satisfied" in outs else 0.0),
                "assumption": "for the test",
            }
            if s.send is not None:
                b["send_time"] = {"dist": "uniform", "low": 0, "high": 1}
            if s.deadline is not None and s.deadline.is_specified:
                b["p_no_reply"] = 0.25
                if "no-reply" not in outs:
                    b["assumed"] = {"no-reply": proc.transitions_from(s.id)[0].to}
            stages[s.id] = b
        elif len(outs) > 1:
            stages[s.id] = {"choices": {o: 1 / len(outs) for o in outs}, "assumption": "for the test"}
    return {"stages": stages}


def _scenario(folder: Path, stems: list[str]) -> Path:
    procs = [load_procedure(SHIPPED[s]) for s in stems]
    data = {
        "id": "conformance",
        "title": "Every shipped procedure",
        "procedures": [{"procedure": p.id, "share": 1 / len(procs), "behaviour": _behaviour(p)} for p in procs],
        "calendar": {"start": "2026-02-02", "horizon": 60, "warm_up": 0, "follow_up": 250},
        "arrivals": {"kind": "poisson", "rate": 5},
        "replications": 1,
        "seed": 11,
    }
    path = folder / "conformance.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _simulate(scenario: Path, out: Path) -> pd.DataFrame:
    assert main(["simulate", str(scenario), "-n", "1", "--seed", "11", "--workers", "1", "-o", str(out)]) == 0
    return pm4py.read_xes(str(out / "events.xes"))


def _replayable(log: pd.DataFrame, route: str) -> pd.DataFrame:
    keep = (log["case:route"] == route) & log["case:finished"] & ~log["case:already_open"]
    return log[keep & (log["lifecycle:transition"] == "complete")]


def _net(folder: Path, proc_path: str, behaviour: dict[str, object] | None) -> tuple[object, object, object]:
    out = folder / "net.pnml"
    args = ["export", "--pnml", "-o", str(out), "--force", proc_path]
    if behaviour is not None:
        (folder / "behaviour.yaml").write_text(yaml.safe_dump(behaviour), encoding="utf-8")
        args += ["--behaviour", str(folder / "behaviour.yaml")]
    assert main(args) == 0
    net, im, fm = pm4py.read_pnml(str(out))
    assert fm is not None and len(fm) == 1, "the net must state its final marking"
    return net, im, fm


def _assert_conforms(log: pd.DataFrame, net: object, im: object, fm: object) -> None:
    assert log["case:concept:name"].nunique() > 0
    tbr = pm4py.fitness_token_based_replay(log, net, im, fm)
    assert tbr["log_fitness"] == 1.0 and tbr["perc_fit_traces"] == 100.0
    for a in pm4py.conformance_diagnostics_alignments(log, net, im, fm):
        assert a["fitness"] == 1.0
        for logged, modelled in a["alignment"]:  # ">>" marks a move on one side only; None a silent move
            assert modelled != ">>", f"the log has {logged!r} where the net cannot do it"
            assert logged != ">>" or modelled is None, f"the net needs {modelled!r}, not in the log"


def _silent_routes(net: object) -> set[tuple[str, str]]:
    """(stage done, next stage) for every silent transition between stages of the plain net."""
    routes = set()
    for t in net.transitions:  # type: ignore[attr-defined]
        if t.label is None and t.name != "t_begin":
            (src,) = [a.source.name for a in t.in_arcs]
            (dst,) = [a.target.name for a in t.out_arcs]
            routes.add((src.removeprefix("d_"), dst.removeprefix("p_")))
    return routes


def _baseline(folder: Path, **assumed: str) -> tuple[Path, dict[str, object]]:
    """redcar-baseline over a short horizon; ``assumed`` re-routes the internal route's no-reply escalations."""
    sc = yaml.safe_load((SCENARIOS_DIR / "redcar-baseline.yaml").read_text(encoding="utf-8"))
    sc["calendar"].update(horizon=40, warm_up=0, follow_up=200)
    for route in sc["procedures"]:
        route["procedure"] = str(SHIPPED[route["procedure"]])
    for stage, dest in assumed.items():
        sc["procedures"][0]["behaviour"]["stages"][stage]["assumed"] = {"no-reply": dest}
    path = folder / "baseline.yaml"
    path.write_text(yaml.safe_dump(sc), encoding="utf-8")
    return path, sc


def test_shipped_scenario_log_replays_on_each_route_net_with_fitness_one(tmp_path: Path) -> None:
    """redcar-baseline: each route's log fits the net exported with that route's behaviour."""
    path, sc = _baseline(tmp_path)
    log = _simulate(path, tmp_path / "run")
    assert (log["outcome"] == "no-reply").any(), "the run must take a no-reply route"
    for route in sc["procedures"]:  # type: ignore[attr-defined]
        sub = _replayable(log, Path(route["procedure"]).stem)
        _assert_conforms(sub, *_net(tmp_path, route["procedure"], route["behaviour"]))


def test_a_route_only_the_scenario_assumes_is_in_the_net_exported_with_its_behaviour(tmp_path: Path) -> None:
    """Level 1 unanswered goes straight to level 3 here: only the net with the behaviour has that route."""
    path, sc = _baseline(tmp_path, level1="level3")
    log = _simulate(path, tmp_path / "run")
    sub = _replayable(log, "redcar-internal")
    route = sc["procedures"][0]  # type: ignore[index]
    bare = _net(tmp_path, route["procedure"], None)
    assert "level1 no-reply -> level3" not in {t.properties.get("trans_name_tag") for t in bare[0].transitions}
    assert pm4py.fitness_token_based_replay(sub, *bare)["log_fitness"] < 1.0
    net = _net(tmp_path, route["procedure"], route["behaviour"])
    assert "level1 no-reply -> level3" in {t.properties.get("trans_name_tag") for t in net[0].transitions}
    _assert_conforms(sub, *net)


def test_every_shipped_procedure_log_replays_on_its_net_with_fitness_one(tmp_path: Path) -> None:
    """Ten shipped procedures, every outcome drawn: a route of the simulator is always a path of the net."""
    stems = SIMULATED
    log = _simulate(_scenario(tmp_path, stems), tmp_path / "run")
    assert (log["outcome"] == "no-reply").any()
    scenario = load_scenario(tmp_path / "conformance.yaml")
    for stem in stems:
        route = scenario.route(load_procedure(SHIPPED[stem]).id)
        (tmp_path / stem).mkdir()
        net, im, fm = _net(tmp_path / stem, str(SHIPPED[stem]), _behaviour(route.procedure))
        table = compile_route(route.procedure, route.behaviour)
        assert {(s, dest) for (s, _), dest in table.next.items()} <= _silent_routes(net)
        labels = {t.label for t in net.transitions if t.label is not None}  # type: ignore[attr-defined]
        assert labels == {s.id for s in route.procedure.stages}
        _assert_conforms(_replayable(log, route.procedure.id), net, im, fm)


@pytest.mark.parametrize("stem", ["redcar-internal", "wakefield-conference-dissent"])
def test_the_net_is_a_sound_workflow_net_pm4py_aligns_against(stem: str, tmp_path: Path) -> None:
    """One source place holding the initial token, one sink place that is the final marking."""
    (tmp_path / "n").mkdir()
    net, im, fm = _net(tmp_path / "n", str(SHIPPED[stem]), None)
    from pm4py.objects.petri_net.utils.check_soundness import check_easy_soundness_net_in_fin_marking, check_wfnet

    assert check_wfnet(net)
    assert check_easy_soundness_net_in_fin_marking(net, im, fm)
    assert [p.name for p in im] == ["i"] and [p.name for p in fm] == ["o"]
