"""The generated catalogue: docs/procedures.md is current, and it shows every silence and hand-off."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpsim.cli import main
from cpsim.commands.catalogue import build, finding_lines
from cpsim.model import Procedure, StageKind
from cpsim.reports.documents.catalogue import GENERATED_MARK, procedures_markdown, silences, timescale_rows
from cpsim.verify import verify_procedure

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "procedures.md"


@pytest.fixture(scope="module")
def catalogue(shipped: dict[str, Procedure]) -> str:
    """The catalogue generated from the shipped procedures, in file order, with their findings."""
    return build([])


def test_checked_in_catalogue_is_current(catalogue: str):
    """Regression pin: docs/procedures.md equals what `cpsim catalogue` generates today.

    The expected text is the checked-in file, which this same code wrote, so the test shows that the
    file is current, not that it is right; the tests below check its content against the procedures.
    Regenerate it (`cpsim catalogue -o docs/procedures.md`) when a change to the catalogue is meant.
    """
    assert DOC.read_text(encoding="utf-8") == catalogue, "run: cpsim catalogue -o docs/procedures.md"


def test_check_option_passes_on_the_checked_in_catalogue(monkeypatch: pytest.MonkeyPatch):
    """Regression pin: `cpsim catalogue --check` exits 0 for the checked-in docs/procedures.md (see above)."""
    monkeypatch.chdir(ROOT)
    assert main(["catalogue", "--check"]) == 0


def test_check_option_fails_on_a_stale_catalogue(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """A catalogue that no longer matches the procedures makes --check exit 1 and say how to fix it."""
    stale = tmp_path / "procedures.md"
    stale.write_text(DOC.read_text(encoding="utf-8").replace("within 3 working days", "within 4 working days"))
    assert main(["catalogue", "--check", "-o", str(stale)]) == 1
    assert "cpsim catalogue -o" in capsys.readouterr().err


def test_output_is_written_and_then_current(tmp_path: Path):
    """-o writes the file; --check then finds it current."""
    out = tmp_path / "docs" / "procedures.md"
    assert main(["catalogue", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith(GENERATED_MARK)
    assert main(["catalogue", "--check", "-o", str(out)]) == 0


def test_a_file_not_written_by_cpsim_is_not_overwritten_without_force(tmp_path: Path):
    """A user's own Markdown file is kept unless --force is given."""
    mine = tmp_path / "notes.md"
    mine.write_text("my notes\n", encoding="utf-8")
    assert main(["catalogue", "-o", str(mine)]) == 1
    assert mine.read_text(encoding="utf-8") == "my notes\n"
    assert main(["catalogue", "-o", str(mine), "--force"]) == 0
    assert mine.read_text(encoding="utf-8").startswith(GENERATED_MARK)


def test_every_unspecified_item_is_listed_with_its_quote(catalogue: str, shipped: dict[str, Procedure]):
    """Each unspecified deadline, next step, responder and outcome appears with its note and quote."""
    found = 0
    for proc in shipped.values():
        for item in silences(proc):
            assert " ".join(item.note.split()) in catalogue
            assert " ".join(item.source.quote.split()) in catalogue
            found += 1
        for stage in proc.stages:
            for note in stage.unspecified.values():
                assert " ".join(note.split()) in catalogue
            if stage.deadline is not None and stage.deadline.unspecified:
                assert " ".join(stage.deadline.unspecified.split()) in catalogue
    assert found > 0


def test_every_hand_off_is_shown_with_the_document_handed_to(catalogue: str, shipped: dict[str, Procedure]):
    """Referred-elsewhere endings name their document in the catalogue."""
    hand_offs = [s for p in shipped.values() for s in p.stages if s.refers_to]
    assert hand_offs
    for stage in hand_offs:
        assert f"handed to *{stage.refers_to}*" in catalogue


def _section(catalogue: str, proc: Procedure) -> str:
    """The text of ``proc``'s section of the catalogue, up to the next procedure's heading."""
    return catalogue.split(f"## {proc.title} — {proc.authority}\n", 1)[1].split("\n## ", 1)[0]


def test_every_procedure_has_a_section_with_its_ladder(catalogue: str, shipped: dict[str, Procedure]):
    """Each procedure's title heads a section, and each request stage is a rung with its responder and deadline."""
    for proc in shipped.values():
        assert f"## {proc.title} — {proc.authority}" in catalogue
        own = _section(catalogue, proc)
        assert f"Id `{proc.id}`" in own
        requests = [s for s in proc.stages if s.kind is StageKind.REQUEST]
        for s in requests:
            who = proc.role(s.responder).title if s.responder else "UNSPECIFIED"
            deadline = s.deadline.label if s.deadline else "no deadline given"
            if s.send is not None:
                deadline += f", once sent ({s.send.label if s.send.is_specified else 'time to send not given'})"
            row = " | ".join(" ".join(x.split()).replace("|", "\\|") for x in (s.title, who, deadline))
            assert f"| {row} |" in own.split("### Steps")[0], (proc.id, s.id)
        if not requests:
            assert "No stage asks anyone for a reply" in own


def test_timescales_are_grouped_by_topic_and_differences_flagged(shipped: dict[str, Procedure]):
    """A topic two sources set differently is kept from both and marked as differing."""
    rows = timescale_rows(list(shipped.values()))
    minutes = {p.authority: ts.within.label for p, ts in rows["minutes-circulated"] if ts.within}
    assert minutes == {"Wakefield": "15 working days", "Stoke-on-Trent / Staffordshire": "10 working days"}
    text = procedures_markdown(list(shipped.values()))
    assert "| minutes-circulated (sources differ) |" in text


def test_findings_are_listed_only_for_the_procedures_given(shipped: dict[str, Procedure]):
    """Verification findings appear under "Findings" in the named procedure's section only."""
    procs = [shipped["redcar-internal"], shipped["redcar-external"]]
    text = procedures_markdown(procs, findings={"redcar-internal": ["level3 has no reply deadline"]})
    assert text.count("### Findings") == 1
    assert "- level3 has no reply deadline" in text
    assert "### Findings" not in procedures_markdown(procs)


def test_every_verification_finding_on_a_shipped_procedure_is_listed(catalogue: str, shipped: dict[str, Procedure]):
    """Every finding of `cpsim verify` is in its own procedure's section, with its severity, code and message."""
    for proc in shipped.values():
        own = _section(catalogue, proc)
        found = verify_procedure(proc)
        assert found, proc.id
        for f in found:
            message = " ".join(f.message.split()).replace("|", "\\|")
            assert f"- **{f.severity}** `{f.code}` — {message}" in own, (proc.id, f.code)
        assert len(finding_lines(proc)) == len(found)
