"""The report on a conference run directory, its answer first: timescales and challenges with their CIs.

A conference run directory (``cpsim simulate`` on a conference scenario) holds ``summary.json``,
the flat records as CSV and cpsim's ``manifest.json`` of the files it wrote. The report adds what
the run used: the life-cycle procedure and the escalation procedure, found through the scenario.
The summary names its scenario by id and path; the file is the one the summary or manifest gives,
the shipped scenario of that id, or the one the user names, and it is used only when its assumptions
are the run's, word for word, and no file the run read has changed since (the manifest records the
sha256 of each), so a report never describes procedures another run used.

Examples
--------
>>> from cpsim.model.conference.load import CONFERENCE_SCENARIOS, load_conference
>>> sc = load_conference(CONFERENCE_SCENARIOS["wakefield-conference-baseline"])
>>> challenge_names(sc)["wakefield-chair-concern/chair_concern"]
'CP Chair Concern sent to the professional(s) and their line management — CP Chair Concern / dispute resolution process'
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

from cpsim.model.conference.load import CONFERENCE_SCENARIOS, ConferenceScenario, load_conference
from cpsim.model.errors import CpsimError
from cpsim.model.procedure import Procedure
from cpsim.reports.charts.conference import breaches_chart
from cpsim.reports.documents.blocks import Block, Bullets, Image, Paragraph, Report, Section, Table
from cpsim.reports.documents.conference_results import (
    challenges_section,
    conferences_section,
    staff_section,
    timescales_section,
    titled,
)
from cpsim.reports.documents.conference_summary import CONFERENCE_GLOSSARY, conference_summary
from cpsim.reports.documents.content import SECTION_TITLES, procedure_report
from cpsim.reports.documents.summary import finding_blocks
from cpsim.reports.exports.render import figure_bytes, findings_for
from cpsim.reports.rundir.conference import files_read, scenario_path, shown_path

__all__ = [
    "challenge_names",
    "conference_report",
    "conference_scenario_for",
    "is_conference_run",
    "read_conference_run",
]


def read_conference_run(run_dir: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """``summary.json`` and ``manifest.json`` of a run directory.

    Raises
    ------
    CpsimError
        If either is not readable JSON, naming the file.
    """
    out = []
    for name in ("summary.json", "manifest.json"):
        try:
            data = json.loads((run_dir / name).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CpsimError(f"{run_dir / name}: cannot be read ({exc}); simulate the scenario again") from None
        out.append(data if isinstance(data, dict) else {})
    return out[0], out[1]


def is_conference_run(run_dir: Path) -> bool:
    """True when the run directory's summary is a conference run's."""
    try:
        summary, _ = read_conference_run(run_dir)
    except CpsimError:
        return False
    scenario = summary.get("scenario")
    return isinstance(scenario, dict) and scenario.get("kind") == "conference"


def _candidates(summary: dict[str, Any], manifest: dict[str, Any], given: Path | None) -> list[Path]:
    if given is not None:
        return [given]
    paths = [(summary.get("scenario") or {}).get("path"), (manifest.get("scenario") or {}).get("path")]
    found = [Path(p) for p in paths if isinstance(p, str)]
    shipped = CONFERENCE_SCENARIOS.get(str((summary.get("scenario") or {}).get("id")))
    return [*found, *([shipped] if shipped else [])]


def _difference(sc: ConferenceScenario, summary: dict[str, Any]) -> str | None:
    """Why ``sc`` is not the scenario of the run ``summary`` describes; None when it is."""
    sid = (summary.get("scenario") or {}).get("id")
    if sc.id != sid:
        return f"its id is {sc.id!r}, the run's {sid!r}"
    ours, theirs = list(sc.all_assumptions), [str(a) for a in summary.get("assumptions") or []]
    for a, b in zip(ours, theirs, strict=False):
        if a != b:
            return f"it now assumes “{a}” where the run assumed “{b}”"
    if len(ours) != len(theirs):
        return f"it states {len(ours)} assumptions, the run {len(theirs)}"
    return None


def _changed(manifest: dict[str, Any], sc: ConferenceScenario | None) -> list[str]:
    """The files the run read whose sha256 now differs from the one its manifest records.

    With ``sc`` None the scenario file is the one the run recorded, so every file the run read is
    compared (and one no longer there is named); otherwise only the files ``sc`` reads too.
    """
    recorded = manifest.get("files_sha256")
    if not isinstance(recorded, dict):
        return []  # a run written before cpsim recorded what it read
    now = None if sc is None else files_read(sc)
    out = []
    for name, digest in sorted(recorded.items()):
        if now is None and not Path(name).is_file():
            out.append(f"{name} (no longer there)")
        elif (now is None or name in now) and _sha256(name) != digest:
            out.append(name)
    return out


def _refuse_changed(run_dir: Path, changed: list[str], scenario: str) -> None:
    if changed:
        raise CpsimError(
            f"{run_dir}: {', '.join(changed)} {'has' if len(changed) == 1 else 'have'} changed since the run "
            "(the sha256 in its manifest.json is not the file's now); simulate the scenario again "
            f"(cpsim simulate {scenario} -o NEW_RUN_DIR) and report on the new run"
        )


def conference_scenario_for(
    run_dir: Path, summary: dict[str, Any], manifest: dict[str, Any], given: Path | None = None
) -> ConferenceScenario:
    """The conference scenario the run simulated: its id and assumptions must be the run's, word for word.

    Raises
    ------
    CpsimError
        If no such file is found (saying to name it with ``--scenario`` or simulate again), or a file the run
        read has changed since (naming it, and saying to simulate again).
    """
    sid = (summary.get("scenario") or {}).get("id")
    if given is not None and not given.is_file():
        raise CpsimError(f"{given}: no such file; --scenario names the conference scenario file the run simulated")
    why = []
    recorded = (summary.get("scenario") or {}).get("path") or (manifest.get("scenario") or {}).get("path")
    for path in _candidates(summary, manifest, given):
        if not path.is_file():
            continue
        here = shown_path(path) == recorded
        if here:  # before reading it: a changed file may no longer load
            _refuse_changed(run_dir, _changed(manifest, None), str(recorded))
        sc = load_conference(path)
        if not here:
            _refuse_changed(run_dir, _changed(manifest, sc), scenario_path(sc))
        difference = _difference(sc, summary)
        if difference is None:
            return sc
        why.append(f"{path} is not the scenario it simulated: {difference}")
    head = f"{run_dir}: cannot find the conference scenario this run simulated"
    if not why:
        gone = f"the file it recorded, {recorded}, is no longer there and " if isinstance(recorded, str) else ""
        raise CpsimError(
            f"{head}; {gone}no scenario file of id {sid!r} is known: name the file it read with --scenario FILE"
        )
    raise CpsimError(
        f"{head}; {'; '.join(why)}. Simulate the scenario again and report on the new run, "
        "or name the file the run read with --scenario FILE"
    )


def challenge_names(sc: ConferenceScenario) -> dict[str, str]:
    """Each challenge target and reply deadline key ("procedure/stage") in words, as the summary keys them."""
    names = {}
    for route in sc.escalation.routes:
        proc = route.procedure
        for s in proc.stages:
            names[f"{proc.id}/{s.id}"] = f"{s.title} — {proc.title}"
        for t in proc.targets:
            names[f"{proc.id}/{t.id}"] = f"{t.title} — {proc.title}"
    return names


def _procedures(sc: ConferenceScenario) -> list[Procedure]:
    return [sc.lifecycle, *(r.procedure for r in sc.escalation.routes if r.procedure.id != sc.lifecycle.id)]


def _source_titles(procs: list[Procedure]) -> dict[str, str]:
    """Each source file's title, as the first procedure (the life cycle) gives it."""
    titles: dict[str, str] = {}
    for p in procs:
        for s in p.sources:
            if s.title:
                titles.setdefault(s.doc, s.title)
    return titles


