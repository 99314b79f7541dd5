"""Draw a procedure as a swimlane flowchart with matplotlib, on the ISO A page that fits it.

Stages are boxes (requests show who replies and by when), decisions are diamonds, starts and endings
have rounded ends; routes are labelled with their outcome and skip routes are dashed. The page is the
smallest of A4, A3 and A2, landscape or portrait, that keeps the text legible, and the lanes grow to
use its height. Text never overlaps and is never cut: box text is wrapped and sized to lie inside its
shape, and route labels slide along their route until they clear other text, stages and routes.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> fig = draw_flowchart(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml"))
>>> [round(float(v), 2) for v in fig.get_size_inches()]
[11.69, 8.27]
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch, Polygon, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from cpsim.model.procedure import Procedure
from cpsim.model.types import StageKind
from cpsim.reports.flowchart.labels import PARALLEL, place_labels
from cpsim.reports.flowchart.layout import HEADER_W, LANE_H, MAX_LANE_H, Box, Lane, LaneBy, Layout, Route, layout
from cpsim.reports.flowchart.legend import draw_band, draw_join_bar, legend, part_shape
from cpsim.reports.flowchart.timeline import Timeline, highlight
from cpsim.reports.style import FILL, PALETTE, Flags, route_colour, stage_edge

__all__ = ["A4_LANDSCAPE", "PAGES", "agg_renderer", "draw_flowchart", "text_boxes"]

A4_LANDSCAPE = (11.69, 8.27)
SIZES = (A4_LANDSCAPE, (16.54, 11.69), (23.39, 16.54))
"""A4, A3 and A2, long side first, in inches."""
PAGES = tuple(page for w, h in SIZES for page in ((w, h), (h, w)))
"""A4, A3 and A2, each landscape then portrait."""
MIN_SCALE, MAX_SCALE = 0.55, 1.1
"""Inches per layout unit: below the least, text no longer fits its shapes; above the most, a small
procedure's shapes would dwarf their text."""
TIMELINE_LANE_H = 2.6
"""The lane height a page is chosen for when a timetable shares it (stage text needs more than the least)."""
_TOP, _BOTTOM = 1.05, 0.95  # inches kept for the title and the legend


def draw_flowchart(procedure: Procedure, flags: Flags | None = None, by: LaneBy = "role") -> Figure:
    """A swimlane flowchart of ``procedure`` as a matplotlib Figure (A4 landscape, or larger if needed).

    Parameters
    ----------
    procedure
        The procedure to draw.
    flags
        Stages and routes flagged by verification, drawn in vermillion; None for none.
    by
        ``"role"`` or ``"agency"``: what each swimlane stands for.

    Returns
    -------
    Figure
        The drawing, with an Agg canvas attached (no pyplot state is touched).
    """
    lay = layout(procedure, by)
    flags = flags or Flags()
    timeline = Timeline(procedure) if procedure.milestones else None

    def below(w: float) -> float:
        return timeline.height(w - 0.6) + 0.25 if timeline else 0.0

    # Under a timetable the lanes cannot grow to fill the page, so the page is chosen for taller lanes.
    fig_w, fig_h, scale = _page(layout(procedure, by, TIMELINE_LANE_H) if timeline else lay, below)
    extra = below(fig_w)
    lane_h = min(MAX_LANE_H, (fig_h - _TOP - _BOTTOM - extra) / scale / len(lay.lanes))
    if lane_h > LANE_H + 0.05:
        lay = layout(procedure, by, lane_h)
    fig = Figure(figsize=(fig_w, fig_h))
    renderer = agg_renderer(fig)
    aw, ah = (lay.width + 0.3) * scale, lay.height * scale
    bottom = fig_h - _TOP - ah  # the drawing sits under the title; spare height goes below the legend
    ax = fig.add_axes(((fig_w - aw) / 2 / fig_w, bottom / fig_h, aw / fig_w, ah / fig_h))
    ax.set_xlim(0, lay.width + 0.3)
    ax.set_ylim(0, lay.height)
    ax.set_axis_off()
    for i, lane in enumerate(lay.lanes):
        _draw_lane(ax, renderer, lane, i, lay.width + 0.3)
    for meeting in lay.meetings:
        draw_band(ax, meeting)
    for box in [*lay.boxes.values(), *lay.duties.values(), *(b for m in lay.meetings for b in m.markers)]:
        _draw_box(ax, renderer, box, scale, box.stage in flags.stages)
    for r in [*lay.routes, *lay.parallel]:
        _draw_route(ax, r, (r.source, r.target) in flags.routes)
        if r.part == "join":
            draw_join_bar(ax, r)
    place_labels(ax, renderer, lay, flags)
    _title(fig, procedure, by)
    if timeline is not None:
        timeline.draw(fig, 0.3, bottom - 0.2, fig_w - 0.6)
    legend(fig, bool(flags.stages or flags.routes), lay, (bottom - 0.1 - extra) / fig_h, timeline is not None)
    return fig


