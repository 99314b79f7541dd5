"""The shapes of work beside the route (duty boxes, meeting bands and markers, join bars) and the legend.

A duty is a box with a dashed purple edge; a fork to it is a dotted purple arrow, a join from it a
purple line ending in a bar across the border of the stage that waits. A meeting is a pale band
over the meeting stage and a marker in the lane of every other role that meets. The legend lists
only the conventions a drawing uses.
"""

from __future__ import annotations

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Patch, Rectangle

from cpsim.model.types import StageKind
from cpsim.reports.flowchart.geometry import Box, Layout, Meeting, Route
from cpsim.reports.flowchart.labels import PARALLEL
from cpsim.reports.flowchart.timeline import HIGHLIGHT
from cpsim.reports.style import FILL, PALETTE

__all__ = ["BAND", "DUTY_FILL", "draw_band", "draw_join_bar", "legend", "part_shape"]

DUTY_FILL = "#F5E4EE"
"""A pale tint of the purple that marks work beside the route."""
BAND = "#CFE6F5"
"""The pale sky blue of a meeting's band."""
BAR_HALF, BAR_THICK = 0.3, 0.08


def part_shape(box: Box) -> Patch:
    """The shape of a duty (dashed purple edge) or of a meeting's marker (rounded, sky blue edge)."""
    x0, y0 = box.x - box.w / 2, box.y - box.h / 2
    if box.part == "duty":
        style = "round,pad=0,rounding_size=0.06"
        return FancyBboxPatch(
            (x0, y0), box.w, box.h, boxstyle=style, facecolor=DUTY_FILL, edgecolor=PARALLEL, lw=1.2, ls="--"
        )
    style = f"round,pad=0,rounding_size={box.h / 2}"
    return FancyBboxPatch((x0, y0), box.w, box.h, boxstyle=style, facecolor="white", edgecolor=PALETTE["sky"], lw=1.2)


def draw_band(ax: Axes, meeting: Meeting) -> None:
    """The band behind a meeting stage and its markers, spanning every lane that meets."""
    ax.add_patch(
        Rectangle(
            (meeting.x0, meeting.y0),
            meeting.x1 - meeting.x0,
            meeting.y1 - meeting.y0,
            facecolor=BAND,
            edgecolor=PALETTE["sky"],
            lw=1.0,
            ls="--",
            alpha=0.8,
            zorder=1,
            gid=f"meeting:{meeting.stage}",
        )
    )


def draw_join_bar(ax: Axes, r: Route) -> None:
    """A bar across the end of a join, where it meets the border of the stage that waits for the duty."""
    (px, py), (qx, qy) = r.points[-2], r.points[-1]
    if py == qy:  # the join arrives sideways: an upright bar
        xy, w, h = (qx - BAR_THICK if qx > px else qx, qy - BAR_HALF), BAR_THICK, 2 * BAR_HALF
    else:
        xy, w, h = (qx - BAR_HALF, qy - BAR_THICK if qy > py else qy), 2 * BAR_HALF, BAR_THICK
    ax.add_patch(Rectangle(xy, w, h, facecolor=PARALLEL, edgecolor="none", zorder=4, gid=f"bar:{r.source}:{r.target}"))


def legend(fig: Figure, with_flags: bool, lay: Layout, top: float, timeline: bool) -> None:
    """A legend of the conventions this drawing uses (shapes and lines that do not appear are left out)."""
    handles = [h for keep, h in [*_stage_entries(lay, timeline), *_line_entries(lay, with_flags, timeline)] if keep]
    fig.legend(handles=handles, loc="upper center", ncol=4, fontsize=7, frameon=False, bbox_to_anchor=(0.5, top))


def _stage_entries(lay: Layout, timeline: bool) -> list[tuple[bool, Artist]]:
    """Legend entries for the shapes: stages, the marks on timed rules, duties and meetings."""
    kinds = {b.kind for b in lay.boxes.values()}
    words = [line for b in [*lay.boxes.values(), *lay.duties.values()] for line in b.lines]
    words += [r.label for r in lay.routes]
    grey = PALETTE["grey"]
    return [
        (True, Patch(facecolor=FILL["start"], edgecolor=grey, label="start / end of the case (rounded)")),
        (
            StageKind.REQUEST in kinds,
            Patch(facecolor=FILL["request"], edgecolor=grey, label="request: who replies, by when"),
        ),
        (StageKind.DIALOGUE in kinds, Patch(facecolor=FILL["dialogue"], edgecolor=grey, label="discussion")),
        (StageKind.DECISION in kinds, Patch(facecolor=FILL["decision"], edgecolor=grey, label="decision (diamond)")),
        (
            timeline or any("UNSPECIFIED" in w for w in words),
            Patch(facecolor=PALETTE["yellow"], edgecolor="none", label="deadline not given by the source"),
        ),
        (
            timeline or any("PROVISIONAL" in w or "AMBIGUOUS" in w for w in words),
            Patch(
                facecolor=HIGHLIGHT["PROVISIONAL"],
                edgecolor="none",
                label="PROVISIONAL: the source says it may change; AMBIGUOUS: its words read two ways",
            ),
        ),
        (
            bool(lay.duties),
            Patch(
                facecolor=DUTY_FILL, edgecolor=PARALLEL, ls="--", label="duty alongside the route: its time, its clause"
            ),
        ),
        *(
            (
                any((lay.boxes[m.stage].kind is StageKind.REQUEST) == joint for m in lay.meetings),
                Patch(facecolor=BAND, edgecolor=PALETTE["sky"], ls="--", label=label),
            )
            for joint, label in (
                (False, "meeting: the band spans every role that meets"),
                (True, "joint reply: the band spans every role who owes it"),
            )
        ),
    ]


def _line_entries(lay: Layout, with_flags: bool, timeline: bool) -> list[tuple[bool, Artist]]:
    """Legend entries for the lines: routes, forks and joins, flags, and the timetable's events."""
    grey = PALETTE["grey"]
    return [
        (True, Line2D([], [], color=grey, lw=1.1, label="route, labelled with its outcome")),
        (
            any(r.skip for r in lay.routes),
            Line2D([], [], color=PALETTE["blue"], lw=1.1, ls="--", label="skip / urgent route"),
        ),
        (bool(lay.duties), Line2D([], [], color=PARALLEL, lw=1.3, ls=":", label="fork: the duty starts here")),
        (
            any(r.part == "join" for r in lay.parallel),
            Line2D(
                [],
                [],
                color=PARALLEL,
                lw=1.3,
                marker="|",
                markersize=9,
                mew=3,
                label="join: the stage waits for the duty",
            ),
        ),
        (
            timeline,
            Line2D(
                [],
                [],
                color=grey,
                marker="D",
                mfc=PALETTE["black"],
                lw=0,
                label="timetable: event others are timed from",
            ),
        ),
        (with_flags, Line2D([], [], color=PALETTE["vermillion"], lw=2.4, label="flagged by verification")),
    ]
