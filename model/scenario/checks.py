"""Cross-checks between a scenario and the procedures it runs, and the merge into one Behaviour per route.

The rules follow the semantics in :mod:`cpsim.model.behaviour`: every outcome that can happen with
positive probability must lead somewhere (a transition of the procedure, or an ``assumed`` one the
scenario states), and a stage whose source gives no reply deadline needs a stated assumption.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from cpsim.model.behaviour import Behaviour, ResponderBehaviour, StageBehaviour, to_working_days
from cpsim.model.errors import Problem, did_you_mean
from cpsim.model.procedure.classes import Procedure, Stage
from cpsim.model.procedure.parallel import untimed_by_engines
from cpsim.model.types import OutcomeId, StageId, StageKind, Unit

__all__ = ["build_behaviour", "check_references", "possible_outcomes"]

_TOL = 1e-9


def _entries(data: Any) -> list[tuple[int, dict[str, Any]]]:
    items = data.get("procedures") if isinstance(data, dict) else None
    return [(i, e) for i, e in enumerate(items) if isinstance(e, dict)] if isinstance(items, list) else []


def check_references(doc: Any, data: Any, procs: list[Any]) -> list[Problem]:
    """Unknown stages, roles, outcomes and deputies; shares that do not add up to 1."""
    out: list[Problem] = []
    shares: list[float] = []
    all_roles: set[str] = set()
    seen: dict[str, int] = {}
    for i, entry in _entries(data):
        share = entry.get("share", 1.0)
        if isinstance(share, (int, float)):
            shares.append(float(share))
        resolved = procs[i] if i < len(procs) else None
        if resolved is None:
            continue
        proc: Procedure = resolved[0]
        if proc.id in seen:
            out.append(doc.problem(("procedures", i, "procedure"), f"procedure {proc.id!r} is listed twice"))
        seen[proc.id] = i
        all_roles.update(r.id for r in proc.roles)
        _check_names(doc, i, entry, proc, out)
    if shares and abs(sum(shares) - 1) > 1e-6:
        out.append(
            doc.problem(("procedures",), f"the routes' shares add up to {sum(shares):g}", "they must add up to 1")
        )
    staff = data.get("staff") if isinstance(data, dict) else None
    if isinstance(staff, dict) and all_roles and all(p is not None for p in procs):
        for role, spec in staff.items():
            if role not in all_roles:
                out.append(
                    doc.problem(
                        ("staff", role),
                        f"no procedure has a role {role!r}",
                        did_you_mean(role, sorted(all_roles)),
                        key=True,
                    )
                )
            deputy = spec.get("deputy") if isinstance(spec, dict) else None
            if isinstance(deputy, str) and (deputy not in staff or deputy == role):
                out.append(
                    doc.problem(
                        ("staff", role, "deputy"),
                        f"deputy {deputy!r} is not another role under staff",
                        did_you_mean(deputy, [r for r in staff if r != role]),
                    )
                )
    return out


def _check_names(doc: Any, i: int, entry: dict[str, Any], proc: Procedure, out: list[Problem]) -> None:
    here = ("procedures", i)
    behaviour = entry.get("behaviour")
    stage_ids = [s.id for s in proc.stages]
    if isinstance(behaviour, dict):
        for section, known in (("stages", stage_ids), ("roles", [r.id for r in proc.roles])):
            items = behaviour.get(section)
            for key in items if isinstance(items, dict) else ():
                if key not in known:
                    what = section[:-1]
                    msg = f"procedure {proc.id!r} has no {what} {key!r}"
                    out.append(doc.problem((*here, "behaviour", section, key), msg, did_you_mean(key, known), key=True))
            for key, sb in (items or {}).items() if isinstance(items, dict) else ():
                assumed = sb.get("assumed") if isinstance(sb, dict) else None
                for outcome, dest in assumed.items() if isinstance(assumed, dict) else ():
                    if isinstance(dest, str) and dest not in stage_ids:
                        loc = (*here, "behaviour", section, key, "assumed", outcome)
                        out.append(doc.problem(loc, f"unknown stage {dest!r}", did_you_mean(dest, stage_ids)))
                given = sb.get("responders") if isinstance(sb, dict) and section == "stages" else None
                owed = [r.role for r in proc.stage(key).responders] if key in stage_ids else []
                for role in given if isinstance(given, dict) else ():
                    if role not in owed:  # a joint reply's responders, each with its own reply_time
                        loc = (*here, "behaviour", section, key, "responders", role)
                        msg = f"{role!r} is not one of the responders who owe the joint reply at stage {key!r}"
                        fix = did_you_mean(role, owed) if owed else "give 'responders' only at a joint reply"
                        out.append(doc.problem(loc, msg, fix, key=True))
    flagged = entry.get("flagged")
    start_outcomes = [t.on for t in proc.transitions_from(proc.start.id)]
    for key in flagged if isinstance(flagged, dict) else ():
        if key not in start_outcomes:
            msg = f"{key!r} is not a route out of {proc.id}'s start stage {proc.start.id!r}"
            out.append(doc.problem((*here, "flagged", key), msg, did_you_mean(key, start_outcomes), key=True))


def _merged(stage: Stage, roles: dict[str, StageBehaviour], stages: dict[str, StageBehaviour]) -> StageBehaviour | None:
    role = stage.responder if stage.kind is StageKind.REQUEST else stage.owner
    base = roles.get(role) if role else None
    own = stages.get(stage.id)
    by_role = {r.role: roles[r.role] for r in stage.responders if r.role in roles}
    if by_role:  # a joint reply: each responder's role gives its reply_time unless the stage does
        given = own.responders if own is not None else {}
        times = {
            r: ResponderBehaviour(reply_time=b.reply_time)
            for r, b in by_role.items()
            if "reply_time" in b.model_fields_set
        }
        update = {"responders": {**times, **given}}
        own = own.model_copy(update=update) if own is not None else StageBehaviour(responders={**times})
    if base is None or own is None:
        return own or base
    return base.model_copy(update={k: getattr(own, k) for k in own.model_fields_set})


def build_behaviour(doc: Any, i: int, rspec: Any, proc: Procedure, spec: Any, problems: list[Problem]) -> Behaviour:
    """The route's :class:`Behaviour` (roles merged into stages, ``flagged`` into start choices), checked."""
    here = ("procedures", i)
    stages: dict[StageId, StageBehaviour] = {}
    for s in proc.stages:
        if not s.is_terminal:
            b = _merged(s, rspec.behaviour.roles, rspec.behaviour.stages)
            if b is not None:
                stages[s.id] = b
    if rspec.flagged:
        start = proc.start.id
        if start in stages and stages[start].choices:
            problems.append(
                doc.problem((*here, "flagged"), "give either 'flagged' or choices at the start stage, not both")
            )
        rest = 1 - sum(rspec.flagged.values())
        plain = [t.on for t in proc.transitions_from(start) if t.on not in rspec.flagged]
        if rest < -_TOL or (rest > _TOL and len(plain) != 1):
            problems.append(
                doc.problem((*here, "flagged"), "flagged shares must leave exactly one ordinary route for the rest")
            )
        else:
            choices = {**rspec.flagged, **({plain[0]: max(rest, 0.0)} if plain else {})}
            current = stages.get(start, StageBehaviour())
            stages[start] = current.model_copy(update={"choices": choices})
    behaviour = Behaviour(stages=stages, hours_per_day=spec.calendar.hours_per_day)
    _check_behaviour(doc, here, rspec, proc, behaviour, problems)
    _check_target_units(doc, here, proc, problems)
    problems.extend(doc.problem((*here, "procedure"), what, fix) for what, fix in untimed_by_engines(proc))
    return behaviour


