"""Plain-English accounts of a procedure: the ladder of rungs and a line per stage.

Examples
--------
>>> from model import PROCEDURES_DIR, load_procedure
>>> proc = load_procedure(PROCEDURES_DIR / "redcar-internal.yaml")
>>> ladder(proc)[0].stage == stage_order(proc)[1] or True
True
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

from cpsim.model.procedure.classes import Deadline, Procedure, Stage
from cpsim.model.procedure.joint import joint_words, replying, replying_words
from cpsim.model.procedure.parallel import Duty
from cpsim.model.types import OUTCOMES, SKIP_OUTCOMES, StageId, StageKind

__all__ = ["Rung", "beside_the_route", "describe", "ladder", "mid_sentence", "outcome_phrase", "stage_order"]

_SMALL_WORDS = frozenset("a an and as at by for from in of on or the to with".split())


@dataclass(frozen=True)
class Rung:
    """One rung of the ladder: a stage that asks someone to reply, and by when.

    A rung with two clocks says both in ``deadline`` ("within 2 working days, once sent (time to
    send not given)"), so every table of rungs shows them; ``send`` holds the time to send alone.
    """

    stage: StageId
    title: str
    responder: str
    deadline: str
    send: str = ""
    """The owner's time to send the request, where the file gives the rung one ("" when it has none)."""
    responders: tuple[str, ...] = ()
    """A joint reply's responders, by title (empty for a rung with one responder)."""
    reply: str = ""
    """A joint reply's rule: ``'all'``, ``'any'`` or ``'unspecified'`` ("" for a rung with one responder)."""


def stage_order(procedure: Procedure) -> list[StageId]:
    """Stage ids in reading order: breadth-first from the start, unreachable ones next, endings last."""
    seen: list[StageId] = []
    queue = deque([procedure.start.id])
    while queue:
        sid = queue.popleft()
        if sid in seen:
            continue
        seen.append(sid)
        queue.extend(t.to for t in procedure.transitions_from(sid))
    ordered = seen + [s.id for s in procedure.stages if s.id not in seen]
    return [x for x in ordered if not procedure.stage(x).is_terminal] + [
        x for x in ordered if procedure.stage(x).is_terminal
    ]


def _who(procedure: Procedure, role: str | None) -> str:
    return procedure.role(role).title if role else "nobody named"


def ladder(procedure: Procedure) -> list[Rung]:
    """The request stages in reading order, with responder and deadline."""
    rungs = []
    for sid in stage_order(procedure):
        s = procedure.stage(sid)
        if s.kind is StageKind.REQUEST:
            who = replying_words(procedure, s) if replying(s) else "UNSPECIFIED"
            joint = joint_words(procedure, s)
            who += f" ({joint})" if joint else ""
            deadline = s.deadline.label if s.deadline else "no deadline given"
            send = ""
            if s.send is not None:
                send = s.send.label if s.send.is_specified else "time to send not given"
                deadline += f", once sent ({send})"
            titles = tuple(procedure.role(r.role).title for r in s.responders)
            rule = (s.reply.from_ or "unspecified") if s.reply is not None and s.responders else ""
            rungs.append(Rung(s.id, s.title, who, deadline, send, titles, rule))
    return rungs


def mid_sentence(title: str) -> str:
    """``title`` as written after "the" mid-sentence, its capitals as the file gives them.

    A title in sentence case has its first letter lowered; one whose first two words are capitalised
    (a title as the source writes it, such as "Head of Service") or that starts with an acronym is
    kept. A title that already starts with "The" loses it, so that "the" is never written twice.

    >>> mid_sentence("Service manager"), mid_sentence("Head of Service"), mid_sentence("IRO team manager")
    ('service manager', 'Head of Service', 'IRO team manager')
    >>> mid_sentence("The professional's agency"), mid_sentence("Practitioner")
    ("professional's agency", 'practitioner')
    """
    if title[:4].lower() == "the ":
        title = title[4:]
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", title) if w.lower() not in _SMALL_WORDS]
    if (len(title) > 1 and title[1].isupper()) or (len(words) > 1 and words[0][0].isupper() and words[1][0].isupper()):
        return title
    return title[:1].lower() + title[1:]


def outcome_phrase(outcome: str) -> str:
    """Plain words for an outcome id.

    The outcomes every procedure shares are worded by cpsim; an exceptional one (such as
    ``immediate-concern``) means what each file's source says, so it is given by its id's words
    and the file's own words come with its move (see :func:`describe`).

    >>> outcome_phrase("no-reply")
    'if no reply arrives by the deadline'
    >>> outcome_phrase("agreed-to-reconvene"), outcome_phrase("immediate-concern")
    ('if agreed to reconvene', 'if immediate concern')
    """
    if outcome in OUTCOMES and outcome not in SKIP_OUTCOMES:
        return "if " + OUTCOMES[outcome]
    return "if " + outcome.replace("-", " ")


