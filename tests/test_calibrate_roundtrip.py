"""Round trip: simulate a shipped scenario, calibrate a scenario from its log, and get the scenario back.

Ten years of ``redcar-unlimited-staff`` (one replication, fixed seed) are simulated and written as
an XES log; ``cpsim calibrate`` reads the log as of a date before its end (so requests still open
then are censored, not dropped). Every parameter the records can identify must lie in the 95%
interval the calibration reports for it: the route mix and the choices, each stage's chance of a
satisfying reply and of no reply by the deadline, the reply-time parameters of the true family,
arrivals. With N intervals that are right, about 5% miss by chance; the test allows the misses a
correct calibration exceeds with probability below 1%, and lists any. Then the calibrated scenario,
simulated, misses each five-day target at a rate inside the original's 95% interval.

What the records cannot identify is not checked: at a stage with a no-reply timer, a reply that
would have come after the deadline looks the same as one never coming, so ``p_no_reply`` and the
reply-time tail past the deadline trade off (see docs/calibration.md).
"""

from __future__ import annotations

import contextlib
import io
import json
import math
from pathlib import Path
from typing import Any

import pytest
from scipy import stats

from cpsim.cli import main
from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
from cpsim.simulate.calibrate.records import read_xes
from cpsim.simulate.calibrate.stages import as_date
from cpsim.simulate.experiments.runner import run

pytestmark = pytest.mark.slow

