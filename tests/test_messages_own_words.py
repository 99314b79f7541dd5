"""The file's own words: show and verify speak of an invented procedure only in its own titles, outcomes and quotes.

The procedure below (Northmoor, an invented authority) words everything differently from every
shipped file; nothing another authority's file says may appear when cpsim describes it, and its
titles keep their capitals ("Head of Service", not "head of Service").
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from cpsim.model import load_procedure, shipped_procedure_paths
from cpsim.model.procedure.checks import citations
from cpsim.model.types import OUTCOMES, SKIP_OUTCOMES

ROOT = Path(__file__).resolve().parent.parent
NORTHMOOR = """\
id: northmoor-escalation
title: Northmoor resolution of professional differences
authority: Northmoor
version: "1"
effective_date: 2025-09-01
sources:
  - doc: northmoor.txt
    title: Northmoor resolving differences guide
roles:
  - id: reviewing_officer
    title: Reviewing officer
    agency: Quality unit
    rank: null
  - id: lead_worker
    title: Lead worker
    agency: Family help
    rank: 1
  - id: head_of_service
    title: Head of Service
    agency: Family help
    rank: 2
stages:
  - id: notice
    kind: start
    title: Reviewing officer notices a drift in the plan
    owner: reviewing_officer
    source: {doc: northmoor.txt, ref: "A1", quote: "the reviewing officer notices drift"}
  - id: ask_worker
    kind: request
    title: Ask the lead worker
    owner: reviewing_officer
    responder: lead_worker
    deadline:
      amount: 2
      unit: working-days
      source: {doc: northmoor.txt, ref: "A2", quote: "the lead worker answers within two working days"}
    source: {doc: northmoor.txt, ref: "A2", quote: "the officer asks the lead worker first"}
  - id: ask_head
    kind: request
    title: Ask the Head of Service
    owner: reviewing_officer
    responder: head_of_service
    deadline:
      amount: 3
      unit: working-days
      source: {doc: northmoor.txt, ref: "A3", quote: "the Head of Service answers within three working days"}
    unspecified:
      unsatisfied: The guide stops at the Head of Service.
      no-reply: The guide does not say what follows silence from the Head of Service.
    source: {doc: northmoor.txt, ref: "A3", quote: "then the Head of Service"}
  - id: settled
    kind: terminal
    title: Difference settled
    ending: resolved
    source: {doc: northmoor.txt, ref: "A4", quote: "the difference is settled"}
transitions:
  - from: notice
    to: ask_worker
    on: raised
    source: {doc: northmoor.txt, ref: "A1", quote: "the officer raises it"}
  - from: notice
    to: ask_head
    on: immediate-concern
    skip: true
    source: {doc: northmoor.txt, ref: "A5", quote: "where the young person is in danger tonight"}
  - from: ask_worker
    to: settled
    on: satisfied
    source: {doc: northmoor.txt, ref: "A2", quote: "an answer that satisfies the officer"}
  - from: ask_worker
    to: ask_head
    on: unsatisfied
    source: {doc: northmoor.txt, ref: "A3", quote: "if not satisfied, then the Head of Service"}
  - from: ask_worker
    to: ask_head
    on: no-reply
    source: {doc: northmoor.txt, ref: "A3", quote: "if no answer, then the Head of Service"}
  - from: ask_head
    to: settled
    on: satisfied
    source: {doc: northmoor.txt, ref: "A4", quote: "the difference is settled"}
targets:
  - id: ten-days
    title: Settled within ten working days
    from: ask_worker
    within: {amount: 10, unit: working-days}
    source: {doc: northmoor.txt, ref: "A4", quote: "settled within ten working days"}
"""


def cpsim(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the command line as a user does."""
    return subprocess.run([sys.executable, "-m", "cpsim", *args], capture_output=True, text=True, timeout=120, cwd=ROOT)


def _shipped_phrases() -> set[str]:
    """Distinctive words of the shipped files: their quotes, guards, notes and titles of some length."""
    import yaml  # type: ignore[import-untyped]

    phrases: set[str] = set()
    for path in shipped_procedure_paths():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        phrases.update(str(c.get("quote", "")) for _, c in citations(data))
        proc = load_procedure(path)
        phrases.update(t.guard or "" for t in proc.transitions)
        phrases.update(s.title for s in proc.stages)
        phrases.update(r.title for r in proc.roles)
        phrases.update(note for s in proc.stages for note in s.unspecified.values())
    return {p for p in phrases if len(p) >= 25}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    path = tmp_path_factory.mktemp("own") / "northmoor.yaml"
    path.write_text(NORTHMOOR, encoding="utf-8")
    show, verify = cpsim("show", str(path)), cpsim("verify", "--verbose", str(path))
    assert show.returncode == 0, show.stderr
    assert verify.returncode in (0, 3), verify.stderr
    return {"show": show.stdout, "verify": verify.stdout}


def test_no_other_authoritys_words_appear(outputs: dict[str, str]) -> None:
    exceptional = [OUTCOMES[o] for o in SKIP_OUTCOMES if o in OUTCOMES]
    assert "there are significant immediate safeguarding concerns" in exceptional  # Redcar's words, kept out
    for name, text in outputs.items():
        for phrase in [*exceptional, *_shipped_phrases()]:
            assert phrase not in text, (name, phrase)


def test_an_exceptional_route_is_told_in_the_files_own_words(outputs: dict[str, str]) -> None:
    line = next(x for x in outputs["show"].splitlines() if "→ Ask the Head of Service" in x and "immediate" in x)
    assert (
        line.strip() == "if immediate concern (“where the young person is in danger tonight”) → Ask the Head of Service"
    )


def test_titles_keep_the_capitals_the_file_gives_them(outputs: dict[str, str]) -> None:
    text = outputs["verify"]
    assert "the Head of Service must reply by working day 10" in text
    assert "(the Head of Service replying)" in text
    assert not re.search(r"\bhead of Service\b", text + outputs["show"])
    assert "the lead worker must reply by working day 10" in text  # a title in sentence case reads mid-sentence
