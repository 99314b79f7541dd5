"""The Mermaid export drawn by the real mermaid-cli: swimlanes that do not overlap, titles inside them.

Every shipped procedure's Mermaid flowchart is rendered to SVG with ``mmdc`` (mermaid-cli in
Chromium, installed by ``make tools``) in one batch. In each drawing no two lane rectangles may
overlap, each lane's title must lie inside its own rectangle, and each stage must sit inside the
rectangle of its lane: once, in wakefield-conference-dissent, a long lane title widened its lane
over the next one and cut that lane's title.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cpsim.model import load_procedure, shipped_procedure_paths
from cpsim.reports.exports.mermaid import duty_node, marker_node, node_id, to_mermaid
from cpsim.reports.flowchart.layout import layout

ROOT = Path(__file__).resolve().parents[1]
MMDC = ROOT / "tools" / "js" / "node_modules" / ".bin" / "mmdc"
PUPPETEER = ROOT / "tools" / "js" / "puppeteer.json"
SVG = "{http://www.w3.org/2000/svg}"
XHTML = "{http://www.w3.org/1999/xhtml}"
TOLERANCE = 0.5
PATHS = [*shipped_procedure_paths(), ROOT / "tests" / "data" / "v2-meeting.yaml"]
"""Every shipped procedure, and the one procedure with a meeting (none of the sources times one)."""

Rect = tuple[float, float, float, float]
"""left, top, right, bottom."""


@pytest.fixture(scope="module")
def drawings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ET.Element]:
    """Each shipped procedure's Mermaid flowchart as rendered by mermaid-cli, by file stem."""
    if not MMDC.exists():
        raise RuntimeError(f"mermaid-cli is not installed at {MMDC}: run 'make tools'")
    folder = tmp_path_factory.mktemp("mermaid")
    blocks = [f"```mermaid\n{to_mermaid(load_procedure(p))}```\n" for p in PATHS]
    (folder / "all.md").write_text("\n".join(blocks), encoding="utf-8")
    args = [str(MMDC), "-p", str(PUPPETEER), "-i", str(folder / "all.md"), "-o", str(folder / "out.md")]
    run = subprocess.run(args, capture_output=True, text=True, timeout=300, cwd=folder)
    assert run.returncode == 0, run.stderr[-2000:]
    return {p.stem: ET.parse(folder / f"out-{n}.svg").getroot() for n, p in enumerate(PATHS, start=1)}


def _walk(node: ET.Element, dx: float = 0.0, dy: float = 0.0):
    """Every element with the translation its ancestors and itself apply."""
    m = re.search(r"translate\(\s*([-\d.e]+)[ ,]+([-\d.e]+)\s*\)", node.get("transform", ""))
    if m:
        dx, dy = dx + float(m.group(1)), dy + float(m.group(2))
    yield node, dx, dy
    for child in node:
        yield from _walk(child, dx, dy)


def _clusters(svg: ET.Element) -> dict[str, tuple[Rect, Rect]]:
    """Lane id -> (its rectangle, its title's box), in drawing coordinates."""
    out = {}
    for g, dx, dy in _walk(svg):
        if g.tag == f"{SVG}g" and "cluster" in g.get("class", "").split():
            rect = g.find(f"{SVG}rect")
            assert rect is not None
            x, y = dx + float(rect.get("x", 0)), dy + float(rect.get("y", 0))
            box = (x, y, x + float(rect.get("width", 0)), y + float(rect.get("height", 0)))
            title = next(t for t in _walk(g, dx, dy) if "cluster-label" in t[0].get("class", ""))
            fo = title[0].find(f"{SVG}foreignObject")
            assert fo is not None
            tx, ty = title[1], title[2]
            label = (tx, ty, tx + float(fo.get("width", 0)), ty + float(fo.get("height", 0)))
            out[g.get("id", "").removeprefix("my-svg-")] = (box, label)
    return out


def _nodes(svg: ET.Element) -> dict[str, tuple[float, float]]:
    """Mermaid node id -> centre of its shape."""
    out = {}
    for g, dx, dy in _walk(svg):
        cls = g.get("class", "").split()
        if g.tag == f"{SVG}g" and "node" in cls:
            name = re.sub(r"^my-svg-flowchart-(.*)-\d+$", r"\1", g.get("id", ""))
            out[name] = (dx, dy)
    return out


def _overlap(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] - TOLERANCE and b[0] < a[2] - TOLERANCE and a[1] < b[3] - TOLERANCE and b[1] < a[3] - TOLERANCE


def _inside(inner: Rect, outer: Rect) -> bool:
    return all(
        [
            inner[0] >= outer[0] - TOLERANCE,
            inner[1] >= outer[1] - TOLERANCE,
            inner[2] <= outer[2] + TOLERANCE,
            inner[3] <= outer[3] + TOLERANCE,
        ]
    )


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_mermaid_lanes_do_not_overlap_and_hold_their_titles(path: Path, drawings: dict[str, ET.Element]) -> None:
    lanes = _clusters(drawings[path.stem])
    assert len(lanes) == len(layout(load_procedure(path)).lanes)
    for (a, (ra, _)), (b, (rb, _)) in itertools.combinations(lanes.items(), 2):
        assert not _overlap(ra, rb), f"{a} {ra} overlaps {b} {rb}"
    for name, (rect, title) in lanes.items():
        assert _inside(title, rect), f"the title of {name} {title} is not inside it {rect}"
        for other, (orect, _) in lanes.items():
            assert other == name or not _overlap(title, orect), f"the title of {name} runs into {other}"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_mermaid_draws_each_stage_inside_its_own_lane(path: Path, drawings: dict[str, ET.Element]) -> None:
    lay = layout(load_procedure(path))
    lanes = _clusters(drawings[path.stem])
    nodes = _nodes(drawings[path.stem])
    index = {lane.id: n for n, lane in enumerate(lay.lanes)}
    shapes = {node_id(s): b for s, b in lay.boxes.items()} | {duty_node(d): b for d, b in lay.duties.items()}
    shapes |= {marker_node(m.stage): m for meeting in lay.meetings for m in meeting.markers}
    assert set(nodes) == set(shapes)
    for stage, box in shapes.items():
        x, y = nodes[stage]
        for name, (rect, _) in lanes.items():
            inside = rect[0] <= x <= rect[2] and rect[1] <= y <= rect[3]
            assert inside == (name == f"lane{index[box.lane]}"), (stage, name, rect, (x, y))