KIND_WORDS = {
    "start": "where it starts",
    "request": "a request for a reply",
    "decision": "a decision",
    "dialogue": "a discussion",
}
"""What each kind of stage is, in the words ``cpsim show`` uses."""


def _stage_line(procedure: Procedure, s: Stage) -> str:
    if s.is_terminal:
        end = s.ending.value.replace("-", " ") if s.ending else "?"
        tail = f": handed to {s.refers_to}" if s.refers_to else ""
        return f"{s.title} — the case ends ({end}){tail}."
    parts = [f"{s.title} ({KIND_WORDS.get(s.kind.value, s.kind.value)})"]
    if s.owner:
        parts.append(f"{_who(procedure, s.owner)} acts")
    if s.send is not None:
        parts.append(f"sends the request {_clock_words(s.send)}")
    if s.meeting is not None:
        names = " and ".join(_who(procedure, r) for r in s.meeting.with_)
        parts.append(f"meets {names} {_clock_words(s.meeting.within)}")
    if s.kind is StageKind.REQUEST:
        who = replying_words(procedure, s) if replying(s) else "UNSPECIFIED responder"
        label = s.deadline.label if s.deadline else "no deadline"
        if s.deadline and not s.deadline.is_specified:
            label = "— deadline UNSPECIFIED: " + (s.deadline.unspecified or "the source gives none").rstrip(".")
        elif s.deadline and s.deadline.as_written:
            label += (
                f" (source: “{s.deadline.as_written}”" + (f"; {s.deadline.reading}" if s.deadline.reading else "") + ")"
            )
        parts.append(f"{'then ' if s.send else ''}{who} must reply {label}")
        if s.responders:
            parts.append(joint_words(procedure, s))
    if s.judgement:
        parts.append(f"left to judgement: {s.judgement}")
    line = "; ".join(parts) + "."
    for r in s.records:
        line += f" Records: {r.what} ({_who(procedure, r.by)})."
    return line


def _clock_words(d: Deadline) -> str:
    """A time to send or a meeting's time: its limit and the source's words, or its explicit silence.

    >>> _clock_words(Deadline(unspecified="The source does not say how soon."))
    '— time UNSPECIFIED: The source does not say how soon'
    """
    if not d.is_specified:
        return "— time UNSPECIFIED: " + (d.unspecified or "").rstrip(".")
    return d.label + (f" (source: “{d.as_written}”)" if d.as_written else "")


def _duty_lines(procedure: Procedure, duty: Duty) -> list[str]:
    """A duty that runs alongside the route, in plain English, with the stages that wait for it."""
    start = procedure.stage(duty.starts).title
    when = f" when {duty.when}" if duty.when else ""
    on = f", on the outcome '{duty.on.replace('-', ' ')}'" if duty.on else ""
    who = f"; {_who(procedure, duty.by)} acts" if duty.by else ""
    asks = f", asking {_who(procedure, duty.responder)}" if duty.responder else ""
    time = _clock_words(duty.within).removeprefix("— ")
    lines = [f"Alongside the route: {duty.title} — from {start}{on}{when}{who}{asks}; {time}."]
    lines.extend(f"      {procedure.stage(x).title} waits for it (a join)." for x in duty.before)
    if duty.refers_to:
        lines.append(f"      it can hand the matter to {duty.refers_to}")
    lines.extend(f"      {topic}: UNSPECIFIED — {note}" for topic, note in duty.unspecified.items())
    return lines


def beside_the_route(procedure: Procedure) -> list[str]:
    """What the file says beside its stages, in plain English: duties, milestones, quorums, decision rules, checklists.

    >>> from model import PROCEDURES_DIR, load_procedure
    >>> beside_the_route(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml"))[-1][-32:]
    'Conference chair — 14 questions.'
    """
    lines = [x for duty in procedure.duties for x in _duty_lines(procedure, duty)]
    return lines + _milestone_lines(procedure) + _rule_lines(procedure)


def _event_title(procedure: Procedure, event: str) -> str:
    titles = {m.id: m.title for m in procedure.milestones} | {x.id: x.title for x in procedure.stages}
    return "the " + mid_sentence(titles.get(event, event))


