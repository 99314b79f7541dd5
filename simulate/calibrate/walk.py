"""Each challenge's path through its procedure, rebuilt from its requests: the choices made between them.

Records list requests (visits to request stages). Between two requests, and from the start to the
first, a challenge passes through start, decision or dialogue stages, whose outcomes the records
do not give; the path through the procedure from one request to the next tells them. An outcome
the procedure gives no route for (a ``no reply`` where the source says nothing) is followed to
where the records show the challenge went next: that becomes an ``assumed`` route, stated as
coming from the records.

Examples
--------
>>> from cpsim.model.procedure.load import load_procedure
>>> from cpsim.model import shipped_procedure_paths
>>> proc = load_procedure(next(p for p in shipped_procedure_paths() if p.stem == "redcar-internal"))
>>> between(proc, "raise", "level3")
[('raise', 'immediate-concern'), ('immediate_choice', 'to-assistant-director')]
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field

from cpsim.model.errors import Problem
from cpsim.model.procedure.classes import Procedure
from cpsim.model.types import StageKind

__all__ = ["Paths", "between", "walk_cases"]

Step = tuple[str, str]
"""A stage and the outcome taken there."""


def between(proc: Procedure, here: str, target: str) -> list[Step] | None:
    """The outcomes taken from stage ``here`` through non-request stages to ``target`` (None: no such path).

    ``here`` itself is a non-request stage (the start, or where a move led); ``[]`` when it is ``target``.
    """
    queue: deque[tuple[str, list[Step]]] = deque([(here, [])])
    seen: set[str] = set()
    while queue:
        sid, steps = queue.popleft()
        if sid == target:
            return steps
        stage = proc.stage(sid)
        if sid in seen or stage.kind is StageKind.REQUEST or stage.is_terminal:
            continue
        seen.add(sid)
        for t in proc.transitions_from(sid):
            queue.append((t.to, [*steps, (sid, t.on)]))
    return None


@dataclass
class Paths:
    """What the paths of one route's challenges show: outcome counts at non-request stages, and assumed routes."""

    choices: dict[str, Counter[str]] = field(default_factory=dict)
    assumed: dict[Step, Counter[str]] = field(default_factory=dict)
    ended: dict[Step, int] = field(default_factory=dict)
    next_visit: dict[int, int] = field(default_factory=dict)
    """For a visit's index, the index of the request that followed it directly by the procedure's route."""

    def chose(self, steps: Sequence[Step]) -> None:
        """Count the outcomes taken at non-request stages."""
        for sid, outcome in steps:
            self.choices.setdefault(sid, Counter())[outcome] += 1


def _next_of(proc: Procedure, stage: str, outcome: str) -> str | None:
    for t in proc.transitions_from(stage):
        if t.on == outcome:
            return t.to
    return None


def walk_cases(
    proc: Procedure,
    cases: dict[str, list[int]],
    stages: Sequence[str],
    outcomes: Sequence[str | None],
    rows: Sequence[Problem],
) -> tuple[Paths, list[Problem]]:
    """The paths of ``cases`` (each a list of visit indices in request order) through ``proc``.

    ``stages`` and ``outcomes`` are indexed by visit (outcome None: still open); ``rows`` locates
    each visit for problems.
    """
    paths = Paths()
    problems: list[Problem] = []

    def bad(i: int, message: str, hint: str) -> None:
        problems.append(Problem(rows[i].file, rows[i].line, 1, message, hint))

    for visits in cases.values():
        first = visits[0]
        steps = between(proc, proc.start.id, stages[first])
        if steps is None:
            bad(first, f"a challenge cannot start at {stages[first]!r} on route {proc.id!r}",
                "check the stage, or the order of the challenge's request dates")  # fmt: skip
            continue
        paths.chose(steps)
        for i, j in zip(visits, visits[1:], strict=False):
            stage, outcome = stages[i], outcomes[i]
            if outcome is None:
                bad(i, f"{stage} is still open, but a later request to {stages[j]} follows",
                    "give this request's outcome and reply date")  # fmt: skip
                break
            nxt = _next_of(proc, stage, outcome)
            if nxt is None:
                paths.assumed.setdefault((stage, outcome), Counter())[stages[j]] += 1
                paths.next_visit[i] = j
                continue
            steps = between(proc, nxt, stages[j])
            if steps is None:
                bad(j, f"after {outcome} at {stage} the procedure goes to {nxt!r}, not {stages[j]!r}",
                    "check this request's stage and date, and the outcome of the one before")  # fmt: skip
                break
            paths.chose(steps)
            if not steps:
                paths.next_visit[i] = j
        last = visits[-1]
        if outcomes[last] is not None and _next_of(proc, stages[last], str(outcomes[last])) is None:
            key = (stages[last], str(outcomes[last]))
            paths.ended[key] = paths.ended.get(key, 0) + 1
    return paths, problems
