"""Compute, exactly and without sampling, how long challenges take when nobody queues.

For each procedure in the scenario (or the one given with --procedure and --behaviour): the chance
each time target is met, the mean and quantiles of the time to resolution, how likely each stage is
reached and a case never ends, the most likely routes that miss each target, and which stage's
behaviour matters most. Times are in working days. Continuous reply times are computed on a fine
grid; the error bound printed covers every probability shown.

Example:
  cpsim analyse scenarios/redcar-baseline.yaml
  cpsim analyse --procedure model/procedures/redcar-external.yaml --behaviour \
    scenarios/behaviours/redcar-external-whole-days.yaml --json
"""

from __future__ import annotations

import argparse

from cpsim.commands._common import print_json
from cpsim.commands._exact_input import pairs
from cpsim.verify.exact.analysis import DEFAULT_HORIZON, analyse
from cpsim.verify.exact.results import Analysis, Sensitivity

NAME = "analyse"
HELP = "exact time-to-resolution analysis with unlimited staff"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register this command's options."""
    parser.add_argument("scenario", metavar="SCENARIO", nargs="?", help="scenario YAML file")
    parser.add_argument("--procedure", metavar="FILE", help="procedure YAML file (instead of a scenario)")
    parser.add_argument("--behaviour", metavar="FILE", help="behaviour YAML file for --procedure")
    parser.add_argument("--json", action="store_true", help="print the results as JSON (see docs/analysis.md)")
    parser.add_argument("--grid", type=float, default=None, help="grid in working days for continuous times")
    parser.add_argument("--horizon", type=float, default=DEFAULT_HORIZON, help="working days to follow a case")
    parser.add_argument("--no-sensitivity", action="store_true", help="skip the sensitivity analysis (faster)")


def run(args: argparse.Namespace) -> int:
    """Analyse every procedure named and print the results."""
    jobs = pairs(args.scenario, args.procedure, args.behaviour)
    results = [
        (analyse(p, b, grid=args.grid, horizon=args.horizon, sensitivity=not args.no_sensitivity), notes)
        for p, b, notes in jobs
    ]
    if args.json:
        print_json([{**r.as_dict(), "assumptions": list(notes)} for r, notes in results])
    else:
        print("\n\n".join("\n".join(lines(r, notes)) for r, notes in results))
    return 0


def lines(a: Analysis, assumptions: tuple[str, ...] = ()) -> list[str]:
    """The analysis in plain English, one line each, ending with the assumptions it rests on."""
    exact = "exact" if a.method == "exact" else f"grid of {a.tick:g} working days, error at most {a.error_bound:.1g}"
    out = [f"{a.procedure} — no queues ({exact}; followed for {a.horizon:g} working days)"]
    out.append(f"  resolved: {a.p_resolved:.1%}; never ends: {a.p_never_ends:.1%}")
    if a.mean_days is not None:
        med = a.quantiles.get("0.5")
        q90 = a.quantiles.get("0.9")
        out.append(
            f"  time to resolution (working days): mean {a.mean_days:.2f}"
            + (f", median {sum(med) / 2:.2f}" if med else "")
            + (f", 90% within {sum(q90) / 2:.2f}" if q90 else "")
        )
    for n in a.never_ends:
        out.append(f"  never ends at {n.stage} ({n.outcome or 'no outcome'}): {n.probability:.1%} — {n.reason}")
    reached = ", ".join(f"{s} {p:.0%}" for s, p in a.stage_reach.items())
    out.append(f"  stages reached: {reached}")
    for t in a.targets:
        out.append(
            f"  target {t.title}: met {t.p_within:.1%}, missed {t.p_breach:.1%} (clock starts {t.p_started:.0%})"
        )
        for r in t.breaching_routes[:3]:
            out.append(f"    misses {r.p_breach:.1%} via {r.text}")
        top = sorted(t.sensitivity, key=lambda s: -abs(s.effect))[:3]
        for s in top:
            out.append(f"    sensitivity: {_sens(s)}")
    out += [f"  assumed: {x}" for x in assumptions]
    return out


def _sens(s: Sensitivity) -> str:
    if s.parameter == "reply_time_scale":
        return f"replies at {s.stage} 10% slower change the miss rate by {s.effect:+.1%}"
    what = {"p_no_reply": "the chance of no reply", "p_satisfied": "the chance a reply satisfies"}.get(
        s.parameter, s.parameter.replace("_", " ")
    )
    return f"if {what} at {s.stage} were 0.1 higher (now {s.value:g}), {10 * s.effect:+.1f} percentage points missed"
