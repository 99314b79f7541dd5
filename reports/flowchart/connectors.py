"""Orthogonal routing of one transition between two stage boxes, avoiding the other boxes.

Candidates leave and enter by the middle of a side, with at most two bends; the cheapest by
(boxes crossed, overlap with routes already drawn, bends, length) wins.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import product

from cpsim.reports.flowchart.geometry import Box, Path, Point

__all__ = ["route_points"]

_SIDES = {"R": (1, 0), "L": (-1, 0), "T": (0, 1), "B": (0, -1)}


def _port(b: Box, side: str) -> Point:
    dx, dy = _SIDES[side]
    return (b.x + dx * b.w / 2, b.y + dy * b.h / 2)


def _candidates(a: Box, b: Box) -> Iterator[Path]:
    for sa, sb in product(_SIDES, _SIDES):
        p, q = _port(a, sa), _port(b, sb)
        ha, hb = sa in "RL", sb in "RL"
        if (ha and hb and p[1] == q[1]) or (not ha and not hb and p[0] == q[0]):
            yield (p, q)
        if ha and not hb:
            yield (p, (q[0], p[1]), q)
        if hb and not ha:
            yield (p, (p[0], q[1]), q)
        if ha and hb:
            for xm in _channels(a.x, b.x, a.w):
                yield (p, (xm, p[1]), (xm, q[1]), q)
        if not ha and not hb:
            for ym in _channels(a.y, b.y, a.h):
                yield (p, (p[0], ym), (q[0], ym), q)


def _channels(u: float, v: float, size: float) -> list[float]:
    gap = size / 2 + 0.2
    out = [(u + v) / 2] if u != v else []
    for c in (u, v):
        out += [c + gap, c - gap, c + gap + 0.18, c - gap - 0.18]
    return out


def _leaves_outward(path: Path, a: Box, b: Box) -> bool:
    def outward(port: Point, nxt: Point, box: Box) -> bool:
        return (abs(nxt[0] - box.x) > abs(port[0] - box.x) + 1e-9) or (
            abs(nxt[1] - box.y) > abs(port[1] - box.y) + 1e-9
        )

    return outward(path[0], path[1], a) and outward(path[-1], path[-2], b)


def _seg_hits_box(p: Point, q: Point, box: Box, pad: float = 0.08) -> bool:
    x0, x1 = sorted((p[0], q[0]))
    y0, y1 = sorted((p[1], q[1]))
    return (
        x0 < box.x + box.w / 2 + pad
        and x1 > box.x - box.w / 2 - pad
        and y0 < box.y + box.h / 2 + pad
        and y1 > box.y - box.h / 2 - pad
    )


def _overlap(p: Point, q: Point, r: Point, s: Point) -> float:
    """Length over which two axis-parallel segments run on top of each other (or nearly so)."""
    if p[1] == q[1] and r[1] == s[1] and abs(p[1] - r[1]) < 0.12:
        lo, hi = max(min(p[0], q[0]), min(r[0], s[0])), min(max(p[0], q[0]), max(r[0], s[0]))
        return max(0.0, hi - lo)
    if p[0] == q[0] and r[0] == s[0] and abs(p[0] - r[0]) < 0.12:
        lo, hi = max(min(p[1], q[1]), min(r[1], s[1])), min(max(p[1], q[1]), max(r[1], s[1]))
        return max(0.0, hi - lo)
    return 0.0


def _cost(path: Path, a: Box, b: Box, boxes: Sequence[Box], used: Sequence[Path]) -> float:
    segs = list(zip(path, path[1:], strict=False))
    hits = sum(_seg_hits_box(p, q, o) for p, q in segs for o in boxes if o is not a and o is not b)
    inner = sum(_seg_hits_box(p, q, o, pad=-0.02) for p, q in segs[1:-1] for o in (a, b))
    shared = sum(_overlap(p, q, r, s) for p, q in segs for u in used for r, s in zip(u, u[1:], strict=False))
    length = sum(abs(p[0] - q[0]) + abs(p[1] - q[1]) for p, q in segs)
    return 1000 * (hits + inner) + 40 * shared + 1.5 * (len(path) - 2) + length


def route_points(a: Box, b: Box, boxes: Sequence[Box], used: Sequence[Path]) -> Path:
    """The cheapest orthogonal path from box ``a`` to box ``b``; a route back to its own stage loops over the top.

    Parameters
    ----------
    a, b
        The boxes the route leaves and enters.
    boxes
        Every box of the drawing; crossing one other than ``a`` and ``b`` costs most.
    used
        Routes already drawn; running on top of one costs more than a bend.

    Examples
    --------
    >>> from cpsim.model.types import StageKind
    >>> a = Box("a", StageKind.REQUEST, "l", 0, 0.0, 0.0, 2.0, 1.0, ())
    >>> b = Box("b", StageKind.REQUEST, "l", 1, 4.0, 0.0, 2.0, 1.0, ())
    >>> route_points(a, b, [a, b], [])
    ((1.0, 0.0), (3.0, 0.0))
    """
    if a is b or a.stage == b.stage:
        top = a.y + a.h / 2
        return ((a.x + a.w / 4, top), (a.x + a.w / 4, top + 0.3), (a.x - a.w / 4, top + 0.3), (a.x - a.w / 4, top))
    options = [p for p in _candidates(a, b) if _leaves_outward(p, a, b)]
    return min(options, key=lambda p: _cost(p, a, b, boxes, used))