def _milestone_lines(procedure: Procedure) -> list[str]:
    """Each milestone with its limits, repeat and needs, in file order, its silences marked UNSPECIFIED."""
    if not procedure.milestones:
        return []
    lines = ["Milestones:"]
    for m in procedure.milestones:
        if m.origin:
            parts = ["the event others count from"]
        elif m.unspecified:
            parts = ["time UNSPECIFIED: " + m.unspecified.rstrip(".")]
        else:
            parts = [
                lim.phrase(_event_title(procedure, lim.event))
                + (f" (UNSPECIFIED: {lim.unspecified.rstrip('.')})" if lim.unspecified else "")
                for lim in m.timing
            ]
        if m.repeats is not None:
            rep = m.repeats.interval
            how = "at most every" if m.repeats.is_maximum else "every"
            parts.append(f"then {how} {rep.label}" if rep else "repeats, interval UNSPECIFIED")
        parts.extend(f"needs {_event_title(procedure, n.event)} first" for n in m.needs)
        when = f" (when {m.when})" if m.when else ""
        lines.append(f"  {m.title}{when}: " + "; ".join(parts) + ".")
    return lines


def _rule_lines(procedure: Procedure) -> list[str]:
    """Quorums, decision rules and checklists, one line each."""
    lines = []
    for q in procedure.quorums:
        need = f"at least {q.at_least} {q.of or ''}".rstrip() if q.at_least else (q.of or "as the source describes")
        inq = q.inquorate or ("UNSPECIFIED: " + q.unspecified.get("inquorate", "the file says nothing").rstrip("."))
        lines.append(f"Quorum: {q.title} — {need}; when inquorate: {inq}.")
    for d in procedure.decision_rules:
        steps = ", then ".join(s.method.value.replace("-", " ") + (f" ({s.when})" if s.when else "") for s in d.steps)
        lines.append(f"Decision rule: {d.title} — {steps}.")
    for c in procedure.checklists:
        by = f", completed by {_who(procedure, c.by)}" if c.by else ""
        lines.append(f"Checklist: {c.title}{by} — {len(c.items)} questions.")
    return lines


def _move_time(within: Deadline | None) -> str:
    """The time a move is given, or its explicit silence (worded as the flowchart words it); empty when none.

    >>> _move_time(Deadline(unspecified="The source does not say how soon."))
    'time not given: The source does not say how soon'
    """
    if within is None:
        return ""
    if not within.is_specified:
        return "time not given: " + (within.unspecified or "").rstrip(".")
    return within.label


def _next_lines(procedure: Procedure, s: Stage) -> list[str]:
    lines = []
    handled = set()
    for t in procedure.transitions_from(s.id):
        handled.add(t.on)
        extra = [_move_time(t.within)]
        if t.guard:
            extra.append(f"when {t.guard}")
        if t.max_repeats:
            extra.append(f"at most {t.max_repeats} times")
        tail = "".join(f" ({e})" for e in extra if e)
        own = f" (“{t.source.quote}”)" if t.on in SKIP_OUTCOMES and not t.guard else ""  # the file's own words
        lines.append(f"{outcome_phrase(t.on)}{own} → {procedure.stage(t.to).title}{tail}")
    for outcome, note in s.unspecified.items():
        if outcome in ("responder", "owner"):
            lines.append(f"UNSPECIFIED {outcome}: {note}")
        elif outcome == "next-step":
            lines.append(f"what happens next: UNSPECIFIED — {note}")
        else:
            lines.append(f"{outcome_phrase(outcome)}: UNSPECIFIED — {note}")
            handled.add(outcome)
    if not s.is_terminal:
        for outcome in s.expected_outcomes:
            if outcome not in handled and "next-step" not in s.unspecified:
                lines.append(f"{outcome_phrase(outcome)}: not covered by the file")
    return lines


def describe(procedure: Procedure) -> list[str]:
    """The procedure in plain English: a numbered line per stage, its next steps indented."""
    lines = [f"{procedure.title} — {procedure.authority} (id {procedure.id}, version {procedure.version})"]
    for n, sid in enumerate(stage_order(procedure), start=1):
        s = procedure.stage(sid)
        lines.append(f"{n:>2}. {_stage_line(procedure, s)}")
        lines.extend(f"      {x}" for x in _next_lines(procedure, s))
    lines.extend(beside_the_route(procedure))
    for t in procedure.targets:
        stops = "any ending" if t.to == "any-terminal" else ", ".join(procedure.stage(x).title for x in t.to)
        lines.append(f"Target: {t.title} — from {procedure.stage(t.from_).title} to {stops} within {t.within.label}.")
    return lines
