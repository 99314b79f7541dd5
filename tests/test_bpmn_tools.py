"""The BPMN export opened by the real tools a modeller uses: bpmnlint, bpmn-moddle and bpmn-js in Chromium.

None of these tests is skipped when a tool is missing: they fail, saying to run ``make tools``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from cpsim.model import load_procedure, shipped_procedure_paths
from cpsim.model.procedure import Citation, Procedure, Transition
from cpsim.reports.exports.bpmn import to_bpmn
from cpsim.reports.flowchart.layout import LaneBy
from tests.browser import JS, ROOT, chromium

PROCS = shipped_procedure_paths() + sorted((ROOT / "scenarios" / "procedures").glob("*.yaml"))
BIN = JS / ".bin"
VIEWER = JS / "bpmn-js" / "dist" / "bpmn-viewer.production.min.js"
RC = {"extends": "bpmnlint:recommended"}

# Every label's box (as Chromium lays it out) must lie inside its task, its lane's or pool's title
# strip (30 px wide), or for labels outside a shape (events, gateways, routes) inside its lane or the pool.
MEASURE = """async (xml) => {
  document.getElementById('c').innerHTML = '';
  const viewer = new BpmnJS({ container: '#c' });
  const { warnings } = await viewer.importXML(xml);
  const reg = viewer.get('elementRegistry');
  const rect = (el) => {
    const r = el.getBoundingClientRect();
    return { x: r.left, y: r.top, w: r.width, h: r.height };
  };
  const inside = (a, b) => a.x >= b.x - 0.5 && a.y >= b.y - 0.5
    && a.x + a.w <= b.x + b.w + 0.5 && a.y + a.h <= b.y + b.h + 0.5;
  const pool = reg.filter(e => e.type === 'bpmn:Participant')[0];
  const lanes = reg.filter(e => e.type === 'bpmn:Lane');
  const frameOf = (e) => rect(reg.getGraphics(e).querySelector('.djs-visual rect'));
  const out = [];
  for (const e of reg.getAll()) {
    const text = reg.getGraphics(e).querySelector('.djs-visual text');
    if (!text || !text.textContent.trim()) continue;
    let frame, within;
    if (e.type === 'bpmn:Lane' || e.type === 'bpmn:Participant') {
      frame = { ...frameOf(e), w: 30 }; within = 'title strip of ' + e.id;
    } else if (e.type === 'label') {
      const owner = e.labelTarget.businessObject;
      const lane = lanes.find(l => (l.businessObject.flowNodeRef || []).includes(owner));
      frame = frameOf(lane || pool); within = lane ? lane.id : 'the pool';
    } else {
      frame = rect(reg.getGraphics(e).querySelector('.djs-visual rect')); within = 'its shape';
    }
    out.push({ id: e.id, text: text.textContent, within, fits: inside(rect(text), frame) });
  }
  viewer.destroy();
  return { warnings: warnings.map(w => w.message), labels: out };
}"""


def tool(name: str) -> Path:
    """A program from tools/js, or a failure that says how to install it (never a skip)."""
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{path} is missing: run 'make tools' to install the npm tools the BPMN tests use")
    return path


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Every shipped procedure's BPMN, with lanes by role and by agency, in one folder with a recommended rc."""
    out = tmp_path_factory.mktemp("bpmn")
    (out / ".bpmnlintrc").write_text(json.dumps(RC), encoding="utf-8")
    paths = []
    for p in PROCS:
        proc = load_procedure(p)
        for by in ("role", "agency"):
            path = out / f"{proc.id}.{by}.bpmn"
            path.write_text(to_bpmn(proc, by), encoding="utf-8")
            paths.append(path)
    return paths


