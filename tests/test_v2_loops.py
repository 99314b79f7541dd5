"""A loop whose bound the source does not give: marked on its move, reported as the source's gap with the note."""

from __future__ import annotations

from cpsim.model.procedure.classes import Procedure
from cpsim.verify import verify_procedure
from cpsim.verify.checks.loops import loop_marks


def loops(proc: Procedure) -> list[tuple[str, str]]:
    return [(f.severity, f.message) for f in verify_procedure(proc) if f.code == "UNBOUNDED_LOOP"]


def unmarked(proc: Procedure) -> Procedure:
    moves = tuple(t.model_copy(update={"repeats_unspecified": None}) for t in proc.transitions)
    return proc.model_copy(update={"transitions": moves})


def test_a_marked_loop_is_a_gap_quoting_the_mark(shipped):
    [(severity, message)] = loops(shipped["wakefield-conference-dissent"])
    assert severity == "gap"
    assert message.endswith(
        "The source gives no bound: The source sets no limit on how often the conference may be reconvened on the "
        "group's recommendation."
    )
    assert "add 'max_repeats'" not in message


def test_the_same_loop_without_the_mark_is_a_violation(shipped):
    [(severity, message)] = loops(unmarked(shipped["wakefield-conference-dissent"]))
    assert severity == "violation" and "add 'max_repeats'" in message


def test_stokes_two_loops_are_marked_and_self_loops_count(shipped):
    proc = shipped["stoke-conference-lifecycle"]
    assert [s for s, _ in loops(proc)] == ["gap", "gap"]
    assert [t.on for t in loop_marks(proc, ["review_conference"])] == ["continue"]
    assert [s for s, _ in loops(unmarked(proc))] == ["violation", "violation"]


def test_a_mark_elsewhere_does_not_excuse_a_loop(shipped):
    proc = unmarked(shipped["wakefield-conference-dissent"])
    moves = tuple(
        t.model_copy(update={"repeats_unspecified": "not on the loop"}) if t.to == "decided" else t
        for t in proc.transitions
    )
    assert [s for s, _ in loops(proc.model_copy(update={"transitions": moves}))] == ["violation"]