def agg_renderer(fig: Figure) -> RendererBase:
    """The renderer of ``fig``'s Agg canvas (one is attached if the figure has another canvas)."""
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    # matplotlib leaves FigureCanvasAgg.get_renderer unannotated, so mypy cannot check this one call.
    renderer: RendererBase = canvas.get_renderer()  # type: ignore[no-untyped-call]
    return renderer


def _page(lay: Layout, below: Callable[[float], float]) -> tuple[float, float, float]:
    """Width and height (inches) of the smallest ISO A page that holds the drawing, and the scale.

    Of each size, landscape or portrait, whichever draws larger. The scale (inches per layout unit)
    must be at least ``MIN_SCALE`` for the text to stay legible; past A2 the page grows beyond it.
    ``below(width)`` is the height a page of that width needs under the drawing (the timetable).
    """
    for long, short in SIZES:
        fits = []
        for w, h in ((long, short), (short, long)):
            scale = min((w - 0.5) / (lay.width + 0.3), (h - _TOP - _BOTTOM - below(w)) / lay.height)
            if scale >= MIN_SCALE:
                fits.append((scale, w, h))
        if fits:
            scale, w, h = max(fits)
            return w, h, min(scale, MAX_SCALE)
    w, h = SIZES[-1]
    scale = MIN_SCALE
    return max(w, (lay.width + 0.3) * scale + 0.5), max(h, lay.height * scale + _TOP + _BOTTOM + below(w)), scale


def _draw_lane(ax: Axes, renderer: RendererBase, lane: Lane, i: int, width: float) -> None:
    """Shade the lane and write its title (and rank) in its header at the largest size that fits."""
    shade = "#F2F2F2" if i % 2 == 0 else "#FFFFFF"
    ax.add_patch(
        Rectangle(
            (0, lane.y0), width, lane.y1 - lane.y0, facecolor=shade, edgecolor="#BBBBBB", lw=0.6, gid=f"lane:{lane.id}"
        )
    )
    ax.add_patch(
        Rectangle((0, lane.y0), HEADER_W - 0.12, lane.y1 - lane.y0, facecolor="#E0E0E0", edgecolor="#BBBBBB", lw=0.6)
    )
    rank = "(outside the line of management)" if lane.rank is None and lane.id != "_end" else ""
    room = ax.transData.transform([(0.02, lane.y0 + 0.04), (HEADER_W - 0.14, lane.y1 - 0.04)])
    tries = ((7.0, 16), (7.0, 13), (6.5, 15), (6.0, 17), (5.5, 20), (5.5, 24), (5.5, 28))
    for n, (size, chars) in enumerate(tries):
        text = ax.text(
            (HEADER_W - 0.12) / 2,
            (lane.y0 + lane.y1) / 2,
            textwrap.fill(lane.title, chars) + ("\n" + textwrap.fill(rank, chars) if rank else ""),
            ha="center",
            va="center",
            fontsize=size,
            color=PALETTE["black"],
            gid="lane",
        )
        ext = text.get_window_extent(renderer)
        if n == len(tries) - 1 or (ext.height <= room[1][1] - room[0][1] and ext.width <= room[1][0] - room[0][0]):
            return
        text.remove()


def _shape(box: Box, flagged: bool) -> Patch:
    x0, y0 = box.x - box.w / 2, box.y - box.h / 2
    if box.part != "stage":
        return part_shape(box)
    edge = stage_edge(flagged)
    lw = 2.6 if flagged else 1.0
    fill = FILL[box.kind.value]
    if box.kind is StageKind.DECISION:
        pts = [(box.x, y0), (x0 + box.w, box.y), (box.x, y0 + box.h), (x0, box.y)]
        return Polygon(pts, closed=True, facecolor=fill, edgecolor=edge, lw=lw)
    rounded = box.kind in (StageKind.START, StageKind.TERMINAL)
    style = f"round,pad=0,rounding_size={min(box.h / 2, 0.5) if rounded else 0.06}"
    return FancyBboxPatch((x0, y0), box.w, box.h, boxstyle=style, facecolor=fill, edgecolor=edge, lw=lw)


def _wrap(lines: tuple[str, ...], size: float, w_in: float) -> list[str]:
    chars = max(8, int(w_in * 72 / (size * 0.55)))
    return [textwrap.fill(line, chars, break_long_words=False) for line in lines]


