"""The swimlane flowchart draws what runs beside the route: duties with their forks and joins, a rung's
two clocks and meetings of several roles; checked geometrically on the drawn figure.

Every shipped procedure with a duty or a meeting is drawn (and the what-if procedure with a duty), and
tests/data/v2-meeting.yaml, an invented procedure with a timed meeting, a rung with a given time to
send and a duty that a stage waits for (none of the sources times a meeting).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.text import Text

from cpsim.model import PROCEDURES_DIR, load_procedure, shipped_procedure_paths
from cpsim.model.procedure.classes import Procedure
from cpsim.reports.exports.mermaid import to_mermaid
from cpsim.reports.flowchart.draw import agg_renderer, draw_flowchart
from cpsim.reports.flowchart.layout import drawn_lines, layout
from cpsim.reports.flowchart.parallel import (
    JOIN_LABEL,
    JOINT_TEXT,
    MARKER_TEXT,
    duty_lines,
    fork_label,
    meeting_roles,
    role_lane,
    stage_role,
)
from cpsim.reports.style import PALETTE

ROOT = Path(__file__).resolve().parents[1]
MEETING = ROOT / "tests" / "data" / "v2-meeting.yaml"
JOINT = ROOT / "tests" / "data" / "v2-joint.yaml"
WITH_DUTIES = [
    p
    for p in [*shipped_procedure_paths(), *sorted((ROOT / "scenarios" / "procedures").glob("*.yaml"))]
    if load_procedure(p).duties
]
WITH_MEETINGS = [
    p for p in [*shipped_procedure_paths(), MEETING, JOINT] if any(meeting_roles(s) for s in load_procedure(p).stages)
]
"""Procedures with a stage where several roles take part: a meeting, or a reply owed jointly."""
PATHS = list(dict.fromkeys([*WITH_DUTIES, *WITH_MEETINGS, MEETING]))


def test_the_drawn_procedures_include_every_shipped_duty_and_meeting():
    names = {p.stem for p in WITH_DUTIES}
    assert {"redcar-external", "wakefield-chair-concern", "wakefield-conference-dissent"} <= names
    assert {"sheffield-challenge-escalation", "v2-meeting", "v2-joint"} <= {p.stem for p in WITH_MEETINGS}


@pytest.fixture(scope="module", params=PATHS, ids=[p.stem for p in PATHS])
def drawn(request: pytest.FixtureRequest) -> tuple[Procedure, Figure]:
    proc = load_procedure(request.param)
    fig = draw_flowchart(proc)
    fig.canvas.draw()
    return proc, fig


def _patches(fig: Figure, prefix: str) -> dict[str, MplPath]:
    return {
        str(p.get_gid()).removeprefix(prefix): p.get_path().transformed(p.get_transform())
        for p in fig.axes[0].patches
        if str(p.get_gid()).startswith(prefix)
    }


def _corners(t: Text, fig: Figure) -> np.ndarray:
    e = t.get_window_extent(agg_renderer(fig))
    return np.array([(e.x0, e.y0), (e.x1, e.y0), (e.x0, e.y1), (e.x1, e.y1)])


def _arrows(fig: Figure, part: str) -> dict[tuple[str, str], np.ndarray]:
    """Forks or joins by (from, to): each polyline in display units."""
    ax = fig.axes[0]
    out = {}
    for a in ax.patches:
        if isinstance(a, FancyArrowPatch) and str(a.get_gid()).startswith(part + ":"):
            _, src, dst = str(a.get_gid()).split(":")
            path = a.get_path()
            codes = path.codes if path.codes is not None else [MplPath.LINETO] * len(path.vertices)
            line = [path.vertices[0]]
            for v, c in zip(path.vertices[1:], codes[1:], strict=True):
                if c != MplPath.LINETO:
                    break
                line.append(v)
            out[(src, dst)] = ax.transData.transform(np.array(line))
    return out


def _on_border(path: MplPath, point: np.ndarray, tol: float = 3.0) -> bool:
    """True when ``point`` lies within ``tol`` display units of the shape's outline, not deep inside it."""
    ext = path.get_extents()
    near = ext.x0 - tol <= point[0] <= ext.x1 + tol and ext.y0 - tol <= point[1] <= ext.y1 + tol
    inner = ext.x0 + tol < point[0] < ext.x1 - tol and ext.y0 + tol < point[1] < ext.y1 - tol
    return near and not inner