def _role_titles(procs: list[Procedure]) -> dict[str, str]:
    titles: dict[str, str] = {}
    for p in procs:
        for r in p.roles:
            titles.setdefault(r.id, r.title)
    return titles


def _failed_checks(run_dir: Path, sc: ConferenceScenario) -> list[tuple[str, int]]:
    """How often each QA check failed, read from ``conferences.csv`` (none when the file is absent)."""
    try:
        with (run_dir / "conferences.csv").open(encoding="utf-8", newline="") as f:
            counts = Counter(c for row in csv.DictReader(f) for c in (row.get("failed_checks") or "").split(";") if c)
    except (OSError, UnicodeDecodeError, csv.Error):
        return []
    titles = {c.id: c.title for c in sc.spec.checks}
    return [(f"{titles.get(k, k)} ({k})", n) for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _chart(summary: dict[str, Any], names: dict[str, str]) -> Image:
    data = figure_bytes(breaches_chart(summary, names), ".png", dpi=130)
    caption = (
        "Timescale breaches (blue: share of each timescale missed) and challenge breaches (vermillion: share of "
        "each reply deadline or target missed), with 95% confidence intervals"
    )
    return Image("chart-breaches", caption, "image/png", data)


def _sha256(path: str | Path) -> str:
    p = Path(path)
    return hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "(not a file)"


def _manifest(summary: dict[str, Any], manifest: dict[str, Any], sc: ConferenceScenario) -> Section:
    n, seed = summary.get("replications"), summary.get("seed")
    rows = [
        ("cpsim version", str(manifest.get("cpsim_version"))),
        ("scenario", f"{sc.id} ({sc.path})"),
        ("sha256 of the scenario file, as read for this report", _sha256(sc.path)),
        ("seed", str(seed)),
        ("replications", str(n)),
        ("to simulate it again", f"cpsim simulate {sc.path} -n {n} --seed {seed} -o RUN_DIR"),
    ]
    rows += [(f"sha256 of {k} (read by the scenario)", v) for k, v in sc.escalation.digests.items()]
    rows += [(f"sha256 of {k} (written by the run)", str(v)) for k, v in (manifest.get("written") or {}).items()]
    return Section("manifest", SECTION_TITLES["manifest"], (Table(("Item", "Value"), tuple(rows)),))


def _assumptions(summary: dict[str, Any], titles: dict[str, str]) -> Section:
    items = tuple(titled(str(a), titles) for a in summary.get("assumptions", ()) if str(a).strip())
    blocks: list[Block] = [
        Paragraph("Every result above rests on these assumptions, as the scenario states them:"),
        Bullets(items),
    ]
    return Section("assumptions", SECTION_TITLES["assumptions"], tuple(blocks))


def conference_report(run_dir: Path, sc: ConferenceScenario) -> Report:
    """The report on the conference run in ``run_dir``, which simulated ``sc``."""
    summary, manifest = read_conference_run(run_dir)
    procs = _procedures(sc)
    names = challenge_names(sc)
    titles = _source_titles(procs)
    found = {p.id: findings_for(p) for p in procs}
    detail = [x for x in procedure_report(procs).sections if x.id not in ("summary", "glossary", "manifest")]
    charts = Section("charts", "Charts", (_chart(summary, names),))
    glossary = Section("glossary", "Words used in this report", (Table(("Word", "Meaning"), CONFERENCE_GLOSSARY),))
    sections = (
        conference_summary(summary, names, finding_blocks(procs, found)),
        timescales_section(summary, titles, {m.id: m.title for m in sc.lifecycle.milestones}),
        challenges_section(summary, names, _failed_checks(run_dir, sc)),
        charts,
        conferences_section(summary),
        staff_section(summary, _role_titles(procs)),
        _assumptions(summary, titles),
        *detail,
        glossary,
        _manifest(summary, manifest, sc),
    )
    title = str((summary.get("scenario") or {}).get("title") or sc.title)
    runs = f"{summary.get('replications')} replications, seed {summary.get('seed')}"
    return Report(title, f"Simulation of {sc.lifecycle.title} ({sc.lifecycle.authority}) · {runs}", sections)
