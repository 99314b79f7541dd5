"""Every flowchart export carries every stage and transition, and parses in its own grammar."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pydot
import pytest
from bpmn_parser import BPMNParser

from cpsim.model import load_procedure, shipped_procedure_paths
from cpsim.model.procedure.classes import Procedure
from cpsim.reports.exports.bpmn import NS, bpmn_graph, to_bpmn
from cpsim.reports.exports.dot import to_dot
from cpsim.reports.exports.mermaid import duty_node, escape, node_id, to_mermaid
from cpsim.reports.flowchart.draw import draw_flowchart
from cpsim.reports.flowchart.layout import layout, route_label
from cpsim.reports.flowchart.parallel import JOIN_LABEL
from cpsim.reports.style import Flags
from cpsim.verify import Finding

PROCS = shipped_procedure_paths()
MEETING = Path(__file__).parent / "data" / "v2-meeting.yaml"
pytestmark = pytest.mark.filterwarnings(
    "ignore::DeprecationWarning:pydot.*", "ignore:.*deprecated.*:DeprecationWarning"
)


@pytest.fixture(params=PROCS, ids=[p.stem for p in PROCS])
def proc(request: pytest.FixtureRequest) -> Procedure:
    return load_procedure(request.param)


# --- Mermaid: a parser for exactly the subset the exporter emits -------------------------------
_ID = r"[A-Za-z_][A-Za-z0-9_]*"
_LABEL = r'"([^"]*)"'
_NODE = re.compile(rf"^({_ID})(\(\[{_LABEL}\]\)|\{{\{{{_LABEL}\}}\}}|\{{{_LABEL}\}}|\[\[{_LABEL}\]\]|\[{_LABEL}\])$")
_EDGE = re.compile(rf"^({_ID}) (-->|-\.->|==>|---)\|{_LABEL}\| ({_ID})$")
_OTHER = [
    re.compile(rf"^subgraph {_ID}\[{_LABEL}\]$"),
    re.compile(r"^direction (LR|TB)$"),
    re.compile(r"^end$"),
    re.compile(r"^%%.*$"),
    re.compile(rf"^classDef {_ID} [a-z-]+:[^ ]+$"),
    re.compile(rf"^class {_ID}(,{_ID})* {_ID}$"),
    re.compile(r"^linkStyle \d+ [a-z-]+:[^ ]+$"),
]


def parse_mermaid(text: str) -> tuple[dict[str, str], list[tuple[str, str, str, str]]]:
    """Nodes (id -> label) and edges (source, target, label, arrow); ValueError on any other line."""
    lines = text.splitlines()
    if lines[0] != "flowchart LR":
        raise ValueError(f"first line must be 'flowchart LR', got {lines[0]!r}")
    nodes: dict[str, str] = {}
    edges: list[tuple[str, str, str, str]] = []
    depth = 0
    for raw in lines[1:]:
        line = raw.strip()
        if m := _NODE.match(line):
            label = next(g for g in m.groups()[2:] if g is not None)
            if m.group(1) in nodes:
                raise ValueError(f"node {m.group(1)} defined twice")
            nodes[m.group(1)] = label
        elif m := _EDGE.match(line):
            edges.append((m.group(1), m.group(4), m.group(3), m.group(2)))
        elif any(p.match(line) for p in _OTHER):
            depth += line.startswith("subgraph") - (line == "end")
        else:
            raise ValueError(f"not valid in the emitted Mermaid subset: {raw!r}")
    if depth != 0:
        raise ValueError("unbalanced subgraph / end")
    return nodes, edges


def test_mermaid_parser_rejects_malformed_lines():
    with pytest.raises(ValueError):
        parse_mermaid('flowchart LR\n  a -->|"x" b\n')
    with pytest.raises(ValueError):
        parse_mermaid('flowchart LR\n  subgraph s["x"]\n')


def test_mermaid_has_every_stage_and_transition(proc: Procedure):
    nodes, edges = parse_mermaid(to_mermaid(proc))
    stages = {node_id(s.id) for s in proc.stages}
    assert stages <= set(nodes)
    for s in proc.stages:
        assert escape(s.title) in nodes[node_id(s.id)].replace("<br/>", " ")
    routes = [(a, b, label, arrow == "-.->") for a, b, label, arrow in edges if a in stages and b in stages]
    expected = sorted((node_id(t.from_), node_id(t.to), escape(route_label(t)), t.skip) for t in proc.transitions)
    assert sorted(routes) == expected


def test_mermaid_draws_each_duty_as_a_branch_forked_from_its_stage_and_joined_where_waited_for(proc: Procedure):
    nodes, edges = parse_mermaid(to_mermaid(proc))
    duties = {duty_node(d.id): d for d in proc.duties}
    markers = {n for n in nodes if n.startswith("meets_")}
    assert set(nodes) == {node_id(s.id) for s in proc.stages} | set(duties) | markers
    forks = sorted((a, b) for a, b, _, arrow in edges if b in duties)
    assert forks == sorted((node_id(d.starts), duty_node(d.id)) for d in proc.duties)
    joins = sorted((a, b) for a, b, label, arrow in edges if arrow == "==>" and label == escape(JOIN_LABEL))
    assert joins == sorted((duty_node(d.id), node_id(stop)) for d in proc.duties for stop in d.before)
    for n, d in duties.items():
        label = nodes[n].replace("<br/>", " ")
        assert escape(d.title) in label and "clause: " + escape(d.source.ref) in label
    meetings = {s.id: s for s in proc.stages if s.meeting is not None}
    ties = sorted((a, b) for a, b, _, arrow in edges if arrow == "---")
    assert ties == sorted(
        (f"meets_{s.id}_{r}", node_id(s.id)) for s in meetings.values() for r in s.meeting.with_ if r != s.owner
    )


def test_mermaid_and_dot_tie_a_meeting_to_every_role_that_meets():
    proc = load_procedure(MEETING)
    nodes, edges = parse_mermaid(to_mermaid(proc))
    assert [(a, b) for a, b, _, arrow in edges if arrow == "---"] == [("meets_stage3_head_service", "stage3")]
    assert nodes["meets_stage3_head_service"] == "takes part in the meeting"
    assert ("duty_summary", "stage3", escape(JOIN_LABEL), "==>") in edges
    (graph,) = pydot.graph_from_dot_data(to_dot(proc))
    ties = [e for e in graph.get_edges() if e.get("dir") == "none" and e.get("label") == '"meets"']
    assert [(e.get_source().strip('"'), e.get_destination().strip('"')) for e in ties] == [
        ("stage3@head_service", "stage3")
    ]
    lane = next(
        sg for sg in graph.get_subgraphs() if any(n.get_name() == '"stage3@head_service"' for n in sg.get_nodes())
    )
    assert "Head of Service" in lane.get("label")


def test_mermaid_escapes_quotes_so_labels_cannot_break_syntax():
    assert '"' not in escape('the "STSCP" representative')


# --- DOT --------------------------------------------------------------------------------------
def _clusters(graph: pydot.Dot) -> list[pydot.Subgraph]:
    """The lanes: the clusters, not the rank groups that set a join's bar beside its stage."""
    return [sg for sg in graph.get_subgraphs() if sg.get_name().startswith("cluster_")]


