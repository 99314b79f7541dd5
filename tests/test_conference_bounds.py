"""Every interval a conference summary gives stays where its figure can lie: no count, rate or time below zero."""

from __future__ import annotations

from typing import Any

from cpsim.model.conference.load import CONFERENCE_SCENARIOS, load_conference
from cpsim.simulate.conference.runner import run_conferences


def _intervals(node: Any, path: str = "") -> list[tuple[str, list[float]]]:
    """Every ``ci95`` in a summary with where it sits."""
    if isinstance(node, dict):
        found = [(path, node["ci95"])] if isinstance(node.get("ci95"), list) else []
        for key, value in node.items():
            found += _intervals(value, f"{path}/{key}")
        return found
    if isinstance(node, list):
        return [hit for i, value in enumerate(node) for hit in _intervals(value, f"{path}/{i}")]
    return []


def test_no_interval_of_a_two_replication_conference_run_goes_below_zero() -> None:
    """With two replications a t interval is wide; a count per 100 conferences must still not go negative."""
    sc = load_conference(CONFERENCE_SCENARIOS["wakefield-conference-baseline"])
    summary = run_conferences(sc, replications=2, seed=4).summary()
    found = _intervals(summary)
    assert found, "the summary gives intervals"
    below = [(where, ci) for where, ci in found if ci[0] < 0]
    assert below == []
