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
