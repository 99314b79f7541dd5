"""Work beside the route in a swimlane layout: duties, their forks and joins, and meetings of several roles.

A duty is a box of its own in the lane of the role who carries it out, placed right of the stage
that starts it; a *fork* runs from that stage to the duty, and a *join* from the duty to every stage
that waits for it (``before``). A meeting stage reserves its column in every lane it spans, so a
band can cover the stage and a marker in the lane of each other role that meets.

The words drawn on a timed rule carry the marks the whole drawing uses: ``UNSPECIFIED`` where the
source gives no time, ``PROVISIONAL`` where it says the rule may change, ``AMBIGUOUS`` where its
words can be read more than one way (the file's reading is used).

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> p = load_procedure(PROCEDURES_DIR / "wakefield-conference-dissent.yaml")
>>> duty_lines(p, p.duties[0])[-2:]
('time UNSPECIFIED', 'clause: Dissent for the Conference Decision')
>>> fork_label(p.duties[0]), JOIN_LABEL
('alongside, on request review', 'join: waits for it')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from cpsim.model.procedure import Procedure, Stage
from cpsim.model.procedure.classes import Deadline
from cpsim.model.procedure.parallel import Duty
from cpsim.model.types import StageId, StageKind
from cpsim.reports.flowchart.connectors import route_points
from cpsim.reports.flowchart.geometry import Box, Lane, Meeting, Path, Route

__all__ = [
    "JOIN_LABEL",
    "JOINT_TEXT",
    "MARKER_TEXT",
    "Marked",
    "NOBODY_LANE",
    "duty_lines",
    "fork_label",
    "marks",
    "meeting_lanes",
    "meeting_roles",
    "parallel_routes",
    "role_lane",
    "stage_role",
    "timed_words",
]

NOBODY_LANE = "_nobody"
JOIN_LABEL = "join: waits for it"
"""The words on a join: the stage it enters waits for the duty, if the duty started."""
MARKER_TEXT = "takes part in the meeting"
"""The words in a meeting's marker, in the lane of each role that meets the owner."""
JOINT_TEXT = "owes the reply jointly"
"""The words in a joint reply's marker, in the lane of each responder but the first."""
DUTY_W = 2.9


class Marked(Protocol):
    """A timed rule that may be provisional or ambiguous (a deadline, a limit, a repeat)."""

    @property
    def provisional(self) -> object:
        """The source's words that make it provisional, or None."""

    @property
    def ambiguous(self) -> bool:
        """True when its words can be read more than one way."""


def marks(rule: Marked) -> str:
    """The marks of a timed rule, to follow its words: ``' PROVISIONAL'``, ``' AMBIGUOUS'``, both or ``''``.

    >>> cite = {"doc": "d.txt", "ref": "1", "quote": "q"}
    >>> marks(Deadline(amount=2, unit="working-days", ambiguous=True, reading="r", source=cite))
    ' AMBIGUOUS'
    """
    return (" PROVISIONAL" if rule.provisional is not None else "") + (" AMBIGUOUS" if rule.ambiguous else "")


def timed_words(rule: Deadline, given: str, missing: str) -> str:
    """``given`` with the rule's label (``{}`` stands for it) or ``missing``, then the rule's marks.

    >>> cite = {"doc": "d.txt", "ref": "1", "quote": "q"}
    >>> timed_words(Deadline(amount=2, unit="working-days", source=cite), "reply {}", "reply deadline UNSPECIFIED")
    'reply within 2 working days'
    """
    return (given.format(rule.label) if rule.is_specified else missing) + marks(rule)


def role_lane(procedure: Procedure, role_id: str | None, by: str) -> str:
    """The lane key of a role: its id, or ``agency:<agency>`` when lanes are agencies; no role, no one named."""
    if role_id is None:
        return NOBODY_LANE
    return "agency:" + procedure.role(role_id).agency if by == "agency" else role_id