_MEASURED = frozenset({Unit.WORKING_DAYS, Unit.WORKING_HOURS, Unit.IMMEDIATELY, Unit.CALENDAR_DAYS, Unit.HOURS})
"""Units of the targets the simulator measures (:mod:`cpsim.simulate.engine.targets`): working or calendar time."""


def _check_target_units(doc: Any, here: tuple[str | int, ...], proc: Procedure, out: list[Problem]) -> None:
    """A target in weeks, months or the same day has no measure in the simulator yet: refused, not approximated."""
    for t in proc.targets:
        if t.within.unit not in _MEASURED:
            out.append(
                doc.problem(
                    (*here, "procedure"),
                    f"target {t.id!r} ({t.within.phrase}) of procedure {proc.id!r} is in calendar time "
                    "the simulator does not measure",
                    "the simulator measures targets in working days or hours and in calendar days or clock hours; "
                    "run a copy of the procedure that gives the target in calendar-days, saying why in 'reading'",
                )
            )


def possible_outcomes(stage: Stage, b: StageBehaviour, outs: set[OutcomeId], hours_per_day: float) -> set[OutcomeId]:
    """Outcomes that happen with positive probability at ``stage`` (``outs``: outcomes with a transition)."""
    if stage.kind is StageKind.REQUEST:
        got: set[OutcomeId] = set()
        if b.p_no_reply < 1:
            if b.p_satisfied > 0:
                got.add("satisfied")
            if b.p_satisfied < 1:
                got.add("unsatisfied")
        deadline = stage.deadline.duration if stage.deadline else None
        if b.p_no_reply > 0:
            got.add("no-reply")
        elif "no-reply" in outs and deadline is not None:
            if b.reply_time.upper > to_working_days(deadline, hours_per_day=hours_per_day):
                got.add("no-reply")
        return got
    if b.choices:
        return {o for o, p in b.choices.items() if p > 0}
    return set(outs)


