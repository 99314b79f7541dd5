"""A procedure as a BPMN process graph: which flow nodes it needs and how sequence flows join them.

Each stage keeps its id on one flow node: the start stage is the start event (named for what starts
the procedure), endings are end events, decisions with a choice are exclusive gateways, and every
other stage is a user task. Around them the graph adds only what BPMN needs to say the same thing:

- a forking gateway ``<stage>__split`` after a task with more than one way on (a task never forks);
- a joining gateway ``<stage>__join`` before a node more than one route enters (a node never joins
  and a gateway never does both);
- a timer boundary event ``<stage>__deadline`` on a task with a reply deadline: interrupting, with
  the no-reply route leaving it, where the source says what happens on no reply; otherwise
  non-interrupting, leading to an end event ``<stage>__overdue``, because the deadline is a target;
- an end event ``<stage>__stuck`` after a stage the source gives no way on from.

Transition ``i`` of the procedure is sequence flow ``Flow_i``. Conditions read ``outcomes``, a
mapping from stage id to its outcome, filled in by the tasks (for example from a form).

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> g = bpmn_graph(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml"))
>>> g.node("level1__deadline").duration, g.node("level1__deadline").interrupting
('P1D', False)
>>> g.node("level2__join").tag, [f.target for f in g.flows if f.source == "level2__join"]
('exclusiveGateway', ['level2'])
"""

from __future__ import annotations

from dataclasses import dataclass

from cpsim.model.procedure import Procedure, Stage, Transition
from cpsim.model.types import StageId, StageKind
from cpsim.reports.exports.bpmn.timers import iso_duration, timer_documentation, timer_name
from cpsim.reports.flowchart.layout import route_label

__all__ = ["BpmnGraph", "Flow", "Node", "bpmn_graph", "condition", "stage_documentation"]


@dataclass(frozen=True)
class Node:
    """One flow node: its BPMN tag, name, the stage it belongs to and its part in that stage."""

    id: str
    tag: str
    name: str
    stage: StageId
    part: str  # begin, join, main, split, timer, overdue, stuck
    doc: str = ""
    attached_to: str | None = None
    interrupting: bool = True
    duration: str | None = None


@dataclass(frozen=True)
class Flow:
    """One sequence flow; ``transition`` is the index of the procedure's transition it carries, if any."""

    id: str
    source: str
    target: str
    name: str = ""
    condition: str | None = None
    doc: str = ""
    transition: int | None = None


@dataclass(frozen=True)
class BpmnGraph:
    """The flow nodes (stage order, each stage's parts together) and sequence flows of a procedure."""

    nodes: tuple[Node, ...]
    flows: tuple[Flow, ...]

    def node(self, node_id: str) -> Node:
        """The node with ``node_id``; KeyError if there is none."""
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise KeyError(node_id)


def condition(stage: StageId, outcome: str) -> str:
    """The condition on a route leaving a forking gateway, in Python (as SpiffWorkflow reads it).

    >>> condition("level1", "satisfied")
    'outcomes.get("level1") == "satisfied"'
    """
    return f'outcomes.get("{stage}") == "{outcome}"'


def stage_documentation(procedure: Procedure, s: Stage) -> str:
    """Everything the box cannot show: full title, who acts and replies, the deadline, gaps and the source."""
    parts = [s.title + "."]
    if s.owner:
        parts.append(f"Acts: {procedure.role(s.owner).title}.")
    if s.responder:
        parts.append(f"Replies: {procedure.role(s.responder).title}.")
    if s.deadline is not None:
        d = s.deadline
        parts.append(f"Deadline: {d.label}" + (f" ('{d.as_written}')." if d.as_written else "."))
        if d.unspecified:
            parts.append(" ".join(d.unspecified.split()))
    if s.judgement:
        parts.append(f"Judgement: {s.judgement}.")
    parts += [f"Not said ({k}): {v}" for k, v in s.unspecified.items()]
    if s.notes:
        parts.append(" ".join(s.notes.split()))
    parts.append(f"Source: {s.source.doc}, {s.source.ref}: '{s.source.quote.rstrip('.')}'.")
    return " ".join(parts)


def _timed(s: Stage) -> bool:
    return s.deadline is not None and s.deadline.is_specified


