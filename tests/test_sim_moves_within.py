"""A move's ``within`` means the same in the simulator as in the verifier: the time allowed for the move.

The procedure is a two-rung ladder: the chair asks the worker (reply deadline two working days);
an unsatisfactory reply moves the challenge to the manager with the transition's time limit. The
scenario times that move with ``move_time``; nobody is staffed, so a move takes exactly its drawn
time and every figure can be worked out by hand.

* A fixed move across Easter 2026: Thursday 2 April is working day 0 and Tuesday 7 April day 1
  (Good Friday and Easter Monday are bank holidays). A reply at 0.5 and a move of 1.0 working day
  reach the manager at 1.5, Tuesday midday: exactly one working day (in time), but five calendar
  days (late against "within 1 calendar day", exactly on time against "within 5 calendar days").
* A uniform move time on (0, 2) working days against "within 1.5 working days" is late with
  probability exactly 0.25, and against "within 6 working hours" (0.8 of a 7.5-hour day) 0.6.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cpsim.model.scenario.classes import Scenario, load_scenario
from cpsim.reports.text import summary_lines
from cpsim.simulate.engine.replication import run_replication
from cpsim.simulate.experiments.runner import run
from tests.sim_fixtures import CITE

PROCEDURE = f"""\
id: two-rungs
title: Two rungs
authority: Testshire
version: "1"
effective_date: 2026-01-01
sources: [{{doc: test.txt, title: Test}}]
roles:
  - {{id: chair, title: Chair, agency: Unit, rank: null}}
  - {{id: worker, title: Worker, agency: Agency, rank: 1}}
  - {{id: manager, title: Manager, agency: Agency, rank: 2}}
stages:
  - {{id: raise, kind: start, title: Raise, owner: chair, source: {CITE}}}
  - id: ask
    kind: request
    title: Ask the worker
    owner: chair
    responder: worker
    deadline: {{amount: 2, unit: working-days, source: {CITE}}}
    source: {CITE}
  - id: ask2
    kind: request
    title: Ask the manager
    owner: chair
    responder: manager
    deadline: {{amount: 2, unit: working-days, source: {CITE}}}
    source: {CITE}
  - {{id: done, kind: terminal, title: Done, ending: resolved, source: {CITE}}}
transitions:
  - {{from: raise, to: ask, on: raised, source: {CITE}}}
  - {{from: ask, to: done, on: satisfied, source: {CITE}}}
  - from: ask
    to: ask2
    on: unsatisfied
    within: {{WITHIN, source: {CITE}}}
    source: {CITE}
  - {{from: ask2, to: done, on: satisfied, source: {CITE}}}
  - {{from: ask2, to: done, on: unsatisfied, source: {CITE}}}
"""

KEY = "ask/unsatisfied"


def _scenario(
    folder: Path,
    within: str,
    move: str | None,
    *,
    reply: str = "{dist: fixed, value: 0.5}",
    p_satisfied: float = 0.0,
    arrivals: str = "{kind: replay, file: arrivals.csv}",
    calendar: str = "{start: 2026-04-02, horizon: 5, warm_up: 0, follow_up: 20}",
    replications: int = 1,
) -> Scenario:
    (folder / "two-rungs.yaml").write_text(PROCEDURE.replace("WITHIN", within), encoding="utf-8")
    (folder / "arrivals.csv").write_text("date\n2026-04-02\n", encoding="utf-8")
    move_time = f", move_time: {{unsatisfied: {move}}}" if move else ""
    (folder / "scenario.yaml").write_text(
        f"""\
id: t
title: T
procedures:
  - procedure: two-rungs.yaml
    behaviour:
      stages:
        ask: {{reply_time: {reply}, p_satisfied: {p_satisfied}{move_time}}}
        ask2: {{reply_time: {{dist: fixed, value: 0.5}}, p_satisfied: 1}}