def _lane_of(fig: Figure, y: float) -> str:
    """The lane id whose drawn band holds display height ``y``."""
    lanes = _patches(fig, "lane:")
    return next(k for k, p in lanes.items() if p.get_extents().y0 <= y <= p.get_extents().y1)


def test_every_duty_is_a_box_in_its_roles_lane_right_of_the_stage_that_starts_it(drawn):
    proc, fig = drawn
    duties = _patches(fig, "duty:")
    stages = _patches(fig, "shape:")
    assert set(duties) == {d.id for d in proc.duties}
    for d in proc.duties:
        box = duties[d.id].get_extents()
        assert _lane_of(fig, (box.y0 + box.y1) / 2) == role_lane(proc, d.by, "role"), d.id
        assert box.x0 > stages[d.starts].get_extents().x0, f"{d.id} is drawn left of {d.starts}"


def test_duty_text_gives_its_time_in_words_and_its_clause_inside_its_box(drawn):
    proc, fig = drawn
    duties = _patches(fig, "duty:")
    texts = [t for t in fig.axes[0].texts if t.get_gid() == "duty"]
    words = " ".join(" ".join(t.get_text().split()) for t in texts)
    for d in proc.duties:
        for line in duty_lines(proc, d):
            assert " ".join(line.split()) in words.replace("- ", "-"), line
        assert ("within " + d.within.label.removeprefix("within ")) in words or "time UNSPECIFIED" in words
        assert f"clause: {' '.join(d.source.ref.split())}" in words
    for t in texts:
        corners = _corners(t, fig)
        own = [i for i, p in duties.items() if p.contains_point(corners.mean(axis=0))]
        assert len(own) == 1 and duties[own[0]].contains_points(corners).all(), t.get_text()


def test_a_fork_runs_from_the_starting_stage_to_the_duty(drawn):
    proc, fig = drawn
    forks = _arrows(fig, "fork")
    assert set(forks) == {(d.starts, d.id) for d in proc.duties}
    stages, duties = _patches(fig, "shape:"), _patches(fig, "duty:")
    for (src, dst), pts in forks.items():
        assert _on_border(stages[src], pts[0]), f"the fork to {dst} does not leave {src}"
        assert duties[dst].get_extents().padded(3).contains(*pts[-1]), f"the fork does not reach {dst}"
    labels = {t.get_text().replace("\n", " ") for t in fig.axes[0].texts if t.get_gid() == "route"}
    assert {fork_label(d) for d in proc.duties} <= labels


def test_a_join_runs_from_the_duty_to_a_bar_on_the_border_of_the_stage_that_waits(drawn):
    proc, fig = drawn
    joins = _arrows(fig, "join")
    assert set(joins) == {(d.id, stop) for d in proc.duties for stop in d.before}
    stages, duties = _patches(fig, "shape:"), _patches(fig, "duty:")
    bars = {k: p.get_extents() for k, p in _patches(fig, "bar:").items()}
    assert set(bars) == {f"{a}:{b}" for a, b in joins}
    for (src, dst), pts in joins.items():
        assert _on_border(duties[src], pts[0])
        bar = bars[f"{src}:{dst}"]
        assert bar.padded(1).contains(*pts[-1]), "the join ends at its bar"
        assert stages[dst].intersects_bbox(bar.padded(2), filled=False), f"the bar does not touch {dst}"
    if joins:
        labels = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "route"]
        assert labels.count(JOIN_LABEL) == len(joins)


def test_work_beside_the_route_is_drawn_in_purple_and_forks_are_dotted(drawn):
    proc, fig = drawn
    for part in ("fork", "join"):
        for a in fig.axes[0].patches:
            if isinstance(a, FancyArrowPatch) and str(a.get_gid()).startswith(part + ":"):
                assert to_hex(a.get_edgecolor()) == PALETTE["purple"].lower()
                assert (a.get_linestyle() == ":") == (part == "fork")
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert ("fork: the duty starts here" in legend) == bool(proc.duties)
    assert ("join: the stage waits for the duty" in legend) == any(d.before for d in proc.duties)


