"""The run summary in plain English, as ``cpsim simulate`` prints it.

Every rate is followed by its counts and, when some challenges were still undecided at the end of
the follow-up, by how many and by the rates they could give; the mean time to resolution says how
many finished challenges it covers and how many did not finish. Summaries written before these
counts existed are shown without them.

Examples
--------
>>> lines = summary_lines({"scenario": {"id": "x", "title": "X"}, "replications": 1, "seed": 0,
...     "assumptions": [], "challenges": {"counted_total": 0, "counted_per_replication": {"mean": 0},
...     "open_at_end": {"mean": 0}, "unfinished_total": 0}, "targets": {},
...     "resolution_working_days": {"challenges": 0}, "reached": {}, "rung_deadlines": {}, "staff": {},
...     "already_open": {"challenges": 0, "targets": {}}})
>>> lines[0]
'X (x): 1 replication, seed 0'
>>> _counts({"breached": 11, "challenges": 20, "unfinished": 4, "breach_rate_bounds": {"low": 0.55, "high": 0.75}})
'[11 of 16 decided; 4 unfinished: 55.0% if none of them misses, 75.0% if all do]'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["ci_words", "percent", "summary_lines"]


def percent(x: float | None) -> str:
    """A share as a percentage with one decimal; "n/a" for none.

    >>> percent(0.373333), percent(None)
    ('37.3%', 'n/a')
    """
    return "n/a" if x is None else f"{100 * x:.1f}%"


def ci_words(ci: Sequence[float | None] | None) -> str | None:
    """A 95% CI of a share, kept within 0% and 100%: "21.2% to 53.5%"; None when there is none.

    >>> ci_words([-0.01, 0.5]), ci_words(None)
    ('0.0% to 50.0%', None)
    """
    if not ci or ci[0] is None or ci[1] is None:
        return None
    return f"{percent(max(ci[0], 0))} to {percent(min(ci[1], 1))}"


def _rate(r: dict[str, Any]) -> str:
    ci = ci_words(r.get("ci95"))
    return percent(r.get("mean")) + (f" (95% CI {ci})" if ci else "")


def _counts(t: dict[str, Any], measured: str = "challenges") -> str:
    """``[breached of decided]``, with the unfinished ones and the rates they could give, if any."""
    unfinished = t.get("unfinished") or 0
    if not unfinished:
        return f"[{t['breached']} of {t[measured]}]"
    bounds = t.get("breach_rate_bounds") or {}
    return (
        f"[{t['breached']} of {t[measured] - unfinished} decided; {unfinished} unfinished: "
        f"{percent(bounds.get('low'))} if none of them misses, {percent(bounds.get('high'))} if all do]"
    )


def _resolution(r: dict[str, Any]) -> str:
    ci = r.get("mean_ci95")
    within = f" (95% CI {ci[0]:.2f} to {ci[1]:.2f})" if ci else ""
    unfinished = r.get("unfinished") or 0
    left_out = f"; {unfinished} unfinished challenges are not included" if unfinished else ""
    return (
        f"Time to resolution (working days, over {r['challenges']} finished challenges{left_out}): "
        f"mean {r['mean']:.2f}{within}, median {r['median']:.2f}, "
        f"90th percentile {r['p90']:.2f}, 95th {r['p95']:.2f}, longest {r['max']:.2f}"
    )


def _challenges(s: dict[str, Any]) -> list[str]:
    ch = s["challenges"]
    out = [f"Warning: {w}" for w in s.get("warnings", ())]
    out.append(
        f"Challenges counted: {ch['counted_total']} ({ch['counted_per_replication']['mean']} per replication); "
        f"open at the end of the period: {ch['open_at_end']['mean']} on average"
    )
    if ch["unfinished_total"]:
        counted = ch.get("unfinished_counted")
        of_counted = f" ({counted} of them counted)" if counted is not None else ""
        out.append(f"Still unfinished when the follow-up ended: {ch['unfinished_total']}{of_counted}")
    return out


def _rungs(s: dict[str, Any]) -> list[str]:
    out = ["Rung deadlines missed:"]
    for route, rows in s["rung_deadlines"].items():
        for stage, row in rows.items():
            reached = s["reached"].get(route, {}).get(stage.split("/")[0])  # STAGE/ROLE: a responder's own deadline
            tail = f" {_counts(row, 'visits')}" if row.get("unfinished") else ""
            out.append(
                f"  {route} / {stage} ({row['deadline']}): reached by {percent(reached)}, "
                f"deadline missed on {_rate(row['breach_rate'])} of visits{tail}"
            )
    return out


def _moves(s: dict[str, Any]) -> list[str]:
    """The moves with a time limit in the source that the scenario times (none in older summaries).

    >>> row = {"from": "level2", "to": "level3", "within": "within 1 working day", "made_by": 0.1,
    ...        "moves": 20, "breached": 3, "unfinished": 0, "breach_rate": {"mean": 0.15, "ci95": [0.02, 0.28]}}
    >>> move, figures = _moves({"moves": {"p": {"level2/unsatisfied": {**row, "on": "unsatisfied"}}}})[1].split(": ")
    >>> move
    '  p / move level2 → level3 on unsatisfied (within 1 working day)'
    >>> figures
    'made by 10.0%, late on 15.0% (95% CI 2.0% to 28.0%) of moves'
    >>> _moves({"moves": {"p": {"level2/send": {**row, "to": "level2", "on": "send"}}}})[1].split(": ")[0]
    '  p / sending the request at level2 (within 1 working day)'
    """
    rows = [(route, row) for route, moves in s.get("moves", {}).items() for row in moves.values()]
    if not rows:
        return []
    out = ["Moves later than the source allows:"]
    for route, row in rows:
        tail = f" {_counts(row, 'moves')}" if row.get("unfinished") else ""
        what = (
            f"sending the request at {row['from']}"
            if row["on"] == "send" and row["from"] == row["to"]
            else f"move {row['from']} → {row['to']} on {row['on']}"
        )
        out.append(
            f"  {route} / {what} ({row['within']}): "
            f"made by {percent(row['made_by'])}, late on {_rate(row['breach_rate'])} of moves{tail}"
        )
    return out


def _staff(s: dict[str, Any]) -> list[str]:
    if not s["staff"]:
        return []
    out = ["", "Staff:"]
    for role, st in s["staff"].items():
        if st["headcount"] == "unlimited":
            out.append(f"  {role_words(role)}: as many as needed")
            continue
        out.append(
            f"  {role_words(role)}: {staffing_words(st['headcount'], st['capacity_per_person'])}, "
            f"busy {percent(st['utilisation']['mean'])} of the time, "
            f"{st['queue_mean']:.2f} waiting on average (at most {st['queue_max']})"
        )
    return out


def role_words(role: str) -> str:
    """A role id as words: ``assistant_director`` → "Assistant director".

    >>> role_words("iro_team_manager")
    'IRO team manager'
    """
    words = role.replace("_", " ").split()
    words = [w.upper() if w.lower() in ABBREVIATIONS else w for w in words]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


ABBREVIATIONS = {"iro", "qa", "ad", "lado", "cp"}
"""Role-id words that are abbreviations, written in capitals."""


def staffing_words(headcount: int, capacity: int) -> str:
    """Headcount and capacity as a policy author says them.

    >>> staffing_words(1, 2), staffing_words(3, 1)
    ('1 person, handling up to 2 challenges at a time', '3 people, each handling 1 challenge at a time')
    >>> staffing_words(1, 1)
    '1 person, handling 1 challenge at a time'
    """
    things = f"{'up to ' if capacity != 1 else ''}{capacity} challenge{'s' if capacity != 1 else ''} at a time"
    if headcount == 1:
        return f"1 person, handling {things}"
    return f"{headcount} people, each handling {things}"


def _already_open(s: dict[str, Any]) -> list[str]:
    if not s["already_open"]["challenges"]:
        return []
    out = ["", f"Challenges already open at the start: {s['already_open']['challenges']}"]
    for key, t in s["already_open"]["targets"].items():
        tail = f" {_counts(t)}" if "breached" in t else ""
        out.append(f"  {key}: missed by {_rate(t['breach_rate'])}{tail}")
    return out


def summary_lines(s: dict[str, Any]) -> list[str]:
    """The summary ``s`` (from :func:`cpsim.simulate.experiments.summary.summarise`) as printable lines."""
    n = s["replications"]
    out = [f"{s['scenario']['title']} ({s['scenario']['id']}): {n} replication{'s' * (n != 1)}, seed {s['seed']}"]
    out.extend(_challenges(s))
    out.append("")
    out.append("Targets (share of decided challenges that missed them):")
    for key, t in s["targets"].items():
        out.append(f"  {key}: {t['title']} — missed by {_rate(t['breach_rate'])} {_counts(t)}")
    r = s["resolution_working_days"]
    if r.get("challenges"):
        out.append(_resolution(r))
    out.append("")
    out.extend(_rungs(s))
    out.extend(_moves(s))
    out.extend(_staff(s))
    out.extend(_already_open(s))
    out.append("")
    out.append("Assumptions:")
    out.extend(f"  - {a}" for a in s["assumptions"])
    return out
