"""Route labels placed where they overlap no other text, stage or route: along the route, then beside it.

Each label is tried on one line and then wrapped, at points along its route (longest segments
first), then at growing distances beside it; the first placement that collides with nothing wins,
or the one that collides least.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from typing import Literal

from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.patches import FancyBboxPatch, Polygon
from matplotlib.path import Path as MplPath
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from cpsim.reports.flowchart.geometry import Layout, Point, Route
from cpsim.reports.flowchart.timeline import highlight
from cpsim.reports.style import PALETTE, Flags, route_colour

__all__ = ["PARALLEL", "Placement", "place_labels"]

PARALLEL = PALETTE["purple"]
"""The colour of work beside the route: duties, their forks and joins."""

Placement = tuple[Point, Literal["left", "center", "right"], Literal["bottom", "center", "top"]]
"""Where a label goes: its anchor point, horizontal and vertical alignment."""


def _candidates(r: Route) -> Iterator[Placement]:
    """Points along the route (longest segments first), then beside it: (xy, ha, va)."""
    segs = sorted(
        zip(r.points, r.points[1:], strict=False), key=lambda s: -(abs(s[0][0] - s[1][0]) + abs(s[0][1] - s[1][1]))
    )
    ts = (0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9)
    for t in ts:
        for p, q in segs:
            yield (p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])), "center", "center"
    for off in (0.06, 0.3, 0.55, 0.8, 1.1):
        for t in ts:
            for p, q in segs:
                xy = (p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]))
                if p[1] == q[1]:
                    yield (xy[0], xy[1] + off), "center", "bottom"
                    yield (xy[0], xy[1] - off), "center", "top"
                else:
                    yield (xy[0] + off, xy[1]), "left", "center"
                    yield (xy[0] - off, xy[1]), "right", "center"


def place_labels(ax: Axes, renderer: RendererBase, lay: Layout, flags: Flags) -> None:
    """Put each route's label at the first point along it where it overlaps no other text, stage or route."""
    taken: list[Bbox] = [t.get_window_extent(renderer) for t in ax.texts]
    shapes = [
        p.get_path().transformed(p.get_transform()) for p in ax.patches if isinstance(p, FancyBboxPatch | Polygon)
    ]
    routes = [*lay.routes, *lay.parallel]
    lines = [_segments(ax, r) for r in routes]
    for i, r in enumerate(routes):
        text = ax.text(
            0,
            0,
            r.label,
            ha="center",
            va="center",
            fontsize=6.5,
            color=PARALLEL if r.part != "route" else route_colour(r.skip, (r.source, r.target) in flags.routes),
            zorder=5,
            gid="route",
            bbox={"facecolor": highlight(r.label) or "white", "edgecolor": "none", "pad": 0.8, "alpha": 0.95},
        )
        others = [seg for j, segs in enumerate(lines) if j != i for seg in segs]
        best: tuple[int, str, Placement] | None = None
        # The label on one line first; wrapped, to fit the narrow gap between neighbouring stages.
        for words in dict.fromkeys(
            (
                r.label,
                textwrap.fill(r.label, 14, break_long_words=False),
                textwrap.fill(r.label, 9, break_long_words=False),
            )
        ):
            text.set_text(words)
            for place in _candidates(r):
                hits = _hits(text, place, renderer, taken, shapes, others)
                if best is None or hits < best[0]:
                    best = (hits, words, place)
                if hits == 0:
                    break
            if best is not None and best[0] == 0:
                break
        assert best is not None
        text.set_text(best[1])
        _put(text, best[2])
        taken.append(text.get_window_extent(renderer))


def _segments(ax: Axes, r: Route) -> list[Bbox]:
    """The route's segments, each as the (thin) box it covers in display units."""
    pts = ax.transData.transform(list(r.points))
    return [
        Bbox.from_extents(min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1]))
        for p, q in zip(pts, pts[1:], strict=False)
    ]


def _put(text: Text, place: Placement) -> None:
    xy, ha, va = place
    text.set_position(xy)
    text.set_horizontalalignment(ha)
    text.set_verticalalignment(va)


def _hits(
    text: Text, place: Placement, renderer: RendererBase, taken: list[Bbox], shapes: list[MplPath], lines: list[Bbox]
) -> int:
    """How badly ``text`` at ``place`` collides: 100 per text it overlaps, 10 per stage shape, 1 per other route."""
    _put(text, place)
    raw = text.get_window_extent(renderer)
    ext = raw.expanded(1.08, 1.25)
    crossed = sum(_crosses(raw, seg) for seg in lines)
    covered = sum(bool(shape.intersects_bbox(raw, filled=True)) for shape in shapes)
    return 100 * sum(ext.overlaps(b) for b in taken) + 10 * covered + crossed


def _crosses(ext: Bbox, seg: Bbox) -> bool:
    """True when the axis-parallel segment covering ``seg`` passes through ``ext``."""
    return bool(seg.x0 <= ext.x1 and ext.x0 <= seg.x1 and seg.y0 <= ext.y1 and ext.y0 <= seg.y1)
