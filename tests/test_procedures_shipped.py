"""The shipped procedures: each validates against its sources, and its shape is pinned.

A pin records, per procedure, the start stage, the ladder (each rung's stage, responder and
deadline, as ``cpsim.model.procedure.describe.ladder`` gives them), the route (every non-terminal stage in reading
order with its kind and responder) and every ending with the document it hands over to. A careless
edit to a procedure file changes one of these and fails here; a deliberate one updates the pin.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from cpsim.cli import main
from cpsim.model import Procedure, check_procedure_file, ladder, shipped_procedure_paths, stage_order


@dataclass(frozen=True)
class Pin:
    """The expected shape of one shipped procedure."""

    start: str
    ladder: list[tuple[str, str, str]]
    route: list[tuple[str, str, str | None]]
    endings: dict[str, tuple[str, str | None]]


PINS: dict[str, Pin] = {
    "cheshire-west-chairs-challenge": Pin(
        start="identify",
        ladder=[
            ("level1", "Practitioner's line manager", "within 3 working days"),
            ("level2", "Senior manager or LSCB board representative", "within 3 working days"),
            ("level3", "Senior manager or LSCB board representative", "no deadline given"),
        ],
        route=[
            ("identify", "start", None),
            ("dialogue", "dialogue", "practitioner"),
            ("level1", "request", "line_manager"),
            ("unit_discussion", "decision", None),
            ("level2", "request", "senior_manager_or_board_rep"),
            ("level3", "request", "senior_manager_or_board_rep"),
        ],
        endings={
            "resolved_by_dialogue": ("resolved", None),
            "resolved": ("resolved", None),
        },
    ),
    "redcar-external": Pin(
        start="raise",
        ladder=[
            ("level1", "Practitioner", "within 1 working day"),
            ("level2", "Practitioner's line manager", "within 2 working days, once sent (time to send not given)"),
            ("level3", "Partnership representative for the service", "no deadline given"),
        ],
        route=[
            ("raise", "start", None),
            ("level1", "request", "practitioner"),
            ("level2", "request", "line_manager"),
            ("level3", "request", "partnership_representative"),
        ],
        endings={
            "resolved": ("resolved", None),
        },
    ),
    "redcar-internal": Pin(
        start="raise",
        ladder=[
            ("level1", "Social worker / team manager", "within 1 working day"),
            ("level2", "Social worker's service manager", "within 2 working days"),
            ("level3", "Assistant director of children's services", "no deadline given"),
        ],
        route=[
            ("raise", "start", None),
            ("level1", "request", "social_worker_or_team_manager"),
            ("immediate_choice", "decision", None),
            ("level2", "request", "service_manager"),
            ("level3", "request", "assistant_director"),
        ],
        endings={
            "resolved": ("resolved", None),
        },
    ),
    "sheffield-challenge-escalation": Pin(
        start="disagreement",
        ladder=[],
        route=[
            ("disagreement", "start", None),
            ("route_choice", "decision", None),
            ("between_parties", "dialogue", "other_worker"),
            ("learning", "decision", None),
            ("line_managers", "dialogue", None),
            ("agency_line", "dialogue", "senior_management"),
            ("consider_partnership", "decision", None),
            ("mediation", "dialogue", None),
        ],
        endings={
            "resolved_learning": ("resolved", None),
            "resolved": ("resolved", None),
        },
    ),
    "sheffield-not-convening-conference": Pin(
        start="decision_not_to_convene",
        ladder=[
            ("request_conference", "Local authority children's social care (social worker)", "no deadline given"),
        ],
        route=[
            ("decision_not_to_convene", "start", None),
            ("request_conference", "request", "childrens_social_care"),
            ("consult_partnership", "dialogue", "partnership"),
        ],
        endings={
            "agreed": ("resolved", None),
            "conference_convened": ("decision-made", None),
        },
    ),
    "stoke-cin-plan-closure": Pin(
        start="proposal",
        ladder=[],
        route=[
            ("proposal", "start", None),
            ("multi_agency_review", "decision", None),
        ],
        endings={
            "plan_closed": ("decision-made", None),
            "escalation_process": (
                "referred-elsewhere",
                "the escalation process (the SSCB escalation policy, appendix Section 7B)",
            ),
        },
    ),
    "stoke-conference-appeal": Pin(
        start="challenge",
        ladder=[],
        route=[
            ("challenge", "start", None),
        ],
        endings={
            "appeals_procedure": (
                "referred-elsewhere",
                "Appealing and or complaining about the outcome of a child protection conference (appendix document)",
            ),
        },
    ),
    "stoke-conference-lifecycle": Pin(
        start="decision_to_convene",
        ladder=[],
        route=[
            ("decision_to_convene", "start", None),
            ("quoracy", "decision", None),
            ("decision", "decision", None),
            ("review_conference", "decision", None),
        ],
        endings={
            "cin_plan": ("decision-made", None),
            "plan_discontinued": ("decision-made", None),
        },
    ),
    "stoke-no-response": Pin(
        start="requested",
        ladder=[
            ("awaiting_response", "Professional or agency asked to respond", "no deadline given"),
        ],
        route=[
            ("requested", "start", None),
            ("awaiting_response", "request", "other_agency"),
            ("telephone", "dialogue", "other_agency"),
        ],
        endings={
            "answered": ("resolved", None),
            "escalation_policy": (
                "referred-elsewhere",
                "SSCB escalation policy (Section 7B Escalation policy, in the appendix)",
            ),
        },
    ),
    "stoke-professional-disagreement": Pin(
        start="concern",
        ladder=[],
        route=[
            ("concern", "start", None),
            ("raise_with_worker", "dialogue", "other_worker"),
        ],
        endings={
            "resolved": ("resolved", None),
            "escalation_policy": (
                "referred-elsewhere",
                "SSCB escalation policy (Section 7B Escalation policy, in the appendix)",
            ),
        },
    ),
    "wakefield-chair-concern": Pin(
        start="identify",
        ladder=[
            ("chair_concern", "The professional(s) and their line management (the agency)", "within 3 working days"),
            ("senior_manager", "Appropriate senior manager or WDSCB representative", "no deadline given"),
        ],
        route=[
            ("identify", "start", None),
            ("dialogue", "dialogue", "practitioner"),
            ("chair_concern", "request", "agency"),
            ("senior_manager", "request", "senior_manager"),
            ("sqs_dialogue", "dialogue", "agency_senior_lead"),
        ],
        endings={
            "resolved": ("resolved", None),
        },
    ),
    "wakefield-chair-conduct": Pin(
        start="concern",
        ladder=[
            ("service_lead", "Service Lead CPRU", "no deadline given"),
            ("service_manager", "Service Manager Safeguarding and Quality Standards", "no deadline given"),
        ],
        route=[
            ("concern", "start", None),
            ("service_lead", "request", "service_lead"),
            ("service_manager", "request", "service_manager"),
        ],
        endings={
            "addressed": ("resolved", None),
        },
    ),
    "wakefield-conference-lifecycle": Pin(
        start="strategy_discussion",
        ladder=[],
        route=[
            ("strategy_discussion", "start", None),
            ("conference", "decision", None),
        ],
        endings={
            "cp_plan": ("decision-made", None),
            "cin_plan": ("decision-made", None),
        },
    ),
    "wakefield-conference-dissent": Pin(
        start="disagreement",
        ladder=[],
        route=[
            ("disagreement", "start", None),
            ("consensus", "decision", None),
            ("decision_made", "decision", None),
            ("majority", "decision", None),
            ("dissent", "decision", None),
            ("chair_view", "decision", None),
            ("chair_decides", "decision", None),
            ("group_review", "decision", None),
            ("final_powers", "decision", None),
            ("reconvene", "decision", None),
        ],
        endings={
            "decided": ("decision-made", None),
            "complaints_appeals": ("referred-elsewhere", "Complaints and Appeals Procedure (West Yorkshire)"),
        },
    ),
}

PATHS = {p.stem: p for p in shipped_procedure_paths()}


def test_every_shipped_file_is_pinned_and_every_pin_is_shipped():
    """A new or removed procedure file must come with its pin."""
    assert sorted(PATHS) == sorted(PINS)


@pytest.mark.parametrize("path", shipped_procedure_paths(), ids=lambda p: p.stem)
def test_shipped_file_validates_with_its_quotes_found_in_the_sources(path: Path, seeds: Path):
    """Every stage, transition, deadline and target is cited with a quote found in its source."""
    assert check_procedure_file(path, sources=seeds) == []


@pytest.mark.parametrize("path", shipped_procedure_paths(), ids=lambda p: p.stem)
def test_file_name_is_the_procedure_id(path: Path, shipped: dict[str, Procedure]):
    """Ids are stable and match the file names, so links and pins can rely on them."""
    assert path.stem in shipped


@pytest.mark.parametrize("proc_id", sorted(PINS))
def test_start_stage_is_pinned(proc_id: str, shipped: dict[str, Procedure]):
    """The process begins where the source says it does."""
    assert shipped[proc_id].start.id == PINS[proc_id].start


@pytest.mark.parametrize("proc_id", sorted(PINS))
def test_ladder_of_rungs_responders_and_deadlines_is_pinned(proc_id: str, shipped: dict[str, Procedure]):
    """Each rung keeps its responder and reply deadline (or its explicit silence)."""
    got = [(r.stage, r.responder, r.deadline) for r in ladder(shipped[proc_id])]
    assert got == PINS[proc_id].ladder


@pytest.mark.parametrize("proc_id", sorted(PINS))
def test_route_of_stages_kinds_and_responders_is_pinned(proc_id: str, shipped: dict[str, Procedure]):
    """Discussions and decisions are pinned too, not only the rungs that ask for a reply."""
    proc = shipped[proc_id]
    steps = [proc.stage(s) for s in stage_order(proc)]
    got = [(s.id, s.kind.value, s.responder) for s in steps if not s.is_terminal]
    assert got == PINS[proc_id].route


@pytest.mark.parametrize("proc_id", sorted(PINS))
def test_endings_and_hand_offs_are_pinned(proc_id: str, shipped: dict[str, Procedure]):
    """Each terminal keeps how the case ends and, for hand-offs, the document handed to."""
    got = {s.id: (s.ending.value, s.refers_to) for s in shipped[proc_id].stages if s.is_terminal and s.ending}
    assert got == PINS[proc_id].endings


@pytest.mark.parametrize("proc_id", sorted(PINS))
def test_every_referred_elsewhere_ending_names_its_document(proc_id: str, shipped: dict[str, Procedure]):
    """A hand-off without the document it hands over to would leave the reader nowhere to go."""
    for stage in shipped[proc_id].stages:
        if stage.ending is not None and stage.ending.value == "referred-elsewhere":
            assert stage.refers_to


def test_cpsim_list_json_lists_every_shipped_file(capsys):
    """The catalogue command shows every procedure file that ships."""
    assert main(["list", "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert sorted(Path(e["file"]).stem for e in entries) == sorted(PATHS)
    assert sorted(e["id"] for e in entries) == sorted(PINS)


# Encodings that say what the source says, and no more.


def _move(proc: Procedure, frm: str, on: str):
    return next(t for t in proc.transitions if (t.from_, t.on) == (frm, on))


def test_redcar_external_does_not_time_the_whole_level_2_move_as_immediate(shipped: dict[str, Procedure]):
    """§3.4: only the chair's notice to the IRO team manager is immediate (the move); the matter reaching the
    line manager is level 2's time to send, which the source does not give."""
    proc = shipped["redcar-external"]
    within = _move(proc, "level1", "unsatisfied").within
    assert within is not None and within.duration is not None and within.duration.unit.value == "immediately"
    assert within.source is not None and within.source.quote == "they are to notify the IRO Team Manager immediately"
    send = proc.stage("level2").send
    assert send is not None and not send.is_specified
    assert send.source is not None and send.source.ref == "3.4"
    assert "immediately who will then raise the matter" in send.source.quote


