"""Slack: the latest day each rung can reply and still leave time for the rest of every route.

Days are counted in working days from the stage where the target's clock starts. For a rung on a
route, the latest reply day is the target less the worst-case time of everything after the reply;
over all the routes a target covers, a rung's latest day is the earliest of these.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> from cpsim.verify.checks.timing import clocks
>>> from cpsim.verify.checks.walks import enumerate_walks
>>> proc = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
>>> clock = clocks(proc)[0]
>>> walks, _ = enumerate_walks(proc, clock.start, clock.stops)
>>> [f.stages for f in slack_findings(proc, clock, walks)]
[('level1',), ('level2',), ('level3',)]
"""

from __future__ import annotations

from cpsim.model.procedure.classes import Procedure
from cpsim.model.types import StageId, StageKind
from cpsim.verify.checks.timing import Clock, step
from cpsim.verify.checks.walks import Walk
from cpsim.verify.checks.wording import the, who
from cpsim.verify.findings import Finding, cite

__all__ = ["rung_slack", "slack_findings"]


def rung_slack(
    procedure: Procedure, clock: Clock, walks: list[Walk]
) -> dict[StageId, tuple[float | None, float | None, bool]]:
    """Per request stage on ``walks``: (latest reply day, worst reply day at its deadline, routes left out).

    The third item is True when some route on from the stage was left out of the latest day because
    a later stage or move has no time limit.
    """
    latest: dict[StageId, float | None] = {}
    worst: dict[StageId, float | None] = {}
    partial: set[StageId] = set()
    for w in walks:
        steps = [step(procedure, t) for t in w]
        for i, s in enumerate(steps):
            if procedure.stage(s.stage).kind is not StageKind.REQUEST:
                continue
            after = [s.move_hi, *(x.hi for x in steps[i + 1 :])]
            before = [x.hi for x in steps[:i]] + [s.stay_hi]
            latest.setdefault(s.stage, None)
            worst.setdefault(s.stage, None)
            if all(a is not None for a in after):
                day = clock.days - sum(a for a in after if a is not None)
                old = latest[s.stage]
                latest[s.stage] = day if old is None else min(old, day)
            else:
                partial.add(s.stage)
            if all(b is not None for b in before):
                day = sum(b for b in before if b is not None)
                old = worst[s.stage]
                worst[s.stage] = day if old is None else max(old, day)
    return {sid: (latest[sid], worst[sid], sid in partial) for sid in latest}


def slack_findings(procedure: Procedure, clock: Clock, walks: list[Walk]) -> list[Finding]:
    """One TARGET_SLACK info finding per rung on the routes ``walks``, in stage order."""
    table = rung_slack(procedure, clock, walks)
    start = procedure.stage(clock.start).title
    out = []
    for stage in procedure.stages:
        if stage.id not in table:
            continue
        latest, worst, partial = table[stage.id]
        resp = the(who(procedure, stage.responder))
        if latest is None:
            text = f"{stage.title}: later stages have no time limit, so no reply day for the {resp} keeps "
            text += f"the target “{clock.title}” safe"
        elif latest < 0:
            text = f"{stage.title}: the rest of the route alone can take longer than the target “{clock.title}”"
        else:
            text = (
                f"{stage.title}: to keep the target “{clock.title}” ({clock.label}), the {resp} must reply "
                f"by working day {latest:g} counting from {start}"
            )
            if partial:
                text += " (routes that go on to a stage or move with no time limit are left out)"
            if worst is not None:
                spare = latest - worst
                tail = f"{spare:g} working day(s) to spare" if spare >= 0 else f"{-spare:g} working day(s) too late"
                text += f"; a reply at the deadline comes by day {worst:g} at the latest ({tail})"
            elif stage.deadline is not None and not stage.deadline.is_specified:
                text += "; it has no reply deadline, so nothing makes it reply in time"
        out.append(Finding("TARGET_SLACK", "info", procedure.id, (stage.id,), (), text + ".", cite(stage.source)))
    return out