def lint(paths: list[Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(tool("bpmnlint")), *[p.name for p in paths]], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_bpmnlint_recommended_rules_report_nothing_on_any_shipped_procedure(exported: list[Path]):
    assert len(exported) == 2 * len(PROCS) and any("lifecycle" in p.name for p in exported)
    run = lint(exported, exported[0].parent)
    assert (run.returncode, run.stdout.strip(), run.stderr.strip()) == (0, "", "")


def test_bpmnlint_here_does_see_an_unnamed_start_event_and_a_gateway_that_forks_and_joins(tmp_path: Path):
    (tmp_path / ".bpmnlintrc").write_text(json.dumps(RC), encoding="utf-8")
    xml = to_bpmn(load_procedure(PROCS[0]))
    bad = tmp_path / "bad.bpmn"
    bad.write_text(xml.replace('<bpmn:startEvent id="identify" name="', '<bpmn:startEvent id="identify" x="'))
    run = lint([bad], tmp_path)
    assert run.returncode != 0 and "label-required" in run.stdout, run.stdout


MODDLE = """
import { readFileSync } from 'node:fs';
import { BpmnModdle } from 'bpmn-moddle';
const moddle = new BpmnModdle();
const out = {};
for (const file of process.argv.slice(1)) {
  const { warnings } = await moddle.fromXML(readFileSync(file, 'utf8'));
  out[file] = warnings.map(w => w.message);
}
console.log(JSON.stringify(out));
"""


def moddle_warnings(paths: list[Path]) -> dict[str, list[str]]:
    node = shutil.which("node")
    if node is None or not (JS / "bpmn-moddle").exists():
        pytest.fail("node or bpmn-moddle is missing: run 'make tools'")
    run = subprocess.run(
        [node, "--input-type=module", "-e", MODDLE, *map(str, paths)],
        cwd=JS.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    result: dict[str, list[str]] = json.loads(run.stdout)
    return result


def test_bpmn_moddle_parses_every_file_without_a_warning(exported: list[Path]):
    warnings = moddle_warnings(exported)
    assert set(warnings) == {str(p) for p in exported}
    assert {f: w for f, w in warnings.items() if w} == {}


def test_bpmn_moddle_here_does_warn_about_an_element_bpmn_does_not_have(tmp_path: Path):
    bad = tmp_path / "bad.bpmn"
    bad.write_text(to_bpmn(load_procedure(PROCS[0])).replace("bpmn:userTask", "bpmn:chairTask"), encoding="utf-8")
    assert moddle_warnings([bad])[str(bad)]


@pytest.fixture(scope="module")
def viewer_page() -> Iterator[Page]:
    """A Chromium page with the bpmn-js viewer loaded from tools/js (no network)."""
    if not VIEWER.exists():
        pytest.fail(f"{VIEWER} is missing: run 'make tools'")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.set_content(
            '<html><body style="margin:0"><div id="c" style="width:8000px;height:4000px"></div></body></html>'
        )
        page.add_script_tag(content=VIEWER.read_text(encoding="utf-8"))
        yield page


@pytest.mark.parametrize("by", ["role", "agency"])
@pytest.mark.parametrize("path", PROCS, ids=[p.stem for p in PROCS])
def test_bpmn_js_imports_without_warnings_and_every_label_fits_its_shape_or_lane(
    viewer_page: Page, path: Path, by: LaneBy
):
    result = viewer_page.evaluate(MEASURE, to_bpmn(load_procedure(path), by))
    assert result["warnings"] == []
    labels = result["labels"]
    assert sum(label["within"].startswith("title strip") for label in labels) >= 2  # the pool and a lane
    assert [(label["id"], label["text"], label["within"]) for label in labels if not label["fits"]] == []


def test_bpmn_js_measurement_here_does_catch_a_name_too_long_for_its_task(viewer_page: Page):
    xml = to_bpmn(load_procedure(PROCS[0]))
    long = "a very long name " * 12
    xml = xml.replace('<bpmn:userTask id="dialogue" name="', f'<bpmn:userTask id="dialogue" name="{long}')
    labels = viewer_page.evaluate(MEASURE, xml)["labels"]
    assert [label["id"] for label in labels if not label["fits"]] == ["dialogue"]


def unusual_shapes() -> dict[str, Procedure]:
    """Redcar's internal route bent into shapes no shipped file has: a way back to the start, a
    deadline whose no-reply route the source gives, a stage with no way on, and only a no-reply way on."""
    proc = load_procedure(next(p for p in PROCS if p.stem == "redcar-internal"))
    cite = Citation(doc="test", ref="test", quote="test")

    def move(a: str, b: str, on: str) -> Transition:
        return Transition.model_validate({"from": a, "to": b, "on": on, "source": cite})

    keep = tuple(t for t in proc.transitions if t.from_ != "level3")
    only_no_reply = tuple(t for t in proc.transitions if t.from_ != "level2") + (move("level2", "level3", "no-reply"),)
    return {
        "back-to-start": proc.model_copy(
            update={"transitions": (*proc.transitions, move("level3", "raise", "unsatisfied"))}
        ),
        "no-reply-route": proc.model_copy(
            update={"transitions": (*proc.transitions, move("level1", "level2", "no-reply"))}
        ),
        "dead-end": proc.model_copy(update={"transitions": keep}),
        "only-no-reply": proc.model_copy(update={"transitions": only_no_reply}),
    }


def test_bpmnlint_and_bpmn_js_accept_shapes_no_shipped_file_has(tmp_path: Path, viewer_page: Page):
    (tmp_path / ".bpmnlintrc").write_text(json.dumps(RC), encoding="utf-8")
    paths = []
    for name, proc in unusual_shapes().items():
        path = tmp_path / f"{name}.bpmn"
        path.write_text(to_bpmn(proc), encoding="utf-8")
        paths.append(path)
        result = viewer_page.evaluate(MEASURE, path.read_text(encoding="utf-8"))
        assert result["warnings"] == [] and all(label["fits"] for label in result["labels"]), name
    run = lint(paths, tmp_path)
    assert (run.returncode, run.stdout.strip()) == (0, ""), run.stdout
    xml = {p.stem: p.read_text(encoding="utf-8") for p in paths}
    assert '<bpmn:startEvent id="raise__begin" name="Chair identifies an issue">' in xml["back-to-start"]
    assert 'id="level1__deadline" name="No reply within 1 working day"' in xml["no-reply-route"]
    assert '<bpmn:endEvent id="level3__stuck" name="No next step given">' in xml["dead-end"]
    assert 'id="level2__stuck"' in xml["only-no-reply"] and 'cancelActivity="true"' in xml["only-no-reply"]
