"""A life cycle's milestones drawn as a timetable under the swimlanes: events in order, with their limits in words.

Milestones that count from one another form a *track* (the initial conference and all that is timed
from it; a receiving-in conference and its steps); each track is drawn as a line of events from the
event it counts from, each event with its limits in words ("within 15 working days of the strategy
discussion", "at least 2 working days before the initial child protection conference", "then at most
every 6 months"). Milestones timed from no other event close the timetable. The tracks flow into
as many columns as the page is wide, balanced in height. The marks are the swimlanes' own:
UNSPECIFIED, PROVISIONAL, AMBIGUOUS.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> p = load_procedure(PROCEDURES_DIR / "wakefield-conference-lifecycle.yaml")
>>> milestone_words(p, p.milestones[2])
'within 15 working days of the strategy discussion'
>>> [m.id for m in tracks(p)[0][:3]]
['strategy-discussion', 'booking-form', 'reports-to-family-icpc']
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import networkx as nx
from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from cpsim.model.procedure import Procedure
from cpsim.model.procedure.milestones import Limit, Milestone
from cpsim.reports.flowchart.parallel import marks
from cpsim.reports.style import PALETTE

__all__ = ["COLUMN_W", "HIGHLIGHT", "Timeline", "highlight", "limit_words", "milestone_words", "tracks"]

COLUMN_W = 3.7
"""The least width of a timetable column, in inches."""
TITLE_PT, WORDS_PT, HEAD_PT = 7.0, 6.5, 8.0
GAP, HEAD_GAP, TITLE_GAP = 0.07, 0.1, 0.03
"""Space under each event, under a track's heading and between an event's title and its words, in inches."""
HIGHLIGHT = {"UNSPECIFIED": PALETTE["yellow"], "PROVISIONAL": "#F6C97A", "AMBIGUOUS": "#F6C97A"}
"""The highlight behind text that carries a mark: yellow for no time given, orange for a rule that
may change or whose words can be read two ways."""


def highlight(text: str) -> str | None:
    """The highlight colour for ``text`` (the first mark it carries), or None.

    >>> highlight("reply within 2 working days PROVISIONAL") == HIGHLIGHT["PROVISIONAL"]
    True
    """
    return next((colour for mark, colour in HIGHLIGHT.items() if mark in text), None)


def _event_name(procedure: Procedure, event: str) -> str:
    titles = {m.id: m.title for m in procedure.milestones} | {s.id: s.title for s in procedure.stages}
    title = titles.get(event, event)
    return "the " + (title[0].lower() + title[1:] if title[1:2].islower() else title)


def limit_words(procedure: Procedure, lim: Limit) -> str:
    """One limit in plain English, the event named by its title, with the source's allowance and the marks."""
    ev = _event_name(procedure, lim.event)
    side = "after" if lim.after is not None else "before"
    d = lim.duration
    if lim.unspecified is not None:
        words = f"{side} {ev}, time UNSPECIFIED"
    elif d is None:
        words = f"{side} {ev}"
    elif lim.at_least is not None:
        words = f"at least {d.label} {side} {ev}"
    elif lim.within is not None and side == "after" and d.unit.takes_amount:
        words = f"{d.phrase} of {ev}"
    else:
        words = f"{d.phrase} {side} {ev}"
    return words + (f", {lim.otherwise}" if lim.otherwise else "") + marks(lim)


def milestone_words(procedure: Procedure, m: Milestone) -> str:
    """When the milestone falls, in words: its limits, its exception, how it repeats."""
    if m.origin:
        words = "the event others are timed from"
    elif m.unspecified is not None:
        words = "time UNSPECIFIED"
    else:
        parts = [limit_words(procedure, lim) for lim in m.timing]
        words = " or ".join(parts) + ", whichever is sooner" if m.whichever else "; ".join(parts)
    if m.unless:
        words += f", unless {m.unless}"
    r = m.repeats
    if r is not None:
        if r.interval is None:
            words += "; repeats, how often UNSPECIFIED"
        else:
            words += f"; then {'at most ' if r.is_maximum else ''}every {r.interval.label}" + marks(r)
    return words


