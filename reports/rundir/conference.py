"""The flat records of a conference run as CSV files for its run directory.

``timed.csv``        one row per timed event (initial conference, review, core group, minutes, ...):
                     its reference, due and done dates and whether it was within its timescale.
``conferences.csv``  one row per sitting of a conference with a chair: planned and held days, the
                     wait for a chair, the QA checks that failed, quoracy, which chair held it and
                     (for a review) whether it was the child's previous chair.
``challenges.csv``   one row per challenge a failed check raised (as ``cases.csv`` of a challenge run).
``dissents.csv``     one row per dissent from a conference's decision: who dissented, from which conference,
                     the route it took, the stages it reached, where it ended and its working days.
``transfers_out.csv`` one row per child who moved away: the move, the receiving authority's conference and
                     whether it was within the life cycle's timescale.
``staff.csv``        one row per staffed role and replication (conference, escalation and dissent staff).

:func:`conference_manifest` gives the run directory's ``manifest.json`` fields, as a challenge run's
(:func:`cpsim.reports.rundir.write.manifest`): the scenario's path and the sha256 of every file it read.

Examples
--------
>>> from cpsim.simulate.conference.records import TimedRecord
>>> rows = timed_csv([TimedRecord(0, "k1", "icpc", 0, 3, "2026-01-08", 18, "2026-02-02", 17, "2026-01-30", True)])
>>> rows.decode().splitlines()[1]
'0,k1,icpc,0,2026-01-08,2026-02-02,2026-01-30,14,True,False,True'
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from cpsim.model.conference.load import ConferenceScenario
from cpsim.reports.rundir.write import _shown
from cpsim.simulate.conference.records import ConferenceRecord, ConferenceReplication, TimedRecord
from cpsim.simulate.conference.runner import ConferenceRun
from cpsim.simulate.engine.records import CaseRecord, RoleRecord, columns

__all__ = [
    "conference_csvs",
    "conference_manifest",
    "dissents_csv",
    "files_read",
    "scenario_path",
    "shown_path",
    "timed_csv",
    "transfers_out_csv",
]

TIMED = ["replication", "child", "measure", "number", "reference_date", "due_date", "done_date", "working_days",
         "within", "late", "counted"]  # fmt: skip
CONFERENCES = ["replication", "child", "kind", "number", "planned_day", "held_date", "wait", "pushed_back",
               "failed_checks", "present", "inquorate", "counted", "chair", "same_chair"]  # fmt: skip
DISSENTS = ["replication", "dissent", "child", "conference", "who", "procedure", "raised_date", "counted",
            "end_date", "working_days", "end_stage", "ending", "stages"]  # fmt: skip
TRANSFERS_OUT = ["replication", "child", "moved_date", "due_date", "conference_date", "working_days", "within",
                 "late", "counted"]  # fmt: skip
CHALLENGES = ["replication", "case", "route", "raised_date", "counted", "end_date", "working_days", "end_stage",
              "rung_breaches"]  # fmt: skip


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return out.getvalue().encode("utf-8")


def timed_csv(records: Iterable[TimedRecord]) -> bytes:
    """``timed.csv``."""
    return _csv(
        TIMED,
        ([t.replication, t.child, t.measure, t.number, t.reference_date, t.due_date, t.done_date, t.working_days,
          t.within, t.late, t.counted] for t in records),
    )  # fmt: skip


def _conference_row(c: ConferenceRecord) -> list[object]:
    return [c.replication, c.child, c.kind, c.number, c.planned_day, c.held_date, round(c.wait, 6), c.pushed_back,
            ";".join(c.failed_checks), c.present, c.inquorate, c.counted, c.chair, c.same_chair]  # fmt: skip


def _dissent_row(d: CaseRecord) -> list[object]:
    child, conference, who = d.case.rsplit("/", 2)
    return [d.replication, d.case, child, conference, who, d.route, d.raised_date, d.counted, d.end_date,
            d.working_days, d.end_stage, d.ending, ";".join(d.stages)]  # fmt: skip


def dissents_csv(records: Iterable[CaseRecord]) -> bytes:
    """``dissents.csv``: one row per dissent (named ``<child>/<conference>/<who>``).

    >>> from cpsim.simulate.engine.records import CaseRecord
    >>> d = CaseRecord(0, "k1/icpc1/parents", "stoke-conference-appeal", 3.0, "2026-01-08", True,
    ...                ("challenge", "appeals_procedure"), "appeals_procedure", "referred-elsewhere", 3.0,
    ...                "2026-01-08", 0.0, (), (), False)
    >>> dissents_csv([d]).decode().splitlines()[1]
    '0,k1/icpc1/parents,k1,icpc1,parents,stoke-conference-appeal,2026-01-08,True,2026-01-08,0.0,appeals_procedure,referred-elsewhere,challenge;appeals_procedure'
    """
    return _csv(DISSENTS, (_dissent_row(d) for d in records))


def transfers_out_csv(records: Iterable[TimedRecord]) -> bytes:
    """``transfers_out.csv``: each move away (``transfer-out`` timed records), the receiving conference's day."""
    return _csv(
        TRANSFERS_OUT,
        ([t.replication, t.child, t.reference_date, t.due_date, t.done_date, t.working_days, t.within, t.late,
          t.counted] for t in records if t.measure == "transfer-out"),
    )  # fmt: skip


def conference_csvs(replications: Sequence[ConferenceReplication]) -> dict[str, bytes]:
    """Every CSV file of a conference run's records, by file name."""
    challenges = (
        [c.replication, c.case, c.route, c.raised_date, c.counted, c.end_date, c.working_days, c.end_stage,
         ";".join(c.rung_breaches)]
        for r in replications for c in r.challenges
    )  # fmt: skip
    roles: list[RoleRecord] = [x for r in replications for x in (*r.roles, *r.escalation_roles, *r.dissent_roles)]
    names = columns(RoleRecord)
    return {
        "timed.csv": timed_csv(t for r in replications for t in r.timed),
        "conferences.csv": _csv(CONFERENCES, (_conference_row(c) for r in replications for c in r.conferences)),
        "challenges.csv": _csv(CHALLENGES, challenges),
        "dissents.csv": dissents_csv(d for r in replications for d in r.dissents),
        "transfers_out.csv": transfers_out_csv(t for r in replications for t in r.timed),
        "staff.csv": _csv(names, ([getattr(x, k) for k in names] for x in roles)),
    }


def shown_path(path: str | Path) -> str:
    """A file's path as a run records it: relative to the working directory when it lies under it."""
    return _shown(str(path))


def scenario_path(sc: ConferenceScenario) -> str:
    """The scenario file's path as a run records it (:func:`shown_path`)."""
    return shown_path(sc.path)


def files_read(sc: ConferenceScenario) -> dict[str, str]:
    """sha256 of every file the scenario read, by path as a run records it (as :func:`scenario_path`)."""
    return dict(sorted((_shown(k), v) for k, v in sc.digests.items()))


def conference_manifest(
    run: ConferenceRun, *, version: str, workers: int, started: str, finished: str
) -> dict[str, Any]:
    """The manifest fields of a conference run directory (cpsim lists the files it wrote under ``written``)."""
    sc = run.scenario
    return {
        "cpsim_version": version,
        "scenario": {"id": sc.id, "path": scenario_path(sc), "kind": "conference"},
        "files_sha256": files_read(sc),
        "seed": run.seed,
        "replications_requested": len(run.replications),
        "replications_finished": len(run.replications),
        "interrupted": False,
        "workers": workers,
        "started": started,
        "finished": finished,
    }
