"""Random ladders with discrete behaviours for the exact-analysis tests, and an independent sampler.

The sampler follows the behaviour contract in model/behaviour.py directly, one case at a time, and
shares no code with cpsim.verify.exact.analysis.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import strategies as st

from cpsim.model.behaviour import Behaviour, to_working_days
from cpsim.model.procedure.classes import Procedure
from cpsim.model.types import StageKind

CITE = {"doc": "test.txt", "ref": "1", "quote": "a rule"}


def ladder_data(rungs: list[dict[str, Any]], *, target_days: int | None = 5) -> dict[str, Any]:
    """Procedure data for a ladder: ``rungs`` give ``deadline`` (int or None), ``unsatisfied`` and ``no_reply``.

    ``unsatisfied``/``no_reply`` are ``"next"``, ``"closed"``, ``"same"`` (a loop back with
    ``max_repeats`` given by ``repeats``) or None (no transition).
    """
    names = [f"l{i + 1}" for i in range(len(rungs))]
    stages: list[dict[str, Any]] = [{"id": "raise", "kind": "start", "title": "Raise", "source": CITE}]
    trans = [{"from": "raise", "on": "raised", "to": "l1", "source": CITE}]
    for i, (name, rung) in enumerate(zip(names, rungs, strict=True)):
        d = rung.get("deadline")
        deadline = {"amount": d, "unit": "working-days", "source": CITE} if d else {"unspecified": "none"}
        stages.append(
            {"id": name, "kind": "request", "title": name, "responder": "r", "deadline": deadline, "source": CITE}
        )
        trans.append({"from": name, "on": "satisfied", "to": "resolved", "source": CITE})
        for outcome, key in (("unsatisfied", "unsatisfied"), ("no-reply", "no_reply")):
            how = rung.get(key)
            nxt = names[i + 1] if i + 1 < len(names) else "closed"
            dest = {"next": nxt, "closed": "closed", "same": name}.get(how)
            if dest:
                extra = {"max_repeats": rung.get("repeats", 1)} if how == "same" else {}
                trans.append({"from": name, "on": outcome, "to": dest, "source": CITE, **extra})
    stages += [
        {"id": "resolved", "kind": "terminal", "title": "Resolved", "ending": "resolved", "source": CITE},
        {"id": "closed", "kind": "terminal", "title": "Closed", "ending": "closed-unresolved", "source": CITE},
    ]
    targets = []
    if target_days:
        targets = [
            {
                "id": "t",
                "title": "In time",
                "from": "l1",
                "within": {"amount": target_days, "unit": "working-days"},
                "source": CITE,
            }
        ]
    return {
        "id": "ladder",
        "title": "Ladder",
        "authority": "Testshire",
        "version": "1",
        "effective_date": "unspecified",
        "sources": [{"doc": "test.txt", "title": "Test"}],
        "roles": [{"id": "r", "title": "Responder", "agency": "A", "rank": 1}],
        "stages": stages,
        "transitions": trans,
        "targets": targets,
    }


@st.composite
def rung_specs(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """One rung: its procedure spec and its behaviour (discrete reply times in whole days)."""
    values = draw(st.lists(st.integers(0, 4), min_size=1, max_size=3, unique=True))
    weights = draw(st.lists(st.integers(1, 4), min_size=len(values), max_size=len(values)))
    no_reply = draw(st.sampled_from([None, "next", "closed", "same"]))
    spec = {
        "deadline": draw(st.sampled_from([None, 1, 2, 3])),
        "unsatisfied": draw(st.sampled_from(["next", "closed", "same", None])),
        "no_reply": no_reply,
        "repeats": draw(st.integers(1, 2)),
    }
    beh = {
        "reply_time": {"dist": "discrete", "values": values, "probs": [w / sum(weights) for w in weights]},
        "p_satisfied": draw(st.sampled_from([0.0, 0.3, 0.5, 0.8, 1.0])),
        "p_no_reply": draw(st.sampled_from([0.0, 0.2])) if no_reply else 0.0,
    }
    return spec, beh


@st.composite
def ladders(draw: st.DrawFn, max_rungs: int = 3) -> tuple[Procedure, Behaviour]:
    """A random ladder procedure with a discrete behaviour."""
    specs = draw(st.lists(rung_specs(), min_size=1, max_size=max_rungs))
    data = ladder_data([s for s, _ in specs], target_days=draw(st.integers(1, 8)))
    beh = Behaviour.model_validate({"stages": {f"l{i + 1}": b for i, (_, b) in enumerate(specs)}})
    return Procedure.model_validate(data), beh


class Draws:
    """Reply and stay times drawn in blocks (independent draws, fewer calls into scipy)."""

    def __init__(self, rng: np.random.Generator, block: int = 4096) -> None:
        self.rng, self.block, self.left = rng, block, {}

    def __call__(self, key: str, dist) -> float:
        """The next draw from ``dist`` for ``key``."""
        if not self.left.get(key):
            self.left[key] = list(np.asarray(dist.sample(self.rng, size=self.block), dtype=float))
        return self.left[key].pop()


def sample_case(
    proc: Procedure, beh: Behaviour, rng: np.random.Generator, clock_from: str, draws: Draws | None = None
) -> tuple[float, float, str]:
    """One case: (time to a terminal, time on the clock started at ``clock_from``, end stage or 'stuck').

    Times are ``inf`` when the case never ends (and the clock reads ``nan`` if it never started).
    """
    draws = draws or Draws(rng, block=1)
    stage, now, started, fired = proc.start.id, 0.0, math.nan, {}
    for _ in range(1000):
        if stage == clock_from and math.isnan(started):
            started = now
        s = proc.stage(stage)
        if s.is_terminal:
            return now, now - started, stage
        b = beh.at(stage)
        outs = {t.on: t for t in proc.transitions_from(stage)}
        if s.kind is StageKind.REQUEST:
            d = to_working_days(s.deadline.duration) if s.deadline and s.deadline.duration else None
            silent = rng.random() < b.p_no_reply
            reply = math.inf if silent else draws(f"reply:{stage}", b.reply_time)
            if "no-reply" in outs and d is not None and reply > d:
                outcome, now = "no-reply", now + d
            elif silent:
                return math.inf, math.inf, "stuck"
            else:
                outcome, now = ("satisfied" if rng.random() < b.p_satisfied else "unsatisfied"), now + reply
        else:
            now += draws(f"stay:{stage}", b.stay_time)
            names = list(b.choices) or list(outs)
            probs = list(b.choices.values()) or [1.0]
            outcome = names[int(rng.choice(len(names), p=probs))]
        t = outs.get(outcome)
        if t is None or (t.max_repeats is not None and fired.get(id(t), 0) >= t.max_repeats):
            return math.inf, math.inf, "stuck"
        fired[id(t)] = fired.get(id(t), 0) + 1
        stage = t.to
    raise AssertionError("case did not end in 1000 stages")