def test_dot_parses_with_pydot_and_has_every_stage_and_transition(proc: Procedure):
    (graph,) = pydot.graph_from_dot_data(to_dot(proc))
    nodes = {n.get_name().strip('"') for sg in _clusters(graph) for n in sg.get_nodes()}
    markers = {f"{s.id}@{r}" for s in proc.stages if s.meeting for r in s.meeting.with_ if r != s.owner}
    assert nodes == {s.id for s in proc.stages} | {d.id for d in proc.duties} | markers
    stages = {s.id for s in proc.stages}
    edges = sorted(
        (e.get_source().strip('"'), e.get_destination().strip('"'), e.get("label").strip('"').replace("\\n", " "))
        for e in graph.get_edges()
        if e.get_source().strip('"') in stages and e.get_destination().strip('"') in stages
    )
    assert edges == sorted((t.from_, t.to, route_label(t)) for t in proc.transitions)
    dashed = {
        (e.get_source().strip('"'), e.get_destination().strip('"'))
        for e in graph.get_edges()
        if e.get("style") == "dashed"
    }
    assert dashed == {(t.from_, t.to) for t in proc.transitions if t.skip}


def test_dot_has_one_cluster_per_lane(proc: Procedure):
    (graph,) = pydot.graph_from_dot_data(to_dot(proc))
    lanes = {
        "end" if s.is_terminal else (s.responder if s.kind.value == "request" and s.responder else s.owner)
        for s in proc.stages
    } | {d.by for d in proc.duties}
    lanes |= {r for s in proc.stages if s.meeting for r in s.meeting.with_}
    assert len(_clusters(graph)) == len(lanes) == len(layout(proc).lanes)


