"""Small procedures and scenarios for simulator tests, written to a temporary folder."""

from __future__ import annotations

from pathlib import Path

from cpsim.model.scenario.classes import Scenario, load_scenario

CITE = '{doc: test.txt, ref: "1", quote: "a rule"}'

ONE_RUNG = f"""\
id: one-rung
title: One rung
authority: Testshire
version: "1"
effective_date: 2026-01-01
sources: [{{doc: test.txt, title: Test}}]
roles:
  - {{id: chair, title: Chair, agency: Unit, rank: null}}
  - {{id: worker, title: Worker, agency: Agency, rank: 1}}
stages:
  - {{id: raise, kind: start, title: Raise, owner: chair, source: {CITE}}}
  - id: ask
    kind: request
    title: Ask
    owner: chair
    responder: worker
    deadline: {{amount: {{deadline}}, unit: working-days, source: {CITE}}}
    source: {CITE}
  - {{id: done, kind: terminal, title: Done, ending: resolved, source: {CITE}}}
  - {{id: gave_up, kind: terminal, title: Gave up, ending: closed-unresolved, source: {CITE}}}
transitions:
  - {{from: raise, to: ask, on: raised, source: {CITE}}}
  - {{from: ask, to: done, on: satisfied, source: {CITE}}}
  - {{from: ask, to: gave_up, on: no-reply, source: {CITE}}}
targets:
  - {{id: two-days, title: Within two days, from: ask, within: {{amount: 2, unit: working-days}}, source: {CITE}}}
"""


def one_rung_scenario(folder: Path, *, deadline: float, body: str) -> Scenario:
    """Write the one-rung procedure (with ``deadline``) and a scenario (``body`` after the procedure list)."""
    (folder / "one-rung.yaml").write_text(ONE_RUNG.replace("{deadline}", f"{deadline:g}"), encoding="utf-8")
    path = folder / "scenario.yaml"
    path.write_text("id: t\ntitle: T\nprocedures:\n  - procedure: one-rung.yaml\n" + body, encoding="utf-8")
    return load_scenario(path)
