"""The drawn flowchart is printable: A4, no overlapping text, legible sizes, a colour-blind-safe palette."""

from __future__ import annotations

import pytest
from matplotlib.colors import to_hex
from matplotlib.patches import FancyArrowPatch

from cpsim.model import load_procedure, shipped_procedure_paths
from cpsim.model.procedure.classes import Procedure
from cpsim.reports.flowchart.draw import A4_LANDSCAPE, PAGES, draw_flowchart, text_boxes
from cpsim.reports.style import PALETTE, Flags

PROCS = shipped_procedure_paths()


@pytest.fixture(params=PROCS, ids=[p.stem for p in PROCS])
def proc(request: pytest.FixtureRequest) -> Procedure:
    return load_procedure(request.param)


def _overlaps(fig):
    boxes = text_boxes(fig)
    return [(a, b) for i, (a, ba) in enumerate(boxes) for b, bb in boxes[i + 1 :] if ba.overlaps(bb)]


def test_no_two_labels_overlap(proc: Procedure):
    fig = draw_flowchart(proc)
    assert _overlaps(fig) == []


def test_no_two_labels_overlap_with_findings_drawn(proc: Procedure):
    flags = Flags(
        stages=frozenset(s.id for s in proc.stages[:2]), routes=frozenset((t.from_, t.to) for t in proc.transitions[:2])
    )
    assert _overlaps(draw_flowchart(proc, flags)) == []


def test_overlap_check_detects_overlapping_text(proc: Procedure):
    fig = draw_flowchart(proc)
    first = fig.axes[0].texts[0]
    fig.axes[0].text(*first.get_position(), first.get_text(), fontsize=first.get_fontsize())
    assert _overlaps(fig)


def test_redcar_flowcharts_fit_one_a4_landscape_page():
    for name in ("redcar-internal", "redcar-external"):
        fig = draw_flowchart(load_procedure(PROCS[0].parent / f"{name}.yaml"))
        assert tuple(fig.get_size_inches()) == pytest.approx(A4_LANDSCAPE)


def test_page_is_an_iso_a_page_and_all_text_is_on_it(proc: Procedure):
    fig = draw_flowchart(proc)
    assert any(tuple(fig.get_size_inches()) == pytest.approx(p) for p in PAGES)
    page = fig.bbox
    for text, bbox in text_boxes(fig):
        assert page.x0 <= bbox.x0 and bbox.x1 <= page.x1 and page.y0 <= bbox.y0 and bbox.y1 <= page.y1, text


def test_text_is_legible_when_printed(proc: Procedure):
    fig = draw_flowchart(proc)
    sizes = [t.get_fontsize() for t in [*fig.axes[0].texts, *fig.texts]]
    assert min(sizes) >= 5.5


def test_box_text_stays_inside_its_stage(proc: Procedure):
    fig = draw_flowchart(proc)
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    shapes = [p.get_window_extent(renderer) for p in ax.patches if type(p).__name__ in ("FancyBboxPatch", "Polygon")]
    texts = [t for t in ax.texts if t.get_gid() == "box"]
    assert len(texts) >= len(proc.stages)
    for t in texts:
        ext = t.get_window_extent(renderer)
        assert any(
            s.x0 <= ext.x0 + 1 and ext.x1 <= s.x1 + 1 and s.y0 <= ext.y0 + 1 and ext.y1 <= s.y1 + 1 for s in shapes
        ), t.get_text()


def test_lines_use_only_the_okabe_ito_palette(proc: Procedure):
    flags = Flags(routes=frozenset({(proc.transitions[0].from_, proc.transitions[0].to)}))
    arrows = [p for p in draw_flowchart(proc, flags).axes[0].patches if isinstance(p, FancyArrowPatch)]
    allowed = {c.lower() for c in PALETTE.values()}
    assert len(arrows) == len(proc.transitions) + len(proc.duties) + sum(len(d.before) for d in proc.duties)
    assert {to_hex(a.get_edgecolor()) for a in arrows} <= allowed


def test_unspecified_deadline_is_shown_as_such():
    proc = load_procedure(PROCS[0].parent / "redcar-internal.yaml")
    texts = [t for t in draw_flowchart(proc).axes[0].texts if "UNSPECIFIED" in t.get_text()]
    assert texts, "redcar-internal leaves a reply deadline unspecified"
    assert len(texts) == sum(1 for s in proc.stages if s.deadline is not None and not s.deadline.is_specified)
    assert all(to_hex(t.get_bbox_patch().get_facecolor()) == PALETTE["yellow"].lower() for t in texts)


def test_deadline_reads_reply_within():
    proc = load_procedure(PROCS[0].parent / "redcar-internal.yaml")
    texts = {t.get_text().replace("\n", " ") for t in draw_flowchart(proc).axes[0].texts}
    assert "reply within 2 working days AMBIGUOUS" in texts, "the file reads 'two days' as working days"


def test_lanes_climb_the_page_by_rank(proc: Procedure):
    from cpsim.reports.flowchart.layout import layout

    lay = layout(proc)
    ranked = [lane.rank for lane in lay.lanes if lane.rank is not None]
    assert ranked == sorted(ranked, reverse=True)
    for b in lay.boxes.values():
        lane = next(ln for ln in lay.lanes if ln.id == b.lane)
        assert lane.y0 < b.y - b.h / 2 and b.y + b.h / 2 < lane.y1