def test_a_rung_with_two_clocks_shows_the_time_to_send_above_the_time_to_reply():
    for path, stage, send, reply in [
        (PROCEDURES_DIR / "redcar-external.yaml", "level2", "1. time to send UNSPECIFIED", "2. then reply within 2"),
        (MEETING, "level2", "1. sent within 1 working day", "2. then reply within 3 working days"),
    ]:
        proc = load_procedure(path)
        assert drawn_lines(proc, proc.stage(stage))[-2].startswith(send)
        fig = draw_flowchart(proc)
        texts = {" ".join(t.get_text().split()): t for t in fig.axes[0].texts if t.get_gid() == "box"}
        first = next(t for k, t in texts.items() if k.startswith(send))
        second = next(t for k, t in texts.items() if k.startswith(reply))
        r = agg_renderer(fig)
        assert first.get_window_extent(r).y0 >= second.get_window_extent(r).y1 - 0.5, "send comes before reply"


@pytest.mark.parametrize("path", WITH_MEETINGS, ids=[p.stem for p in WITH_MEETINGS])
def test_a_meeting_band_spans_the_stage_and_a_marker_in_the_lane_of_every_role_that_meets(path: Path):
    proc = load_procedure(path)
    fig = draw_flowchart(proc)
    fig.canvas.draw()
    ax = fig.axes[0]
    lay = layout(proc)
    stages = _patches(fig, "shape:")
    markers = _patches(fig, "meets:")
    texts = [t for t in ax.texts if t.get_gid() == "meets"]
    assert len(texts) == len(markers)
    for s in (s for s in proc.stages if meeting_roles(s)):
        (band,) = [p for p in ax.patches if isinstance(p, Rectangle) and str(p.get_gid()) == f"meeting:{s.id}"]
        band_box = band.get_path().transformed(band.get_transform()).get_extents()
        mine = {k: p for k, p in markers.items() if k.startswith(f"{s.id}@")}
        assert {k.split("@")[1] for k in mine} == {r for r in meeting_roles(s) if r != stage_role(s)}
        words = MARKER_TEXT if s.meeting is not None else JOINT_TEXT
        for m in [stages[s.id].get_extents(), *(p.get_extents() for p in mine.values())]:
            assert band_box.x0 <= m.x0 and m.x1 <= band_box.x1 and band_box.y0 <= m.y0 and m.y1 <= band_box.y1
        for key, marker in mine.items():
            ext = marker.get_extents()
            assert _lane_of(fig, (ext.y0 + ext.y1) / 2) == key.split("@")[1], "the marker sits in the role's lane"
            (text,) = [t for t in texts if marker.contains_point(_corners(t, fig).mean(axis=0))]
            assert " ".join(text.get_text().split()) == words
            assert marker.contains_points(_corners(text, fig)).all()
        meeting = next(m for m in lay.meetings if m.stage == s.id)
        under = [
            b.stage
            for sid, b in lay.boxes.items()
            if sid != s.id and meeting.x0 < b.x + b.w / 2 and b.x - b.w / 2 < meeting.x1
        ]
        assert not [sid for sid in under if meeting.y0 < lay.boxes[sid].y < meeting.y1], "no other stage under the band"
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert ("meeting: the band spans every role that meets" in legend) == any(s.meeting for s in proc.stages)
    assert ("joint reply: the band spans every role who owes it" in legend) == any(s.responders for s in proc.stages)


def test_a_joint_reply_names_every_responder_and_its_rule_in_the_box():
    proc = load_procedure(JOINT)
    (stage,) = [s for s in proc.stages if s.responders]
    lines = drawn_lines(proc, stage)
    assert lines[1] == "replies: Social worker or team manager"
    assert lines[2].startswith("joint reply, due from any one of them")
    mermaid = to_mermaid(proc)
    assert f'  meets_{stage.id}_team_manager ---|"replies jointly"| {stage.id}' in mermaid


def test_route_labels_clear_duties_and_markers_and_every_route(drawn):
    _, fig = drawn
    ax = fig.axes[0]
    shapes = {**_patches(fig, "duty:"), **_patches(fig, "meets:")}
    assert shapes
    for t in (t for t in ax.texts if t.get_gid() == "route"):
        for name, path in shapes.items():
            assert not path.contains_points(_corners(t, fig)).any(), f"{t.get_text()!r} covers {name}"


def test_a_procedure_without_work_beside_the_route_draws_none():
    fig = draw_flowchart(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml"))
    gids = [str(p.get_gid()) for p in fig.axes[0].patches]
    assert not [g for g in gids if g.split(":")[0] in ("duty", "fork", "join", "bar", "meeting", "meets")]
    legend = " ".join(t.get_text() for t in fig.legends[0].get_texts())
    assert "duty" not in legend and "meeting" not in legend
