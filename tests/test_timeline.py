"""Timeline consistency: clashing limits, needs that fall due later, repeats over a maximum, and silences."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from cpsim.model.procedure.classes import Procedure
from cpsim.verify import verify_procedure
from cpsim.verify.checks.timeline import check_timeline, due_dates


def cite(ref: str) -> dict[str, str]:
    return {"doc": "s.txt", "ref": ref, "quote": f"quote {ref}"}


def wd(n: float) -> dict[str, object]:
    return {"amount": n, "unit": "working-days"}


def lim(ref: str, **kw: object) -> dict[str, object]:
    return {"as_written": f"words {ref}", "source": cite(ref), **kw}


def ms(mid: str, **kw: object) -> dict[str, object]:
    return {"id": mid, "title": f"Event {mid}", "source": cite(mid), **kw}


def procedure(*milestones: dict[str, object]) -> Procedure:
    return Procedure.model_validate(
        {
            "id": "demo",
            "title": "Demo",
            "authority": "Testshire",
            "version": "1",
            "effective_date": "unspecified",
            "sources": [{"doc": "s.txt", "title": "S"}],
            "roles": [{"id": "chair", "title": "Chair", "agency": "Unit", "rank": None}],
            "stages": [
                {"id": "start", "kind": "start", "title": "Start", "source": cite("s")},
                {"id": "done", "kind": "terminal", "title": "Done", "ending": "resolved", "source": cite("s")},
            ],
            "transitions": [{"from": "start", "to": "done", "on": "raised", "source": cite("t")}],
            "milestones": list(milestones),
        }
    )


def codes(proc: Procedure) -> list[str]:
    return [f.code for f in check_timeline(proc)]


def found(proc: Procedure, code: str) -> list[str]:
    return [f.message for f in check_timeline(proc) if f.code == code]


# A consistent set: a conference within 15 working days of its origin; reports at least 2 before it;
# a meeting within 10 after the conference that needs a record due within 8.
def life_cycle(report_lead: float = 2, report_earliest: float = 5, record: float = 8) -> Procedure:
    return procedure(
        ms("origin", origin=True),
        ms("conference", timing=[lim("conf", after="origin", within=wd(15))]),
        ms(
            "reports",
            timing=[
                lim("lead", before="conference", at_least=wd(report_lead)),
                lim("early", after="origin", at_least=wd(report_earliest)),
            ],
        ),
        ms("record", timing=[lim("rec", after="conference", within=wd(record))]),
        ms(
            "meeting",
            timing=[lim("meet", after="conference", within=wd(10))],
            needs=[{"event": "record", "source": cite("need")}],
        ),
    )


def test_limits_that_can_all_be_met_raise_no_timeline_finding_but_their_due_dates():
    assert codes(life_cycle()) == ["TIMELINE_DUE"]


def test_a_lead_time_that_no_longer_fits_is_a_conflict_naming_every_clause_involved():
    proc = life_cycle(report_lead=11)  # reports at least 5 after the origin and 11 before a conference due by 15
    [msg] = found(proc, "TIMELINE_CONFLICT")
    for ref in ("§conf", "§lead", "§early"):
        assert ref in msg
    assert "§rec" not in msg and "§meet" not in msg
    [f] = [f for f in check_timeline(proc) if f.code == "TIMELINE_CONFLICT"]
    assert f.severity == "violation" and set(f.stages) == {"conference", "reports"}


def test_each_limit_of_a_clash_is_needed_for_it():
    assert "TIMELINE_CONFLICT" not in codes(life_cycle(report_lead=10))  # 5 + 10 = 15: just fits
    assert "TIMELINE_CONFLICT" in codes(life_cycle(report_lead=10.5))


def test_a_clash_on_a_limit_the_source_lets_slip_is_a_warning():
    proc = procedure(
        ms("origin", origin=True),
        ms("a", timing=[lim("a", after="origin", at_least=wd(5))]),
        ms(
            "b",
            timing=[lim("b", after="origin", within=wd(3), otherwise="or as soon as possible thereafter")],
            needs=[{"event": "a", "source": cite("n")}],
        ),
    )
    [f] = [f for f in check_timeline(proc) if f.code == "TIMELINE_CONFLICT"]
    assert f.severity == "warning" and "as soon as possible thereafter" in f.message


def test_a_conflict_message_names_each_event_in_words():
    [msg] = found(life_cycle(report_lead=11), "TIMELINE_CONFLICT")
    assert "the event reports at least 11 working days before the event conference (§lead" in msg


def test_separate_clashes_are_reported_separately():
    proc = procedure(
        ms("o", origin=True),
        ms("x", timing=[lim("x1", after="o", within=wd(2)), lim("x2", after="o", at_least=wd(3))]),
        ms("y", timing=[lim("y1", after="o", within=wd(1)), lim("y2", after="o", at_least=wd(4))]),
    )
    assert len(found(proc, "TIMELINE_CONFLICT")) == 2


def test_a_meeting_that_needs_a_record_due_after_it_is_flagged_with_the_shortfall():
    assert "NEEDS_LATER_EVENT" not in codes(life_cycle(record=10))
    [msg] = found(life_cycle(record=15), "NEEDS_LATER_EVENT")
    assert "§need" in msg and "5 working days later" in msg
    [f] = [f for f in check_timeline(life_cycle(record=15)) if f.code == "NEEDS_LATER_EVENT"]
    assert f.severity == "violation" and f.source == cite("need")


def test_a_needed_event_with_no_time_is_a_gap():
    proc = procedure(
        ms("origin", origin=True),
        ms("minutes", timing=[{"after": "origin", "unspecified": "no time for the minutes"}]),
        ms(
            "review",
            timing=[lim("r", after="origin", within=wd(60))],
            needs=[{"event": "minutes", "source": cite("n")}],
        ),
    )
    [f] = [f for f in check_timeline(proc) if f.code == "NEEDS_UNTIMED_EVENT"]
    assert f.severity == "gap" and "no time limit" in f.message and "§n" in f.message


def test_a_needed_event_that_must_come_later_clashes():
    proc = procedure(
        ms("o", origin=True),
        ms("p", timing=[lim("p", after="o", at_least=wd(6))]),
        ms("m", timing=[lim("m", after="o", within=wd(5))], needs=[{"event": "p", "source": cite("need")}]),
    )
    [msg] = found(proc, "TIMELINE_CONFLICT")
    assert "§need" in msg and "§p" in msg and "§m" in msg


def repeat(kind: str, amount: int, unit: str, ref: str) -> dict[str, object]:
    return {kind: {"amount": amount, "unit": unit}, "as_written": f"words {ref}", "source": cite(ref)}


def reviews(later: dict[str, object]) -> Procedure:
    first = lim("first", after="o", within={"amount": 3, "unit": "months"})
    return procedure(
        ms("o", origin=True),
        ms("review", topic="cp-review", timing=[first], repeats=repeat("at_most_every", 6, "months", "max")),
        ms("after-move", topic="cp-review", timing=[first], repeats=later),
    )


def test_a_repeat_within_the_maximum_for_its_topic_passes():
    assert "REPEAT_EXCEEDS_MAXIMUM" not in codes(reviews(repeat("every", 6, "months", "later")))


def test_a_repeat_longer_than_the_maximum_for_its_topic_is_flagged_naming_both_clauses():
    [f] = [
        f for f in check_timeline(reviews(repeat("every", 7, "months", "later"))) if f.code == "REPEAT_EXCEEDS_MAXIMUM"
    ]
    assert f.severity == "violation" and "§later" in f.message and "§max" in f.message
    assert f.stages == ("after-move", "review")


def test_repeats_in_days_and_weeks_are_compared_exactly_and_months_with_weeks_not_at_all():
    def core(days: int) -> Procedure:
        first = lim("f", after="o", within=wd(10))
        return procedure(
            ms("o", origin=True),
            ms("cg", topic="core-group", timing=[first], repeats=repeat("at_most_every", 6, "weeks", "max")),
            ms("cg2", topic="core-group", timing=[first], repeats=repeat("every", days, "calendar-days", "c")),
        )

    assert "REPEAT_EXCEEDS_MAXIMUM" not in codes(core(42))
    assert "REPEAT_EXCEEDS_MAXIMUM" in codes(core(43))
    assert "REPEAT_EXCEEDS_MAXIMUM" not in codes(reviews(repeat("every", 27, "weeks", "later")))


def test_every_silence_is_a_gap_with_its_note():
    proc = procedure(
        ms("o", origin=True),
        ms("a", unspecified="note a"),
        ms("b", timing=[{"after": "o", "unspecified": "note b"}]),
        ms("c", timing=[lim("c", after="o", within=wd(2))], repeats={"unspecified": "note c"}),
    )
    gaps = [f for f in check_timeline(proc) if f.code == "MILESTONE_UNSPECIFIED"]
    assert [f.severity for f in gaps] == ["gap"] * 3
    assert all(note in f.message for note, f in zip(("note a", "note b", "note c"), gaps, strict=True))


def test_an_event_that_does_not_exist_is_a_violation_and_the_rest_is_still_checked():
    proc = procedure(
        ms("o", origin=True), ms("a", timing=[lim("a", after="nowhere", within=wd(2))]), ms("b", unspecified="n")
    )
    assert codes(proc)[:1] == ["MILESTONE_UNKNOWN_EVENT"] and "MILESTONE_UNSPECIFIED" in codes(proc)


def test_a_stage_is_an_event_milestones_can_count_from():
    proc = procedure(
        ms("a", timing=[lim("a", after="start", within=wd(2))]),
        ms("b", timing=[lim("b", before="done", at_least=wd(1))]),
    )
    assert codes(proc) == []
    assert due_dates(proc)["a"]["start"] == 2


def test_due_dates_add_up_along_the_limits():
    due = due_dates(life_cycle())
    assert due["conference"]["origin"] == 15 and due["reports"]["origin"] == 13 and due["meeting"]["origin"] == 25


def test_calendar_units_are_counted_at_the_most_working_days_they_hold():
    proc = procedure(ms("o", origin=True), ms("a", timing=[lim("a", after="o", within={"amount": 2, "unit": "weeks"})]))
    assert due_dates(proc)["a"]["o"] == 10
    [msg] = found(proc, "TIMELINE_DUE")
    assert "a week holds at most 5 working days" in msg


def test_a_lower_time_in_a_calendar_unit_is_not_used_so_it_never_causes_a_clash():
    proc = procedure(
        ms("o", origin=True),
        ms("a", timing=[lim("a", after="o", at_least={"amount": 30, "unit": "weeks"})]),
        ms("b", timing=[lim("b", after="a", within=wd(1))], needs=[]),
        ms("c", timing=[lim("c", after="o", within=wd(5))], needs=[{"event": "b", "source": cite("n")}]),
    )
    assert "TIMELINE_CONFLICT" not in codes(proc)


def test_procedures_without_milestones_have_no_timeline_findings(shipped: dict[str, Procedure]):
    for proc in shipped.values():
        if not proc.milestones:
            assert check_timeline(proc) == []


def test_verify_procedure_runs_the_timeline_check():
    assert "TIMELINE_CONFLICT" in [f.code for f in verify_procedure(life_cycle(report_lead=11))]


# --- against brute force: a clash is reported exactly when no whole-day timetable meets every limit --

POINTS = ("o", "a", "b", "c")


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(POINTS[1:]),
            st.sampled_from(POINTS),
            st.sampled_from(("after", "before")),
            st.sampled_from(("within", "at_least")),
            st.integers(1, 4),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_a_clash_is_reported_exactly_when_no_timetable_meets_every_limit(raw):
    limits: dict[str, list[dict[str, object]]] = {p: [] for p in POINTS[1:]}
    rules = []
    for i, (m, e, side, kind, n) in enumerate(raw):
        if m == e:
            continue
        limits[m].append(lim(f"r{i}", **{side: e, kind: wd(n)}))
        lo, hi = (n, None) if kind == "at_least" else (0, n)
        rules.append((e, m, lo, hi) if side == "after" else (m, e, lo, hi))
    proc = procedure(
        ms("o", origin=True), *(ms(p, timing=ls) if ls else ms(p, unspecified="n") for p, ls in limits.items())
    )
    feasible = any(
        all(lo <= t[b] - t[a] and (hi is None or t[b] - t[a] <= hi) for a, b, lo, hi in rules)
        for t in (dict(zip(POINTS, ts, strict=True)) for ts in itertools.product(range(-12, 13), repeat=4))
        if t["o"] == 0
    )
    assert ("TIMELINE_CONFLICT" in codes(proc)) == (not feasible)