calendar: {calendar}
arrivals: {arrivals}
replications: {replications}
seed: 11
""",
        encoding="utf-8",
    )
    return load_scenario(folder / "scenario.yaml")


@pytest.mark.parametrize(
    ("within", "move", "late"),
    [
        ("amount: 1, unit: working-days", 1.0, False),  # exactly the limit, Good Friday and Easter Monday skipped
        ("amount: 1, unit: working-days", 1.01, True),
        ("amount: 7.5, unit: working-hours", 1.0, False),
        ("amount: 1, unit: calendar-days", 1.0, True),  # Thursday midday to Tuesday midday: five calendar days
        ("amount: 5, unit: calendar-days", 1.0, False),
        ("amount: 96, unit: hours", 1.0, True),
        ("unit: same-day", 0.5, False),  # reaches the manager at Thursday's close
        ("unit: same-day", 1.0, True),
        ("unit: immediately", 0.01, True),
    ],
)
def test_a_fixed_move_across_easter_is_in_time_or_late_as_counted_by_hand(
    tmp_path: Path, within: str, move: float, late: bool
) -> None:
    sc = _scenario(tmp_path, within, f"{{dist: fixed, value: {move}}}")
    (case,) = run_replication(sc, seed=1).cases
    assert case.stages == ("raise", "ask", "ask2", "done")
    assert case.end == pytest.approx(0.5 + move + 0.5)
    assert case.timed_moves == (KEY,)
    assert case.late_moves == ((KEY,) if late else ())
    assert case.move_unfinished is None
    s = run(sc, workers=1).summary()
    row = s["moves"]["two-rungs"][KEY]
    assert (row["moves"], row["breached"], row["made_by"]) == (1, int(late), 1.0)


def test_a_move_under_way_when_the_run_ends_is_late_once_past_its_limit_else_unfinished(tmp_path: Path) -> None:
    # raised Thursday 2 April (day 0); the run stops at day 2, 1.5 working days into a 3-day move
    calendar = "{start: 2026-04-02, horizon: 2, warm_up: 0, follow_up: 0}"
    one = _scenario(tmp_path, "amount: 1, unit: working-days", "{dist: fixed, value: 3}", calendar=calendar)
    (case,) = run_replication(one, seed=1).cases
    assert (case.end, case.timed_moves, case.late_moves, case.move_unfinished) == (None, (KEY,), (KEY,), None)
    two = _scenario(tmp_path, "amount: 2, unit: working-days", "{dist: fixed, value: 3}", calendar=calendar)
    (case,) = run_replication(two, seed=1).cases
    assert (case.late_moves, case.move_unfinished) == ((), KEY)
    row = run(two, workers=1).summary()["moves"]["two-rungs"][KEY]
    assert (row["moves"], row["breached"], row["unfinished"]) == (1, 0, 1)


@pytest.mark.parametrize(
    ("within", "p_late"),
    [("amount: 1.5, unit: working-days", 0.25), ("amount: 6, unit: working-hours", 0.6)],
)
def test_the_share_of_late_moves_matches_the_exact_probability(tmp_path: Path, within: str, p_late: float) -> None:
    sc = _scenario(
        tmp_path,
        within,
        "{dist: uniform, low: 0, high: 2}",
        reply="{dist: uniform, low: 0, high: 1}",
        p_satisfied=0.4,
        arrivals="{kind: poisson, rate: 4}",
        calendar="{start: 2026-01-05, horizon: 120, warm_up: 0, follow_up: 30}",
        replications=8,
    )
    s = run(sc, workers=1).summary()
    row = s["moves"]["two-rungs"][KEY]
    lo, hi = row["breach_rate"]["ci95"]
    assert lo <= p_late <= hi
    assert hi - lo < 0.06  # about 2,300 moves: the interval is narrow enough to mean something
    n = s["challenges"]["counted_total"]
    assert row["moves"] == pytest.approx(n * row["made_by"], abs=1)  # at most one move per challenge
    assert abs(row["made_by"] - 0.6) < 4 * (0.6 * 0.4 / n) ** 0.5  # unsatisfied with probability 0.6
    line = next(x for x in summary_lines(s) if "move ask → ask2" in x)
    assert line.startswith(f"  two-rungs / move ask → ask2 on unsatisfied ({row['within']}): made by ")
    assert f"late on {100 * row['breach_rate']['mean']:.1f}% (95% CI " in line


def test_a_timed_move_the_scenario_does_not_time_is_said_to_happen_at_once(tmp_path: Path) -> None:
    sc = _scenario(tmp_path, "amount: 1, unit: working-days", None)
    s = run(sc, workers=1).summary()
    assert s["moves"] == {"two-rungs": {}}
    said = [a for a in s["assumptions"] if "happen at once" in a]
    assert said == [
        "two-rungs: moves with a time limit in the source but no move_time in the scenario happen at once "
        "in the simulation, so they are never late: ask → ask2 on unsatisfied (within 1 working day)",
        "two-rungs: moves with no time limit in the source and no move_time in the scenario happen at once "
        "in the simulation: raise → ask on raised",
    ]
    assert not any(x.startswith("Moves later") for x in summary_lines(s))