def _check_behaviour(
    doc: Any, here: tuple[str | int, ...], rspec: Any, proc: Procedure, behaviour: Behaviour, out: list[Problem]
) -> None:
    given = {(t.from_, t.on) for t in proc.transitions}
    outs: dict[StageId, set[OutcomeId]] = {s.id: {t.on for t in proc.transitions_from(s.id)} for s in proc.stages}
    nxt: dict[tuple[StageId, OutcomeId], StageId] = {(t.from_, t.on): t.to for t in proc.transitions}
    for sid, b in behaviour.stages.items():
        loc = _loc(rspec, here, proc, sid)
        for outcome, dest in b.assumed.items():
            if (sid, outcome) in given:
                out.append(
                    doc.problem(
                        loc, f"{sid}: the procedure already says where {outcome!r} leads", "remove it from 'assumed'"
                    )
                )
            elif not b.assumption:
                out.append(
                    doc.problem(
                        loc, f"{sid}: 'assumed' needs an 'assumption' saying why", "add assumption: <plain English>"
                    )
                )
            outs[sid].add(outcome)
            nxt[(sid, outcome)] = dest
        if b.send_time is not None and (sid not in outs or proc.stage(sid).send is None):
            out.append(
                doc.problem(
                    loc,
                    f"{sid}: send_time, but the procedure gives this stage no time to send ('send')",
                    "remove send_time; a time to send belongs on a request stage whose procedure has 'send'",
                )
            )
    seen: set[StageId] = set()
    queue = deque([proc.start.id])
    while queue:
        sid = queue.popleft()
        if sid in seen or sid not in outs:
            continue
        seen.add(sid)
        stage = proc.stage(sid)
        if stage.is_terminal:
            continue
        b = behaviour.at(sid)
        loc = _loc(rspec, here, proc, sid)
        _check_stage(doc, loc, stage, b, outs[sid], behaviour.hours_per_day, out)
        for outcome in possible_outcomes(stage, b, outs[sid], behaviour.hours_per_day):
            if (sid, outcome) in nxt:
                queue.append(nxt[(sid, outcome)])


