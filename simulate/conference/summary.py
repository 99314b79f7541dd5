"""The summary of a conference run: timescales met, conferences, challenges and staff, with 95% CIs.

Every per-event figure (the share of initial conferences within their timescale, challenges per
100 conferences, a challenge target's breach rate) is the ratio of totals over replications with
its delta-method interval (:func:`cpsim.simulate.experiments.estimators.ratio_ci`), as in the
challenge summary; a timescale's share within takes that interval on the log-odds scale
(:func:`share_ci`). Per-replication figures (conferences held, staff load) are means with Student-t
intervals. Events still pending when the run ended, before their due day, are *unfinished*:
neither within nor late, and left out of the share (their number is given beside it).

:func:`replication_totals` gives each replication's ``(numerator, denominator)`` per figure, which
the comparison pairs replication by replication (:mod:`cpsim.simulate.conference.compare`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np

from cpsim.model.conference.load import ConferenceScenario
from cpsim.model.conference.spec import ENDINGS
from cpsim.simulate.conference.books import dissent_role
from cpsim.simulate.conference.records import ConferenceReplication, TimedRecord
from cpsim.simulate.experiments.estimators import COUNT, RATE, linearised, mean_ci, ratio_ci, rounded, t_half_width
from cpsim.simulate.experiments.summary import breach_figures

__all__ = ["MEASURES", "measure_names", "replication_totals", "same_chair_share", "share_ci", "summarise_conferences"]

MEASURES = (
    "icpc",
    "receiving-in",
    "transfer-out",
    "pre-birth",
    "review",
    "review-children",
    "core-group",
    "core-group-cycle",
    "minutes",
    "plan-circulated",
    "reconvened",
    "reports-to-chair",
)
"""Timed measures, in the order the table shows them."""

CHILDREN_REVIEWED = "Children whose reviews were all held within timescale"
"""The per-child figure beside the per-review one (as the children-in-need statistics count reviews)."""


def measure_names(sc: ConferenceScenario) -> dict[str, tuple[str, str, bool]]:
    """(name, basis, stated) of every measure the scenario's rules give, in table order."""
    out: dict[str, tuple[str, str, bool]] = {}
    for m in MEASURES:
        base = {"core-group-cycle": "core-group", "review-children": "review"}.get(m, m)
        rule = sc.rules.get(base)  # type: ignore[call-overload]
        if rule is None or (m == "reports-to-chair" and sc.spec.reports is None):
            continue
        name = {"core-group-cycle": rule.cycle_name, "review-children": CHILDREN_REVIEWED}.get(m, rule.name)
        if name is not None:
            out[m] = (name, rule.basis, rule.stated)
    return out


def _cells(rep: ConferenceReplication, measure: str) -> tuple[int, int, int]:
    """(events, within, unfinished) of one measure in one replication, counted events only.

    ``review-children`` counts children with a counted review: within when all were, unfinished
    when none was late but one was still to come.
    """
    if measure == "review-children":
        by_child: dict[str, list[TimedRecord]] = defaultdict(list)
        for t in rep.timed:
            if t.counted and t.measure == "review":
                by_child[t.child].append(t)
        kids = [(all(t.within for t in ts), any(t.late for t in ts)) for ts in by_child.values()]
        return len(kids), sum(ok for ok, _ in kids), sum(not ok and not late for ok, late in kids)
    rows = [t for t in rep.timed if t.counted and t.measure == measure]
    return len(rows), sum(t.within for t in rows), sum(t.unfinished for t in rows)


