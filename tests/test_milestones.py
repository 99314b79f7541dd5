"""Milestones in the procedure format: what a milestone, a limit, a repeat and a need must say, and their references."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from cpsim.model import load_procedure
from cpsim.model.files.yaml import read_yaml
from cpsim.model.procedure.classes import Procedure
from cpsim.model.procedure.load import check_procedure_file
from cpsim.model.procedure.milestones import Limit, Milestone, Repeat, check_milestone_references

CITE = {"doc": "s.txt", "ref": "1", "quote": "q"}


def wd(n: float) -> dict[str, object]:
    return {"amount": n, "unit": "working-days"}


def limit(**kw: object) -> dict[str, object]:
    given = any(k in kw for k in ("within", "at_least", "between"))
    return {**({"as_written": "words", "source": CITE} if given else {}), **kw}


def milestone(mid: str = "m", **kw: object) -> dict[str, object]:
    return {"id": mid, "title": f"Milestone {mid}", "source": CITE, **kw}


def error(model: type, data: dict[str, object]) -> str:
    with pytest.raises(ValidationError) as exc:
        model.model_validate(data)
    return str(exc.value)


# --- a milestone says when it falls, or that it is an origin, or that the source gives no time -----


def test_a_milestone_must_be_timed_an_origin_or_unspecified():
    assert "needs 'timing'" in error(Milestone, milestone())
    assert Milestone.model_validate(milestone(origin=True)).origin
    assert Milestone.model_validate(milestone(unspecified="no time")).unspecified == "no time"


def test_a_milestone_is_not_both_timed_and_unspecified():
    data = milestone(timing=[limit(after="a", within=wd(2))], unspecified="none")
    assert "not timing and unspecified" in error(Milestone, data)


def test_whichever_is_sooner_needs_several_limits_and_later_is_refused():
    one = milestone(timing=[limit(after="a", within=wd(2))], whichever="sooner")
    assert "at least two limits" in error(Milestone, one)
    two = milestone(timing=[limit(after="a", within=wd(2)), limit(after="b", within=wd(3))], whichever="later")
    assert "whichever" in error(Milestone, two)


# --- a limit names one event and, after it, a time -----------------------------------------------


def test_a_limit_names_exactly_one_event():
    assert "either 'after" in error(Limit, limit(within=wd(2)))
    assert "either 'after" in error(Limit, limit(after="a", before="b", within=wd(2)))


def test_a_limit_after_an_event_needs_a_time_or_an_unspecified_note():
    assert "needs 'within', 'at_least' or 'between'" in error(Limit, {"after": "a"})
    assert Limit.model_validate({"after": "a", "unspecified": "none given"}).duration is None


def test_a_limit_before_an_event_may_only_order_them():
    lim = Limit.model_validate({"before": "conference"})
    assert lim.label == "before conference" and lim.duration is None


def test_a_limit_has_one_time():
    data = limit(after="a", within=wd(2), at_least=wd(1))
    assert "not within and at_least" in error(Limit, data)


def test_a_range_goes_under_between_and_between_is_a_range():
    assert "under 'between'" in error(Limit, limit(after="a", within={"amount": 1, "up_to": 2, "unit": "weeks"}))
    assert "is a range" in error(Limit, limit(after="a", between=wd(2)))


def test_a_given_limit_keeps_its_source_and_words():
    assert "needs 'source'" in error(Limit, {"after": "a", "within": wd(2), "as_written": "w"})
    assert "add 'as_written'" in error(Limit, {"after": "a", "within": wd(2), "source": CITE})


def test_an_ambiguous_limit_needs_a_reading():
    assert "needs 'reading'" in error(Limit, limit(before="a", at_least=wd(2), ambiguous=True))


def test_limit_labels_say_the_time_and_the_event():
    assert Limit.model_validate(limit(after="icpc", within=wd(15))).label == "within 15 working days after icpc"
    assert Limit.model_validate(limit(before="icpc", at_least=wd(2))).label == "at least 2 working days before icpc"
    between = limit(after="g", between={"amount": 30, "up_to": 32, "unit": "weeks"})
    assert Limit.model_validate(between).label == "between 30 and 32 weeks after g"
    assert Limit.model_validate({"after": "a", "unspecified": "n"}).label == "after a, no time given"


# --- a repeat --------------------------------------------------------------------------------------


def test_a_repeat_is_a_cadence_a_maximum_or_unspecified():
    every = {"every": {"amount": 4, "unit": "weeks"}, "as_written": "every four weeks", "source": CITE}
    assert not Repeat.model_validate(every).is_maximum
    cap = {"at_most_every": {"amount": 6, "unit": "months"}, "as_written": "at most", "source": CITE}
    assert Repeat.model_validate(cap).is_maximum
    assert "one of 'every'" in error(Repeat, {**every, "at_most_every": {"amount": 6, "unit": "months"}})
    assert "one of 'every'" in error(Repeat, {})


def test_a_repeat_interval_is_one_amount_with_its_source_and_words():
    ranged = {"every": {"amount": 4, "up_to": 6, "unit": "weeks"}, "as_written": "w", "source": CITE}
    assert "one amount of time" in error(Repeat, ranged)
    assert "needs 'source'" in error(Repeat, {"every": {"amount": 4, "unit": "weeks"}, "as_written": "w"})
    assert "add 'as_written'" in error(Repeat, {"every": {"amount": 4, "unit": "weeks"}, "source": CITE})


def test_events_lists_what_a_milestone_names_once_each():
    m = Milestone.model_validate(
        milestone(
            timing=[limit(after="a", within=wd(2)), limit(before="b")],
            needs=[{"event": "a", "source": CITE}, {"event": "c", "source": CITE}],
        )
    )
    assert m.events == ("a", "b", "c")


# --- files -----------------------------------------------------------------------------------------

HEAD = """\
id: demo
title: Demo
authority: Testshire
version: "1"
effective_date: unspecified
sources: [{doc: s.txt, title: S}]
roles: [{id: chair, title: Chair, agency: Unit, rank: null}]
stages:
  - {id: start, kind: start, title: Start, source: {doc: s.txt, ref: "1", quote: q}}
  - {id: done, kind: terminal, title: Done, ending: resolved, source: {doc: s.txt, ref: "1", quote: q}}
