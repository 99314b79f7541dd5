"""The timescales a conference simulation is measured against, taken from a life cycle's milestones.

Each :class:`Rule` is one timescale under the name the national children-in-need statistics use
for it. It comes from the life-cycle procedure's milestone for that topic when the milestone gives
a time (the rule cites it), or from the scenario's ``timescales`` section when the procedure gives
none (the rule carries the scenario's stated assumption). A scenario may not restate a timescale
the procedure gives: :func:`timescale_rules` reports that as a problem, as it reports a needed
timescale that neither gives.

Examples
--------
>>> from cpsim.model import load_procedure, shipped_procedure_paths
>>> path = next(p for p in shipped_procedure_paths() if p.stem == "wakefield-conference-lifecycle")
>>> rules, missing, restated = timescale_rules(load_procedure(path), {})
>>> rules["icpc"].name
'Initial child protection conferences within 15 working days of the strategy discussion'
>>> rules["minutes"].within.label, missing
('15 working days', ['review'])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cpsim.model.conference.spec import StatedTimescale, TimescaleId
from cpsim.model.procedure.classes import Duration, Procedure
from cpsim.model.procedure.milestones import Milestone
from cpsim.model.types import Unit

__all__ = ["MOVED_AWAY", "NEEDED", "TOPICS", "Rule", "timescale_rules", "transfer_out_rule"]

TOPICS: dict[TimescaleId, str] = {
    "icpc": "icpc",
    "review": "cp-review",
    "core-group": "core-group",
    "minutes": "minutes-circulated",
    "plan-circulated": "plan-circulated",
    "reconvened": "icpc-reconvened",
    "receiving-in": "receiving-in-conference",
    "pre-birth": "pre-birth-conference",
    "reports-to-chair": "reports-to-chair-icpc",
}
"""The milestone topic (shared across procedures) each timescale is read from."""

NEEDED: frozenset[TimescaleId] = frozenset({"icpc", "review", "core-group", "minutes"})
"""Timescales a simulation cannot run without (the others are measured only when given)."""


@dataclass(frozen=True)
class Rule:
    """One timescale: its measure, the time allowed, and where it comes from.

    ``then`` is the interval after the first occurrence (reviews, core groups); ``maximum`` says
    whether it is a maximum ("at maximum intervals of 6 months") rather than a cadence. ``basis``
    is the citation (``stated`` False) or the scenario's assumption (``stated`` True).
    """

    measure: TimescaleId
    within: Duration
    then: Duration | None
    basis: str
    stated: bool
    maximum: bool = True

    @property
    def name(self) -> str:
        """The measure as the national children-in-need statistics word it, with this authority's time."""
        w = self.within.label
        then = self.then.label if self.then is not None else None
        return {
            "icpc": f"Initial child protection conferences within {w} of the strategy discussion",
            "review": f"Reviews held within timescale (first within {w}" + (f", then within {then})" if then else ")"),
            "core-group": f"First core group within {w} of the initial conference",
            "minutes": f"Minutes / record circulated within {w} of the conference",
            "plan-circulated": f"Plan circulated within {w} of the conference",
            "reconvened": f"Inquorate conferences reconvened within {w}",
            "receiving-in": f"Receiving-in conferences within {w} of the decision to hold one",
            "pre-birth": f"Pre-birth conferences {self.within.phrase} of gestation",
            "reports-to-chair": f"Reports to the chair on time (at least {w} before an initial conference"
            + (f", {then} before a review)" if then else ")"),
            "transfer-out": f"Transfer-out conferences held by the receiving authority within {w} of being notified"
            " of the move",
        }[self.measure]

    @property
    def cycle_name(self) -> str | None:
        """The name of the repeating part, for core groups ("core groups on their cycle")."""
        if self.measure != "core-group" or self.then is None:
            return None
        return f"Core groups on their cycle (every {self.then.label} at most)"


def _cite(proc: Procedure, m: Milestone, words: str) -> str:
    src = m.source
    return f"{proc.id}, milestone '{m.id}': \"{words}\" ({src.doc}, {src.ref})"


def _before(proc: Procedure, topic: str) -> tuple[Duration, str] | None:
    """The time a milestone of ``topic`` must come before its conference, with the words citing it."""
    for m in proc.milestones:
        if m.topic != topic:
            continue
        for lim in m.timing:
            given = lim.at_least or lim.within
            if lim.before is not None and given is not None:
                return given, _cite(proc, m, lim.as_written or given.phrase)
    return None