def tracks(procedure: Procedure) -> list[list[Milestone]]:
    """The milestones in tracks of events timed from one another, each in time order; untimed singletons last."""
    order = {m.id: i for i, m in enumerate(procedure.milestones)}
    by_id = {m.id: m for m in procedure.milestones}
    g: nx.DiGraph[str] = nx.DiGraph()
    g.add_nodes_from(order)
    for m in procedure.milestones:
        for lim in m.timing:
            if lim.event in order:
                g.add_edge(*((lim.event, m.id) if lim.after is not None else (m.id, lim.event)))
        g.add_edges_from((n.event, m.id) for n in m.needs if n.event in order)
    out: list[list[Milestone]] = []
    alone: list[Milestone] = []
    for part in sorted(nx.weakly_connected_components(g), key=lambda c: min(order[n] for n in c)):
        sub = g.subgraph(part)
        try:
            ids = list(nx.lexicographical_topological_sort(sub, key=lambda n: order[n]))
        except nx.NetworkXUnfeasible:  # events timed from each other both ways: keep the file's order
            ids = sorted(part, key=lambda n: order[n])
        if len(ids) == 1:
            alone.append(by_id[ids[0]])
        else:
            out.append([by_id[i] for i in ids])
    return out + ([alone] if alone else [])


@dataclass(frozen=True)
class _Item:
    heading: str | None
    milestone: Milestone | None
    title: str
    words: str
    height: float


