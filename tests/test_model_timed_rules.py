"""Every timed rule means the same everywhere, or the loader refuses it with a message saying what to write."""

from __future__ import annotations

from pathlib import Path

from cpsim.model import check_procedure_file, load_procedure

MALFORMED = Path(__file__).parent / "malformed"
DIALOGUE = MALFORMED / "24-deadline-on-dialogue-stage.yaml"


def test_a_given_deadline_on_a_decision_stage_is_refused_like_one_on_a_dialogue_stage(write):
    text = DIALOGUE.read_text(encoding="utf-8").replace("kind: dialogue", "kind: decision\n    outcomes: [resolved]")
    [problem] = check_procedure_file(write("p.yaml", text))
    assert problem.message == "stage 'level1' is a decision stage: only a request stage's deadline is timed"
    assert "'within:'" in problem.hint and "kind: request" in problem.hint


def test_an_unspecified_deadline_on_a_dialogue_stage_still_loads(write):
    """A dialogue stage may record that the source gives it no time (v1 files do): nothing times it."""
    text = DIALOGUE.read_text(encoding="utf-8")
    start, end = text.index("    deadline:\n"), text.index("\n    source:", text.index("unit: working-days")) + 1
    text = text[:start] + "    deadline: {unspecified: The source gives no timescale.}\n" + text[end:]
    proc = load_procedure(write("p.yaml", text))
    assert proc.stage("level1").deadline is not None and not proc.stage("level1").deadline.is_specified


def test_the_same_time_on_a_request_stage_loads(write):
    text = (
        DIALOGUE.read_text(encoding="utf-8")
        .replace("kind: dialogue", "kind: request\n    responder: practitioner")
        .replace("on: resolved", "on: satisfied")
    )
    assert load_procedure(write("p.yaml", text)).stage("level1").deadline.label == "within 1 working day"


TIMESCALES = Path(__file__).parent / "data" / "timescales-v2.yaml"


def test_timescales_keep_the_sources_words_their_reading_and_a_range(seeds):
    proc = load_procedure(TIMESCALES, sources=seeds)
    by_topic = {t.topic: t for t in proc.timescales}
    pre_birth = by_topic["pre-birth-conference"]
    assert pre_birth.within is not None and pre_birth.within.phrase == "between 30 and 32 weeks"
    assert pre_birth.as_written == "between 30 and 32 weeks gestation or as soon as possible thereafter"
    notice = by_topic["icpc-notification"]
    assert notice.ambiguous and notice.reading and notice.reading.startswith("read as 24 clock hours")
    assert by_topic["review-first"].within is not None and by_topic["review-first"].within.label == "3 months"


def test_a_rule_the_source_says_is_under_review_is_provisional_with_the_sources_words(seeds):
    """Stoke-on-Trent's pre-birth timescale: 'NB. This timescale is currently subject to review.'"""
    proc = load_procedure(TIMESCALES, sources=seeds)
    [pre_birth] = [t for t in proc.timescales if t.topic == "pre-birth-conference"]
    assert pre_birth.provisional_text == "NB. This timescale is currently subject to review."
    assert all(t.provisional is None for t in proc.timescales if t is not pre_birth)


def test_a_provisional_rules_quote_is_checked_against_its_source(seeds, write):
    text = TIMESCALES.read_text(encoding="utf-8").replace(
        "NB. This timescale is currently subject to review.", "This timescale is under review."
    )
    [problem] = check_procedure_file(write("p.yaml", text), sources=seeds)
    assert problem.message.startswith("quote not found in 004_320570d7d739b6a4.txt: 'This timescale is under review.'")


def test_a_deadline_a_move_and_a_target_can_each_be_provisional_with_a_note(write):
    note = "provisional: a note in the file, for this test only"
    text = TIMESCALES.read_text(encoding="utf-8")
    reading = "      reading: read as one working day\n"
    text = text.replace(reading, f"{reading}      {note}\n")
    text = text.replace("within: {unit: immediately, ", "within: {unit: immediately, provisional: a note, ")
    text = text.replace("    as_written: will be resolved", f"    {note}\n    as_written: will be resolved")
    proc = load_procedure(write("p.yaml", text))
    deadline = proc.stage("level1").deadline
    assert deadline is not None and deadline.provisional_text == note.removeprefix("provisional: ")
    assert proc.transitions[0].within is not None and proc.transitions[0].within.provisional_text == "a note"
    assert proc.targets[0].provisional_text == note.removeprefix("provisional: ")


def test_provisional_is_a_citation_or_a_note_and_nothing_else(write):
    text = TIMESCALES.read_text(encoding="utf-8").replace("    provisional: {doc: 004", "    provisional: {dc: 004")
    messages = [p.message for p in check_procedure_file(write("p.yaml", text))]
    assert any("missing required key 'doc'" in m for m in messages), messages
    assert not any("must be text" in m for m in messages), "a mapping is read as a citation only"


def test_the_procedure_schema_accepts_the_new_units_ranges_and_marks():
    from cpsim.model.procedure.schema import procedure_schema
    from tests.test_editor_schemas import errors, plain

    schema = procedure_schema()
    assert errors(schema, plain(TIMESCALES)) == []
    units = set(schema["$defs"]["Unit"]["enum"])
    assert {"weeks", "months", "same-day"} <= units
    for name in ("Deadline", "Target", "Timescale"):
        assert {"as_written", "ambiguous", "reading", "provisional"} <= set(schema["$defs"][name]["properties"])
    assert "up_to" in schema["$defs"]["Duration"]["properties"]
