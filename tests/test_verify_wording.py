"""Findings read as plain English: no doubled article, no "the nobody", whoever the roles are called."""

from __future__ import annotations

import re

import pytest

from cpsim.model import load_procedure, shipped_procedure_paths
from cpsim.verify import check_completeness, check_deadlines, verify_procedure
from cpsim.verify.checks import wording
from tests.strategies import write_and_load

DOUBLED_ARTICLE = re.compile(r"\b(the|a|an)\s+(the|a|an)\b", re.IGNORECASE)


def garbled(message: str) -> list[str]:
    """The garbled phrases in ``message``: a doubled article, or an article before "nobody"."""
    found = [m.group(0) for m in DOUBLED_ARTICLE.finditer(message)]
    return found + re.findall(r"\b(?:the|a)\s+nobody\b", message, flags=re.IGNORECASE)


@pytest.mark.parametrize("path", shipped_procedure_paths(), ids=lambda p: p.stem)
@pytest.mark.parametrize("target_days", [None, 5])
def test_no_finding_on_a_shipped_procedure_has_a_doubled_article_or_the_nobody(path, target_days):
    for f in verify_procedure(load_procedure(path), target_days=target_days):
        assert not garbled(f.message), f"{f.code}: {f.message}"


def test_a_title_that_starts_with_the_loses_its_article_mid_sentence():
    assert wording.the("The professional's agency") == "professional's agency"
    assert wording.the("Theresa's team") == "theresa's team"


def test_a_role_mid_sentence_has_one_article_and_nobody_has_none(shipped):
    proc = shipped["wakefield-chair-concern"]
    assert wording.the_role(proc, "agency") == "the professional(s) and their line management (the agency)"
    assert wording.the_role(proc, None) == "nobody named"


def test_a_missing_outcome_at_a_rung_whose_responder_title_starts_with_the_reads_once(write):
    stages = [
        {"id": "raise", "kind": "start"},
        {"id": "l1", "kind": "request", "responder": "the_agency", "unspecified": {"no-reply": "silent"}},
        {"id": "done", "kind": "terminal"},
    ]
    proc = write_and_load(write, stages, [("raise", "raised", "l1"), ("l1", "satisfied", "done")])
    proc = proc.model_copy(
        update={
            "roles": tuple(
                r.model_copy(update={"title": "The agency"}) if r.id == "the_agency" else r for r in proc.roles
            )
        }
    )
    messages = [f.message for f in check_completeness(proc)]
    assert any("(the agency replying)" in m for m in messages)
    assert not any(garbled(m) for m in messages)


def test_a_stage_with_no_responder_and_no_time_limit_is_not_called_the_nobody(write):
    stages = [
        {"id": "raise", "kind": "start"},
        {"id": "talk", "kind": "dialogue", "deadline": "The source gives no time."},
        {"id": "done", "kind": "terminal"},
    ]
    trans = [("raise", "raised", "talk"), ("talk", "resolved", "done"), ("talk", "unresolved", "done")]
    proc = write_and_load(write, stages, trans)
    found = [f for f in check_deadlines(proc, target_days=5) if f.code == "TARGET_NOT_GUARANTEED"]
    assert found and all(not garbled(f.message) for f in found)
    assert any("Talk has no time limit" in f.message for f in found)