def test_wakefield_in_addition_is_a_duty_alongside_the_route_not_an_alternative(shipped: dict[str, Procedure]):
    """The "In addition ... s/he must seek advice" is a duty beside the route; the group waits for the minutes."""
    proc = shipped["wakefield-conference-dissent"]
    duties = {d.id: d for d in proc.duties}
    advice = duties["seek-advice"]
    assert advice.starts == "dissent" and advice.conditional and advice.before == ()
    assert advice.source.quote.startswith("In addition if a professional concludes")
    assert "seek_advice" not in {s.id for s in proc.stages}
    assert {t.on for t in proc.transitions_from("dissent")} == {"request-review", "no-further-action"}
    forwarded = duties["minutes-forwarded"]
    assert (forwarded.starts, forwarded.on, forwarded.before) == ("dissent", "request-review", ("group_review",))


@pytest.mark.parametrize(("frm", "ref"), [("level1", "2.4"), ("level2", "2.5")])
def test_redcar_internal_escalations_say_the_source_gives_them_no_time(shipped: dict[str, Procedure], frm, ref):
    """§2.4 and §2.5 say the chair escalates, not how soon: the file marks the move's time unspecified, cited."""
    within = _move(shipped["redcar-internal"], frm, "unsatisfied").within
    assert within is not None and not within.is_specified
    assert within.source is not None and within.source.ref == ref


