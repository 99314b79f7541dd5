"""Dissent from conference decisions: raised with its chance, run through its procedure like a challenge."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from cpsim.model.conference.load import CONFERENCE_SCENARIOS, check_conference_file, load_conference
from cpsim.model.files.yaml import read_yaml
from cpsim.reports.rundir.conference import conference_csvs
from cpsim.reports.text.conference import conference_comparison_lines, conference_summary_lines
from cpsim.simulate.conference.compare import compare_conferences
from cpsim.simulate.conference.engine import run_conference_replication
from cpsim.simulate.conference.runner import run_conferences

BASE = CONFERENCE_SCENARIOS["wakefield-conference-baseline"]
COPY = str(BASE.parent / "procedures" / "wakefield-conference-dissent-simulated.yaml")


def _data(p_professional: float, p_parents: float, *, review: float = 0.3) -> dict[str, Any]:
    data: dict[str, Any] = read_yaml(BASE).data
    data.pop("transfers_in", None)
    data.pop("pre_birth", None)
    data["calendar"].update(horizon=200, warm_up=20, follow_up=60)
    dissent = data["dissent"]
    dissent["professional"].update(p_dissent=p_professional, procedure=COPY)
    dissent["parents"].update(p_dissent=p_parents, procedure=COPY)
    stages = dissent["professional"]["behaviour"]["stages"]
    stages["dissent"]["choices"] = {"request-review": review, "no-further-action": 1 - review}
    stages["group_review"]["choices"] = {"recommend-reconvening": 0, "no-recommendation": 1}
    return data


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "conference.yaml"
    path.write_text(yaml.safe_dump(json.loads(json.dumps(data, default=str)), sort_keys=False), encoding="utf-8")
    return path


def _decided(kind: str, number: int) -> str:
    """The conference a sitting decides for: a reconvened sitting (100 x n + k) is review n's, or the initial's."""
    if kind != "reconvened":
        return f"{kind}{number}"
    return f"review{number // 100}" if number >= 100 else "initial0"


def _decisions(rep: Any) -> list[Any]:
    return [c for c in rep.conferences if c.held_day is not None and not c.inquorate]


def test_when_everyone_dissents_every_decision_raises_one_dissent_each(tmp_path: Path) -> None:
    rep = run_conference_replication(load_conference(_write(tmp_path, _data(1.0, 1.0))), seed=2)
    held = _decisions(rep)
    assert len(held) > 100
    expected = sorted(
        f"{c.child}/{_decided(c.kind, c.number)}/{who}" for c in held for who in ("parents", "professional")
    )
    assert sorted(d.case for d in rep.dissents) == expected
    assert len(rep.challenges) == sum(len(c.failed_checks) for c in rep.conferences)  # still one for one


def test_dissents_per_100_conferences_and_their_outcomes_match_the_stated_chances(tmp_path: Path) -> None:
    """Professionals dissent with chance 0.2, half ask for review, the group never recommends reconvening."""
    sc = load_conference(_write(tmp_path, _data(0.2, 0.0, review=0.5)))
    summary = run_conferences(sc, replications=4, seed=3).summary()
    pro = summary["dissent"]["by_who"]["professional"]
    assert pro["per_100_conferences"]["ci95"][0] < 20 < pro["per_100_conferences"]["ci95"][1]
    assert summary["dissent"]["by_who"]["parents"]["raised"] == 0
    assert set(pro["ended_at"]) == {"decided"} and pro["ended_at"]["decided"]["share"]["mean"] == 1
    reviewed = pro["visited"]["group_review"]["share"]
    assert reviewed["ci95"][0] < 0.5 < reviewed["ci95"][1]
    assert pro["visited"]["dissent"]["share"]["mean"] == 1
    assert pro["resolution_working_days_mean"]["mean"] > 0  # the group's time and the minutes' wait


def test_parents_disagreement_is_referred_to_the_complaints_and_appeals_procedure(tmp_path: Path) -> None:
    summary = run_conferences(load_conference(_write(tmp_path, _data(0.0, 0.5))), replications=2, seed=4).summary()
    parents = summary["dissent"]["by_who"]["parents"]
    assert parents["raised"] > 50 and set(parents["ended_at"]) == {"complaints_appeals"}
    assert "group_review" not in parents["visited"]


def test_giving_dissent_leaves_every_other_figure_unchanged(tmp_path: Path) -> None:
    with_dissent = run_conference_replication(load_conference(_write(tmp_path, _data(0.3, 0.3))), seed=5)
    data = _data(0.3, 0.3)
    data.pop("dissent")
    without = run_conference_replication(load_conference(_write(tmp_path, data)), seed=5)
    assert with_dissent.dissents and not without.dissents
    assert (with_dissent.timed, with_dissent.conferences, with_dissent.challenges) == (
        without.timed,
        without.conferences,
        without.challenges,
    )


def test_a_dissent_section_with_problems_is_reported_at_its_own_lines(tmp_path: Path) -> None:
    data = _data(0.1, 0.1)
    del data["dissent"]["professional"]["behaviour"]["stages"]["group_review"]["choices"]
    path = _write(tmp_path, data)
    problems = check_conference_file(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines, 1) if line.startswith("dissent:"))
    assert len(problems) == 1 and "group_review" in problems[0].message and problems[0].line > start, problems
    data["dissent"] = {}
    assert any("'professional', 'parents' or both" in p.message for p in check_conference_file(_write(tmp_path, data)))


def test_the_shipped_wakefield_baseline_lists_the_dissent_assumptions_and_where_the_source_is_silent() -> None:
    sc = load_conference(BASE)
    text = "\n".join(sc.all_assumptions)
    assert "dissent(s) from a conference's decision with chance 0.03" in text
    assert "does not say whether Wakefield's has" in text and "the source gives no time" in text


def test_the_terminal_summary_prints_dissents_and_where_they_ended(tmp_path: Path) -> None:
    summary = run_conferences(load_conference(_write(tmp_path, _data(0.2, 0.1))), replications=2, seed=3).summary()
    text = "\n".join(conference_summary_lines(summary))
    assert "Dissent from conference decisions:" in text and "  professional: " in text
    assert "ended at 'Conference decision stands'" in text
    assert "ended at 'Chair discusses the parents' concerns" in text
    assert "reached 'Multi-agency group reviews the decision'" in text


def test_a_what_if_in_another_folder_keeps_the_baselines_dissent_route(tmp_path: Path) -> None:
    """The baseline names its dissent procedure relative to itself; a what-if elsewhere finds it all the same."""
    path = tmp_path / "what-if.yaml"
    path.write_text(f"extend: {BASE}\nid: what-if\nlifecycle: wakefield-conference-lifecycle\n", encoding="utf-8")
    sc = load_conference(path)
    assert {who: r.routes[0].procedure.id for who, r in sc.dissent.items()} == {
        "parents": "wakefield-conference-dissent-simulated",
        "professional": "wakefield-conference-dissent-simulated",
    }


def test_compare_gives_the_paired_difference_in_dissents_per_100_conferences(tmp_path: Path) -> None:
    """Professionals dissenting with chance 0.3 instead of 0.1 (parents never): about 20 more per 100, beyond noise."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = load_conference(_write(tmp_path / "a", _data(0.1, 0.0)))
    b = load_conference(_write(tmp_path / "b", _data(0.3, 0.0)))
    result = compare_conferences(a, b, replications=3, seed=6)
    d = next(diff for key, _, diff in result.rows if key == "dissents-per-100")
    assert d.distinguishable and d.ci95 is not None and d.ci95[0] < 20 < d.ci95[1]
    (line,) = [x for x in conference_comparison_lines(result) if x.startswith("| Dissents from conference")]
    # per 100 conferences, not a share: printed as a number, as challenges per 100 conferences are
    assert f"| {d.a_mean:.2f} | {d.b_mean:.2f} | {d.mean:.2f} ({d.ci95[0]:.2f} to {d.ci95[1]:.2f}) |" in line


