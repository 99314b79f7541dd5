"""Compile a procedure to a ``transitions`` state machine that one case can be run through.

States are stage ids and triggers are outcomes. The machine is built with
``auto_transitions=False`` so that no hidden ``to_<state>`` edges mask dead ends.

Examples
--------
>>> from model import PROCEDURES_DIR, load_procedure
>>> proc = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
>>> case = Case()
>>> machine = to_machine(proc, case)
>>> case.state == proc.start.id
True
"""

from __future__ import annotations

from transitions import Machine, MachineError

from cpsim.model.procedure.classes import Procedure
from cpsim.model.types import OutcomeId, StageId

__all__ = ["Case", "MachineError", "fire", "run_outcomes", "to_machine"]


class Case:
    """The model object whose ``state`` the machine moves: one challenge going through the procedure."""

    state: StageId

    def __init__(self, name: str = "case") -> None:
        self.name = name


def to_machine(procedure: Procedure, case: object | None = None) -> Machine:
    """A ``transitions`` Machine for ``procedure`` attached to ``case`` (a new :class:`Case` if None).

    Trigger an outcome explicitly with :func:`fire`; an outcome the current stage has no
    transition for raises :class:`transitions.MachineError`.
    """
    return Machine(
        model=case if case is not None else Case(),
        states=[s.id for s in procedure.stages],
        transitions=[{"trigger": t.on, "source": t.from_, "dest": t.to} for t in procedure.transitions],
        initial=procedure.start.id,
        auto_transitions=False,
        ignore_invalid_triggers=False,
        model_attribute="state",
    )


def fire(machine: Machine, case: Case, outcome: OutcomeId) -> StageId:
    """Trigger ``outcome`` on ``case`` through ``machine`` and return the new stage.

    Raises
    ------
    MachineError
        If the case's current stage has no transition for ``outcome``.
    """
    event = machine.events.get(outcome)
    if event is None:
        raise MachineError(f"no stage has a transition for outcome {outcome!r}")
    event.trigger(case)
    return case.state


def run_outcomes(procedure: Procedure, outcomes: list[OutcomeId]) -> StageId:
    """Fire ``outcomes`` in order from the start; return the stage reached.

    Stops early (without error) at the first outcome the current stage cannot take.
    """
    case = Case()
    machine = to_machine(procedure, case)
    for outcome in outcomes:
        if outcome not in machine.get_triggers(case.state):
            break
        fire(machine, case, outcome)
    return case.state
