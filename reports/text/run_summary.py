"""The run summary in plain English, as ``cpsim simulate`` prints it.

Examples
--------
>>> lines = summary_lines({"scenario": {"id": "x", "title": "X"}, "replications": 1, "seed": 0,
...     "assumptions": [], "challenges": {"counted_total": 0, "counted_per_replication": {"mean": 0},
...     "open_at_end": {"mean": 0}, "unfinished_total": 0}, "targets": {},
...     "resolution_working_days": {"challenges": 0}, "reached": {}, "rung_deadlines": {}, "staff": {},
...     "already_open": {"challenges": 0, "targets": {}}})
>>> lines[0]
'X (x): 1 replication, seed 0'
"""

from __future__ import annotations

from typing import Any

__all__ = ["summary_lines"]


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def _rate(r: dict[str, Any]) -> str:
    ci = r.get("ci95")
    tail = f" (95% CI {_pct(max(ci[0], 0))} to {_pct(min(ci[1], 1))})" if ci else ""
    return _pct(r.get("mean")) + tail


def summary_lines(s: dict[str, Any]) -> list[str]:
    """The summary ``s`` (from :func:`cpsim.simulate.experiments.summary.summarise`) as printable lines."""
    n = s["replications"]
    ch = s["challenges"]
    out = [f"{s['scenario']['title']} ({s['scenario']['id']}): {n} replication{'s' * (n != 1)}, seed {s['seed']}"]
    out.append(
        f"Challenges counted: {ch['counted_total']} ({ch['counted_per_replication']['mean']} per replication); "
        f"open at the end of the period: {ch['open_at_end']['mean']} on average"
    )
    if ch["unfinished_total"]:
        out.append(f"Still unfinished when the follow-up ended: {ch['unfinished_total']}")
    out.append("")
    out.append("Targets (share of challenges that missed them):")
    for key, t in s["targets"].items():
        out.append(
            f"  {key}: {t['title']} — missed by {_rate(t['breach_rate'])} [{t['breached']} of {t['challenges']}]"
        )
    r = s["resolution_working_days"]
    if r.get("challenges"):
        out.append(
            f"Time to resolution (working days): mean {r['mean']:.2f}, median {r['median']:.2f}, "
            f"90th percentile {r['p90']:.2f}, 95th {r['p95']:.2f}, longest {r['max']:.2f}"
        )
    out.append("")
    out.append("Rung deadlines missed:")
    for route, rows in s["rung_deadlines"].items():
        for stage, row in rows.items():
            reached = s["reached"].get(route, {}).get(stage)
            out.append(
                f"  {route} / {stage} ({row['deadline']}): reached by {_pct(reached)}, "
                f"deadline missed on {_rate(row['breach_rate'])} of visits"
            )
    if s["staff"]:
        out.append("")
        out.append("Staff:")
        for role, st in s["staff"].items():
            if st["headcount"] == "unlimited":
                out.append(f"  {role}: unlimited")
                continue
            out.append(
                f"  {role}: {st['headcount']} x {st['capacity_per_person']}, busy {_pct(st['utilisation']['mean'])} "
                f"of the time, queue {st['queue_mean']:.2f} on average (most {st['queue_max']})"
            )
    if s["already_open"]["challenges"]:
        out.append("")
        out.append(f"Challenges already open at the start: {s['already_open']['challenges']}")
        for key, t in s["already_open"]["targets"].items():
            out.append(f"  {key}: missed by {_rate(t['breach_rate'])}")
    out.append("")
    out.append("Assumptions:")
    out.extend(f"  - {a}" for a in s["assumptions"])
    return out
