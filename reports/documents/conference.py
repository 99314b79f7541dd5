"""A conference run as one self-contained HTML page: timescales and challenge breaches together, with the chart.

:func:`conference_run_files` gives every file of a conference run directory, this page among them;
``cpsim report RUN_DIR`` writes the full report (:mod:`cpsim.reports.documents.conference_report`).
The page reads only the summary; the chart comes in as PNG bytes
(:func:`cpsim.reports.charts.conference.breaches_chart`) and is embedded, so the page opens anywhere on its own.

Examples
--------
>>> page = conference_page({"scenario": {"title": "T", "lifecycle": "l"}, "replications": 1, "seed": 0,
...     "timescales": {}, "conferences": {"held_per_replication": {}, "reconvened_for_quoracy": 0,
...     "inquorate_but_proceeded": 0, "pushed_back_share": {"mean": None}, "pushed_back_days_mean": {"mean": None}},
...     "challenges": {"targets": {}, "rung_deadlines": {}, "raised": 0, "failed_checks": 0,
...     "per_100_conferences": {"mean": None}}, "staff": {}, "assumptions": ["a < b"]}, b"")
>>> "<h1>T</h1>" in page and "a &lt; b" in page
True
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from html import escape
from pathlib import Path
from typing import Any

from cpsim.reports.charts.conference import breaches_png
from cpsim.reports.outputs import cpsim_version, dumps, record_files, write_files
from cpsim.reports.rundir.conference import conference_csvs, conference_manifest, scenario_path
from cpsim.simulate.conference.runner import ConferenceRun

__all__ = ["RUN_FILES", "conference_page", "conference_run_files", "write_conference_run"]


def _pct(fig: dict[str, Any]) -> str:
    if fig.get("mean") is None:
        return "not measured"
    ci = fig.get("ci95")
    return f"{100 * fig['mean']:.1f}%" + (f" (95% CI {100 * ci[0]:.1f}% to {100 * ci[1]:.1f}%)" if ci else "")


def _endings(conf: dict[str, Any]) -> str:
    ended = conf.get("plans_ended_per_replication", {})
    return ", ".join(f"{k.replace('-', ' ')} {v['mean']:.1f}" for k, v in ended.items() if v["mean"] is not None) or "—"


def _rows(summary: dict[str, Any]) -> list[str]:
    out = []
    for row in summary["timescales"].values():
        basis = "stated by the scenario: " if row["stated_by_scenario"] else ""
        out.append(
            f"<tr><td>{escape(row['name'])}</td><td>{_pct(row['within_share'])}</td>"
            f"<td>{row['within']} of {row['events'] - row['unfinished']}</td>"
            f"<td class=basis>{escape(basis + row['basis'])}</td></tr>"
        )
    c = summary["challenges"]
    for key, t in {**c["targets"], **c["rung_deadlines"]}.items():
        missed = t["breach_rate"]
        within = {**missed, "mean": None if missed["mean"] is None else 1 - missed["mean"]}
        if missed.get("ci95"):
            within["ci95"] = [1 - missed["ci95"][1], 1 - missed["ci95"][0]]
        n = t.get("challenges", t.get("visits", 0)) - t["unfinished"]
        out.append(
            f"<tr class=challenge><td>Challenges: {escape(key)} ({escape(t.get('within') or t.get('deadline'))})</td>"
            f"<td>{_pct(within)}</td><td>{t['met']} of {n}</td><td class=basis>the escalation procedure</td></tr>"
        )
    return out


def _num(fig: dict[str, Any], unit: str = "") -> str:
    if fig.get("mean") is None:
        return "not measured"
    ci = fig.get("ci95")
    return f"{fig['mean']:.2f}{unit}" + (f" (95% CI {ci[0]:.2f} to {ci[1]:.2f})" if ci else "")


def _dissent(summary: dict[str, Any]) -> str:
    """The dissents from conference decisions: per 100 conferences, and each dissenter's route's endings and stages."""
    d = summary.get("dissent")
    if not d:
        return ""
    total = _num(d["per_100_conferences"])
    out = [f"<h2>Dissent from conference decisions</h2><p>Dissents per 100 conferences: {total}.</p>"]
    for who, w in d["by_who"].items():
        rows = [("ended at", x) for x in w["ended_at"].values()] + [("reached", x) for x in w["visited"].values()]
        out.append(
            f"<h3>{escape(who)}</h3><p>{_num(w['per_100_conferences'])} per 100 conferences ({w['raised']} raised, "
            f"through {escape(w['procedure'])}, {w['unfinished']} unfinished); "
            f"{_num(w['resolution_working_days_mean'])} working days to the route's end on average.</p>"
            "<table><tr><th></th><th>stage</th><th>share of dissents</th></tr>"
            + "".join(f"<tr><td>{k}</td><td>{escape(x['title'])}</td><td>{_pct(x['share'])}</td></tr>" for k, x in rows)
            + "</table>"
        )
    return "\n".join(out)


def _transfers_out(summary: dict[str, Any]) -> str:
    t = summary.get("transfers_out")
    if not t:
        return ""
    return (
        f"<h2>Transfers out</h2><p>Transfers out per replication: {_num(t['per_replication'])}; the receiving "
        f"authority's conference {_num(t['working_days_to_conference_mean'])} working days after the move on "
        f"average (the plan goes on here until then); {t['still_waiting']} still waiting at the end.</p>"
    )


def conference_page(summary: dict[str, Any], chart_png: bytes) -> str:
    """The HTML page for a conference run's summary, with ``chart_png`` embedded (empty: no chart)."""
    title = escape(summary["scenario"]["title"])
    c, conf = summary["challenges"], summary["conferences"]
    img = (
        f'<img alt="Share missed of each timescale and challenge deadline" '
        f'src="data:image/png;base64,{base64.b64encode(chart_png).decode()}">'
        if chart_png
        else ""
    )
    staff = "".join(
        f"<li>{escape(role)}: "
        + ("unlimited" if s["headcount"] == "unlimited" else f"{s['headcount']}, utilisation {_pct(s['utilisation'])}")
        + "</li>"
        for role, s in summary["staff"].items()
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;max-width:70em;margin:2em auto;line-height:1.4}}
td,th{{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}}
.basis{{font-size:.85em;color:#4D4D4D}} tr.challenge td:first-child{{color:#D55E00}} img{{max-width:100%}}</style>
</head><body>
<h1>{title}</h1>
<p>Life cycle {escape(summary["scenario"]["lifecycle"])};
{summary["replications"]} replications, seed {summary["seed"]}.</p>
<h2>Timescales and challenges</h2>
<table><tr><th>measure</th><th>on time</th><th>events</th><th>where the timescale comes from</th></tr>
{"".join(_rows(summary))}</table>
{img}
<h2>Conferences</h2>
<p>Reconvened for quoracy: {conf["reconvened_for_quoracy"]}; inquorate but the chair proceeded:
{conf["inquorate_but_proceeded"]}. Pushed back for want of a chair: {_pct(conf["pushed_back_share"])}.
Reviews chaired by the child's previous chair: {_pct(conf.get("same_chair_share", {"mean": None}))}.</p>
<p>Plans ended per replication: {escape(_endings(conf))}.</p>
<p>Challenges raised: {c["raised"]} for {c["failed_checks"]} failed QA checks;
{"" if c["per_100_conferences"]["mean"] is None else f"{c['per_100_conferences']['mean']:.1f}"} per 100 conferences.</p>
{_transfers_out(summary)}
{_dissent(summary)}
<h2>Staff</h2><ul>{staff}</ul>
<h2>Assumptions</h2><ul>{"".join(f"<li>{escape(a)}</li>" for a in summary["assumptions"])}</ul>
<p class=basis>The full report, with the life cycle and escalation procedures, their sources and flowcharts and a
glossary: <code>cpsim report RUN_DIR -o FILE.html</code> (RUN_DIR is this page's folder).</p>
</body></html>
"""


RUN_FILES = (
    "summary.json",
    "breaches.png",
    "report.html",
    "timed.csv",
    "conferences.csv",
    "challenges.csv",
    "dissents.csv",
    "transfers_out.csv",
    "staff.csv",
)
"""The files a conference run directory holds (besides its ``manifest.json``)."""


def conference_run_files(result: ConferenceRun) -> dict[str, bytes]:
    """Every file of a conference run directory, by name (:data:`RUN_FILES`): summary, chart, page and records."""
    return _run_files(result)[1]


def _run_files(result: ConferenceRun) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The summary as written (with the scenario's path) and every file of the run directory."""
    summary = result.summary()
    summary["scenario"]["path"] = scenario_path(result.scenario)
    chart = breaches_png(summary)
    return summary, {
        "summary.json": dumps(summary).encode("utf-8"),
        "breaches.png": chart,
        "report.html": conference_page(summary, chart).encode("utf-8"),
        **conference_csvs(result.replications),
    }


def write_conference_run(
    folder: Path, result: ConferenceRun, *, force: bool, workers: int, started: str | None = None
) -> dict[str, Any]:
    """Write the conference run directory ``folder``: its files, then ``manifest.json`` with what made them.

    The manifest gives, as a challenge run's does, the scenario's path and the sha256 of every file
    it read (:func:`cpsim.reports.rundir.conference.conference_manifest`) beside the files written.
    Returns the summary as written in ``summary.json``.

    Raises
    ------
    CpsimError
        If the folder may not be written (:func:`cpsim.reports.outputs.write_files`).
    """
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    summary, files = _run_files(result)
    write_files(folder, files, force=force)
    base = conference_manifest(result, version=cpsim_version(), workers=workers, started=started or now, finished=now)
    record_files(folder, {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}, base=base)
    return summary
