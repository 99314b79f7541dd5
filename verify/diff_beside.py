"""Changes beside the route between two versions of a procedure: times to send, meeting times and duties.

Part of :func:`cpsim.verify.diff.diff_procedures`: a rung's time to send and a meeting's time are
reported with the other deadlines (section ``deadline``); duties, matched by id, in section ``duty``.

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> old = load_procedure(PROCEDURES_DIR / "wakefield-conference-dissent.yaml")
>>> new = old.model_copy(update={"duties": old.duties[:1]})
>>> [(c.kind, c.section, c.key) for c in beside_changes(old, new)]
[('removed', 'duty', 'seek-advice')]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cpsim.model.procedure.classes import Deadline, Procedure, Stage
from cpsim.model.procedure.parallel import Duty

if TYPE_CHECKING:
    from cpsim.verify.diff import Change

__all__ = ["beside_changes"]


def _label(d: Deadline | None) -> str:
    return "none" if d is None else d.label if d.is_specified else f"unspecified ({d.unspecified})"


def _clocks(s: Stage) -> dict[str, str]:
    return {"Time to send": _label(s.send), "Meeting time": _label(s.meeting.within if s.meeting else None)}


def _duty_text(d: Duty) -> str:
    waits = f"; {', '.join(d.before)} wait(s) for it" if d.before else ""
    return f"{d.title} (from {d.starts}{' on ' + d.on if d.on else ''}, {_label(d.within)}{waits})"


def beside_changes(old: Procedure, new: Procedure) -> list[Change]:
    """Changed times to send and meeting times of stages in both, and duties added, removed or changed."""
    from cpsim.verify.diff import Change

    out: list[Change] = []
    before = {s.id: s for s in old.stages}
    for s in new.stages:
        if s.id in before:
            was, now = _clocks(before[s.id]), _clocks(s)
            for what in now:
                if was[what] != now[what]:
                    msg = f"{what} at {s.id} ({s.title}): {was[what]} → {now[what]}."
                    out.append(Change("changed", "deadline", s.id, was[what], now[what], msg))
    olds, news = {d.id: d for d in old.duties}, {d.id: d for d in new.duties}
    for key, d in news.items():
        if key not in olds:
            out.append(Change("added", "duty", key, None, _duty_text(d), f"Duty {key} added: {_duty_text(d)}."))
        elif (a := _duty_text(olds[key])) != (b := _duty_text(d)):
            out.append(Change("changed", "duty", key, a, b, f"Duty {key}: {a} → {b}."))
    for key, d in olds.items():
        if key not in news:
            out.append(Change("removed", "duty", key, _duty_text(d), None, f"Duty {key} removed: {_duty_text(d)}."))
    return out