def replication_totals(sc: ConferenceScenario, rep: ConferenceReplication) -> dict[str, tuple[float, float]]:
    """Each figure's (numerator, denominator) in one replication: within over decided, and the rest."""
    out: dict[str, tuple[float, float]] = {}
    for m in measure_names(sc):
        n, within, unfinished = _cells(rep, m)
        out[m] = (float(within), float(n - unfinished))
    held = [c for c in rep.conferences if c.counted]
    raised = [c for c in rep.challenges if c.counted]
    out["challenges-per-100"] = (100.0 * len(raised), float(len(held)))
    out["pushed-back"] = (float(sum(c.pushed_back > 0 for c in held)), float(len(held)))
    initial = [c for c in held if c.kind == "initial"]
    out["chair-wait-initial"] = (float(sum(c.wait for c in initial)), float(len(initial)))
    compared = [c for c in held if c.kind == "review" and c.same_chair is not None]
    out["same-chair"] = (float(sum(bool(c.same_chair) for c in compared)), float(len(compared)))
    if sc.dissent:
        decided = sum(c.held_day is not None and not c.inquorate for c in held)
        out["dissents-per-100"] = (100.0 * sum(d.counted for d in rep.dissents), float(decided))
    return out


def share_ci(within: Sequence[float], decided: Sequence[float]) -> dict[str, Any]:
    """A timescale's share within, ``sum(within) / sum(decided)``, with its 95% CI taken on the log-odds scale.

    The half-width is :func:`~cpsim.simulate.experiments.estimators.ratio_ci`'s delta-method
    Student-t one, ``t(0.975, n - 1) se``, divided by ``R (1 - R)`` (the derivative of the log-odds):
    ``logit(R) ± t se / (R (1 - R))`` mapped back. So the interval stays within 0..1 without
    clipping and reaches further towards the middle than towards the nearer end, as a share's
    spread across replications does when a few congested replications have many late. A share of
    0 or 1 has every replication at it, and the interval is that point.

    >>> share_ci([9, 8, 10], [10, 10, 10])
    {'mean': 0.9, 'ci95': [0.36287, 0.993018], 'replications': 3}
    >>> ratio_ci([9, 8, 10], [10, 10, 10], RATE)["ci95"]
    [0.651586, 1.0]
    >>> share_ci([10, 10], [10, 10])["ci95"], share_ci([0, 0], [0, 0])["ci95"]
    ([1.0, 1.0], None)
    """
    plain = ratio_ci(within, decided, RATE)
    values = linearised(within, decided)
    if plain["ci95"] is None or values is None or not 0 < values[0] < 1:
        return plain
    share, linear = values
    centre, half = math.log(share / (1 - share)), t_half_width(linear) / (share * (1 - share))
    lo, hi = (rounded(1 / (1 + math.exp(-(centre + side * half)))) for side in (-1, 1))
    return {**plain, "ci95": [lo, hi]}


def _timescales(sc: ConferenceScenario, reps: Sequence[ConferenceReplication]) -> dict[str, Any]:
    out = {}
    for m, (name, basis, stated) in measure_names(sc).items():
        cells = [_cells(r, m) for r in reps]
        n, within, unfinished = (int(sum(c[i] for c in cells)) for i in range(3))
        out[m] = {
            "name": name,
            "basis": basis,
            "stated_by_scenario": stated,
            "events": n,
            "within": within,
            "late": n - within - unfinished,
            "unfinished": unfinished,
            "within_share": share_ci([c[1] for c in cells], [c[0] - c[2] for c in cells]),
        }
    return out


def _conferences(sc: ConferenceScenario, reps: Sequence[ConferenceReplication]) -> dict[str, Any]:
    held = [[c for c in r.conferences if c.counted and c.held_day is not None] for r in reps]
    attendance = sc.spec.journeys.attendance
    quorum = attendance.quorum if attendance is not None else 0
    pushed = [[c.pushed_back for c in h if c.pushed_back > 0] for h in held]
    initial = [[c for c in h if c.kind == "initial"] for h in held]
    return {
        "held_per_replication": {
            k: mean_ci([sum(c.kind == k for c in h) for h in held], COUNT)
            for k in ("initial", "receiving-in", "pre-birth", "review", "reconvened")
        },
        "reconvened_for_quoracy": int(sum(c.inquorate for h in held for c in h)),
        "inquorate_but_proceeded": int(
            sum(c.present is not None and c.present < quorum and not c.inquorate for h in held for c in h)
        ),
        "pushed_back_share": ratio_ci([len(p) for p in pushed], [len(h) for h in held], RATE),
        "pushed_back_days_mean": ratio_ci([sum(p) for p in pushed], [len(p) for p in pushed], COUNT),
        "chair_wait_initial_mean": ratio_ci(
            [sum(c.wait for c in i) for i in initial], [len(i) for i in initial], COUNT
        ),
        "same_chair_share": same_chair_share(reps),
        "plans_ended_per_replication": {
            e: mean_ci([sum(x.counted and x.reason == e for x in r.endings) for r in reps], COUNT) for e in ENDINGS
        },
    }


