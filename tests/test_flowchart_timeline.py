"""A life cycle's flowchart carries its milestones as a timetable: every event in order, each with its
limits in words, the marks the swimlanes use, all text on the page and nothing overlapping.

Checked on the drawn figure of both shipped life-cycle procedures (Stoke-on-Trent / Staffordshire and
Wakefield).
"""

from __future__ import annotations

import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.text import Text

from cpsim.model import PROCEDURES_DIR, load_procedure
from cpsim.model.procedure.classes import Procedure
from cpsim.reports.flowchart.draw import PAGES, agg_renderer, draw_flowchart, text_boxes
from cpsim.reports.flowchart.timeline import HIGHLIGHT, milestone_words, tracks

LIFECYCLES = [PROCEDURES_DIR / f"{name}-conference-lifecycle.yaml" for name in ("stoke", "wakefield")]


@pytest.fixture(scope="module", params=LIFECYCLES, ids=[p.stem for p in LIFECYCLES])
def drawn(request: pytest.FixtureRequest) -> tuple[Procedure, Figure]:
    proc = load_procedure(request.param)
    fig = draw_flowchart(proc)
    fig.canvas.draw()
    return proc, fig


def _texts(fig: Figure, prefix: str) -> dict[str, Text]:
    return {
        str(t.get_gid()).removeprefix(prefix): t
        for t in fig.texts
        if isinstance(t, Text) and str(t.get_gid()).startswith(prefix)
    }


def _flat(words: str) -> str:
    return " ".join(words.split())


def test_every_milestone_is_drawn_with_its_limits_in_words(drawn):
    proc, fig = drawn
    titles, timings = _texts(fig, "milestone:"), _texts(fig, "timing:")
    assert set(titles) == set(timings) == {m.id for m in proc.milestones}
    for m in proc.milestones:
        assert _flat(titles[m.id].get_text()) == _flat(m.title)
        assert _flat(timings[m.id].get_text()) == _flat(milestone_words(proc, m))


def test_events_are_drawn_in_time_order_each_after_the_events_it_counts_from(drawn):
    proc, fig = drawn
    titles = _texts(fig, "milestone:")
    renderer = agg_renderer(fig)
    # Columns are read left to right, each top to bottom: the reading order of the page.
    key = {
        mid: (round(t.get_window_extent(renderer).x0), -t.get_window_extent(renderer).y1) for mid, t in titles.items()
    }
    drawn_order = sorted(titles, key=lambda mid: key[mid])
    assert drawn_order == [m.id for track in tracks(proc) for m in track]
    at = {mid: i for i, mid in enumerate(drawn_order)}
    for m in proc.milestones:
        for lim in m.timing:
            if lim.event in at:
                first, then = (lim.event, m.id) if lim.after is not None else (m.id, lim.event)
                assert at[first] < at[then], f"{then} is drawn before {first}"


def test_the_timetable_says_how_the_sources_time_the_life_cycle():
    stoke, wakefield = (load_procedure(p) for p in LIFECYCLES)
    words = {m.id: milestone_words(wakefield, m) for m in wakefield.milestones}
    assert words["icpc"] == "within 15 working days of the strategy discussion"
    assert words["core-group"].endswith("; then every 4 weeks")
    assert words["reports-to-chair-icpc"] == "at least 1 working day before the initial child protection conference"
    words = {m.id: milestone_words(stoke, m) for m in stoke.milestones}
    assert words["core-group"].endswith("; then at most every 6 weeks")
    assert words["review"].endswith("; then at most every 6 months")
    assert "unless the child’s needs require an earlier conference" in words["review"]
    assert words["pre-birth-conference"].startswith("between 30 and 32 weeks after the start of the pregnancy")
    assert words["pre-birth-conference"].endswith("PROVISIONAL")
    assert words["notification"] == "within 24 hours of the decision to convene an initial conference AMBIGUOUS"
    assert words["decision-to-convene"] == "the event others are timed from"
    assert words["cin-plan-review"] == "time UNSPECIFIED"


def test_marked_limits_are_highlighted_as_the_swimlanes_highlight_them(drawn):
    proc, fig = drawn
    for mid, t in _texts(fig, "timing:").items():
        text = t.get_text()
        patch = t.get_bbox_patch()
        if "UNSPECIFIED" in text:
            assert patch is not None and to_hex(patch.get_facecolor()) == HIGHLIGHT["UNSPECIFIED"].lower(), mid
        elif "PROVISIONAL" in text or "AMBIGUOUS" in text:
            assert patch is not None and to_hex(patch.get_facecolor()) == HIGHLIGHT["PROVISIONAL"].lower(), mid
        else:
            assert patch is None, mid
    legend = " ".join(t.get_text() for t in fig.legends[0].get_texts())
    assert "PROVISIONAL" in legend and "AMBIGUOUS" in legend


def test_the_timetable_lies_between_the_swimlanes_and_the_legend_on_an_iso_page(drawn):
    _, fig = drawn
    assert any(tuple(fig.get_size_inches()) == pytest.approx(p) for p in PAGES)
    renderer = agg_renderer(fig)
    lanes = fig.axes[0].get_window_extent(renderer)
    legend = fig.legends[0].get_window_extent(renderer)
    page = fig.bbox
    for t in [t for t in fig.texts if str(t.get_gid()).split(":")[0] in ("milestone", "timing", "timeline")]:
        e = t.get_window_extent(renderer)
        assert e.y1 < lanes.y0 and e.y0 > legend.y1, t.get_text()
        assert page.x0 <= e.x0 and e.x1 <= page.x1, t.get_text()


def test_no_text_of_the_timetable_overlaps_any_other(drawn):
    _, fig = drawn
    boxes = text_boxes(fig)
    clashes = [(a, b) for i, (a, ba) in enumerate(boxes) for b, bb in boxes[i + 1 :] if ba.overlaps(bb)]
    assert clashes == []


def test_a_procedure_without_milestones_has_no_timetable():
    fig = draw_flowchart(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml"))
    assert not [t for t in fig.texts if str(t.get_gid()).startswith(("milestone", "timing", "timeline"))]
