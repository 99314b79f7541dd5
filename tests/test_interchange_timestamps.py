"""Timestamps in events.csv and events.xes carry the UK offset: GMT in winter, BST in summer.

A run that spans the clock change of 29 March 2026 (and one spanning 25 October 2026) is read
back with pm4py, which turns each timestamp into an instant: 09:00 on a working day is 09:00 UTC
before the change and 08:00 UTC after it in spring, and the other way round in autumn.
"""

from __future__ import annotations

import csv
import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pm4py
import pytest
import yaml

from cpsim.cli import main
from cpsim.model.scenario.classes import SCENARIOS_DIR
from cpsim.reports.rundir.write import uk_timestamp

XES = {"x": "http://www.xes-standard.org/"}


def _run(folder: Path, start: str) -> Path:
    sc = yaml.safe_load((SCENARIOS_DIR / "redcar-baseline.yaml").read_text(encoding="utf-8"))
    sc["calendar"].update(start=start, horizon=10, warm_up=0, follow_up=30)
    path = folder / "sc.yaml"
    path.write_text(yaml.safe_dump(sc), encoding="utf-8")
    out = folder / "run"
    assert main(["simulate", str(path), "-n", "1", "--seed", "2", "--workers", "1", "-o", str(out)]) == 0
    return out


@pytest.mark.parametrize(
    ("naive", "zoned"),
    [
        ("2026-03-27T09:00:00", "2026-03-27T09:00:00+00:00"),  # Friday before the spring change
        ("2026-03-30T09:00:00", "2026-03-30T09:00:00+01:00"),  # Monday after it
        ("2026-10-23T16:30:00", "2026-10-23T16:30:00+01:00"),  # Friday before the autumn change
        ("2026-10-26T16:30:00", "2026-10-26T16:30:00+00:00"),  # Monday after it
        ("", ""),
    ],
)
def test_a_clock_time_gets_the_uk_offset_of_its_date(naive: str, zoned: str) -> None:
    assert uk_timestamp(naive) == zoned


@pytest.mark.parametrize(("start", "before", "after"), [("2026-03-23", 0, 1), ("2026-10-19", 1, 0)])
def test_run_files_carry_the_offset_and_pm4py_reads_the_right_instant(
    tmp_path: Path, start: str, before: int, after: int
) -> None:
    out = _run(tmp_path, start)
    change = dt.date.fromisoformat(start) + dt.timedelta(days=6)  # the Sunday the clocks change
    with (out / "events.csv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["timestamp"]]
    stamps = {dt.datetime.fromisoformat(r["timestamp"]) for r in rows}
    assert all(s.utcoffset() is not None for s in stamps)
    offsets = {s.date() < change: s.utcoffset() for s in stamps}
    assert offsets == {True: dt.timedelta(hours=before), False: dt.timedelta(hours=after)}
    xes = ET.parse(out / "events.xes").getroot()
    values = [d.get("value") for d in xes.iterfind("x:trace/x:event/x:date", XES)]
    assert values and {dt.datetime.fromisoformat(v) for v in values} <= stamps
    log = pm4py.read_xes(str(out / "events.xes"))
    read = pd.to_datetime(log["time:timestamp"], utc=True)
    expected = pd.to_datetime(pd.Series(values), utc=True)
    assert sorted(read) == sorted(expected)
    for wall, instant in zip(values, pd.to_datetime(pd.Series(values), utc=True), strict=True):
        local = dt.datetime.fromisoformat(wall)
        hours = before if local.date() < change else after
        assert instant.to_pydatetime().replace(tzinfo=None) == local.replace(tzinfo=None) - dt.timedelta(hours=hours)