def _transfers_out(reps: Sequence[ConferenceReplication]) -> dict[str, Any]:
    """Children who moved away and whose plan went on here until the receiving authority's conference."""
    rows = [[t for t in r.timed if t.measure == "transfer-out" and t.counted] for r in reps]
    held = [[t.working_days for t in rs if t.working_days is not None] for rs in rows]
    return {
        "per_replication": mean_ci([len(rs) for rs in rows], COUNT),
        "working_days_to_conference_mean": ratio_ci([sum(h) for h in held], [len(h) for h in held], COUNT),
        "still_waiting": int(sum(t.done_day is None for rs in rows for t in rs)),
    }


def _dissent(sc: ConferenceScenario, reps: Sequence[ConferenceReplication]) -> dict[str, Any]:
    """Dissents from conference decisions per 100 conferences held, and where each dissenter's route ended."""
    decided = [sum(c.counted and c.held_day is not None and not c.inquorate for c in r.conferences) for r in reps]
    everyone = [100 * sum(d.counted for d in r.dissents) for r in reps]
    out: dict[str, Any] = {"conferences": int(sum(decided)), "per_100_conferences": ratio_ci(everyone, decided, COUNT)}
    by_who: dict[str, Any] = {}
    for who, route in sorted(sc.dissent.items()):
        proc = route.routes[0].procedure
        cases = [[d for d in r.dissents if d.counted and d.case.endswith(f"/{who}")] for r in reps]
        n = [len(cs) for cs in cases]
        finished = [[d.working_days for d in cs if d.working_days is not None] for cs in cases]

        ended = sorted({d.end_stage for cs in cases for d in cs if d.end_stage is not None})
        by_who[who] = {
            "procedure": proc.id,
            "raised": int(sum(n)),
            "per_100_conferences": ratio_ci([100 * x for x in n], decided, COUNT),
            "ended_at": {
                sid: {
                    "title": proc.stage(sid).title,
                    "share": ratio_ci([sum(d.end_stage == sid for d in cs) for cs in cases], n, RATE),
                }
                for sid in ended
            },
            "visited": {
                st.id: {
                    "title": st.title,
                    "share": ratio_ci([sum(st.id in d.stages for d in cs) for cs in cases], n, RATE),
                }
                for st in proc.stages
                if st.kind.value not in ("start", "terminal") and any(st.id in d.stages for cs in cases for d in cs)
            },
            "unfinished": int(sum(d.end is None for cs in cases for d in cs)),
            "resolution_working_days_mean": ratio_ci([sum(f) for f in finished], [len(f) for f in finished], COUNT),
        }
    out["by_who"] = by_who
    return out


def same_chair_share(reps: Sequence[ConferenceReplication]) -> dict[str, Any]:
    """Share of counted reviews held by the chair of the child's previous conference, with its 95% CI.

    Reviews with no previous conference to compare (children already on a plan at the start, whose
    last chair is not known) and all reviews with unlimited chairs are left out.
    """
    reviews = [
        [c for c in r.conferences if c.counted and c.kind == "review" and c.same_chair is not None] for r in reps
    ]
    return ratio_ci([sum(bool(c.same_chair) for c in rv) for rv in reviews], [len(rv) for rv in reviews], RATE)


