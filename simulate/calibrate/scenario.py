"""The calibrated scenario: a scenario file whose every figure comes from the records, and says so.

:func:`scenario_data` turns a :class:`~cpsim.simulate.calibrate.estimate.Calibration` into the
data of a scenario file (``docs/scenario-format.md``): per route its share, ``flagged`` shares and
decision ``choices``; per request stage the chosen reply-time fit, ``p_satisfied``, ``p_no_reply``,
``move_time`` and the ``assumed`` routes the records show, each with an ``assumption`` saying what it
came from; the calendar of the records' period; Poisson arrivals with monthly factors; no staff
limits (recorded reply times already hold any wait for a free person). :func:`to_yaml` writes it.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from cpsim.model import shipped_procedure_paths
from cpsim.model.procedure.classes import Procedure
from cpsim.model.types import SKIP_OUTCOMES, StageKind
from cpsim.simulate.calibrate.estimate import Calibration, RouteEstimate
from cpsim.simulate.calibrate.fitting import Fit
from cpsim.simulate.calibrate.intervals import Estimate
from cpsim.simulate.calibrate.stages import StageEstimate

__all__ = ["dist_words", "pct", "scenario_data", "to_yaml"]


def pct(e: Estimate) -> str:
    """A share with its interval and sample, e.g. ``70.0% (95% CI 64.5% to 75.0%, n=290)``."""
    return f"{e.estimate:.1%} (95% CI {e.low:.1%} to {e.high:.1%}, n={e.n:g})"


def dist_words(fit: Fit) -> str:
    """A fitted distribution in words, e.g. ``gamma (shape 2.01, scale 1.81)``."""
    return f"{fit.dist} (" + ", ".join(f"{k} {v:.3g}" for k, v in fit.params.items()) + ")"


def _dist(fit: Fit) -> dict[str, Any]:
    return {"dist": fit.dist, **{k: float(f"{v:.4g}") for k, v in fit.params.items()}}


def _summed(values: dict[str, float]) -> dict[str, float]:
    """Rounded to 4 places, the largest adjusted so that they add up to exactly 1."""
    out = {k: round(v, 4) for k, v in values.items()}
    if out:
        top = max(out, key=lambda k: out[k])
        out[top] = round(1 - sum(v for k, v in out.items() if k != top), 4)
    return out


def _procedure_ref(proc: Procedure, path: str, out_dir: Path) -> str:
    shipped = {p.stem: p.resolve() for p in shipped_procedure_paths()}
    if shipped.get(proc.id) == Path(path).resolve():
        return proc.id
    return os.path.relpath(Path(path).resolve(), out_dir.resolve())


def _stage_words(s: StageEstimate, cal: Calibration) -> str:
    parts = [f"From {s.visits} requests in the records"]
    if s.fit is not None:
        cens = f", {s.open} still open at export (censored)" if s.open else ""
        test = s.fit_test
        gof = f"; {test['test']} p = {test['p_value']:.2f}" if test.get("p_value") is not None else ""
        fitted = s.replies - s.late_replies
        parts.append(
            f"reply time {dist_words(s.fit)}, by {cal.criterion.upper()}, fitted to {fitted} replies{cens}{gof}"
        )
    else:
        parts.append(f"too few replies ({s.replies}) to fit a reply time, so it is taken as immediate")
    if s.replies:
        parts.append(f"replies satisfied the chair in {pct(s.p_satisfied)}")
    if s.q is not None and s.deadline is not None:
        parts.append(f"no reply by the {s.deadline:g}-working-day deadline in {pct(s.q)}")
        if s.p_no_reply is not None:
            p, q = s.p_no_reply.estimate, s.q.estimate
            if p >= q - 1e-9:
                parts.append("all of them read as never replying")
            elif p <= 0:
                parts.append("all of them read as replies that would have come after the deadline")
            else:
                parts.append(f"read as {p:.1%} never replying, the others replying after the deadline")
    for outcome, (dest, n, of) in sorted(s.assumed.items()):
        if dest:
            parts.append(f"after {outcome} the records show the challenge going to {dest} ({n} of {of})")
    return "; ".join(parts) + "."


def _open_outcomes(proc: Procedure, s: StageEstimate, body: dict[str, Any]) -> list[str]:
    """Outcomes that can happen at ``s`` with no route in the procedure or the records."""
    routed = {t.on for t in proc.transitions_from(s.stage)} | set(body.get("assumed", {}))
    p = body.get("p_satisfied", 1.0)
    possible = {"satisfied"} if p > 0 else set()
    possible |= {"unsatisfied"} if p < 1 else set()
    possible |= {"no-reply"} if s.timer else set()
    return sorted(possible - routed)


def _stage_body(proc: Procedure, s: StageEstimate, cal: Calibration) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if s.fit is not None:
        body["reply_time"] = _dist(s.fit)
    body["p_satisfied"] = round(s.p_satisfied.estimate, 4) if s.replies else 1.0
    if s.p_no_reply is not None and s.p_no_reply.estimate > 0:
        body["p_no_reply"] = round(s.p_no_reply.estimate, 4)
    assumed = {o: dest for o, (dest, _, _) in sorted(s.assumed.items()) if dest}
    if assumed:
        body["assumed"] = assumed
    words = _stage_words(s, cal)
    ends = [st.id for st in proc.stages if st.is_terminal]
    missing = _open_outcomes(proc, s, body)
    if missing and ends:
        body.setdefault("assumed", {}).update({o: ends[0] for o in missing})
        told = ", ".join(missing)
        words += (
            f" The procedure does not say what follows {told} here, and the records show no further request:"
            f" the challenge is assumed to end at {ends[0]}."
        )
    if s.moves:
        body["move_time"] = {o: _dist(m.fits[0]) for o, m in sorted(s.moves.items()) if m.fits}
        words += " The time to the next request: " + "; ".join(
            f"after {o}, {dist_words(m.fits[0])} from {m.n} moves" for o, m in sorted(s.moves.items()) if m.fits
        )
        words += "."
    body["assumption"] = words
    return body


def _route_entry(r: RouteEstimate, share: float, cal: Calibration, out_dir: Path) -> dict[str, Any]:
    proc = r.procedure
    entry: dict[str, Any] = {"procedure": _procedure_ref(proc, r.path, out_dir), "share": share}
    stages: dict[str, Any] = {}
    start = proc.start.id
    outs = [t.on for t in proc.transitions_from(start)]
    chosen = {o: e.estimate for o, e in r.choices.get(start, {}).items()}
    if len(outs) > 1:
        plain = [o for o in outs if o not in SKIP_OUTCOMES]
        if len(plain) == 1:
            entry["flagged"] = {o: round(chosen.get(o, 0.0), 4) for o in outs if o in SKIP_OUTCOMES}
        else:
            stages[start] = {"choices": _summed({o: chosen.get(o, 0.0) for o in outs})}
    for sid, counts in sorted(r.choices.items()):
        stage = proc.stage(sid)
        if sid == start or len(proc.transitions_from(sid)) < 2 or stage.kind is StageKind.REQUEST:
            continue
        shares = {t.on: counts[t.on].estimate if t.on in counts else 0.0 for t in proc.transitions_from(sid)}
        n = int(next(iter(counts.values())).n)
        said = ", ".join(f"{o} {e.estimate:.1%}" for o, e in counts.items())
        stages[sid] = {"choices": _summed(shares), "assumption": f"From the records ({n} challenges): {said}."}
    for sid, s in sorted(r.stages.items()):
        stages[sid] = _stage_body(proc, s, cal)
    for st in proc.stages:  # a request stage with no deadline needs its reply time stated, even if none were seen
        if (
            st.kind is StageKind.REQUEST
            and st.id not in stages
            and (st.deadline is None or not st.deadline.is_specified)
        ):
            why = "No requests to this stage are in the records, so a reply here is taken as immediate and satisfying."
            stages[st.id] = {"p_satisfied": 1.0, "assumption": why}
    _moves_into_sends(r, stages)
    entry["behaviour"] = {"stages": stages}
    return entry


def _moves_into_sends(r: RouteEstimate, stages: dict[str, Any]) -> None:
    """A request stage whose source gives no time to send: the recorded time before its request is that time."""
    proc = r.procedure
    nxt = {(t.from_, t.on): t.to for t in reversed(proc.transitions)}
    for st in proc.stages:
        if st.kind is not StageKind.REQUEST or st.send is None or st.send.is_specified:
            continue
        into = [
            (m, sid, o)
            for sid, s in r.stages.items()
            for o, m in s.moves.items()
            if m.fits and (nxt.get((sid, o)) or s.assumed.get(o, (None,))[0]) == st.id
        ]
        for _, sid, o in into:
            timed = stages[sid].get("move_time", {})
            timed.pop(o, None)
            if not timed:
                stages[sid].pop("move_time", None)
        body = stages.setdefault(st.id, {"p_satisfied": 1.0, "assumption": ""})
        if into:
            m = max(into, key=lambda x: x[0].n)[0]
            body["send_time"] = _dist(m.fits[0])
            said = f"{dist_words(m.fits[0])} from {m.n} requests"
        else:
            body["send_time"] = {"dist": "fixed", "value": 0}
            said = "none is in the records, so it is taken as none"
        body["assumption"] = (
            f"{body['assumption']} The source gives no time to send the request here; the time the records show "
            f"between the previous step and the request is taken as the time to send: {said}."
        ).strip()


def _assumptions(cal: Calibration) -> list[str]:
    name = Path(cal.records.path).name
    cases = sum(r.cases for r in cal.routes)
    visits = sum(s.visits for r in cal.routes for s in r.stages.values())
    out = [
        f"Calibrated from {name}: {cases} challenges ({visits} requests) raised from {cal.first} to {cal.until} "
        f"({cal.working_days} working days on the {cal.nation} calendar), as recorded on {cal.as_of}. "
        "Every figure below comes from these records; each stage says from how many.",
    ]
    if cal.records.periods > 1:
        copies = cal.records.periods
        out.append(
            f"The file holds {copies} copies of the period (replications of a simulated log); rates are per copy."
        )
    rate = cal.arrivals.rate
    seen = [m for m, (_, days, _) in cal.arrivals.months.items() if days]
    out.append(
        f"Challenges are raised at {rate.estimate:.3g} per working day (95% CI {rate.low:.3g} to {rate.high:.3g}), "
        f"by month as the records show ({len(seen)} of 12 months seen; months not seen use the overall rate)."
    )
    mix = "; ".join(f"{r.procedure.id} {pct(r.share)}" for r in cal.routes)
    out.append(f"Route mix: {mix}.")
    out.append(
        "Recorded reply times include any wait for a free person, so no staff limits are set: a limit would "
        "count that wait twice. Time the chair spends between requests is not in the records and is taken as none."
    )
    return out


def scenario_data(cal: Calibration, *, scenario_id: str, title: str, out_dir: Path) -> dict[str, Any]:
    """The calibrated scenario as the data of a scenario file, for a file written in folder ``out_dir``."""
    total = cal.arrivals.rate.estimate
    factors = {m: round(e.estimate / total, 3) for m, (_, _, e) in cal.arrivals.months.items() if total > 0}
    shares = _summed({r.procedure.id: r.share.estimate for r in cal.routes})
    data: dict[str, Any] = {
        "id": scenario_id,
        "title": title,
        "description": f"Calibrated by cpsim calibrate from the records in {Path(cal.records.path).name}.",
        "assumptions": _assumptions(cal),
        "procedures": [_route_entry(r, shares[r.procedure.id], cal, out_dir) for r in cal.routes],
        "calendar": {
            "start": cal.first,
            "horizon": max(cal.working_days, 1),
            "warm_up": 0,
            "follow_up": 250,
            "nation": cal.nation,
            "hours_per_day": cal.hours_per_day,
        },  # fmt: skip
        "arrivals": {"kind": "poisson", "rate": round(total, 4), "monthly_factors": factors},
        "replications": 20,
        "seed": 0,
    }
    return data


def _flow(value: Any) -> Any:
    """Distributions and short mappings in flow style, the rest in block style."""
    if isinstance(value, dict):
        m = CommentedMap((k, _flow(v)) for k, v in value.items())
        if "dist" in value or (value and all(isinstance(v, (int, float)) for v in value.values())):
            m.fa.set_flow_style()
        return m
    if isinstance(value, list):
        return [_flow(v) for v in value]
    return value


def to_yaml(data: dict[str, Any], header: str = "") -> str:
    """``data`` as the text of a YAML file, after ``header`` comment lines."""
    yaml = YAML(typ="rt", pure=True)
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    buf = io.StringIO()
    yaml.dump(_flow(data), buf)
    lines = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return lines + buf.getvalue()
