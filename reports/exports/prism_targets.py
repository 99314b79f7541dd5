"""Each time target of a procedure as its own clock in the PRISM chain, with the properties that read it.

A target's clock starts when a case first enters the target's ``from`` stage and stops when it
next enters one of the target's stop stages, as in :func:`cpsim.verify.exact.propagate.clock`.
Target ``j`` adds two variables to the chain: ``g<j>`` (0 before the clock starts, 1 while it
runs, 2 once it stopped) and ``x<j>``, the whole steps on the clock while it runs (``H+1`` once
past the horizon), and two labels: ``"started_<id>"`` (the clock has started) and ``"met_<id>"``
(it stopped within the target). Figures for a target are for the cases whose clock starts, so
the chance ``cpsim analyse`` gives is ``P=? [ F "met_<id>" ]`` divided by
``P=? [ F "started_<id>" ]``; Storm reads the same as one conditional property,
``P=? [ F "met_<id>" || F "started_<id>" ]``.

Examples
--------
>>> c = TargetClock(0, "five-days", "level1", frozenset({"resolved"}), limit=5)
>>> c.assign("resolved", 2)
["(x0'=(g0=1 ? min(x0+2,H+1) : x0))", "(g0'=(g0=1 ? 2 : g0))"]
>>> c.labels()
['label "started_five_days" = g0>0;', 'label "met_five_days" = g0=2 & x0<=5;']
>>> c.properties()
('P=? [ F "met_five_days" ]', 'P=? [ F "started_five_days" ]', 'P=? [ F "met_five_days" || F "started_five_days" ]')
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from cpsim.model.behaviour import Behaviour
from cpsim.model.procedure.classes import Procedure
from cpsim.model.types import WorkingDays
from cpsim.verify.exact.steps import BehaviourError, exact_days

__all__ = ["TargetClock", "target_clocks"]


@dataclass(frozen=True)
class TargetClock:
    """One target's clock: variables ``g<index>`` and ``x<index>``; ``limit`` is the target in whole steps."""

    index: int
    target: str
    begin: str
    stops: frozenset[str]
    limit: int

    @property
    def name(self) -> str:
        """The target id as a PRISM identifier."""
        return re.sub(r"[^A-Za-z0-9_]", "_", self.target)

    def declarations(self, start: str) -> list[str]:
        """The clock's variables, the state at ``start`` (the chain's first stage) as initial value."""
        g, x = f"g{self.index}", f"x{self.index}"
        init = 0 if start != self.begin else (2 if start in self.stops else 1)
        return [
            f"  {g} : [0..2] init {init}; // target {self.target}: 0 not started, 1 running, 2 stopped",
            f"  {x} : [0..H+1] init 0; // target {self.target}: steps on its clock",
        ]

    def assign(self, dest: str | None, steps: int | None) -> list[str]:
        """Updates on a move into stage ``dest`` (None: stuck) taking ``steps`` (None: past the horizon)."""
        g, x = f"g{self.index}", f"x{self.index}"
        out = []
        if steps is None:
            out.append(f"({x}'=({g}=1 ? H+1 : {x}))")
        elif steps:
            out.append(f"({x}'=({g}=1 ? min({x}+{steps},H+1) : {x}))")
        starts, stops = dest == self.begin, dest in self.stops
        if starts and stops:
            out.append(f"({g}'=2)")
        elif starts:
            out.append(f"({g}'=({g}=0 ? 1 : {g}))")
        elif stops:
            out.append(f"({g}'=({g}=1 ? 2 : {g}))")
        return out

    def labels(self) -> list[str]:
        """``started_<id>`` and ``met_<id>``."""
        g, x = f"g{self.index}", f"x{self.index}"
        return [f'label "started_{self.name}" = {g}>0;', f'label "met_{self.name}" = {g}=2 & {x}<={self.limit};']

    def properties(self) -> tuple[str, str, str]:
        """P(met), P(started), and Storm's conditional P(met | started): the target's figure."""
        met, started = f'"met_{self.name}"', f'"started_{self.name}"'
        return f"P=? [ F {met} ]", f"P=? [ F {started} ]", f"P=? [ F {met} || F {started} ]"


def target_clocks(procedure: Procedure, behaviour: Behaviour, step: WorkingDays) -> tuple[list[TargetClock], list[str]]:
    """A clock per target of ``procedure``, its limit in whole ``step``-day steps (rounded down).

    A target in a calendar unit has no single length in working days, so it gets no clock; the
    second list says why, one line per such target.
    """
    out: list[TargetClock] = []
    left: list[str] = []
    for t in procedure.targets:
        try:
            days = exact_days(t.within, behaviour.hours_per_day, f"the target “{t.title}”")
        except BehaviourError as exc:
            left.append(f"target {t.id}: no property, {exc}")
            continue
        stops = frozenset(procedure.target_stops(t))
        out.append(TargetClock(len(out), t.id, t.from_, stops, int(math.floor(days / step + 1e-9))))
    return out, left