def _reports_rule(proc: Procedure) -> Rule | None:
    """Reports to the chair: before an initial conference (``within``) and before a review (``then``), both given."""
    initial, review = _before(proc, "reports-to-chair-icpc"), _before(proc, "reports-to-chair-review")
    if initial is None or review is None:
        return None
    return Rule("reports-to-chair", initial[0], review[0], f"{initial[1]}; {review[1]}", False)


def _from_milestone(proc: Procedure, measure: TimescaleId) -> Rule | None:
    """The rule the procedure's milestone of this topic gives, or None when it gives no time."""
    if measure == "reports-to-chair":
        return _reports_rule(proc)
    icpc = next((m.id for m in proc.milestones if m.topic == "icpc"), "icpc")
    for m in proc.milestones:
        if m.topic != TOPICS[measure]:
            continue
        limits = [lim for lim in m.timing if (lim.within or lim.between) is not None]
        if measure not in ("icpc", "receiving-in", "pre-birth"):
            limits = [lim for lim in limits if lim.after == icpc]
        if not limits:
            continue
        lim = limits[0]
        within = lim.within or lim.between
        assert within is not None
        then = m.repeats.interval if m.repeats is not None else None
        if measure in ("review", "core-group") and then is None:
            continue
        words = lim.as_written or within.phrase
        if m.repeats is not None and m.repeats.as_written:
            words += f"; {m.repeats.as_written}"
        if lim.otherwise:
            words += f" (the source allows: {lim.otherwise!r})"
        if lim.provisional_text:
            words += f" — provisional: {lim.provisional_text!r}"
        maximum = m.repeats.is_maximum if m.repeats is not None else True
        return Rule(measure, within, then, _cite(proc, m, words), False, maximum)
    return None


MOVED_AWAY = "moved-away"
"""The id of the life cycle's milestone for a child's permanent move away (the ending of the same name)."""


def transfer_out_rule(proc: Procedure) -> Rule | None:
    """The receiving authority's conference after a child moves away, as the life cycle times it.

    Read from the milestones: ``moved-away`` (the move), a milestone timed ``immediately`` after it
    (the notification), and the milestone of topic ``receiving-in-conference`` timed after that
    notification. None when the life cycle has no such chain (it describes no transfer out).

    >>> from cpsim.model import load_procedure, shipped_procedure_paths
    >>> paths = {p.stem: p for p in shipped_procedure_paths()}
    >>> transfer_out_rule(load_procedure(paths["stoke-conference-lifecycle"])).within.label
    '15 working days'
    >>> transfer_out_rule(load_procedure(paths["wakefield-conference-lifecycle"])) is None
    True
    """
    by_id = {m.id: m for m in proc.milestones}
    if MOVED_AWAY not in by_id:
        return None
    immediate = (Unit.IMMEDIATELY, Unit.SAME_DAY)
    for notice in proc.milestones:
        told = [lim for lim in notice.timing if lim.after == MOVED_AWAY and lim.within and lim.within.unit in immediate]
        if not told:
            continue
        for m in proc.milestones:
            limits = [lim for lim in m.timing if lim.after == notice.id and lim.within is not None]
            if m.topic != TOPICS["receiving-in"] or not limits:
                continue
            within = limits[0].within
            assert within is not None
            basis = (
                f"{_cite(proc, notice, told[0].as_written or told[0].within.phrase)}; "  # type: ignore[union-attr]
                f"{_cite(proc, m, limits[0].as_written or within.phrase)}"
            )
            return Rule("transfer-out", within, None, basis, False)
    return None


def timescale_rules(
    proc: Procedure, stated: Mapping[TimescaleId, StatedTimescale]
) -> tuple[dict[TimescaleId, Rule], list[TimescaleId], list[tuple[TimescaleId, str]]]:
    """The rules for ``proc`` with the scenario's ``stated`` timescales.

    Returns the rules, the needed timescales neither gives, and the stated ones the procedure
    already gives (each with the procedure's citation).
    """
    rules: dict[TimescaleId, Rule] = {}
    missing: list[TimescaleId] = []
    restated: list[tuple[TimescaleId, str]] = []
    for measure in TOPICS:
        given = _from_milestone(proc, measure)
        own = stated.get(measure)
        if given is not None:
            rules[measure] = given
            if own is not None:
                restated.append((measure, given.basis))
        elif own is not None:
            rules[measure] = Rule(measure, own.within, own.then, own.assumption, True)
        elif measure in NEEDED:
            missing.append(measure)
    return rules, missing, restated
