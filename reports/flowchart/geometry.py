"""The shapes a swimlane layout is made of: lanes, stage boxes and routes, in abstract units.

Beside the stages and their routes a layout may hold duties (boxes of their own, reached by a fork
from the stage that starts them and joined where a stage waits for them) and meetings (a band over
the meeting stage and a marker in the lane of every other role that meets).

One unit is about an inch on the printed page; y grows upwards.

Examples
--------
>>> from cpsim.model.types import StageKind
>>> Box("s", StageKind.REQUEST, "lane", 0, 1.0, 1.0, 2.0, 1.0, ("S",)).contains((1.9, 1.4))
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from cpsim.model.types import StageId, StageKind

__all__ = ["Box", "Lane", "Layout", "Meeting", "Path", "Point", "Route"]

Point = tuple[float, float]
"""A point (x, y) in layout units."""

Path = tuple[Point, ...]
"""An orthogonal polyline, from its first point to its last."""


@dataclass(frozen=True)
class Lane:
    """A horizontal swimlane: one role or agency, its rank, and its vertical extent."""

    id: str
    title: str
    rank: int | None
    y0: float
    y1: float


@dataclass(frozen=True)
class Box:
    """A stage drawn at centre (x, y) with width w and height h, in lane ``lane``, column ``col``."""

    stage: StageId
    kind: StageKind
    lane: str
    col: int
    x: float
    y: float
    w: float
    h: float
    lines: tuple[str, ...]
    part: Literal["stage", "duty", "meets"] = "stage"
    """What the box stands for: a stage; a duty alongside the route; a role's mark at a meeting."""

    def contains(self, p: Point, pad: float = 0.0) -> bool:
        """True when ``p`` lies inside the box grown by ``pad``."""
        return abs(p[0] - self.x) <= self.w / 2 + pad and abs(p[1] - self.y) <= self.h / 2 + pad


@dataclass(frozen=True)
class Route:
    """A transition drawn as a polyline from one stage's border to another's."""

    source: StageId
    target: StageId
    outcome: str
    skip: bool
    label: str
    points: Path
    part: Literal["route", "fork", "join"] = "route"
    """A transition; the fork from a stage to a duty it starts; the join from a duty to a stage that waits for it."""


@dataclass(frozen=True)
class Layout:
    """Lanes (top first), boxes by stage id, routes in file order, and the overall size."""

    title: str
    lanes: tuple[Lane, ...]
    boxes: dict[StageId, Box]
    routes: tuple[Route, ...]
    width: float
    height: float
    duties: dict[str, Box] = field(default_factory=dict)
    """Duty boxes by duty id (empty when the procedure has none or they are not drawn)."""
    parallel: tuple[Route, ...] = ()
    """Forks to duties and joins from them, in the order of the file's duties."""
    meetings: tuple[Meeting, ...] = ()


@dataclass(frozen=True)
class Meeting:
    """A meeting stage and the markers, one in each other lane that meets, which its band spans."""

    stage: StageId
    markers: tuple[Box, ...]
    x0: float
    x1: float
    y0: float
    y1: float