def _overflow(ext: Bbox, shape: Bbox, kind: StageKind) -> float:
    """How far text of extent ``ext`` spills from a stage shape of extent ``shape`` (0 or less: it fits).

    A diamond holds a centred rectangle when its half-width and half-height, as shares of the
    diamond's, add up to at most one; boxes keep a margin, rounded ends a little more.
    """
    if kind is StageKind.DECISION:
        return ext.width / shape.width + ext.height / shape.height - 0.94
    side = 0.84 if kind in (StageKind.START, StageKind.TERMINAL) else 0.92
    return max(ext.width / shape.width - side, ext.height / shape.height - 0.9)


def _draw_box(ax: Axes, renderer: RendererBase, box: Box, scale: float, flagged: bool) -> None:
    """Draw the stage shape, then its whole text at the largest size (8 pt down to 5.5 pt) that fits inside.

    Text is wrapped to several widths at each size; when none fits, the try that spills least is kept
    (the text is never shortened).
    """
    shape = _shape(box, flagged)
    shape.set_gid(f"shape:{box.stage}" if box.part == "stage" else f"{box.part}:{box.stage}")
    ax.add_patch(shape)
    room = Bbox(
        ax.transData.transform([(box.x - box.w / 2, box.y - box.h / 2), (box.x + box.w / 2, box.y + box.h / 2)])
    )
    widths = (0.62, 0.5, 0.42) if box.kind is StageKind.DECISION else (0.9, 0.78)
    best: tuple[float, float, float] | None = None
    for size in (8.0, 7.5, 7.0, 6.5, 6.0, 5.5):
        for frac in widths:
            texts = _box_texts(ax, box, _wrap(box.lines, size, box.w * scale * frac), size, scale)
            spill = _overflow(Bbox.union([t.get_window_extent(renderer) for t in texts]), room, box.kind)
            if spill <= 0:
                return
            for t in texts:
                t.remove()
            if best is None or spill < best[0]:
                best = (spill, size, frac)
    assert best is not None
    _, size, frac = best
    _box_texts(ax, box, _wrap(box.lines, size, box.w * scale * frac), size, scale)


def _box_texts(ax: Axes, box: Box, parts: list[str], size: float, scale: float) -> list[Text]:
    heights = [(p.count("\n") + 1) * size * 1.28 / 72 / scale for p in parts]
    y = box.y + sum(heights) / 2
    out = []
    for i, (part, h) in enumerate(zip(parts, heights, strict=True)):
        colour = highlight(part)
        out.append(
            ax.text(
                box.x,
                y - h / 2,
                part,
                ha="center",
                va="center",
                fontsize=size,
                linespacing=1.15,
                fontweight="bold" if i == 0 else "normal",
                fontstyle="italic" if i >= 2 else "normal",
                bbox={"facecolor": colour, "edgecolor": "none", "pad": 0.6} if colour else None,
                gid="box" if box.part == "stage" else box.part,
            )
        )
        y -= h
    return out


def _draw_route(ax: Axes, r: Route, flagged: bool) -> None:
    colour, ls, lw = route_colour(r.skip, flagged), "--" if r.skip else "-", 2.2 if flagged else 1.1
    if r.part != "route":
        colour, ls, lw = PARALLEL, ":" if r.part == "fork" else "-", 1.3
    ax.add_patch(
        FancyArrowPatch(
            path=MplPath(list(r.points)),
            arrowstyle="-" if r.part == "join" else "-|>",
            mutation_scale=11,
            color=colour,
            linestyle=ls,
            lw=lw,
            shrinkA=0,
            shrinkB=0,
            zorder=3,
            gid=f"{r.part}:{r.source}:{r.target}",
        )
    )


def _title(fig: Figure, procedure: Procedure, by: LaneBy) -> None:
    h = fig.get_size_inches()[1]
    eff = procedure.effective_date if procedure.effective_date != "unspecified" else "not stated"
    fig.text(0.3 / fig.get_size_inches()[0], 1 - 0.35 / h, procedure.title, fontsize=13, fontweight="bold", va="center")
    sub = (
        f"{procedure.authority} · version {procedure.version} · effective date {eff} · "
        f"one lane per {by}, most senior at the top; the challenge climbs the page as it escalates"
    )
    fig.text(0.3 / fig.get_size_inches()[0], 1 - 0.68 / h, sub, fontsize=8, color=PALETTE["grey"], va="center")


def text_boxes(fig: Figure) -> list[tuple[str, Bbox]]:
    """Every visible, non-empty text in ``fig`` with its bounding box in display units (for checks)."""
    renderer = agg_renderer(fig)
    fig.canvas.draw()
    return [
        (t.get_text(), t.get_window_extent(renderer))
        for t in fig.findobj(Text)
        if isinstance(t, Text) and t.get_visible() and t.get_text().strip()
    ]