transitions:
  - {from: start, to: done, on: raised, source: {doc: s.txt, ref: "1", quote: q}}
milestones:
"""


def test_a_file_without_milestones_still_loads(shipped: dict[str, Procedure]):
    assert all(p.milestones == () or p.id.endswith("-lifecycle") for p in shipped.values())


def test_milestones_load_from_a_file(write):
    path = write(
        "ok.yaml",
        HEAD
        + """\
  - {id: begin, title: Begin, origin: true, source: {doc: s.txt, ref: "1", quote: q}}
  - id: meeting
    title: Meeting
    by: chair
    timing:
      - after: begin
        within: {amount: 5, unit: working-days}
        as_written: within 5 days
        source: {doc: s.txt, ref: "2", quote: q}
    source: {doc: s.txt, ref: "2", quote: q}
""",
    )
    proc = load_procedure(path)
    assert [m.id for m in proc.milestones] == ["begin", "meeting"]
    assert check_milestone_references(read_yaml(path), read_yaml(path).data) == []


def test_a_misspelt_key_in_a_limit_is_reported_at_its_line(write):
    path = write(
        "bad.yaml",
        HEAD
        + """\
  - id: meeting
    title: Meeting
    timing:
      - {after: begin, witin: {amount: 5, unit: working-days}}
    source: {doc: s.txt, ref: "2", quote: q}
""",
    )
    messages = [f"{p.line}: {p.message} ({p.hint})" for p in check_procedure_file(path)]
    assert any(m.startswith("17:") and "unknown key 'witin'" in m and "'within'" in m for m in messages), messages


def test_references_name_milestones_stages_and_roles(write):
    path = write(
        "refs.yaml",
        HEAD
        + """\
  - {id: begin, title: Begin, origin: true, source: {doc: s.txt, ref: "1", quote: q}}
  - id: meeting
    title: Meeting
    by: chiar
    stage: strat
    timing:
      - {after: begn, within: {amount: 5, unit: working-days}, as_written: w, source: {doc: s.txt, ref: "2", quote: q}}
      - {before: done}
    needs: [{event: meeting, source: {doc: s.txt, ref: "3", quote: q}}]
    source: {doc: s.txt, ref: "2", quote: q}
  - {id: begin, title: Again, origin: true, source: {doc: s.txt, ref: "1", quote: q}}
  - {id: start, title: Clash, origin: true, source: {doc: s.txt, ref: "1", quote: q}}
""",
    )
    doc = read_yaml(path)
    found = {(p.line, p.message, p.hint) for p in check_milestone_references(doc, doc.data)}
    assert (17, "unknown role 'chiar'", "did you mean 'chair'?") in found
    assert (18, "unknown stage 'strat'", "did you mean 'start'?") in found
    assert (20, "unknown event 'begn'", "did you mean 'begin'?") in found
    assert (22, "a milestone cannot need itself", "name the event it needs first") in found
    assert any(line == 24 and msg == "duplicate milestone id 'begin'" for line, msg, _ in found)
    assert any(line == 25 and msg == "milestone id 'start' is also a stage id" for line, msg, _ in found)
    assert len(found) == 6, found


def test_a_milestone_is_not_timed_from_itself(write):
    path = write(
        "self.yaml",
        HEAD
        + """\
  - id: meeting
    title: Meeting
    timing:
      - after: meeting
        within: {amount: 5, unit: working-days}
        as_written: w
        source: {doc: s.txt, ref: "2", quote: q}
    source: {doc: s.txt, ref: "2", quote: q}
""",
    )
    doc = read_yaml(path)
    assert [p.message for p in check_milestone_references(doc, doc.data)] == ["a milestone cannot be timed from itself"]
