"""Colours and flags shared by the drawings: the Okabe-Ito palette, safe for colour-blind readers.

Examples
--------
>>> PALETTE["blue"]
'#0072B2'
>>> Flags.from_findings([]).stages
frozenset()
>>> route_colour(skip=True, flagged=False) == PALETTE["blue"]
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from cpsim.verify import Finding

__all__ = ["FILL", "FLAGGED", "PALETTE", "Flags", "flagged_findings", "route_colour", "stage_edge"]

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

FLAGGED = ("violation", "warning")
"""Severities a drawing marks in vermillion (gaps are already shown as UNSPECIFIED)."""


def flagged_findings(findings: Iterable[Finding]) -> list[Finding]:
    """The findings a drawing marks: those whose severity is in :data:`FLAGGED`.

    >>> f = Finding("NO_DEADLINE", "gap", "p", ("level3",), (), "No deadline.")
    >>> flagged_findings([f])
    []
    """
    return [f for f in findings if f.severity in FLAGGED]


def stage_edge(flagged: bool) -> str:
    """The outline colour of a stage: vermillion when flagged by verification, else grey."""
    return PALETTE["vermillion"] if flagged else PALETTE["grey"]


def route_colour(skip: bool, flagged: bool) -> str:
    """The colour of a route: vermillion when flagged, blue for a skip route, else grey."""
    if flagged:
        return PALETTE["vermillion"]
    return PALETTE["blue"] if skip else PALETTE["grey"]


@dataclass(frozen=True)
class Flags:
    """Stages and routes to highlight, with the finding codes that flag each."""

    stages: frozenset[str] = frozenset()
    routes: frozenset[tuple[str, str]] = frozenset()
    codes: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_findings(cls, findings: Iterable[Finding]) -> Flags:
        """Collect the stages and routes named by verification findings.

        A finding's ``stages`` are flagged stages; its ``route`` is the walk of a counterexample,
        each consecutive pair of stages a flagged route.

        >>> f = Finding("DEAD_END", "violation", "p", ("level3",), ("level2", "level3"), "Stuck.")
        >>> flags = Flags.from_findings([f])
        >>> sorted(flags.stages), sorted(flags.routes), flags.codes
        (['level3'], [('level2', 'level3')], {'level3': ('DEAD_END',)})
        """
        stages: set[str] = set()
        routes: set[tuple[str, str]] = set()
        codes: dict[str, list[str]] = {}
        for f in findings:
            stages.update(f.stages)
            for s in f.stages:
                codes.setdefault(s, [])
                if f.code not in codes[s]:
                    codes[s].append(f.code)
            routes.update(zip(f.route, f.route[1:], strict=False))
        return cls(frozenset(stages), frozenset(routes), {k: tuple(v) for k, v in codes.items()})
