"""``cpsim calibrate`` on small records whose every count is known: reading, paths, chances, output, bad rows.

``tests/data/calibrate/records.csv`` holds seven challenges on the two Redcar routes, written by
hand (times of day, dates only, UK dates, a request still open, no replies); the tests check each
count against the file.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from cpsim.cli import main
from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
from cpsim.simulate.calibrate.records import MOST_PROBLEMS, read_csv, read_xes

DATA = Path(__file__).parent / "data" / "calibrate"
RECORDS = DATA / "records.csv"


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main(["calibrate", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_counts_paths_and_chances_from_hand_written_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cal.yaml"
    got = _json(capsys, str(RECORDS), "-o", str(out))
    rec = got["records"]
    assert (rec["challenges"], rec["requests"], rec["from"], rec["until"], rec["working_days"]) == (
        7, 11, "2026-03-02", "2026-03-06", 5,
    )  # fmt: skip
    routes = {r["procedure"]: r for r in got["routes"]}
    internal, external = routes["redcar-internal"], routes["redcar-external"]
    assert (internal["challenges"], external["challenges"]) == (5, 2)
    assert internal["share"]["estimate"] == pytest.approx(5 / 7)
    # CH-003's first request is level2: raised with an immediate concern, then to the service manager
    assert internal["choices"]["raise"]["immediate-concern"]["estimate"] == pytest.approx(1 / 5)
    assert internal["choices"]["immediate_choice"]["to-service-manager"]["estimate"] == 1.0
    level1 = internal["stages"]["level1"]
    # CH-004 is still open four working days after its one-day deadline: no reply by the deadline
    assert (level1["requests"], level1["replies"], level1["no_reply_by_deadline"], level1["open_at_export"]) == (
        4,
        2,
        2,
        0,
    )
    assert level1["p_satisfied"]["estimate"] == 0.5 and level1["p_satisfied"]["n"] == 2
    assert level1["q_no_reply_by_deadline"]["estimate"] == 0.5
    assert level1["assumed"] == {"no-reply": {"to": "level2", "challenges": 1, "of": 1}}
    # reply times on the working clock: 09:30 -> 14:00 is 0.6 of a 7.5-hour day, 09:00 -> 12:00 is 0.4
    uniform = next(c for c in level1["reply_time"]["candidates"] if c["dist"] == "uniform")
    assert uniform["params"]["low"] == pytest.approx(0.4, abs=1e-4)
    assert uniform["params"]["high"] == pytest.approx(0.6, abs=1e-4)
    level2 = internal["stages"]["level2"]
    assert (level2["replies"], level2["replies_by_date_only"], level2["timer"]) == (3, 1, False)
    assert level2["p_satisfied"]["estimate"] == pytest.approx(2 / 3)
    assert got["arrivals"]["per_working_day"]["estimate"] == pytest.approx(7 / 5)
    assert got["arrivals"]["by_month"]["march"]["challenges"] == 7
    assert any("level3" in w and "too few" in w for w in got["warnings"])
    scenario = load_scenario(out)
    assert scenario.route("redcar-internal").share == pytest.approx(0.7143)
    assert scenario.behaviour("redcar-internal").at("level1").assumed == {"no-reply": "level2"}
    assert scenario.behaviour("redcar-external").at("level1").p_no_reply == 0.5
    assert any("Calibrated from records.csv: 7 challenges (11 requests)" in a for a in scenario.assumptions)


def test_as_of_cuts_the_records_so_later_replies_are_open(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    got = _json(capsys, str(RECORDS), "-o", str(tmp_path / "cal.yaml"), "--as-of", "2026-03-05 15:00")
    routes = {r["procedure"]: r for r in got["routes"]}
    level1 = routes["redcar-internal"]["stages"]["level1"]
    # CH-005 (asked 6 March) is left out; CH-004 has been open 5 hours (2/3 of a day) of its one-day deadline
    assert (level1["requests"], level1["open_at_export"], level1["no_reply_by_deadline"]) == (3, 1, 1)
    level3 = routes["redcar-internal"]["stages"]["level3"]
    assert (level3["requests"], level3["replies"], level3["open_at_export"]) == (1, 0, 1)
    assert got["records"]["until"] == "2026-03-05"


def test_summary_is_printed_and_the_scenario_not_overwritten_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "mine.yaml"
    out.write_text("my own file\n")
    assert main(["calibrate", str(RECORDS), "-o", str(out)]) == 1
    assert "file exists" in capsys.readouterr().err
    assert out.read_text() == "my own file\n"
    assert main(["calibrate", str(RECORDS), "-o", str(out), "--force"]) == 0
    text = capsys.readouterr().out
    assert "redcar-internal: 71.4% (95% CI" in text and f"Scenario written: {out}" in text
    assert load_scenario(out).id == "mine"


def test_bad_rows_are_listed_with_their_row_and_how_to_fix_them(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calibrate", str(DATA / "bad-rows.csv"), "-o", "/nonexistent-folder/x.yaml"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    # the output folder is checked first: fix that, then the rows
    assert "does not exist" in err


def test_each_kind_of_bad_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calibrate", str(DATA / "bad-rows.csv"), "-o", str(tmp_path / "x.yaml")]) == 1
    lines = capsys.readouterr().err.splitlines()
    name = str(DATA / "bad-rows.csv")
    expected = {
        2: "case_id is blank",
        3: "request_date '2026-13-01' is not a date",
        4: "reply_date 2026-03-04 is before request_date 2026-03-05",
        5: "outcome 'maybe' is not known",
        6: "outcome 'satisfied' but no reply_date",
        7: "outcome 'no reply' but a reply_date is given",
        8: "a reply_date but no outcome",
    }
    assert len(lines) == len(expected)
    for line, (row, message) in zip(lines, sorted(expected.items()), strict=True):
        assert line.startswith(f"{name}:{row}:") and message in line and "(" in line, line
    assert not (tmp_path / "x.yaml").exists()


def test_rows_that_do_not_fit_the_procedure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calibrate", str(DATA / "bad-stages.csv"), "-o", str(tmp_path / "x.yaml")]) == 1
    err = capsys.readouterr().err
    assert "bad-stages.csv:2:1: route redcar-internal has no stage 'levle1' (did you mean 'level1'?)" in err
    assert "bad-stages.csv:3:1: unknown route 'redcar-intrenal' (did you mean 'redcar-internal'?" in err
    assert "bad-stages.csv:4:1: immediate_choice is not a request stage" in err
    assert "bad-stages.csv:6:1: after satisfied at level3 the procedure goes to 'resolved', not 'level1'" in err


def test_more_than_twenty_bad_rows_are_counted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "many.csv"
    rows = [f"CH-{i},redcar-internal,level1,2026-02-{20 + i % 10},," for i in range(30)]
    bad.write_text("case_id,route,stage,request_date,reply_date,outcome\n" + "\n".join(rows) + "\n")
    assert main(["calibrate", str(bad), "-o", str(tmp_path / "x.yaml")]) == 1
    lines = capsys.readouterr().err.splitlines()
    # 2026 is no leap year; the three identical problems are said once, with the other lines they are on
    assert len(lines) == 1 and "'2026-02-29' is not a date" in lines[0]
    assert lines[0].startswith(f"{bad}:11:") and lines[0].endswith("and 2 more like it, at lines 21, 31")
    more = "\n".join(f"CH-x{i},redcar-internal,level1,31/02/2026,," for i in range(25))
    bad.write_text(bad.read_text() + more + "\n")
    assert main(["calibrate", str(bad), "-o", str(tmp_path / "x.yaml")]) == 1
    lines = capsys.readouterr().err.splitlines()
    listed = 3 + 17  # the first MOST_PROBLEMS: three of one kind, seventeen of the other, each kind said once
    assert listed == MOST_PROBLEMS and len(lines) == 3
    assert lines[1].endswith(f"and {17 - 1} more like it, at lines 33, 34, 35, 36, 37, 38, 39, 40, …")
    assert lines[-1].endswith("... and 8 more problems not listed (fix these first)")


def test_missing_columns_and_unreadable_logs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "cols.csv"
    csv.write_text("case,stage,requested\nA,level1,2026-01-05\n")
    assert main(["calibrate", str(csv), "-o", str(tmp_path / "x.yaml")]) == 1
    err = capsys.readouterr().err
    assert f"{csv}:1:1: missing column(s): case_id, request_date, reply_date, outcome" in err
    xes = tmp_path / "log.xes"
    xes.write_text(
        '<?xml version="1.0"?>\n<log>\n  <trace>\n    <event><string key="concept:name" value="level1">\n</log>\n'
    )
    assert main(["calibrate", str(xes), "-o", str(tmp_path / "x.yaml")]) == 1
    err = capsys.readouterr().err
    assert f"{xes}:5:3:" in err and "not well-formed XML" in err and "Traceback" not in err


def test_xes_visits_and_replications(tmp_path: Path) -> None:
    xes = tmp_path / "log.xes"
    ev = '<event><string key="concept:name" value="{s}"/><date key="time:timestamp" value="{t}"/>'
    ev += '<string key="lifecycle:transition" value="{l}"/>{o}</event>\n'
    out = '<string key="outcome" value="{}"/>'
    body = ""
    for rep in ("0", "1"):
        body += f'<trace><string key="concept:name" value="{rep}-c0"/><string key="route" value="redcar-internal"/>\n'
        body += ev.format(s="level1", t="2026-01-05T10:00:00+00:00", l="start", o="")
        body += ev.format(s="level1", t="2026-01-05T12:00:00+00:00", l="complete", o=out.format("satisfied"))
        body += ev.format(s="level2", t="2026-01-06T10:00:00", l="start", o="")
        body += "</trace>\n"
    head = '<?xml version="1.0"?>\n<log xmlns="http://www.xes-standard.org/">\n'
    xes.write_text(f"{head}{body}</log>\n")
    assert read_xes(xes).periods == 1  # an authority's case references may look like 2024-0012
    xes.write_text(f'{head}<string key="concept:name" value="cpsim simulated challenges"/>\n{body}</log>\n')
    records = read_xes(xes)
    assert records.periods == 2
    done = [v for v in records.visits if v.stage == "level1"]
    assert [(v.outcome, v.replied is not None) for v in done] == [("satisfied", True)] * 2
    assert [v.outcome for v in records.visits if v.stage == "level2"] == [None, None]  # still open


def test_csv_dates_in_uk_and_iso_shapes_and_time_zones(tmp_path: Path) -> None:
    f = tmp_path / "r.csv"
    f.write_text(
        "case_id,stage,request_date,reply_date,outcome\n"
        "A,level1,05/01/2026 09:30,2026-01-05T10:30:00+00:00,satisfied\n"
        "B,level1,2026-07-06T09:00:00+01:00,2026-07-06 10:00,unsatisfied\n"
    )
    a, b = read_csv(f).visits
    assert a.requested == dt.datetime(2026, 1, 5, 9, 30) and a.replied == dt.datetime(2026, 1, 5, 10, 30)
    assert b.requested == dt.datetime(2026, 7, 6, 9, 0)  # 09:00 BST is 09:00 UK time
    assert a.route is None


def test_one_procedure_without_a_route_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Records of one procedure need no route column; stages never requested still make a valid scenario."""
    f = tmp_path / "one.csv"
    f.write_text(
        "case_id,stage,request_date,reply_date,outcome\n"
        "A,level1,2026-01-05 10:00,2026-01-05 12:00,satisfied\n"
        "B,level1,2026-01-06 10:00,2026-01-06 11:00,satisfied\n"
        "C,level1,2026-01-07 10:00,,\n"
    )
    assert main(["calibrate", str(f), "-o", str(tmp_path / "x.yaml")]) == 1
    assert "say which with --procedure" in capsys.readouterr().err
    got = _json(capsys, str(f), "-o", str(tmp_path / "x.yaml"), "--procedure", "redcar-internal")
    level1 = got["routes"][0]["stages"]["level1"]
    assert (level1["replies"], level1["open_at_export"]) == (2, 1)
    scenario = load_scenario(tmp_path / "x.yaml")
    assert scenario.behaviour("redcar-internal").at("raise").choices == {"immediate-concern": 0.0, "raised": 1.0}
    assert "No requests to this stage" in (scenario.behaviour("redcar-internal").at("level3").assumption or "")