def _check_stage(
    doc: Any,
    loc: tuple[str | int, ...],
    stage: Stage,
    b: StageBehaviour,
    outs: set[OutcomeId],
    hpd: float,
    out: list[Problem],
) -> None:
    sid = stage.id
    for outcome in sorted(possible_outcomes(stage, b, outs, hpd) - outs):
        out.append(
            doc.problem(
                loc,
                f"{sid}: outcome {outcome!r} can happen here but the procedure says nothing about what follows",
                f"set its probability to 0, or add assumed: {{{outcome}: <stage>}} with an assumption",
            )
        )
    if stage.kind is not StageKind.REQUEST and len(outs) > 1 and not b.choices:
        out.append(
            doc.problem(
                loc,
                f"{sid}: {len(outs)} ways out ({', '.join(sorted(outs))}) but no choices",
                "give the route 'flagged: {<skip outcome>: share}'"
                if stage.kind is StageKind.START
                else "add choices: {outcome: probability, ...}",
            )
        )
    for key in sorted(set(b.choices) - outs):
        out.append(doc.problem(loc, f"{sid}: choice {key!r} has no transition", did_you_mean(key, sorted(outs))))
    for key in sorted(set(b.move_time) - outs):
        out.append(
            doc.problem(loc, f"{sid}: move_time for {key!r}, which has no transition", did_you_mean(key, sorted(outs)))
        )
    _check_send(doc, loc, stage, b, out)
    deadline = stage.deadline
    if stage.kind is StageKind.REQUEST and b.p_no_reply > 0 and (deadline is None or not deadline.is_specified):
        out.append(
            doc.problem(
                loc,
                f"{sid}: p_no_reply > 0 but the stage has no deadline, so the case would never move on",
                "set p_no_reply to 0",
            )
        )
    _check_deadline_unit(doc, loc, stage, hpd, out)
    if stage.kind is StageKind.REQUEST and (deadline is None or not deadline.is_specified) and not b.assumption:
        out.append(
            doc.problem(
                loc,
                f"{sid}: the procedure gives no reply deadline here, so the reply time is an assumption",
                "give reply_time and an 'assumption' saying what is assumed and why",
            )
        )


def _check_send(doc: Any, loc: tuple[str | int, ...], stage: Stage, b: StageBehaviour, out: list[Problem]) -> None:
    """A time to send the source does not give is the scenario's to state (``send_time``), never taken as none."""
    if stage.send is not None and not stage.send.is_specified and b.send_time is None:
        out.append(
            doc.problem(
                loc,
                f"{stage.id}: the source gives no time to send the request here ({stage.owner} sends it; "
                "the reply clock starts only once it is sent), so the time to send is an assumption",
                "give send_time: <distribution> (as for reply_time) and say what is assumed in 'assumption'",
            )
        )


def _check_deadline_unit(doc: Any, loc: tuple[str | int, ...], stage: Stage, hpd: float, out: list[Problem]) -> None:
    """A reply deadline with no one length in working days (weeks, months, calendar days ...) cannot be timed."""
    given = stage.deadline.duration if stage.deadline is not None else None
    if stage.kind is not StageKind.REQUEST or given is None or given.exact_working_days(hpd) is not None:
        return
    out.append(
        doc.problem(
            loc,
            f"{stage.id}: the reply deadline ({given.phrase}) has no one length in working days "
            f"(it can hold up to {given.working_days_at_most(hpd):g}), "
            "and the simulator and the exact analysis time reply deadlines in working days",
            "run a copy of the procedure that reads it in working days (unit: working-days, keeping as_written "
            "and saying why in 'reading'), as the drafts in scenarios/procedures/ do",
        )
    )


def _loc(rspec: Any, here: tuple[str | int, ...], proc: Procedure, sid: StageId) -> tuple[str | int, ...]:
    if sid in rspec.behaviour.stages:
        return (*here, "behaviour", "stages", sid)
    if sid == proc.start.id and rspec.flagged:
        return (*here, "flagged")
    return (*here, "procedure")
