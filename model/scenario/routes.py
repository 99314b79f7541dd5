"""The resolved pieces of a scenario: each route's procedure with its behaviour, and replayed arrivals.

Examples
--------
>>> from cpsim.model.scenario.classes import SCENARIOS_DIR, load_scenario
>>> route = load_scenario(SCENARIOS_DIR / "redcar-baseline.yaml").route("redcar-internal")
>>> flagged_shares(route)
[('immediate-concern', 0.05)]
>>> len(route.effective.transitions) - len(route.procedure.transitions)
2
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from cpsim.model.behaviour import Behaviour
from cpsim.model.procedure.classes import Citation, Procedure, Transition
from cpsim.model.scenario.spec import _Frozen
from cpsim.model.types import SKIP_OUTCOMES

__all__ = ["ReplayRow", "Route", "effective_procedure", "flagged_shares"]


class ReplayRow(_Frozen):
    """One replayed arrival: the date a challenge was raised, and its route if the CSV gives one."""

    date: dt.date
    route: str | None = None


class Route(_Frozen):
    """One resolved procedure in the mix, with its behaviour."""

    procedure: Procedure
    share: float
    behaviour: Behaviour
    path: str = Field(description="The procedure file the route was loaded from.")

    @property
    def effective(self) -> Procedure:
        """The procedure with the scenario's ``assumed`` transitions added (see :func:`effective_procedure`)."""
        return effective_procedure(self.procedure, self.behaviour)


def flagged_shares(route: Route) -> list[tuple[str, float]]:
    """Skip-route outcomes taken from the start stage with their shares (from ``flagged``)."""
    choices = route.behaviour.at(route.procedure.start.id).choices
    return [(o, p) for o, p in choices.items() if o in SKIP_OUTCOMES and p > 0]


def effective_procedure(procedure: Procedure, behaviour: Behaviour) -> Procedure:
    """``procedure`` plus one transition per ``assumed`` outcome in ``behaviour``.

    An assumed transition behaves exactly like one the procedure gives (an assumed ``no-reply``
    transition starts the no-reply timer); its citation points at the scenario's assumption.
    """
    extra = []
    for sid, b in behaviour.stages.items():
        for outcome, dest in b.assumed.items():
            why = b.assumption or f"assumed: {outcome} leads to {dest}"
            cite = Citation(doc="scenario", ref=f"assumed at {sid}", quote=why)
            extra.append(
                Transition(from_=sid, to=dest, on=outcome, note=f"Assumed by the scenario: {why}", source=cite)
            )
    if not extra:
        return procedure
    return procedure.model_copy(update={"transitions": procedure.transitions + tuple(extra)})
