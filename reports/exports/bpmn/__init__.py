"""Write a procedure as BPMN 2.0 XML with diagram interchange that bpmn.io and Camunda Modeler open as their own.

Every stage keeps its id on one flow node; gateways fork or join, never both; each reply deadline
is a timer boundary event with an ISO 8601 duration; shapes are sized to their names. See
:mod:`~cpsim.reports.exports.bpmn.graph` for what each stage becomes.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> xml = to_bpmn(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml"))
>>> '<bpmn:startEvent id="raise" name="Chair identifies an issue">' in xml
True
"""

from __future__ import annotations

from cpsim.reports.exports.bpmn.graph import BpmnGraph, Flow, Node, bpmn_graph, condition
from cpsim.reports.exports.bpmn.timers import iso_duration
from cpsim.reports.exports.bpmn.write import NS, PROCESS_ID, to_bpmn

__all__ = ["NS", "PROCESS_ID", "BpmnGraph", "Flow", "Node", "bpmn_graph", "condition", "iso_duration", "to_bpmn"]
