"""The app as a person uses it: the real ``cpsim app`` in a subprocess, driven through headless Chromium.

With CPSIM_SCREENSHOTS=1 these tests also save the screenshots docs/app.md shows (docs/img/app-*.png).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from cpsim.model import PROCEDURES_DIR
from cpsim.model.scenario import SCENARIOS_DIR
from tests.browser import chromium

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "docs" / "img"
HEADCOUNT = "Social worker's service manager: headcount"


def _shot(page: Page, name: str, *, part: str | None = None) -> None:
    """Save a screenshot for docs/app.md (of the element ``part`` only, if given) when CPSIM_SCREENSHOTS=1."""
    if os.environ.get("CPSIM_SCREENSHOTS") == "1":
        where = page.locator(part) if part else page
        where.screenshot(path=str(SHOTS / f"app-{name}.png"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("app") / "my-scenarios"
    work.mkdir()
    shutil.copy(SCENARIOS_DIR / "redcar-baseline.yaml", work)
    shutil.copy(PROCEDURES_DIR / "redcar-internal.yaml", work)
    shutil.copy(PROCEDURES_DIR / "redcar-external.yaml", work)
    return work


@pytest.fixture(scope="module")
def url(folder: Path) -> Iterator[str]:
    """The address of a real ``cpsim app FOLDER`` started as a user starts it (without opening a browser)."""
    env = {**os.environ, "TMPDIR": str(folder.parent)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cpsim", "app", str(folder), "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("cpsim app: http://127.0.0.1:"), line + (proc.stderr.read() if proc.stderr else "")
    try:
        yield line.split()[2]
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    p = context.new_page()
    p.set_default_timeout(60_000)
    try:
        yield p
    finally:
        context.close()


def _tab_to(page: Page, selector: str, most: int = 300) -> None:
    """Press Tab until the element matching ``selector`` has the focus, as a keyboard user would."""
    target = page.locator(selector)
    for _ in range(most):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} was not reached with the Tab key")


def test_open_a_procedure_and_see_its_findings(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", name="Procedures and scenarios")).to_be_visible()
    _shot(page, "index")
    page.get_by_role("link", name="Conference chair challenge — internal route").click()
    expect(page.get_by_role("heading", name="Findings")).to_be_visible()
    finding = page.locator("li.finding", has_text="TARGET_NEVER_STARTS")
    expect(finding).to_contain_text("The clock of the target “Resolved within five working days”")
    expect(finding.locator("blockquote")).to_contain_text("will be resolved within five working days")
    expect(page.get_by_role("row", name="Level 2 — service manager")).to_contain_text("within 2 working days")
    flowchart = page.get_by_role("img", name="Flowchart of Conference chair challenge — internal route")
    expect(flowchart).to_be_visible()
    loaded = "img => img.complete ? img.naturalWidth : new Promise(ok => { img.onload = () => ok(img.naturalWidth); })"
    assert flowchart.evaluate(loaded) > 0  # the SVG the app served was drawn
    _shot(page, "procedure")
    page.locator("#findings-heading").evaluate("h => h.scrollIntoView({block: 'start'})")
    _shot(page, "findings")


@pytest.mark.slow  # about 20 s; over 30 s on a busy machine (two runs of 20 replications and the report)
def test_lower_the_headcount_run_see_the_breach_rate_rise_and_save(page: Page, url: str, folder: Path) -> None:
    page.goto(url)
    page.get_by_role("link", name="Redcar and Cleveland — baseline caseload with current staffing").click()
    headcount = page.get_by_label(HEADCOUNT, exact=True)
    expect(headcount).to_have_value("3")
    _tab_to(page, "#f-staff-service-manager-headcount")  # by keyboard, as nobody has to use a mouse
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    page.get_by_label("Title of the what-if").fill("Redcar — one service manager instead of three")
    headcount.scroll_into_view_if_needed()
    _shot(page, "whatif")
    headcount.focus()
    page.keyboard.press("Enter")  # submits the form, as Enter in a text field does
    table = page.locator("table.results")
    expect(table).to_be_visible(timeout=120_000)
    row = page.locator('tr[data-measure="redcar-internal/five-working-days breach rate"]')
    a_high, b_low = (float(row.get_attribute(k) or "nan") for k in ("data-a-high", "data-b-low"))
    a, b = (float(row.get_attribute(k) or "nan") for k in ("data-a", "data-b"))
    assert b > a and b_low > a_high, (a, b, a_high, b_low)  # the what-if's CI lies wholly above the baseline's
    expect(row.locator("td").last).to_have_text("yes")
    expect(page.get_by_role("img", name="Bar chart of each paired difference")).to_be_visible()
    _shot(page, "results", part="#answer")

    _tab_to(page, "#file_name")
    page.keyboard.press("Control+A")
    page.keyboard.type("redcar-one-service-manager.yaml")
    _tab_to(page, "button:has-text('Save the what-if')")
    page.keyboard.press("Space")
    expect(page.get_by_role("status").filter(has_text="Saved")).to_contain_text("finds it valid")
    _shot(page, "saved", part="section.card")
    saved = folder / "redcar-one-service-manager.yaml"
    check = subprocess.run([sys.executable, "-m", "cpsim", "validate", str(saved)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert "extend: redcar-baseline.yaml" in saved.read_text(encoding="utf-8")

    page.get_by_role("button", name="Save the what-if").click()  # again: it asks before overwriting
    expect(page.get_by_role("alert")).to_contain_text("Tick “Replace the existing file” to overwrite it")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the HTML report").click()
    assert download.value.suggested_filename.endswith("-report.html")


def test_a_bad_value_shows_the_validate_message_at_its_field(page: Page, url: str) -> None:
    page.goto(f"{url}scenario/redcar-baseline.yaml")
    page.get_by_label("Social worker's service manager: share of working days away").fill("1.5")
    page.get_by_role("button", name="Run the what-if").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("share must be at most 1.0, got 1.5")
    field = page.get_by_label("Social worker's service manager: share of working days away")
    expect(field).to_have_attribute("aria-invalid", "true")
    description = page.locator("#f-staff-service-manager-absence-share-hint")
    expect(description).to_contain_text("share must be at most 1.0, got 1.5")
    _shot(page, "invalid")


def test_upload_a_broken_file_and_see_the_error_at_its_line(page: Page, url: str, tmp_path: Path) -> None:
    text = (PROCEDURES_DIR / "redcar-internal.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "my-procedure.yaml"
    broken.write_text(text.replace("kind: request", "kind: reqest", 1), encoding="utf-8")
    said = subprocess.run(
        [sys.executable, "-m", "cpsim", "validate", "my-procedure.yaml"], cwd=tmp_path, capture_output=True, text=True
    )
    first = said.stderr.splitlines()[0]
    line = first.split(":")[1]
    page.goto(url)
    page.get_by_role("link", name="Check a file").first.click()
    page.get_by_label("Procedure or scenario file (YAML)").set_input_files(str(broken))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("alert")).to_contain_text(first)
    marked = page.locator(f"#line-{line}")
    expect(marked).to_contain_text("kind: reqest")
    expect(marked.locator(".line-problem")).to_contain_text(f"Line {line}: {first}")
    _shot(page, "check")
    marked.evaluate("li => li.scrollIntoView({block: 'center'})")
    _shot(page, "check-line")


def test_cancel_a_long_run(page: Page, url: str) -> None:
    page.goto(f"{url}scenario/redcar-baseline.yaml")
    page.get_by_label(HEADCOUNT, exact=True).fill("2")
    page.get_by_label("Replications", exact=True).fill("3000")
    page.get_by_role("button", name="Run the what-if").click()
    progress = page.get_by_role("progressbar", name="Progress")
    expect(progress).to_be_visible()
    page.wait_for_function("() => document.querySelector('progress').value > 0")
    expect(page.get_by_role("status")).to_contain_text("of 9000 replications")
    _shot(page, "progress")
    _tab_to(page, "button:has-text('Cancel the run')")
    page.keyboard.press("Enter")
    expect(page.get_by_text("The run was cancelled")).to_be_visible(timeout=60_000)


def test_the_skip_link_is_the_first_stop_and_moves_to_the_content(page: Page, url: str) -> None:
    page.goto(url)
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent")
    assert focused == "Skip to the content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
