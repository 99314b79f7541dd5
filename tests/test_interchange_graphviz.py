"""The DOT export drawn by the real Graphviz: one font family throughout and a readable size.

Each shipped procedure's DOT file is laid out with ``dot -Tsvg`` (installed by ``make tools``).
Every piece of text in the drawing (title, lane labels, stages and routes) must use the same font
family, and the drawing must fit a screen or a page at its natural size: the widest procedure
(wakefield-conference-dissent) was once 9175 px wide and 552 high.
"""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cpsim.model import load_procedure, shipped_procedure_paths
from cpsim.reports.exports.dot import FONT, to_dot

SVG = "{http://www.w3.org/2000/svg}"
MAX_SIDE_PT = 1400
"""About 1870 px at 96 dpi: a screen or two, a printed A3 page at a pinch."""


def _dot() -> str:
    found = shutil.which("dot")
    if found is None:
        raise RuntimeError("Graphviz 'dot' is not installed: run 'make tools' (tools/system-packages.sh)")
    return found


def _svg(path: Path, tmp_path: Path) -> ET.Element:
    src = tmp_path / "graph.dot"
    src.write_text(to_dot(load_procedure(path)), encoding="utf-8")
    run = subprocess.run([_dot(), "-Tsvg", str(src)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and "Warning" not in run.stderr, run.stderr
    return ET.fromstring(run.stdout)


def _points(value: str) -> float:
    return float(value.removesuffix("pt"))


PATHS = [*shipped_procedure_paths(), Path(__file__).parent / "data" / "v2-meeting.yaml"]
"""Every shipped procedure, and the one procedure with a meeting (none of the sources times one)."""


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_graphviz_draws_every_label_in_one_font_family(path: Path, tmp_path: Path) -> None:
    svg = _svg(path, tmp_path)
    texts = list(svg.iter(f"{SVG}text"))
    assert texts
    families = {t.get("font-family") for t in texts}
    assert len(families) == 1 and FONT in str(families.pop()), families
    title = load_procedure(path).title
    assert any((t.text or "").startswith(title.split()[0]) for t in texts)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_graphviz_lays_every_shipped_procedure_out_at_a_readable_size(path: Path, tmp_path: Path) -> None:
    svg = _svg(path, tmp_path)
    width, height = _points(svg.get("width", "0")), _points(svg.get("height", "0"))
    assert 0 < width <= MAX_SIDE_PT and 0 < height <= MAX_SIDE_PT, (width, height)
    assert max(width, height) / min(width, height) <= 3, (width, height)