def test_wakefield_reconvening_goes_back_to_a_conference_where_dissent_can_arise_again(shipped: dict[str, Procedure]):
    """The multi-agency group's recommendation about reconvening leads back to the conference, not to an ending."""
    proc = shipped["wakefield-conference-dissent"]
    nxt = _move(proc, "group_review", "recommend-reconvening").to
    assert not proc.stage(nxt).is_terminal
    reconvened = next(t for t in proc.transitions_from(nxt) if not proc.stage(t.to).is_terminal)
    assert reconvened.to == "consensus"
    assert "reconvening the conference" in reconvened.source.quote or "reconvening" in proc.stage(nxt).source.quote


def test_cheshire_west_records_one_case_note_per_challenge(shipped: dict[str, Procedure]):
    """The source's one case note "that a challenge has been made" is made once on every route, not per level."""
    from cpsim.verify.checks.walks import enumerate_walks, stages_of

    proc = shipped["cheshire-west-chairs-challenge"]
    walks, complete = enumerate_walks(proc, proc.start.id)
    assert complete
    for w in walks:
        stages = stages_of(w, proc.start.id)
        notes = [r for s in stages for r in proc.stage(s).records if "case note" in r.what]
        formal = {"level1", "level3"} & set(stages)
        assert len(notes) == (1 if formal else 0), stages


