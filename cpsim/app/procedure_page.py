"""What the page of one procedure shows: its ladder, plain English, findings with their clauses, timescales.

Everything comes from the library the command line uses: :func:`cpsim.model.ladder` and
:func:`cpsim.model.describe` (``cpsim show``), :func:`cpsim.verify.verify_procedure`
(``cpsim verify``) and :func:`cpsim.reports.documents.catalogue.timescale_rows` (the catalogue).

Examples
--------
>>> from cpsim.model import PROCEDURES_DIR
>>> page = procedure_page(PROCEDURES_DIR / "redcar-internal.yaml", [])
>>> page.procedure.id, page.findings[0].severity
('redcar-internal', 'warning')
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cpsim.model import Procedure, Rung, describe, ladder, load_procedure, shipped_procedure_paths
from cpsim.model.errors import CpsimError
from cpsim.reports.documents.catalogue import timescale_rows
from cpsim.verify import Finding, verify_procedure
from cpsim.verify.checks.wording import render

__all__ = ["FindingView", "ProcedurePage", "TimescaleView", "findings_cached", "load_cached", "procedure_page"]

_ORDER = ("violation", "warning", "gap", "info")
_CACHE: dict[tuple[str, int], Procedure] = {}
_FOUND: dict[tuple[str, int], list[Finding]] = {}
_LOCK = threading.Lock()


def load_cached(path: Path) -> Procedure:
    """The procedure in ``path``, read again only when the file changed; FileError if it has problems."""
    key = (str(path.resolve()), path.stat().st_mtime_ns)
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
    proc = load_procedure(path)
    with _LOCK:
        _CACHE[key] = proc
    return proc


def findings_cached(path: Path) -> list[Finding]:
    """What ``cpsim verify`` finds in the procedure in ``path``, found again only when the file changed."""
    key = (str(path.resolve()), path.stat().st_mtime_ns)
    with _LOCK:
        if key in _FOUND:
            return _FOUND[key]
    found = verify_procedure(load_cached(path))
    with _LOCK:
        _FOUND[key] = found
    return found


@dataclass(frozen=True)
class FindingView:
    """A finding as the page lists it: severity, code, message, route in words, and the quoted clause."""

    severity: str
    code: str
    message: str
    route: str
    where: str
    quote: str


@dataclass(frozen=True)
class TimescaleView:
    """One authority's timescale on a topic; ``own`` marks the procedure the page is about."""

    topic: str
    authority: str
    procedure: str
    time: str
    as_written: str
    rule: str
    where: str
    own: bool
    differ: bool


@dataclass(frozen=True)
class ProcedurePage:
    """Everything the procedure page shows."""

    procedure: Procedure
    rungs: tuple[Rung, ...]
    lines: tuple[str, ...]
    findings: tuple[FindingView, ...]
    timescales: tuple[TimescaleView, ...]

    def counts(self) -> list[tuple[str, int]]:
        """How many findings of each severity, most serious first."""
        return [(s, sum(f.severity == s for f in self.findings)) for s in _ORDER]


def _source_title(proc: Procedure, doc: str) -> str:
    return next((s.title or s.doc for s in proc.sources if s.doc == doc), doc)


def _findings(proc: Procedure, path: Path) -> tuple[FindingView, ...]:
    found = sorted(findings_cached(path), key=lambda f: _ORDER.index(f.severity))
    out = []
    for f in found:
        src = f.source or {}
        where = f"{_source_title(proc, src['doc'])} §{src['ref']}" if src else ""
        route = render(proc, f.route) if f.route else ""
        out.append(FindingView(f.severity, f.code, f.message, route, where, src.get("quote", "")))
    return tuple(out)


def _others(paths: Iterable[Path]) -> list[Procedure]:
    procs: dict[str, Procedure] = {}
    for path in [*paths, *shipped_procedure_paths()]:
        try:
            p = load_cached(path)
        except (CpsimError, OSError):
            continue
        procs.setdefault(p.id, p)
    return list(procs.values())


def _timescales(proc: Procedure, others: list[Procedure]) -> tuple[TimescaleView, ...]:
    mine = {ts.topic for ts in proc.timescales}
    everyone = [proc, *(p for p in others if p.id != proc.id)]
    out = []
    for topic, entries in timescale_rows(everyone).items():
        if topic not in mine:
            continue
        differ = len({(ts.within.label if ts.within else ts.as_written) for _, ts in entries}) > 1
        for p, ts in entries:
            out.append(
                TimescaleView(
                    topic,
                    p.authority,
                    p.title,
                    ts.within.label if ts.within else "not given",
                    ts.as_written or "",
                    ts.rule,
                    f"{_source_title(p, ts.source.doc)} §{ts.source.ref}",
                    p.id == proc.id,
                    differ,
                )
            )
    return tuple(out)


def procedure_page(path: Path, folder_procedures: Iterable[Path]) -> ProcedurePage:
    """The page of the procedure in ``path``, its timescales set beside the other procedures'.

    Raises
    ------
    FileError
        If the file has problems (the page then shows them at their lines).
    """
    proc = load_cached(path)
    return ProcedurePage(
        proc,
        tuple(ladder(proc)),
        tuple(describe(proc)),
        _findings(proc, path),
        _timescales(proc, _others(folder_procedures)),
    )
