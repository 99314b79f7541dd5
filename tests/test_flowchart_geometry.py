"""Flowcharts read at any size: text inside its shape and never cut, labels clear of stages and other
routes, the page used rather than half empty; charts with nothing clipped.

Checked geometrically on the drawn figure for every shipped procedure (and the what-if procedures, and
the invented procedure with a meeting); the shapes of work beside the route are checked further in
test_flowchart_beside.py, the life cycles' timetables in test_flowchart_timeline.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch
from matplotlib.path import Path as MplPath
from matplotlib.text import Text

from cpsim.model import load_procedure, shipped_procedure_paths
from cpsim.model.procedure.classes import Procedure
from cpsim.reports import charts
from cpsim.reports.flowchart.draw import agg_renderer, draw_flowchart
from cpsim.reports.flowchart.layout import box_lines

ROOT = Path(__file__).resolve().parents[1]
PATHS = [
    *shipped_procedure_paths(),
    *sorted((ROOT / "scenarios" / "procedures").glob("*.yaml")),
    ROOT / "tests" / "data" / "v2-meeting.yaml",  # the one procedure with a meeting, two given clocks and a join
]


@pytest.fixture(scope="module", params=PATHS, ids=[p.stem for p in PATHS])
def drawn(request: pytest.FixtureRequest) -> tuple[Procedure, Figure]:
    proc = load_procedure(request.param)
    fig = draw_flowchart(proc)
    fig.canvas.draw()
    return proc, fig


def _shapes(fig: Figure) -> dict[str, MplPath]:
    ax = fig.axes[0]
    return {
        str(p.get_gid()).removeprefix("shape:"): p.get_path().transformed(p.get_transform())
        for p in ax.patches
        if str(p.get_gid()).startswith("shape:")
    }


def _corners(t: Text, fig: Figure) -> np.ndarray:
    e = t.get_window_extent(agg_renderer(fig))
    return np.array([(e.x0, e.y0), (e.x1, e.y0), (e.x0, e.y1), (e.x1, e.y1)])


def _route_lines(fig: Figure) -> list[np.ndarray]:
    """Each route's polyline in display units (the arrow's first sub-path, without its head)."""
    ax = fig.axes[0]
    lines = []
    for a in ax.patches:
        if isinstance(a, FancyArrowPatch):
            path = a.get_path()
            codes = path.codes if path.codes is not None else [MplPath.LINETO] * len(path.vertices)
            pts = [path.vertices[0]]
            for v, c in zip(path.vertices[1:], codes[1:], strict=True):
                if c != MplPath.LINETO:
                    break
                pts.append(v)
            lines.append(ax.transData.transform(np.array(pts)))
    return lines


def test_every_line_of_box_text_lies_inside_its_stage_shape(drawn):
    proc, fig = drawn
    shapes = _shapes(fig)
    assert set(shapes) == {s.id for s in proc.stages}
    for t in fig.axes[0].texts:
        if t.get_gid() != "box":
            continue
        corners = _corners(t, fig)
        centre = corners.mean(axis=0)
        own = [sid for sid, path in shapes.items() if path.contains_point(centre)]
        assert len(own) == 1, t.get_text()
        assert shapes[own[0]].contains_points(corners).all(), f"{own[0]}: {t.get_text()!r} spills from its shape"


def test_no_text_is_cut_short(drawn):
    proc, fig = drawn
    texts = [t.get_text() for t in fig.findobj(Text) if isinstance(t, Text)]
    assert not [t for t in texts if "…" in t]
    drawn_words = " ".join(" ".join(t.split()) for t in texts)
    for s in proc.stages:
        for line in box_lines(proc, s):
            assert " ".join(line.split()) in drawn_words.replace("- ", "-"), line


def test_route_labels_cover_no_stage_and_no_other_route(drawn):
    _, fig = drawn
    ax = fig.axes[0]
    renderer = agg_renderer(fig)
    labels = [t for t in ax.texts if t.get_gid() == "route"]
    lines = _route_lines(fig)
    assert len(labels) == len(lines)
    for i, t in enumerate(labels):
        e = t.get_window_extent(renderer)
        for sid, path in _shapes(fig).items():
            assert not path.contains_points(_corners(t, fig)).any(), f"{t.get_text()!r} covers stage {sid}"
        for j, pts in enumerate(lines):
            if j == i:
                continue
            for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False):
                crosses = min(x0, x1) <= e.x1 and e.x0 <= max(x0, x1) and min(y0, y1) <= e.y1 and e.y0 <= max(y0, y1)
                assert not crosses, f"label {t.get_text()!r} lies over another route"


def test_the_drawing_uses_the_page(drawn):
    _, fig = drawn
    renderer = agg_renderer(fig)
    page = fig.bbox
    lanes = fig.axes[0].get_window_extent(renderer)
    legend = fig.legends[0].get_window_extent(renderer)
    assert lanes.width >= 0.8 * page.width
    assert legend.y0 <= 0.2 * page.height, "more than a fifth of the page is blank below the legend"


def test_lanes_are_named_without_ranks(drawn):
    _, fig = drawn
    texts = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "lane"]
    assert texts and not [t for t in texts if "(rank" in t]


SUMMARY = json.loads((ROOT / "tests" / "expected" / "redcar-baseline.summary.json").read_text())


def _long_titles() -> dict:
    """The baseline summary with target titles as long as a source may write them."""
    out = json.loads(json.dumps(SUMMARY))
    for t in out["targets"].values():
        t["title"] = "Resolved within five working days of the chair first raising the issue with the practitioner"
    return out


COMPARISON = {
    "a": {"id": "redcar-baseline"},
    "b": {"id": "redcar-sickness-service-managers"},
    "measures": [
        {
            "measure": "redcar-internal/five-working-days breach rate",
            "kind": "breach_rate",
            "difference": 0.04,
            "ci95": [0.02, 0.06],
        },
        {"measure": "mean working days to resolution", "kind": "mean_days", "difference": 0.6, "ci95": [0.4, 0.8]},
    ],
}


@pytest.mark.parametrize(
    ("name", "summary"),
    [
        ("breach_chart", SUMMARY),
        ("reach_chart", SUMMARY),
        ("breach_chart", _long_titles()),
        ("compare_chart", COMPARISON),
    ],
    ids=["breach", "reach", "breach-long-titles", "compare"],
)
def test_charts_clip_nothing(name: str, summary: dict):
    fig = getattr(charts, name)(summary)
    renderer = agg_renderer(fig)
    fig.canvas.draw()
    page = fig.bbox
    for ax in fig.axes:
        drawn = ax.get_tightbbox(renderer)  # everything the axes draws: title, labels, ticks, bars' text
        assert drawn is not None
        assert page.x0 - 0.5 <= drawn.x0 and drawn.x1 <= page.x1 + 0.5, (name, drawn, page)
        assert page.y0 - 0.5 <= drawn.y0 and drawn.y1 <= page.y1 + 0.5, (name, drawn, page)
    for title in [fig.axes[0].title, *([fig._suptitle] if fig._suptitle else [])]:
        e = title.get_window_extent(renderer)
        assert page.x0 <= e.x0 and e.x1 <= page.x1 and e.y1 <= page.y1, title.get_text()