def test_redcar_external_does_not_say_whose_abbreviation_stscp_is(shipped: dict[str, Procedure]):
    """No source expands "STSCP" or says whose partnership it names; the file says so rather than guess."""
    text = PATHS["redcar-external"].read_text(encoding="utf-8")
    assert "Stoke" not in text
    proc = shipped["redcar-external"]
    assert "police" not in (proc.summary or "") and "education" not in (proc.summary or "")


@pytest.mark.parametrize(
    ("proc_id", "unsourced"),
    [
        ("wakefield-chair-conduct", "Child Protection and Review Unit"),
        ("wakefield-chair-conduct", "The chair's service lead"),
        ("wakefield-chair-concern", "The chair's own service lead"),
        ("wakefield-chair-concern", "The safeguarding unit's service manager"),
    ],
)
def test_notes_state_no_fact_the_source_does_not(proc_id: str, unsourced: str):
    """Each phrase stated a fact no source gives (an expansion, whose manager someone is); it is gone or a reading."""
    assert unsourced not in PATHS[proc_id].read_text(encoding="utf-8")


def test_show_says_a_move_has_no_time_limit_instead_of_calling_it_a_missing_deadline(shipped: dict[str, Procedure]):
    """The plain-English account marks an untimed move as the source's silence, with the file's note."""
    from cpsim.model import describe

    lines = describe(shipped["redcar-internal"])
    up = next(x for x in lines if "does not satisfy" in x and "→ Level 2" in x)
    assert "time not given: Section 2.4 says the chair will escalate" in up and "no deadline given" not in up