def test_dot_forks_each_duty_from_its_stage_and_joins_it_through_a_bar(proc: Procedure):
    (graph,) = pydot.graph_from_dot_data(to_dot(proc))
    ends = [(e.get_source().strip('"'), e.get_destination().strip('"'), e) for e in graph.get_edges()]
    forks = sorted((a, b) for a, b, e in ends if e.get("style") == "dotted")
    assert forks == sorted((d.starts, d.id) for d in proc.duties)
    bars = {n.get_name().strip('"'): n for n in graph.get_nodes() if n.get_name().startswith('"join:')}
    assert sorted(bars) == sorted(f"join:{d.id}:{stop}" for d in proc.duties for stop in d.before)
    for name, node in bars.items():
        _, duty, stage = name.split(":")
        assert node.get("shape") == "box" and float(node.get("height")) < 0.1, "a join is a thin bar"
        assert (duty, name) in {(a, b) for a, b, _ in ends} and (name, stage) in {(a, b) for a, b, _ in ends}
    subgraph_of = {n.get_name().strip('"'): sg for sg in _clusters(graph) for n in sg.get_nodes()}
    for d in proc.duties:
        assert proc.role(d.by).title.split()[0] in subgraph_of[d.id].get("label"), "a duty sits in its role's lane"


# --- BPMN -------------------------------------------------------------------------------------
def _write_bpmn(proc: Procedure, tmp_path: Path) -> Path:
    path = tmp_path / f"{proc.id}.bpmn"
    path.write_text(to_bpmn(proc), encoding="utf-8")
    return path


def test_bpmn_is_read_back_by_a_bpmn_reader(proc: Procedure, tmp_path: Path):
    parsed = BPMNParser(_write_bpmn(proc, tmp_path))
    graph = bpmn_graph(proc)
    tasks = {t.id for t in parsed.user_task.list}
    gateways = {g.id for g in parsed.exclusive_gateway.list}
    assert tasks == {n.id for n in graph.nodes if n.tag == "userTask"}
    assert gateways == {n.id for n in graph.nodes if n.tag == "exclusiveGateway"}
    stage_of = {n.id: n.stage for n in graph.nodes}
    flows = {f.id: (stage_of[f.source_ref], stage_of[f.target_ref]) for f in parsed.sequence_flow.list}
    for i, t in enumerate(proc.transitions):  # transition i is Flow_i, from a part of its stage to its target
        assert flows[f"Flow_{i}"] == (t.from_, t.to)