def test_a_dissent_routes_staff_are_its_own_and_their_load_is_reported(tmp_path: Path) -> None:
    data = _data(0.3, 0.1, review=1.0)
    data["dissent"]["professional"]["staff"] = {"review_group": {"headcount": 1, "capacity": 1}}
    run = run_conferences(load_conference(_write(tmp_path, data)), replications=2, seed=7)
    summary = run.summary()
    group = summary["staff"]["dissent-professional/review_group"]
    assert group["headcount"] == 1 and group["utilisation"]["mean"] > 0 and group["queue_max"] >= 1
    assert "dissent-parents/review_group" not in summary["staff"]
    rows = list(csv.DictReader(io.StringIO(conference_csvs(run.replications)["staff.csv"].decode())))
    mine = [r for r in rows if r["role"] == "dissent-professional/review_group"]  # in the run directory's staff.csv
    assert [r["replication"] for r in mine] == ["0", "1"]
    assert np.mean([float(r["utilisation"]) for r in mine]) == pytest.approx(group["utilisation"]["mean"], abs=1e-6)


def test_the_stoke_baseline_runs_parents_appeals_through_the_shipped_appeal_procedure_on_the_conference_day(
    tmp_path: Path,
) -> None:
    """Stoke-on-Trent: each parents' appeal is the shipped hand-off to the appeals procedure, on the day.

    Every decided conference is appealed (chance 1) once, the route is ``stoke-conference-appeal``
    as shipped, and it ends at once at the appeals procedure (the source gives no time for it).
    No professional dissents: the source gives a professional no route after the meeting.
    """
    data: dict[str, Any] = read_yaml(CONFERENCE_SCENARIOS["stoke-conference-baseline"]).data
    assert set(data["dissent"]) == {"parents"} and data["dissent"]["parents"]["procedure"] == "stoke-conference-appeal"
    data["dissent"]["parents"]["p_dissent"] = 1
    for key in ("transfers_in", "pre_birth"):  # initial and review conferences, and their reconvened sittings
        data.pop(key)
    data["calendar"].update(horizon=120, warm_up=20, follow_up=40)
    sc = load_conference(_write(tmp_path, data))
    assert sc.dissent["parents"].routes[0].path.endswith("model/procedures/stoke-conference-appeal.yaml")
    rep = run_conference_replication(sc, 1, 0)
    decided = _decisions(rep)
    assert decided and len(rep.dissents) == len(decided)
    assert sorted(d.case for d in rep.dissents) == sorted(
        f"{c.child}/{_decided(c.kind, c.number)}/parents" for c in decided
    )
    assert {(d.stages, d.end_stage, d.ending, d.working_days) for d in rep.dissents if d.end is not None} == {
        (("challenge", "appeals_procedure"), "appeals_procedure", "referred-elsewhere", 0.0)
    }