ORIGINAL = SCENARIOS_DIR / "redcar-unlimited-staff.yaml"


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The XES log of ten simulated years."""
    folder = tmp_path_factory.mktemp("roundtrip")
    long = folder / "long.yaml"
    long.write_text(
        f"extend: {ORIGINAL}\nid: redcar-unlimited-ten-years\ntitle: ten years\ncalendar: {{horizon: 2500}}\n"
    )
    run_dir = folder / "run"
    with contextlib.redirect_stdout(io.StringIO()):
        assert (
            main(["simulate", str(long), "-n", "1", "--seed", "11", "--workers", "1", "-o", str(run_dir), "--json"])
            == 0
        )
    return run_dir / "events.xes"


def _calibrate(records: Path, out: Path) -> dict[str, Any]:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["calibrate", str(records), "-o", str(out), "--as-of", "2035-06-29", "--json"]) == 0
    result: dict[str, Any] = json.loads(buf.getvalue())
    return result


@pytest.fixture(scope="module")
def calibrated(simulated: Path) -> tuple[dict[str, Any], Path]:
    """The calibration summary from the log, and the calibrated scenario file."""
    out = simulated.parent.parent / "calibrated.yaml"
    return _calibrate(simulated, out), out


@pytest.fixture(scope="module")
def calibrated_by_date(simulated: Path) -> dict[str, Any]:
    """The calibration summary from the same log exported as the CSV shape with dates only."""
    rows = ["case_id,route,stage,request_date,reply_date,outcome"]
    for v in read_xes(simulated).visits:
        if v.stage.startswith("level"):
            reply = as_date(v.replied).isoformat() if v.replied else ""
            outcome = {"no-reply": "no reply"}.get(v.outcome or "", v.outcome or "")
            rows.append(f"{v.case},{v.route},{v.stage},{as_date(v.requested).isoformat()},{reply},{outcome}")
    csv = simulated.parent.parent / "by-date.csv"
    csv.write_text("\n".join(rows) + "\n")
    return _calibrate(csv, simulated.parent.parent / "by-date.yaml")


def _lognormal_truth(mean: float, sd: float) -> Any:
    sigma = math.sqrt(math.log1p((sd / mean) ** 2))
    return stats.lognorm(s=sigma, scale=math.exp(math.log(mean) - sigma**2 / 2))


def _truth() -> dict[str, Any]:
    """What ``redcar-unlimited-staff`` says, as the calibration reports it."""
    tri = stats.triang(c=1 / 3.5, loc=0.5, scale=3.5)  # low 0.5, mode 1.5, high 4
    reply = {
        ("redcar-internal", "level1"): (_lognormal_truth(0.8, 0.6), 0.1, 1.0, 0.7),
        ("redcar-internal", "level2"): (tri, 0.05, 2.0, 0.8),
        ("redcar-external", "level1"): (_lognormal_truth(1.0, 0.8), 0.15, 1.0, 0.65),
        ("redcar-external", "level2"): (tri, 0.1, 2.0, 0.75),
    }
    q = {k: p + (1 - p) * float(d.sf(deadline)) for k, (d, p, deadline, _) in reply.items()}
    satisfied = {k: v[3] for k, v in reply.items()}
    params = {
        ("redcar-internal", "level1", "lognormal"): {"mean": 0.8, "sd": 0.6},
        ("redcar-external", "level1", "lognormal"): {"mean": 1.0, "sd": 0.8},
        ("redcar-internal", "level3", "gamma"): {"shape": 2.0, "scale": 1.5},
        ("redcar-external", "level3", "gamma"): {"shape": 2.0, "scale": 2.0},
    }
    return {"q": q, "satisfied": satisfied, "params": params}


def _checks(summary: dict[str, Any], times: bool = True) -> list[tuple[str, float, list[float]]]:
    """(what, true value, reported 95% interval) for every identifiable parameter (reply times if ``times``)."""
    truth = _truth()
    routes = {r["procedure"]: r for r in summary["routes"]}
    out: list[tuple[str, float, list[float]]] = []
    internal = routes["redcar-internal"]
    out.append(("share of redcar-internal", 0.7, internal["share"]["ci95"]))
    out.append(("flagged immediate-concern", 0.05, internal["choices"]["raise"]["immediate-concern"]["ci95"]))
    to_sm = internal["choices"]["immediate_choice"]["to-service-manager"]["ci95"]
    out.append(("immediate_choice to-service-manager", 0.7, to_sm))
    for (route, stage), q in truth["q"].items():
        s = routes[route]["stages"][stage]
        out.append((f"{route}/{stage} no reply by the deadline", q, s["q_no_reply_by_deadline"]["ci95"]))
        out.append((f"{route}/{stage} p_satisfied", truth["satisfied"][(route, stage)], s["p_satisfied"]["ci95"]))
    for (route, stage, family), params in truth["params"].items() if times else ():
        cands = {c["dist"]: c for c in routes[route]["stages"][stage]["reply_time"]["candidates"]}
        for name, value in params.items():
            out.append((f"{route}/{stage} {family} {name}", value, cands[family]["ci95"][name]))
    days = {m: v["working_days"] for m, v in summary["arrivals"]["by_month"].items()}
    factor = {"august": 0.7, "december": 0.8}
    expected = sum(1.2 * factor.get(m, 1.0) * d for m, d in days.items()) / sum(days.values())
    out.append(("challenges per working day", expected, summary["arrivals"]["per_working_day"]["ci95"]))
    for m, v in summary["arrivals"]["by_month"].items():
        out.append((f"challenges per working day in {m}", 1.2 * factor.get(m, 1.0), v["rate"]["ci95"]))
    return out


def _recovered(checks: list[tuple[str, float, list[float]]]) -> None:
    misses = [
        f"{what}: true {value:.4g}, interval {lo:.4g} to {hi:.4g}"
        for what, value, (lo, hi) in checks
        if not lo <= value <= hi
    ]
    allowed = int(stats.binom.ppf(0.99, len(checks), 0.05))
    assert len(misses) <= allowed, f"{len(misses)} of {len(checks)} intervals miss (allowed {allowed}):\n" + "\n".join(
        misses
    )


def test_parameters_are_recovered_within_their_intervals(calibrated: tuple[dict[str, Any], Path]) -> None:
    _recovered(_checks(calibrated[0]))


def test_records_with_dates_only_recover_what_does_not_need_the_time_of_day(calibrated_by_date: dict[str, Any]) -> None:
    """Route mix, choices, chances and arrivals need no times; reply times by date fit fewer families."""
    _recovered(_checks(calibrated_by_date, times=False))
    level1 = next(r for r in calibrated_by_date["routes"] if r["procedure"] == "redcar-internal")["stages"]["level1"]
    assert level1["replies_by_date_only"] == level1["replies"]
    # replies within a one-day deadline fall on the day of the request or the next: two gaps fix one parameter
    assert [c["dist"] for c in level1["reply_time"]["candidates"]] == ["exponential"]
    # the external route's moves take up to a working day: seen as next-day requests; the internal's take none
    routes = {r["procedure"]: r for r in calibrated_by_date["routes"]}
    assert set(routes["redcar-external"]["stages"]["level1"]["move_time"]) == {"no-reply", "unsatisfied"}
    assert all(not s["move_time"] for s in routes["redcar-internal"]["stages"].values())


def test_requests_open_at_the_export_date_are_censored(calibrated: tuple[dict[str, Any], Path]) -> None:
    summary, _ = calibrated
    assert summary["records"]["as_of"] == "2035-06-29"
    opened = sum(s["open_at_export"] for r in summary["routes"] for s in r["stages"].values())
    assert opened >= 1


def test_the_calibrated_scenario_misses_the_targets_as_the_original_does(
    calibrated: tuple[dict[str, Any], Path],
) -> None:
    _, path = calibrated
    original = load_scenario(ORIGINAL)
    again = load_scenario(path).with_setting("calendar.horizon", original.calendar.horizon)
    assert any("Calibrated from events.xes" in a for a in again.assumptions)
    want = run(original, replications=20, seed=5, workers=1).summary()["targets"]
    got = run(again, replications=20, seed=5, workers=1).summary()["targets"]
    assert set(want) == set(got)
    for target, result in want.items():
        lo, hi = result["breach_rate"]["ci95"]
        assert lo <= got[target]["breach_rate"]["mean"] <= hi, (
            target,
            got[target]["breach_rate"],
            result["breach_rate"],
        )