class Timeline:
    """The timetable of ``procedure``'s milestones, measured so a page can be chosen before it is drawn."""

    def __init__(self, procedure: Procedure) -> None:
        self.procedure = procedure
        self._renderer: RendererBase | None = None

    def _extent(self, text: str, size: float, bold: bool) -> tuple[float, float]:
        """Width and height of ``text`` in inches, as drawn."""
        if self._renderer is None:
            from cpsim.reports.flowchart.draw import agg_renderer

            self._scratch = Figure(figsize=(4, 4))
            self._renderer = agg_renderer(self._scratch)
        t = self._scratch.text(0, 0, text, fontsize=size, fontweight="bold" if bold else "normal", linespacing=1.15)
        e = t.get_window_extent(self._renderer)
        t.remove()
        return float(e.width) / self._scratch.dpi, float(e.height) / self._scratch.dpi

    def _measure(self, text: str, size: float, bold: bool = False) -> float:
        return self._extent(text, size, bold)[1]

    def _fit(self, text: str, size: float, bold: bool, width: float) -> str:
        """``text`` wrapped at the most characters a line whose drawn width fits ``width`` inches."""
        chars = max(12, int(width * 72 / (size * 0.5)))
        while True:
            wrapped = textwrap.fill(text, chars, break_long_words=False)
            if chars <= 12 or self._extent(wrapped, size, bold)[0] <= width:
                return wrapped
            chars -= 2

    def _items(self, col_w: float) -> list[_Item]:
        room = col_w - 0.4
        out: list[_Item] = []
        groups = tracks(self.procedure)
        for n, track in enumerate(groups):
            alone = n == len(groups) - 1 and all(not m.timing for m in track) and len(track) > 0
            first = next((m for m in track if m.origin), track[0])
            head = "Not timed from another event" if alone and not first.origin else f"Timed from: {first.title}"
            head = self._fit(head, HEAD_PT, True, room + 0.25)
            out.append(_Item(head, None, "", "", self._measure(head, HEAD_PT, True) + HEAD_GAP))
            for m in track:
                title = self._fit(m.title, TITLE_PT, True, room)
                words = self._fit(milestone_words(self.procedure, m), WORDS_PT, False, room)
                h = self._measure(title, TITLE_PT, True) + TITLE_GAP + self._measure(words, WORDS_PT) + GAP
                out.append(_Item(None, m, title, words, h))
        return out

    def columns(self, width: float) -> int:
        """How many columns fit ``width`` inches."""
        return max(1, int(width // COLUMN_W))

    def _flow(self, items: list[_Item], ncol: int) -> tuple[list[list[_Item]], float]:
        """Items in at most ``ncol`` columns, in order, as short as they go; a heading never ends a column."""
        total = sum(i.height for i in items)
        lo, hi = max(i.height for i in items), total + 1e-9
        for _ in range(40):
            mid = (lo + hi) / 2
            if len(_fill(items, mid)) <= ncol:
                hi = mid
            else:
                lo = mid
        cols = _fill(items, hi)
        return cols, max(sum(i.height for i in c) for c in cols)

    def height(self, width: float) -> float:
        """The height (inches) the timetable takes when drawn ``width`` inches wide, heading included."""
        ncol = self.columns(width)
        _, h = self._flow(self._items(width / ncol), ncol)
        return h + self._measure("Timetable", HEAD_PT + 1, True) + HEAD_GAP * 2

    def draw(self, fig: Figure, left: float, top: float, width: float) -> None:
        """Draw the timetable on ``fig`` from (``left``, ``top``), in inches from the figure's lower left corner."""
        ncol = self.columns(width)
        col_w = width / ncol
        cols, _ = self._flow(self._items(col_w), ncol)
        tr = fig.dpi_scale_trans
        head = "Timetable: the life cycle's events in order, each with its time limits as the source gives them"
        fig.text(left, top, head, transform=tr, fontsize=HEAD_PT + 1, fontweight="bold", va="top", gid="timeline")
        y0 = top - self._measure(head, HEAD_PT + 1, True) - HEAD_GAP * 2
        for c, items in enumerate(cols):
            x, y = left + c * col_w, y0
            for item in items:
                if item.heading is not None:
                    _text(fig, x, y, item.heading, HEAD_PT, "timeline", bold=True)
                else:
                    _event(fig, x, y, item, self._measure(item.title, TITLE_PT, True))
                y -= item.height


def _fill(items: list[_Item], limit: float) -> list[list[_Item]]:
    cols: list[list[_Item]] = [[]]
    h = 0.0
    for k, item in enumerate(items):
        need = item.height + (items[k + 1].height if item.heading is not None and k + 1 < len(items) else 0)
        if cols[-1] and h + need > limit:
            cols.append([])
            h = 0.0
        cols[-1].append(item)
        h += item.height
    return cols


def _text(fig: Figure, x: float, y: float, s: str, size: float, gid: str, bold: bool = False) -> Text:
    colour = highlight(s)
    return fig.text(
        x,
        y,
        s,
        transform=fig.dpi_scale_trans,
        fontsize=size,
        fontweight="bold" if bold else "normal",
        linespacing=1.15,
        va="top",
        gid=gid,
        bbox={"facecolor": colour, "edgecolor": "none", "pad": 0.6} if colour else None,
    )


def _event(fig: Figure, x: float, y: float, item: _Item, title_h: float) -> None:
    """An event: its marker on the track's line, its title, and its limits in words."""
    m = item.milestone
    assert m is not None
    tr = fig.dpi_scale_trans
    spine = x + 0.1
    fig.add_artist(Line2D([spine, spine], [y + 0.02, y - item.height + 0.02], transform=tr, color="#BBBBBB", lw=1.0))
    shape, fill = ("D", PALETTE["black"]) if m.origin else ("o", "white" if m.unspecified else PALETTE["grey"])
    fig.add_artist(
        Line2D([spine], [y - 0.05], transform=tr, marker=shape, markersize=4.5, color=PALETTE["grey"], mfc=fill, lw=0)
    )
    _text(fig, x + 0.25, y, item.title, TITLE_PT, f"milestone:{m.id}", bold=True)
    _text(fig, x + 0.25, y - title_h - TITLE_GAP, item.words, WORDS_PT, f"timing:{m.id}")