def _main_tag(procedure: Procedure, s: Stage) -> str:
    if s.is_terminal:
        return "endEvent"
    if s.kind is StageKind.START and not any(t.to == s.id for t in procedure.transitions):
        return "startEvent"
    if s.kind is StageKind.DECISION and len(procedure.transitions_from(s.id)) > 1 and not _timed(s):
        return "exclusiveGateway"
    return "userTask"


def _question(s: Stage) -> str:
    return {
        StageKind.REQUEST: "Outcome of the reply?",
        StageKind.DIALOGUE: "Outcome of the discussion?",
        StageKind.START: "Which route?",
    }.get(s.kind, "Which way?")


def bpmn_graph(procedure: Procedure) -> BpmnGraph:  # long: one pass per stage builds all its parts and flows
    """The BPMN flow nodes and sequence flows that say what ``procedure`` says (see the module docstring)."""
    index = {id(t): i for i, t in enumerate(procedure.transitions)}
    tags = {s.id: _main_tag(procedure, s) for s in procedure.stages}
    entering = {s.id: sum(t.to == s.id for t in procedure.transitions) for s in procedure.stages}
    begins = {s.id for s in procedure.stages if s.kind is StageKind.START and tags[s.id] != "startEvent"}

    def entry(sid: StageId) -> str:
        return f"{sid}__join" if entering[sid] + (sid in begins) > 1 else sid

    nodes: list[Node] = []
    flows: list[Flow] = []

    def transition_flow(t: Transition, source: str, forking: bool) -> None:
        label = route_label(t)
        cond = condition(t.from_, t.on) if forking else None
        flows.append(
            Flow(f"Flow_{index[id(t)]}", source, entry(t.to), label if forking else "", cond, label, index[id(t)])
        )

    for s in procedure.stages:
        tag, doc = tags[s.id], stage_documentation(procedure, s)
        if s.id in begins:
            nodes.append(Node(f"{s.id}__begin", "startEvent", s.title, s.id, "begin", doc))
            flows.append(Flow(f"{s.id}__from_begin", f"{s.id}__begin", entry(s.id)))
        if entry(s.id) != s.id:
            nodes.append(Node(entry(s.id), "exclusiveGateway", "", s.id, "join"))
            flows.append(Flow(f"{s.id}__from_join", entry(s.id), s.id))
        nodes.append(Node(s.id, tag, s.title, s.id, "main", doc))
        outs = procedure.transitions_from(s.id)
        no_reply = [t for t in outs if t.on == "no-reply"][:1] if _timed(s) and tag == "userTask" else []
        rest = [t for t in outs if t not in no_reply]
        if tag == "exclusiveGateway":
            for t in rest:
                transition_flow(t, s.id, forking=True)
        elif len(rest) > 1:
            nodes.append(Node(f"{s.id}__split", "exclusiveGateway", _question(s), s.id, "split"))
            flows.append(Flow(f"{s.id}__to_split", s.id, f"{s.id}__split"))
            for t in rest:
                transition_flow(t, f"{s.id}__split", forking=True)
        elif rest:
            transition_flow(rest[0], s.id, forking=False)
        elif not s.is_terminal:
            what = "no route is given when a reply arrives" if no_reply else "the source gives no next step"
            nodes.append(Node(f"{s.id}__stuck", "endEvent", "No next step given", s.id, "stuck", f"Here {what}."))
            flows.append(Flow(f"{s.id}__to_stuck", s.id, f"{s.id}__stuck"))
        if _timed(s) and tag == "userTask":
            assert s.deadline is not None and s.deadline.duration is not None
            timer = f"{s.id}__deadline"
            stops = bool(no_reply)
            tdoc = timer_documentation(s, s.deadline, stops)
            name, duration = timer_name(s, stops), iso_duration(s.deadline.duration)
            nodes.append(Node(timer, "boundaryEvent", name, s.id, "timer", tdoc, s.id, stops, duration))
            if no_reply:
                transition_flow(no_reply[0], timer, forking=False)
            else:
                overdue = f"{s.id}__overdue"
                late = "Reply overdue" if s.responder else "Overdue"
                nodes.append(Node(overdue, "endEvent", f"{late}: no step given", s.id, "overdue", tdoc))
                flows.append(Flow(f"{s.id}__to_overdue", timer, overdue))
    return BpmnGraph(tuple(nodes), tuple(flows))
