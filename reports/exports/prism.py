"""Export a procedure with discrete reply times as a PRISM DTMC, for probabilistic model checkers.

The chain has one step per stage visit. Its variables are the stage ``s``, the repeat count
``c<i>`` of each transition with ``max_repeats``, and the time ``t`` in whole steps (one step is
``step`` working days, default 1), which stops counting at ``H + 1`` ("beyond the horizon"). From
each stage the chain jumps, with the probability the behaviour contract gives, to the next stage
and adds that visit's reply or stay time plus move time to ``t``. Cases that never end go to a
``stuck`` state. Labels: ``"done"`` (a terminal stage), ``"stuck"``, and ``"end_<stage>"`` for
each terminal.

The probability that a case is resolved within ``k`` steps is then
``P=? [ F ("done" & t<=k) ]`` (see :func:`within_property`), which equals
:meth:`cpsim.verify.exact.results.Analysis.within` for the same behaviour. (The chain's own step count
is a count of stage visits, not of days, so ``F<=k`` would not measure time.)

Each target of the procedure has its own clock, started and stopped at the target's own stages
(:mod:`cpsim.reports.exports.prism_targets`), with labels ``"started_<id>"`` and ``"met_<id>"``;
the file ends with the properties for each target as comments, ready to paste, and
:func:`target_properties` returns them. The target's figure in ``cpsim analyse`` is the chance
of ``met`` divided by the chance of ``started``.

Every reply, stay and move time and every deadline must be a whole number of steps.

Examples
--------
>>> from cpsim.model import load_procedure, shipped_procedure_paths
>>> from cpsim.model.behaviour import Behaviour
>>> proc = load_procedure([p for p in shipped_procedure_paths() if p.stem == "redcar-external"][0])
>>> text = to_prism(proc, Behaviour(), horizon=10)
>>> text.splitlines()[0]
'dtmc'
>>> within_property(5)
'P=? [ F ("done" & t<=5) ]'
>>> target_properties(proc, Behaviour())["five-working-days"][0]
'P=? [ F "met_five_working_days" ]'
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

from cpsim.model.behaviour import Behaviour
from cpsim.model.errors import CpsimError
from cpsim.model.procedure.classes import Procedure
from cpsim.model.types import StageKind, WorkingDays
from cpsim.reports.exports.prism_targets import TargetClock, target_clocks
from cpsim.verify.exact.measure import Lattice
from cpsim.verify.exact.propagate import Context, Counts, moves
from cpsim.verify.exact.steps import deadline_days

__all__ = ["ExportError", "target_properties", "to_prism", "within_property"]


class ExportError(CpsimError):
    """The procedure or behaviour cannot be expressed in the export format."""


def within_property(steps: int) -> str:
    """The PRISM property for P(resolved within ``steps`` time steps)."""
    return f'P=? [ F ("done" & t<={int(steps)}) ]'


def target_properties(
    procedure: Procedure, behaviour: Behaviour, *, step: WorkingDays = 1.0
) -> dict[str, tuple[str, str, str]]:
    """Per target id: P(met), P(started) and Storm's conditional P(met | started), the target's figure."""
    return {c.target: c.properties() for c in target_clocks(procedure, behaviour, step)[0]}


def to_prism(
    procedure: Procedure, behaviour: Behaviour, *, step: WorkingDays = 1.0, horizon: WorkingDays = 60.0
) -> str:
    """The PRISM DTMC text of ``procedure`` under ``behaviour``.

    Raises
    ------
    ExportError
        If a time is continuous or not a whole number of steps.
    BehaviourError
        If a stage with several ways out has no ``choices``.
    """
    _check_whole_steps(procedure, behaviour, step)
    h = int(math.floor(horizon / step + 1e-9))
    clocks, left = target_clocks(procedure, behaviour, step)
    for c in clocks:
        if c.limit > h:
            raise ExportError(f"target {c.target!r} is longer than the horizon of {h} steps: raise --horizon")
    ctx = Context.build(procedure, behaviour, Lattice(step, h * step, "exact"))
    index = {s.id: i for i, s in enumerate(procedure.stages)}
    stuck = len(procedure.stages)
    lines = [
        "dtmc",
        "",
        f"// {procedure.id}: {_comment(procedure.title)}",
        f"// one time step = {step:g} working day(s); t stops counting at H+1 (beyond the horizon)",
        *(f"// s={i}: {s.id}" for i, s in enumerate(procedure.stages)),
        f"// s={stuck}: stuck (the case never ends)",
        "",
        f"const int H = {h};",
        "",
        "module challenge",
        f"  s : [0..{stuck}] init {index[procedure.start.id]};",
        "  t : [0..H+1] init 0;",
        *(
            f"  c{i} : [0..{tr.max_repeats}] init 0; // {tr.from_} -> {tr.to} on {tr.on}"
            for i, tr in enumerate(ctx.bounded)
        ),
        *(line for c in clocks for line in c.declarations(procedure.start.id)),
    ]
    for (stage, counts), updates in _commands(ctx, index, stuck, clocks).items():
        guard = " & ".join([f"s={index[stage]}", *(f"c{i}={c}" for i, c in enumerate(counts))])
        body = " + ".join(f"{p!r} : {u}" for u, p in sorted(updates.items()))
        lines.append(f"  [] {guard} -> {body};")
    ends = [index[s.id] for s in procedure.stages if s.is_terminal] + [stuck]
    lines.append(f"  [] {' | '.join(f's={i}' for i in ends)} -> true;")
    lines += ["endmodule", ""]
    done = " | ".join(f"s={index[s.id]}" for s in procedure.stages if s.is_terminal) or "false"
    lines.append(f'label "done" = {done};')
    lines.append(f'label "stuck" = s={stuck};')
    lines += [f'label "end_{_name(s.id)}" = s={index[s.id]};' for s in procedure.stages if s.is_terminal]
    lines += [label for c in clocks for label in c.labels()]
    lines += _property_comments(clocks, left)
    return "\n".join(lines) + "\n"


def _property_comments(clocks: list[TargetClock], left: list[str]) -> list[str]:
    out = ["", "// Properties (paste into a .props file):"] if clocks or left else []
    for c in clocks:
        met, started, conditional = c.properties()
        out += [
            f"// target {c.target}: from {c.begin} to {' or '.join(sorted(c.stops))}, within {c.limit} step(s)",
            f"//   {met}",
            f"//   {started}",
            f"//   the target's figure is the first divided by the second; in Storm: {conditional}",
        ]
    return out + [f"// {line}" for line in left]


def _commands(
    ctx: Context, index: dict[str, int], stuck: int, clocks: list[TargetClock]
) -> dict[tuple[str, Counts], dict[str, float]]:
    out: dict[tuple[str, Counts], dict[str, float]] = {}
    todo, seen = [ctx.start], {ctx.start}
    while todo:
        stage, counts = todo.pop()
        if ctx.is_terminal(stage):
            continue
        updates: dict[str, float] = defaultdict(float)
        for mv in moves(ctx, stage, counts):
            dest = index[mv.dest] if mv.dest is not None else stuck
            assign = [f"(s'={dest})", *(f"(c{i}'={c})" for i, c in enumerate(mv.counts) if c != counts[i])]
            lost = mv.branch.probability - float(mv.branch.times.sum())
            for d, mass in enumerate(mv.branch.times):
                if mass > 0:
                    time = [f"(t'=min(t+{d},H+1))"] if d else []
                    ticks = [u for c in clocks for u in c.assign(mv.dest, d)]
                    updates[" & ".join([*assign, *time, *ticks])] += float(mass)
            if lost > 1e-15:
                ticks = [u for c in clocks for u in c.assign(mv.dest, None)]
                updates[" & ".join([*assign, "(t'=H+1)", *ticks])] += lost
            if mv.dest is not None and (mv.dest, mv.counts) not in seen:
                seen.add((mv.dest, mv.counts))
                todo.append((mv.dest, mv.counts))
        out[(stage, counts)] = dict(updates)
    return out


def _check_whole_steps(procedure: Procedure, behaviour: Behaviour, step: WorkingDays) -> None:
    for stage in procedure.stages:
        sb = behaviour.at(stage.id)
        dist = sb.reply_time if stage.kind is StageKind.REQUEST else sb.stay_time
        for what, d in [("reply/stay time", dist), *((f"move time on {o!r}", m) for o, m in sb.move_time.items())]:
            atoms = d.atoms
            if atoms is None:
                raise ExportError(f"stage {stage.id!r}: the {what} must be fixed or discrete for the PRISM export")
            _whole(stage.id, what, [v for v, _ in atoms], step)
        limit = deadline_days(stage, behaviour) if stage.kind is StageKind.REQUEST else None
        _whole(stage.id, "deadline", [limit] if limit is not None else [], step)


def _whole(stage: str, what: str, values: list[float], step: WorkingDays) -> None:
    for v in values:
        if abs(v / step - round(v / step)) > 1e-9:
            raise ExportError(f"stage {stage!r}: {what} {v:g} is not a whole number of {step:g}-day steps")


def _name(stage_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", stage_id)


def _comment(text: str) -> str:
    return " ".join(text.split())
