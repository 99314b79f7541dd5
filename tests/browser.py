"""The operating system's Chromium, driven headless through Playwright, for the tests that open
cpsim's outputs (bpmn-js, Mermaid, HTML reports) and the app in a real browser.

``make test`` installs Chromium (``tools/system-packages.sh``); Playwright's own browser download is
never used.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
JS = ROOT / "tools" / "js" / "node_modules"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """Where Chromium is; fails loudly (never skips) when ``make tools`` has not installed it."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise RuntimeError("Chromium is not installed: run 'make tools' (tools/system-packages.sh)")
    return found


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium for the length of a ``with`` block."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