def _challenges(sc: ConferenceScenario, reps: Sequence[ConferenceReplication]) -> dict[str, Any]:
    counted = [[c for c in r.challenges if c.counted] for r in reps]
    held = [sum(c.counted for c in r.conferences) for r in reps]
    targets: dict[str, Any] = {}
    rungs: dict[str, Any] = {}
    for route in sc.escalation.routes:
        pid = route.procedure.id
        for t in route.procedure.targets:
            cells = [[sum(1 for c in cs if c.route == pid for x in c.targets if x.target == t.id),
                      sum(1 for c in cs if c.route == pid for x in c.targets if x.target == t.id and x.breached),
                      sum(1 for c in cs if c.route == pid for x in c.targets if x.target == t.id and x.unfinished)]
                     for cs in counted]  # fmt: skip
            targets[f"{pid}/{t.id}"] = {"title": t.title, "within": t.within.label, **breach_figures(cells)}
        for s in route.procedure.stages:
            if s.deadline is None or not s.deadline.is_specified:
                continue
            cells = [[sum(c.stages.count(s.id) for c in cs if c.route == pid),
                      sum(c.rung_breaches.count(s.id) for c in cs if c.route == pid),
                      sum(c.rung_unfinished == s.id for c in cs if c.route == pid)] for cs in counted]  # fmt: skip
            rungs[f"{pid}/{s.id}"] = {"deadline": s.deadline.label, **breach_figures(cells, measured="visits")}
    finished = [[c.working_days for c in cs if c.working_days is not None] for cs in counted]
    return {
        "raised": int(sum(len(r.challenges) for r in reps)),
        "failed_checks": int(sum(len(c.failed_checks) for r in reps for c in r.conferences)),
        "counted": int(sum(len(c) for c in counted)),
        "per_100_conferences": ratio_ci([100 * len(c) for c in counted], held, COUNT),
        "targets": targets,
        "rung_deadlines": rungs,
        "resolution_working_days_mean": ratio_ci([sum(f) for f in finished], [len(f) for f in finished], COUNT),
        "unfinished": int(sum(c.end is None for cs in counted for c in cs)),
    }


def _staff(sc: ConferenceScenario, reps: Sequence[ConferenceReplication]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    specs = {**sc.spec.capacity.staff(), **sc.escalation.staff}
    specs.update({dissent_role(who, role): s for who, route in sc.dissent.items() for role, s in route.staff.items()})
    for role, spec in sorted(specs.items()):
        recs = [x for r in reps for x in (*r.roles, *r.escalation_roles, *r.dissent_roles) if x.role == role]
        if spec.unlimited or not recs:
            out[role] = {"headcount": "unlimited"}
            continue
        out[role] = {
            "headcount": spec.headcount,
            "utilisation": mean_ci([x.utilisation for x in recs], COUNT),
            "queue_mean": rounded(np.mean([x.queue_mean for x in recs])),
            "queue_max": int(max(x.queue_max for x in recs)),
        }
    return out


def summarise_conferences(
    sc: ConferenceScenario, reps: Sequence[ConferenceReplication], *, seed: int
) -> dict[str, Any]:
    """The JSON-ready summary of a conference run (replications in any order)."""
    reps = sorted(reps, key=lambda r: r.replication)
    extra: dict[str, Any] = {}
    if sc.spec.transfers_out is not None:
        extra["transfers_out"] = _transfers_out(reps)
    if sc.dissent:
        extra["dissent"] = _dissent(sc, reps)
    return {
        "scenario": {"id": sc.id, "title": sc.title, "kind": "conference", "lifecycle": sc.lifecycle.id},
        "seed": seed,
        "replications": len(reps),
        "assumptions": list(sc.all_assumptions),
        "children_per_replication": mean_ci([r.children for r in reps], COUNT),
        "timescales": _timescales(sc, reps),
        "conferences": _conferences(sc, reps),
        "challenges": _challenges(sc, reps),
        "staff": _staff(sc, reps),
        **extra,
    }
