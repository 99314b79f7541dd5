"""Words for a conference run: the timescale table with 95% CIs next to the challenges' targets and deadlines.

Reads only the summary (:func:`cpsim.simulate.conference.summary.summarise_conferences`) and the
comparison (:class:`cpsim.simulate.conference.compare.ConferenceComparison`).
"""

from __future__ import annotations

from typing import Any

from cpsim.simulate.conference.compare import ConferenceComparison

__all__ = ["conference_comparison_lines", "conference_summary_lines"]


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def _points(x: float | None) -> str:
    """A difference of two shares, in percentage points."""
    return "—" if x is None or x != x else f"{100 * x:+.1f} points"


def _plain(x: float | None) -> str:
    return "—" if x is None or x != x else f"{x:.2f}"


def _share(fig: dict[str, Any]) -> str:
    ci = fig.get("ci95")
    if fig.get("mean") is None:
        return "not measured"
    interval = f" (95% CI {_pct(ci[0])} to {_pct(ci[1])})" if ci else ""
    return f"{_pct(fig['mean'])}{interval}"


def _number(fig: dict[str, Any], unit: str = "") -> str:
    ci = fig.get("ci95")
    if fig.get("mean") is None:
        return "not measured"
    interval = f" (95% CI {ci[0]:.2f} to {ci[1]:.2f})" if ci else ""
    return f"{fig['mean']:.2f}{unit}{interval}"


def _timescales(s: dict[str, Any]) -> list[str]:
    out = ["Timescales (events due after the warm-up and before the horizon):"]
    for row in s["timescales"].values():
        mark = " [timescale stated by the scenario]" if row["stated_by_scenario"] else ""
        out.append(f"  {row['name']}: {_share(row['within_share'])}{mark}")
        extra = f", {row['unfinished']} unfinished" if row["unfinished"] else ""
        out.append(f"      {row['within']} of {row['events'] - row['unfinished']} on time, {row['late']} late{extra}")
    return out


def _challenges(s: dict[str, Any]) -> list[str]:
    c = s["challenges"]
    out = [
        "Challenges raised by failed QA checks:",
        f"  raised per 100 conferences: {_number(c['per_100_conferences'])}",
        f"  {c['raised']} raised for {c['failed_checks']} failed checks, all replications",
    ]
    for key, t in c["targets"].items():
        out.append(f"  target {key} ({t['within']}): missed by {_share(t['breach_rate'])}")
    for key, r in c["rung_deadlines"].items():
        out.append(f"  deadline {key} ({r['deadline']}): missed on {_share(r['breach_rate'])} of {r['visits']} visits")
    if not c["targets"]:
        out.append("  the escalation procedure sets no overall target for resolving a challenge")
    out.append(f"  mean working days to resolution: {_number(c['resolution_working_days_mean'])}")
    return out


def _moves_and_dissent(s: dict[str, Any]) -> list[str]:
    """Transfers out and dissent from conference decisions, when the scenario simulates them."""
    out: list[str] = []
    moved = s.get("transfers_out")
    if moved:
        out.append(
            f"Transfers out per replication: {_number(moved['per_replication'])}; the receiving authority's conference"
            f" {_number(moved['working_days_to_conference_mean'], ' working days')} after the move on average"
            f" (the plan goes on here until then), {moved['still_waiting']} still waiting at the end"
        )
    dissent = s.get("dissent")
    if dissent:
        out += ["", "Dissent from conference decisions:"]
        out.append(f"  dissents per 100 conferences: {_number(dissent['per_100_conferences'])}")
        for who, d in dissent["by_who"].items():
            out.append(f"  {who}: {_number(d['per_100_conferences'])} per 100 conferences ({d['raised']} raised,"
                       f" through {d['procedure']}), {_number(d['resolution_working_days_mean'])} working days"
                       " to the route's end on average")  # fmt: skip
            for stage in d["ended_at"].values():
                out.append(f"      ended at '{stage['title']}': {_share(stage['share'])}")
            for stage in d["visited"].values():  # the stages only some dissents reach
                if stage["share"]["mean"] is not None and stage["share"]["mean"] < 1:
                    out.append(f"      reached '{stage['title']}': {_share(stage['share'])}")
            if d["unfinished"]:
                out.append(f"      {d['unfinished']} still open at the end")
    return out


def conference_summary_lines(s: dict[str, Any]) -> list[str]:
    """The summary of a conference run as plain-text lines."""
    conf = s["conferences"]
    held = conf["held_per_replication"]
    out = [
        f"{s['scenario']['title']}",
        f"life cycle {s['scenario']['lifecycle']}; {s['replications']} replications, seed {s['seed']}",
        "",
        *_timescales(s),
        "",
        "Conferences per replication: " + ", ".join(f"{k} {_number(v)}" for k, v in held.items()),
        f"  reconvened for quoracy: {conf['reconvened_for_quoracy']}, inquorate but the chair proceeded:"
        f" {conf['inquorate_but_proceeded']} (all replications)",
        f"  pushed back for want of a chair: {_share(conf['pushed_back_share'])},"
        f" by {_number(conf['pushed_back_days_mean'], ' working days')} on average",
        f"  reviews chaired by the child's previous chair: {_share(conf['same_chair_share'])}",
        "Plans ended per replication: "
        + ", ".join(f"{k.replace('-', ' ')} {_number(v)}" for k, v in conf["plans_ended_per_replication"].items()),
        *_moves_and_dissent(s),
        "",
        *_challenges(s),
        "",
        "Staff:",
    ]
    for role, st in s["staff"].items():
        if st["headcount"] == "unlimited":
            out.append(f"  {role}: unlimited")
        else:
            out.append(
                f"  {role} ({st['headcount']}): utilisation {_share(st['utilisation'])},"
                f" mean queue {st['queue_mean']:.2f}, longest {st['queue_max']}"
            )
    out += ["", "Assumptions:", *(f"  - {a}" for a in s["assumptions"])]
    return out


def conference_comparison_lines(c: ConferenceComparison) -> list[str]:
    """A paired comparison as Markdown lines."""
    out = [
        f"{c.replications} paired replications, seed {c.seed} (common random numbers): B = {c.b}, A = {c.a}",
        "",
        "| figure | A | B | B − A (95% CI) | distinguishable from noise |",
        "| --- | --- | --- | --- | --- |",
    ]
    for key, name, d in c.rows:
        share = key not in ("chair-wait-initial", "challenges-per-100", "dissents-per-100")
        f = _pct if share else _plain
        g = _points if share else _plain
        ci = f"{g(d.ci95[0])} to {g(d.ci95[1])}" if d.ci95 else "—"
        verdict = {True: "yes", False: "no", None: "too few replications"}[d.distinguishable]
        out.append(f"| {name} | {f(d.a_mean)} | {f(d.b_mean)} | {g(d.mean)} ({ci}) | {verdict} |")
    return out
