"""Colours and flags shared by the drawings: the Okabe-Ito palette, safe for colour-blind readers.

Examples
--------
>>> PALETTE["blue"]
'#0072B2'
>>> Flags.from_findings([]).stages
frozenset()
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FILL", "PALETTE", "Flags"]

PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#4D4D4D",
}
"""Okabe & Ito (2008) colours, plus a dark grey for ordinary lines."""

FILL = {
    "start": "#CCECE3",
    "request": "#DDEFFA",
    "dialogue": "#FBF8D0",
    "decision": "#FAECCC",
    "terminal": "#CCECE3",
}
"""Pale tints of the palette for stage fills, by stage kind."""


@dataclass(frozen=True)
class Flags:
    """Stages and routes to highlight, with the finding codes that flag each."""

    stages: frozenset[str] = frozenset()
    routes: frozenset[tuple[str, str]] = frozenset()
    codes: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_findings(cls, findings: Iterable[Any]) -> Flags:
        """Collect the stages and routes named by verification findings.

        A finding's ``stages`` lists stage ids; its ``route`` lists the stages of a counterexample
        walk (as ids, or as ``(stage, outcome)`` pairs), each consecutive pair a flagged route.

        >>> class F:
        ...     code, stages, route = "dead-end", ("level3",), ("level2", "level3")
        >>> f = Flags.from_findings([F()])
        >>> sorted(f.stages), sorted(f.routes), f.codes
        (['level3'], [('level2', 'level3')], {'level3': ('dead-end',)})
        """
        stages: set[str] = set()
        routes: set[tuple[str, str]] = set()
        codes: dict[str, list[str]] = {}
        for f in findings:
            named = [str(s) for s in (getattr(f, "stages", None) or ())]
            stages.update(named)
            for s in named:
                codes.setdefault(s, [])
                if getattr(f, "code", "") not in codes[s]:
                    codes[s].append(str(getattr(f, "code", "")))
            walk = [_stage_of(x) for x in (getattr(f, "route", None) or ())]
            routes.update(zip(walk, walk[1:], strict=False))
        return cls(frozenset(stages), frozenset(routes), {k: tuple(v) for k, v in codes.items()})


def _stage_of(step: Any) -> str:
    if isinstance(step, str):
        return step
    if isinstance(step, tuple | list) and step:
        return str(step[0])
    return str(getattr(step, "stage", step))