def test_bpmn_has_exactly_one_flow_node_per_stage_with_a_shape(proc: Procedure):
    root = ET.fromstring(to_bpmn(proc))
    process = root.find("bpmn:process", NS)
    kinds = {"start": "startEvent", "terminal": "endEvent"}
    for s in proc.stages:
        found = [el for el in process if el.get("id") == s.id]
        assert len(found) == 1, s.id
        tag = found[0].tag.removeprefix(f"{{{NS['bpmn']}}}")
        assert tag == kinds.get(s.kind.value, tag) and tag in ("startEvent", "endEvent", "userTask", "exclusiveGateway")
    shapes = {el.get("bpmnElement"): el for el in root.iter(f"{{{NS['bpmndi']}}}BPMNShape")}
    for el in process:
        if el.get("id") and not el.tag.endswith(("sequenceFlow", "laneSet")):
            bounds = shapes[el.get("id")].find("dc:Bounds", NS)
            assert float(bounds.get("width")) > 0 and float(bounds.get("height")) > 0


def test_bpmn_every_flow_has_an_edge_with_waypoints_and_lanes_cover_every_stage(proc: Procedure):
    root = ET.fromstring(to_bpmn(proc))
    flows = {el.get("id") for el in root.iter(f"{{{NS['bpmn']}}}sequenceFlow")}
    edges = {el.get("bpmnElement"): el for el in root.iter(f"{{{NS['bpmndi']}}}BPMNEdge")}
    assert flows == set(edges)
    assert all(len(e.findall("di:waypoint", NS)) >= 2 for e in edges.values())
    refs = [r.text for r in root.iter(f"{{{NS['bpmn']}}}flowNodeRef")]
    assert sorted(refs) == sorted(n.id for n in bpmn_graph(proc).nodes)


# --- the drawing ------------------------------------------------------------------------------
def test_drawing_has_a_shape_and_text_for_every_stage_and_a_labelled_arrow_per_transition(proc: Procedure):
    fig = draw_flowchart(proc)
    ax = fig.axes[0]
    box_text = " ".join(" ".join(t.get_text().split()) for t in ax.texts if t.get_gid() == "box").replace("- ", "-")
    for s in proc.stages:
        title = " ".join(s.title.split())
        # very long titles may be shortened to fit their box, ending in an ellipsis
        assert (
            title in box_text
            or any(p.endswith("…") and title.startswith(p[:-1].rstrip()) for p in box_text.split("  "))
            or title[:20] in box_text
        ), s.id
    labels = sorted(" ".join(t.get_text().split()) for t in ax.texts if t.get_gid() == "route")
    beside = [r.label for r in layout(proc).parallel]
    assert labels == sorted([route_label(t) for t in proc.transitions] + beside)
    arrows = [p for p in ax.patches if type(p).__name__ == "FancyArrowPatch" and str(p.get_gid()).startswith("route:")]
    assert len(arrows) == len(proc.transitions)
    assert sum(a.get_linestyle() == "--" for a in arrows) == sum(t.skip for t in proc.transitions)


def test_flags_from_findings_mark_stages_and_routes_in_every_text_format(proc: Procedure):
    """A finding's stage gets the ``flagged`` class and a thick outline; the routes of its walk a thick line."""
    stage, first = proc.stages[1].id, proc.transitions[0]
    finding = Finding("DEAD_END", "violation", proc.id, (stage,), (first.from_, first.to), "Stuck.")
    flags = Flags.from_findings([finding])
    mermaid = to_mermaid(proc, flags).splitlines()
    (flagged,) = [line.split() for line in mermaid if line.strip().startswith("class ") and line.endswith(" flagged")]
    assert flagged[1].split(",") == [node_id(stage)]
    thick = sorted(int(line.split()[1]) for line in mermaid if line.strip().startswith("linkStyle ") and "3px" in line)
    assert thick == [i for i, t in enumerate(proc.transitions) if (t.from_, t.to) == (first.from_, first.to)]
    dot = to_dot(proc, flags).splitlines()
    (node,) = [line for line in dot if line.strip().startswith(f'"{stage}" [')]
    assert "penwidth=3" in node
    edges = [line for line in dot if f'"{first.from_}" -> "{first.to}"' in line]
    assert edges and all("penwidth=3" in line for line in edges)
    assert "penwidth=3" not in to_dot(proc)
