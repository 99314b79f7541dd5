"""What a calibration found, as a JSON-ready summary and as lines for a person to read.

The summary's keys are documented in ``docs/calibration.md``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cpsim.simulate.calibrate.estimate import Calibration, RouteEstimate
from cpsim.simulate.calibrate.fitting import Fit
from cpsim.simulate.calibrate.intervals import Estimate
from cpsim.simulate.calibrate.scenario import dist_words, pct
from cpsim.simulate.calibrate.stages import StageEstimate

__all__ = ["summary", "summary_lines"]


def _e(e: Estimate | None) -> dict[str, Any] | None:
    return None if e is None else e.as_dict()


def _fit(f: Fit) -> dict[str, Any]:
    ci = {k: list(v) for k, v in f.ci95.items()}
    return {
        "dist": f.dist,
        "params": f.params,
        "ci95": ci or None,
        "loglik": f.loglik,
        "k": f.k,
        "aic": f.aic,
        "bic": f.bic,
    }


def _stage(s: StageEstimate) -> dict[str, Any]:
    return {
        "requests": s.visits,
        "replies": s.replies,
        "replies_by_date_only": s.by_date,
        "open_at_export": s.open,
        "no_reply_by_deadline": s.no_reply,
        "late_replies": s.late_replies,
        "deadline_working_days": s.deadline,
        "timer": s.timer,
        "reply_time": {
            "chosen": _fit(s.fit) if s.fit else None,
            "candidates": [_fit(f) for f in s.fits],
            "goodness_of_fit": s.fit_test,
        },  # fmt: skip
        "p_satisfied": _e(s.p_satisfied),
        "q_no_reply_by_deadline": _e(s.q),
        "p_no_reply": _e(s.p_no_reply),
        "assumed": {o: {"to": d or None, "challenges": n, "of": of} for o, (d, n, of) in s.assumed.items()},
        "move_time": {o: {"moves": m.n, "chosen": _fit(m.fits[0]) if m.fits else None} for o, m in s.moves.items()},
    }


def _route(r: RouteEstimate) -> dict[str, Any]:
    return {
        "procedure": r.procedure.id,
        "challenges": r.cases,
        "share": _e(r.share),
        "choices": {sid: {o: _e(e) for o, e in c.items()} for sid, c in r.choices.items()},
        "stages": {sid: _stage(s) for sid, s in r.stages.items()},
    }


def summary(cal: Calibration, scenario: str | None) -> dict[str, Any]:
    """The calibration as a JSON-ready mapping (``scenario``: the file written, if any)."""
    months = {m: {"challenges": n, "working_days": d, "rate": _e(e)} for m, (n, d, e) in cal.arrivals.months.items()}
    return {
        "records": {
            "file": cal.records.path,
            "format": cal.records.kind,
            "periods": cal.records.periods,
            "challenges": sum(r.cases for r in cal.routes),
            "requests": sum(s.visits for r in cal.routes for s in r.stages.values()),
            "from": cal.first.isoformat(),
            "until": cal.until.isoformat(),
            "as_of": cal.as_of.isoformat(),
            "working_days": cal.working_days,
            "nation": cal.nation,
        },
        "criterion": cal.criterion,
        "arrivals": {"per_working_day": _e(cal.arrivals.rate), "by_month": months},
        "routes": [_route(r) for r in cal.routes],
        "warnings": list(cal.warnings),
        "scenario": scenario,
    }


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"


def _stage_lines(s: StageEstimate, criterion: str) -> list[str]:
    head = f"  {s.stage}: {_n(s.visits, 'request')}, {_n(s.replies, 'reply', 'replies')}"
    head += f", {s.open} open at export" if s.open else ""
    head += (
        f", {s.no_reply} with no reply by the {s.deadline:g}-day deadline" if s.timer and s.deadline is not None else ""
    )
    out = [head]
    if s.fit is not None:
        test = s.fit_test
        gof = (
            f"{test['test']} p = {test['p_value']:.2f}" if test.get("p_value") is not None else "no fit test (too few)"
        )
        best = s.fit.aic if criterion == "aic" else s.fit.bic
        others = ", ".join(f"{f.dist} {(f.aic if criterion == 'aic' else f.bic) - best:+.1f}" for f in s.fits[1:])
        out.append(f"    reply time: {dist_words(s.fit)} [{gof}; {criterion.upper()} of the others: {others}]")
        for name, (lo, hi) in s.fit.ci95.items():
            out.append(f"      {name} {s.fit.params[name]:.3g} (95% CI {lo:.3g} to {hi:.3g})")
    if s.replies:
        out.append(f"    satisfied: {pct(s.p_satisfied)}")
    if s.q is not None:
        out.append(f"    no reply by the deadline: {pct(s.q)}")
    if s.p_no_reply is not None:
        p = s.p_no_reply
        out.append(f"    never replying (p_no_reply): {p.estimate:.1%} ({p.low:.1%} to {p.high:.1%}; {p.method})")
    for o, (dest, n, of) in sorted(s.assumed.items()):
        out.append(
            f"    after {o}: " + (f"next request {dest} ({n} of {of})" if dest else f"the challenge ended ({n})")
        )
    for o, m in sorted(s.moves.items()):
        if m.fits:
            out.append(f"    move after {o}: {dist_words(m.fits[0])} from {m.n} moves")
    return out


def summary_lines(cal: Calibration, scenario: str | None) -> list[str]:
    """The calibration in plain lines: period, arrivals, route mix, and per stage what was estimated."""
    rec = cal.records
    cases = sum(r.cases for r in cal.routes)
    lines = [
        f"Records: {Path(rec.path).name} ({rec.kind.upper()}), {cases} challenges raised {cal.first} to {cal.until} "
        f"({cal.working_days} working days, {cal.nation}), as of {cal.as_of}"
        + (f", {rec.periods} copies of the period" if rec.periods > 1 else ""),
    ]
    rate = cal.arrivals.rate
    lines.append(f"Arrivals: {rate.estimate:.3g} per working day (95% CI {rate.low:.3g} to {rate.high:.3g})")
    for m, (n, d, e) in cal.arrivals.months.items():
        lines.append(f"  {m}: {e.estimate:.3g} ({e.low:.3g} to {e.high:.3g}) from {n} in {d} working days")
    for r in cal.routes:
        lines.append("")
        lines.append(f"{r.procedure.id}: {pct(r.share)} of challenges")
        for sid, c in sorted(r.choices.items()):
            if len(c) > 1:
                lines.append(f"  {sid}: " + "; ".join(f"{o} {pct(e)}" for o, e in c.items()))
        for s in r.stages.values():
            lines.extend(_stage_lines(s, cal.criterion))
    if cal.warnings:
        lines.append("")
        lines.extend(f"Warning: {w}" for w in cal.warnings)
    if scenario:
        lines.extend(["", f"Scenario written: {scenario}"])
    return lines