def test_a_file_that_is_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "latin.csv"
    f.write_bytes(b"case_id,stage,request_date,reply_date,outcome\nA,level1,2026-01-05,,\nB,level1 \xe9,2026-01-05,,\n")
    assert main(["calibrate", str(f), "-o", str(tmp_path / "x.yaml"), "--procedure", "redcar-internal"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{f}:3:1: the file is not UTF-8 text") and "Traceback" not in err


def test_a_log_written_by_pm4py_reads_the_same(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The XES another tool writes (pm4py, with typed attributes and time zones) gives the same visits."""
    pm4py = pytest.importorskip("pm4py")  # in the test extras
    short = tmp_path / "short.yaml"
    short.write_text(f"extend: {SCENARIOS_DIR / 'redcar-baseline.yaml'}\ncalendar: {{horizon: 40, warm_up: 0}}\n")
    assert main(["simulate", str(short), "-n", "1", "--workers", "1", "-o", str(tmp_path / "run"), "--json"]) == 0
    capsys.readouterr()
    ours = tmp_path / "run" / "events.xes"
    theirs = tmp_path / "pm4py.xes"
    pm4py.write_xes(pm4py.read_xes(str(ours), return_legacy_log_object=False), str(theirs))
    a, b = read_xes(ours), read_xes(theirs)

    def key(v: Any) -> tuple[str, str, str | None, bool]:
        return (v.case, v.stage, v.outcome, v.replied is None)

    assert sorted(map(key, a.visits)) == sorted(map(key, b.visits))
    assert len(a.visits) > 50
    spans = {key(v): (v.replied or v.requested) - v.requested for v in a.visits}
    assert all(spans[key(v)] == (v.replied or v.requested) - v.requested for v in b.visits)


def test_a_request_in_a_log_that_ends_without_an_outcome(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xes = tmp_path / "log.xes"
    ev = '<event><string key="concept:name" value="level1"/><date key="time:timestamp" value="{t}"/>'
    ev += '<string key="lifecycle:transition" value="{l}"/></event>\n'
    xes.write_text(
        '<?xml version="1.0"?>\n<log>\n<trace><string key="concept:name" value="A"/>\n'
        + ev.format(t="2026-01-05T10:00:00", l="start")
        + ev.format(t="2026-01-05T12:00:00", l="complete")
        + "</trace>\n</log>\n"
    )
    assert main(["calibrate", str(xes), "-o", str(tmp_path / "x.yaml"), "--procedure", "redcar-internal"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{xes}:5:1: level1 of A ended with no outcome") and "'outcome'" in err


def test_requests_on_the_same_date_are_taken_in_the_procedures_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "same-day.csv"
    f.write_text(
        "case_id,stage,request_date,reply_date,outcome\n"
        "A,level2,2026-01-05,2026-01-06,satisfied\n"
        "A,level1,2026-01-05,2026-01-05,unsatisfied\n"
    )
    got = _json(capsys, str(f), "-o", str(tmp_path / "x.yaml"), "--procedure", "redcar-internal")
    stages = got["routes"][0]["stages"]
    assert stages["level1"]["p_satisfied"]["estimate"] == 0.0 and stages["level2"]["p_satisfied"]["estimate"] == 1.0
    assert got["routes"][0]["choices"]["raise"] == {
        "raised": {"estimate": 1.0, "ci95": [pytest.approx(0.2065, abs=1e-4), 1.0], "n": 1, "method": "wilson"}
    }
