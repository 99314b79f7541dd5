"""The shapes a swimlane layout is made of: lanes, stage boxes and routes, in abstract units.

One unit is about an inch on the printed page; y grows upwards.

Examples
--------
>>> from cpsim.model.types import StageKind
>>> Box("s", StageKind.REQUEST, "lane", 0, 1.0, 1.0, 2.0, 1.0, ("S",)).contains((1.9, 1.4))
True
"""

from __future__ import annotations

from dataclasses import dataclass

from cpsim.model.types import StageId, StageKind

__all__ = ["Box", "Lane", "Layout", "Path", "Point", "Route"]

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


@dataclass(frozen=True)
class Layout:
    """Lanes (top first), boxes by stage id, routes in file order, and the overall size."""

    title: str
    lanes: tuple[Lane, ...]
    boxes: dict[StageId, Box]
    routes: tuple[Route, ...]
    width: float
    height: float
