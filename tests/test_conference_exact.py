"""Conference simulation checked against exact answers: booking delays, review dates, Erlang C, QA challenges."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

import holidays
import pytest

from cpsim.model.conference.load import CONFERENCE_SCENARIOS, ConferenceScenario, load_conference
from cpsim.model.files.yaml import read_yaml
from cpsim.simulate.conference.engine import run_conference_replication
from cpsim.simulate.conference.runner import run_conferences


def _base() -> dict[str, Any]:
    data: dict[str, Any] = read_yaml(CONFERENCE_SCENARIOS["wakefield-conference-baseline"]).data
    data.pop("dissent")  # its procedure is named relative to the shipped file; see test_conference_dissent.py
    return data


def _scenario(tmp_path: Path, data: dict[str, Any]) -> ConferenceScenario:
    path = tmp_path / "conference.yaml"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")  # JSON is YAML
    return load_conference(path)


def _quiet(data: dict[str, Any]) -> dict[str, Any]:
    """No plans, no reconvening, no checks, unlimited staff: only initial conferences."""
    data["journeys"].update(plan_share=0.0, inquorate=0.0)
    data["journeys"].pop("attendance", None)
    data["checks"] = []
    data["capacity"]["chairs"] = {"headcount": "unlimited", "conferences_per_week": 5}
    data["capacity"]["minute_takers"]["headcount"] = "unlimited"
    data["demand"] = {"rate": 3.0}
    return data


def test_unlimited_chairs_give_the_exact_booking_delay_distribution(tmp_path: Path) -> None:
    """With chairs never busy, the ICPC is held booking delay + one day of chair time after the discussion.

    A discussion at offset U (uniform) in its day k is on time when held by the close of day k + 15:
    P = sum_i p_i * clip(16 - 1 - v_i, 0, 1).
    """
    values, probs = [10, 12, 14, 14.5, 15.5], [0.3, 0.3, 0.2, 0.1, 0.1]
    data = _quiet(_base())
    data["practice"]["booking_delay"] = {"dist": "discrete", "values": values, "probs": probs}
    sc = _scenario(tmp_path, data)
    exact = sum(p * min(max(16 - 1 - v, 0.0), 1.0) for v, p in zip(values, probs, strict=True))
    assert exact == pytest.approx(0.85)
    summary = run_conferences(sc, replications=4, seed=11).summary()
    icpc = summary["timescales"]["icpc"]
    n = icpc["events"] - icpc["unfinished"]
    share = icpc["within"] / n
    assert n > 2000 and icpc["unfinished"] == 0
    assert abs(share - exact) < 4 * math.sqrt(exact * (1 - exact) / n)
    lo, hi = icpc["within_share"]["ci95"]
    assert lo - 0.01 <= exact <= hi + 0.01


def test_a_fixed_delay_is_on_time_exactly_when_it_fits(tmp_path: Path) -> None:
    """A fixed booking delay of 14 working days plus a day of chair time is always within 15; of 15, never."""
    for delay, expected in ((14.0, 1.0), (15.0, 0.0)):
        data = _quiet(_base())
        data["practice"]["booking_delay"] = {"dist": "fixed", "value": delay}
        rep = run_conference_replication(_scenario(tmp_path, data), seed=2)
        rows = [t for t in rep.timed if t.measure == "icpc" and t.counted]
        assert rows and sum(t.within for t in rows) / len(rows) == expected


def _working(day: dt.date, bank: holidays.HolidayBase) -> bool:
    return day.weekday() < 5 and day not in bank


def _last_working_on_or_before(day: dt.date, bank: holidays.HolidayBase) -> dt.date:
    while not _working(day, bank):
        day -= dt.timedelta(days=1)
    return day


def _months_later(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    last = [
        31,
        29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ]
    return dt.date(year, month, min(day.day, last[month - 1]))


def test_reviews_fall_on_their_dates_across_easter_and_christmas(tmp_path: Path) -> None:
    """First review on the last working day on or before ICPC + 3 months; later ones 6 months after the last."""
    data = _quiet(_base())
    data["journeys"].update(
        plan_share=1.0, plan_months={"dist": "fixed", "value": 40}, endings={"no-longer-at-risk": 1}
    )
    data["practice"].update(review_margin=0, booking_delay={"dist": "fixed", "value": 3})
    data["demand"] = {"rate": 1.0}
    rep = run_conference_replication(_scenario(tmp_path, data), seed=5)
    bank = holidays.country_holidays("GB", subdiv="ENG", years=range(2025, 2030))
    held = {(c.child, c.kind, c.number): c for c in rep.conferences if c.held_date}
    checked, closed_due = 0, Counter[str]()
    for (child, kind, number), conf in held.items():
        if kind != "review":
            continue
        before = held[(child, "initial", 0)] if number == 1 else held[(child, "review", number - 1)]
        raw = _months_later(dt.date.fromisoformat(str(before.held_date)), 3 if number == 1 else 6)
        if not _working(raw, bank):
            closed_due[bank.get(raw, "weekend")] += 1
        assert conf.held_date == _last_working_on_or_before(raw, bank).isoformat(), (child, number)
        checked += 1
    assert checked > 300
    assert closed_due["Good Friday"] + closed_due["Easter Monday"] > 0
    assert closed_due["Christmas Day"] + closed_due["Boxing Day"] > 0 and closed_due["weekend"] > 0


def _erlang_c_wait(arrival: float, service_mean: float, servers: int) -> float:
    a = arrival * service_mean
    top = a**servers / math.factorial(servers) * servers / (servers - a)
    c = top / (sum(a**k / math.factorial(k) for k in range(servers)) + top)
    return c / (servers / service_mean - arrival)


def test_chair_waits_match_erlang_c(tmp_path: Path) -> None:
    """Three chairs, exponential chair time (mean 1 day), Poisson demand 2.4 a day: the M/M/3 mean wait."""
    data = _quiet(_base())
    data["capacity"]["chairs"] = {"headcount": 3, "time_per_conference": {"dist": "exponential", "mean": 1}}
    data["practice"]["booking_delay"] = {"dist": "fixed", "value": 0}
    data["demand"] = {"rate": 2.4}
    data["calendar"].update(horizon=900, warm_up=100, follow_up=60)
    exact = _erlang_c_wait(2.4, 1.0, 3)
    assert exact == pytest.approx(1.0787, abs=1e-3)
    waits = run_conferences(_scenario(tmp_path, data), replications=8, seed=3, workers=2).summary()
    got = waits["conferences"]["chair_wait_initial_mean"]
    lo, hi = got["ci95"]
    assert lo <= exact <= hi, got


def test_each_failed_check_raises_exactly_one_challenge(tmp_path: Path) -> None:
    """Challenges raised equal failed checks one for one, by name (child / conference / check)."""
    sc = load_conference(CONFERENCE_SCENARIOS["wakefield-conference-baseline"])
    rep = run_conference_replication(sc, seed=9)
    expected = sorted(f"{c.child}/{c.kind}{c.number}/{check}" for c in rep.conferences for check in c.failed_checks)
    assert len(expected) > 50
    assert sorted(c.case for c in rep.challenges) == expected


def test_the_same_seed_gives_the_same_run_on_any_number_of_workers() -> None:
    """Replication i depends only on (seed, i): one worker or two give the same records and summary."""
    sc = load_conference(CONFERENCE_SCENARIOS["wakefield-conference-baseline"])
    one = run_conferences(sc, replications=2, seed=4, workers=1)
    two = run_conferences(sc, replications=2, seed=4, workers=2)
    assert one.replications == two.replications
    assert one.summary() == two.summary()


def test_quoracy_follows_the_binomial_number_of_agencies_present(tmp_path: Path) -> None:
    """Each of 5 agencies attends with chance 0.6; under 3 present is inquorate; the chair proceeds in 30%."""
    data = _quiet(_base())
    data["journeys"]["attendance"] = {**_base()["journeys"]["attendance"], "p_attend": 0.6, "p_proceed": 0.3}
    sc = _scenario(tmp_path, data)
    attendance = sc.spec.journeys.attendance
    assert attendance is not None
    p_inquorate = sum(math.comb(5, k) * 0.6**k * 0.4 ** (5 - k) for k in range(3))
    assert attendance.p_inquorate() == pytest.approx(p_inquorate)
    rep = run_conference_replication(sc, seed=8)
    sittings = [c for c in rep.conferences if c.held_day is not None]
    n = len(sittings)
    present = Counter(c.present for c in sittings)
    for k in range(6):
        expected = math.comb(5, k) * 0.6**k * 0.4 ** (5 - k)
        assert abs(present[k] / n - expected) < 4 * math.sqrt(expected * (1 - expected) / n) + 1e-9, k
    reconvened = sum(c.inquorate for c in sittings) / n
    proceeded = sum(c.present is not None and c.present < 3 and not c.inquorate for c in sittings) / n
    for got, want in ((reconvened, p_inquorate * 0.7), (proceeded, p_inquorate * 0.3)):
        assert abs(got - want) < 4 * math.sqrt(want * (1 - want) / n)
    assert sum(c.kind == "reconvened" for c in sittings) == sum(c.inquorate for c in rep.conferences)


def test_receiving_in_conferences_are_timed_from_the_decision_and_reviewed_three_months_on(tmp_path: Path) -> None:
    """Stoke-on-Trent: receiving-in within 15 working days of the decision; the next review within 3 months of it."""
    data: dict[str, Any] = read_yaml(CONFERENCE_SCENARIOS["stoke-conference-baseline"]).data
    data = _quiet(data)
    data["transfers_in"] = {"rate": 0.5, "plan_share": 1.0, "booking_delay": {"dist": "fixed", "value": 14.5}}
    data["journeys"].update(plan_months={"dist": "fixed", "value": 40}, endings={"no-longer-at-risk": 1})
    data["practice"]["review_margin"] = 0
    rep = run_conference_replication(_scenario(tmp_path, data), seed=3)
    timed = [t for t in rep.timed if t.measure == "receiving-in" and t.counted]
    # held 14.5 + 1 working days after a decision made at offset U in its day: on time when U + 15.5 <= 16
    share = sum(t.within for t in timed) / len(timed)
    assert len(timed) > 80 and abs(share - 0.5) < 4 * math.sqrt(0.25 / len(timed))
    bank = holidays.country_holidays("GB", subdiv="ENG", years=range(2025, 2030))
    held = {(c.child, c.kind, c.number): c for c in rep.conferences if c.held_date}
    first_reviews = [(k, c) for k, c in held.items() if k[0].startswith("in") and k[1] == "review" and k[2] == 1]
    assert len(first_reviews) > 50
    for (child, _, _), review in first_reviews:
        base = dt.date.fromisoformat(str(held[(child, "receiving-in", 0)].held_date))
        assert review.held_date == _last_working_on_or_before(_months_later(base, 3), bank).isoformat()


def test_pre_birth_conferences_fall_between_30_and_32_weeks_or_are_missed(tmp_path: Path) -> None:
    """Decided at 20 weeks, the conference is planned for week 30 and held in the range; decided at 33, it cannot be."""
    data: dict[str, Any] = _quiet(read_yaml(CONFERENCE_SCENARIOS["stoke-conference-baseline"]).data)
    data.pop("transfers_in", None)
    shares = []
    for weeks in (20, 33):
        data["pre_birth"] = {"rate": 0.3, "gestation_weeks": {"dist": "fixed", "value": weeks}, "plan_share": 0.0}
        sc = _scenario(tmp_path, data)
        assert "provisional" in sc.rules["pre-birth"].basis and "as soon as possible" in sc.rules["pre-birth"].basis
        rep = run_conference_replication(sc, seed=4)
        rows = [t for t in rep.timed if t.measure == "pre-birth" and t.counted]
        assert len(rows) > 40 and not any(t.unfinished for t in rows)
        shares.append(sum(t.within for t in rows) / len(rows))
        for t in rows:
            conception = dt.date.fromisoformat(t.reference_date)
            assert t.earliest is not None and t.due_date <= (conception + dt.timedelta(weeks=32 + 1)).isoformat()
    assert shares == [1.0, 0.0]


def test_children_count_on_time_only_when_all_their_reviews_were() -> None:
    """Child a: both reviews on time; b: one late; c: one still to come. One of two decided children is on time."""
    from cpsim.simulate.conference.records import ConferenceReplication, TimedRecord
    from cpsim.simulate.conference.summary import replication_totals

    def review(child: str, number: int, due: int, done: int | None) -> TimedRecord:
        return TimedRecord(0, child, "review", number, 0, "", due, "", done, None, True, end=100)

    timed = (review("a", 1, 60, 50), review("a", 2, 180, 170), review("b", 1, 60, 55), review("b", 2, 180, 190))
    rep = ConferenceReplication(0, 0, (*timed, review("c", 1, 150, None)), (), (), (), (), 3)
    totals = replication_totals(load_conference(CONFERENCE_SCENARIOS["wakefield-conference-baseline"]), rep)
    assert totals["review"] == (3.0, 4.0)
    assert totals["review-children"] == (1.0, 2.0)