def duty_lines(procedure: Procedure, duty: Duty) -> tuple[str, ...]:
    """The text of a duty's box: its title, whom it asks, when it arises, its time and its clause."""
    lines = [duty.title]
    if duty.responder is not None:
        lines.append("asks: " + procedure.role(duty.responder).title)
    if duty.when is not None:
        lines.append("if " + duty.when)
    lines.append(timed_words(duty.within, "{}", "time UNSPECIFIED"))
    lines.append("clause: " + duty.source.ref)
    return tuple(lines)


def fork_label(duty: Duty) -> str:
    """The words on the fork from the stage that starts a duty: it runs alongside, on which outcome."""
    return "alongside" + (f", on {duty.on.replace('-', ' ')}" if duty.on else "")


def meeting_roles(stage: Stage) -> tuple[str, ...]:
    """The roles besides the stage's own who take part: those a meeting's owner meets, or the other joint responders."""
    if stage.meeting is not None:
        return tuple(stage.meeting.with_)
    return tuple(r.role for r in stage.responders[1:])


def stage_role(stage: Stage) -> str | None:
    """The role whose lane a stage sits in: a request's (first) responder, else its owner."""
    if stage.kind is StageKind.REQUEST and (stage.responder or stage.responders):
        return stage.responder or stage.responders[0].role
    return stage.owner


def meeting_lanes(procedure: Procedure, stage: Stage, by: str) -> list[str]:
    """The lanes of the other roles that meet at a stage (or owe its reply jointly), in file order."""
    own = role_lane(procedure, stage_role(stage), by)
    return [k for k in dict.fromkeys(role_lane(procedure, r, by) for r in meeting_roles(stage)) if k != own]


def duty_box(procedure: Procedure, duty: Duty, lane: str, col: int, x: float, y: float, lane_h: float) -> Box:
    """The box of ``duty`` at column ``col`` of ``lane``, centred at (x, y), as tall as the lane allows."""
    kind = StageKind.DIALOGUE  # drawn as a box, whatever the stage that starts it
    h = min(lane_h - 0.25, 2.4)
    return Box(StageId(duty.id), kind, lane, col, x, y, DUTY_W, h, duty_lines(procedure, duty), "duty")


def marker_box(stage: Box, lane: str, y: float, text: str = MARKER_TEXT) -> Box:
    """A meeting's (or joint reply's) marker in ``lane``, in the stage's column, centred at height ``y``."""
    at = StageId(f"{stage.stage}@{lane}")
    return Box(at, StageKind.DIALOGUE, lane, stage.col, stage.x, y, 2.0, 0.6, (text,), "meets")


def meeting_band(stage: Box, markers: Sequence[Box]) -> Meeting:
    """The band that covers a meeting stage and its markers."""
    parts = [stage, *markers]
    half = max(b.w for b in parts) / 2 + 0.12
    y0 = min(b.y - b.h / 2 for b in parts) - 0.12
    y1 = max(b.y + b.h / 2 for b in parts) + 0.12
    return Meeting(stage.stage, tuple(markers), stage.x - half, stage.x + half, y0, y1)


def parallel_routes(
    procedure: Procedure, boxes: dict[StageId, Box], duties: dict[str, Box], obstacles: Sequence[Box], used: list[Path]
) -> tuple[Route, ...]:
    """The fork to each duty from the stage that starts it, then a join to each stage in its ``before``."""
    out: list[Route] = []
    for d in procedure.duties:
        legs = [(boxes[StageId(d.starts)], duties[d.id], fork_label(d), "fork")]
        legs += [(duties[d.id], boxes[StageId(stop)], JOIN_LABEL, "join") for stop in d.before]
        for a, b, label, part in legs:
            pts = route_points(a, b, obstacles, used)
            used.append(pts)
            out.append(Route(a.stage, b.stage, d.id, False, label, pts, "fork" if part == "fork" else "join"))
    return tuple(out)


def lane_span(lanes: Sequence[Lane], keys: Sequence[str]) -> list[str]:
    """Every lane from the topmost to the bottommost of ``keys``, top first."""
    ids = [ln.id for ln in lanes]
    at = [ids.index(k) for k in keys]
    return ids[min(at) : max(at) + 1]
