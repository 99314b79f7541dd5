"""Compare two conference scenarios with common random numbers: paired differences with 95% CIs.

Both sides run the same replications with the same seed, so replication ``i`` of A and of B see
the same strategy discussions, children's journeys and absences wherever the two scenarios agree.
Each figure is a ratio of totals (the summary's), so B − A and its paired interval come from
:func:`cpsim.simulate.experiments.compare.ratio_difference`, as for challenge scenarios.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cpsim.model.conference.load import ConferenceScenario
from cpsim.simulate.conference.runner import ConferenceRun, run_conferences
from cpsim.simulate.conference.summary import measure_names, replication_totals
from cpsim.simulate.experiments.compare import Difference, ratio_difference
from cpsim.simulate.experiments.tasks import Totals

__all__ = ["ConferenceComparison", "compare_conference_runs", "compare_conferences"]

OTHER = {
    "challenges-per-100": "Challenges raised per 100 conferences",
    "pushed-back": "Share of conferences pushed back",
    "chair-wait-initial": "Mean working days an initial conference waits for a chair",
    "same-chair": "Reviews chaired by the child's previous chair",
}


@dataclass(frozen=True)
class ConferenceComparison:
    """B − A per figure: (key, name, difference)."""

    a: str
    b: str
    seed: int
    replications: int
    rows: tuple[tuple[str, str, Difference], ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "a": self.a,
            "b": self.b,
            "seed": self.seed,
            "replications": self.replications,
            "common_random_numbers": True,
            "measures": [
                {
                    "measure": key,
                    "name": name,
                    "a": d.a_mean,
                    "b": d.b_mean,
                    "difference": d.mean,
                    "ci95": list(d.ci95) if d.ci95 else None,
                    "distinguishable": d.distinguishable,
                }
                for key, name, d in self.rows
            ],
        }


def _totals(run: ConferenceRun, key: str) -> Totals:
    cells = [replication_totals(run.scenario, r).get(key, (0.0, 0.0)) for r in run.replications]
    return Totals(tuple(c[0] for c in cells), tuple(c[1] for c in cells), 0)


def compare_conference_runs(ra: ConferenceRun, rb: ConferenceRun) -> ConferenceComparison:
    """Paired differences between two runs of the same replications and seed."""
    names_a, names_b = measure_names(ra.scenario), measure_names(rb.scenario)
    keys = [(k, names_a[k][0]) for k in names_a if k in names_b] + list(OTHER.items())
    if ra.scenario.dissent and rb.scenario.dissent:
        keys.append(("dissents-per-100", "Dissents from conference decisions per 100 conferences"))
    rows = tuple((k, name, ratio_difference(_totals(ra, k), _totals(rb, k))) for k, name in keys)
    return ConferenceComparison(ra.scenario.id, rb.scenario.id, ra.seed, len(ra.replications), rows)


def compare_conferences(
    a: ConferenceScenario,
    b: ConferenceScenario,
    *,
    replications: int | None = None,
    seed: int | None = None,
    workers: int = 1,
) -> ConferenceComparison:
    """Run ``a`` and ``b`` with the same seed and replications (default: A's) and compare them pairwise."""
    n = a.spec.replications if replications is None else replications
    s = a.spec.seed if seed is None else seed
    ra = run_conferences(a, replications=n, seed=s, workers=workers)
    rb = run_conferences(b, replications=n, seed=s, workers=workers)
    return compare_conference_runs(ra, rb)
