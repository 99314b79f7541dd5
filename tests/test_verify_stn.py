"""Simple temporal networks: consistency by negative cycles, and minimal clashing rule sets."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from cpsim.verify.checks.stn import Rule, conflict, consistent


def test_lower_bounds_that_add_up_past_an_upper_bound_clash():
    rules = [Rule(0, 1, 2, None, "a"), Rule(1, 2, 3, None, "b"), Rule(0, 2, 0, 4, "target")]
    assert not consistent(rules)
    assert consistent([Rule(0, 1, 2, None, "a"), Rule(1, 2, 2, None, "b"), Rule(0, 2, 0, 4, "target")])


def test_the_conflict_drops_rules_not_needed_for_the_clash():
    rules = [
        Rule(0, 1, 1, None, "small wait"),
        Rule(1, 2, 5, None, "long wait"),
        Rule(0, 2, 0, 4, "target"),
    ]
    assert [r.label for r in conflict(rules, precedence=[(0, 1), (1, 2)])] == ["long wait", "target"]


def test_consistent_rules_have_no_conflict():
    assert conflict([Rule(0, 1, 0, 3, "deadline"), Rule(0, 1, 1, None, "wait")]) is None


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 4), st.one_of(st.none(), st.integers(0, 6))),
        min_size=1,
        max_size=6,
    )
)
def test_a_reported_conflict_is_inconsistent_and_minimal(raw):
    rules = [Rule(a, b, lo, hi, f"r{i}") for i, (a, b, lo, hi) in enumerate(raw) if a != b]
    found = conflict(rules)
    if found is None:
        assert consistent(rules)
        return
    assert not consistent(found)
    for r in found:
        assert consistent([x for x in found if x is not r])


def test_consistency_agrees_with_a_brute_force_search_on_small_integer_networks():
    rules = [Rule(0, 1, 1, 2, "a"), Rule(1, 2, 1, 1, "b"), Rule(0, 2, 0, 2, "c")]
    feasible = any(
        all(r.lo <= t[r.later] - t[r.earlier] <= (r.hi if r.hi is not None else 99) for r in rules)
        for t in itertools.product(range(5), repeat=3)
    )
    assert consistent(rules) == feasible
    rules[2] = Rule(0, 2, 0, 3, "c")
    feasible = any(
        all(r.lo <= t[r.later] - t[r.earlier] <= (r.hi if r.hi is not None else 99) for r in rules)
        for t in itertools.product(range(5), repeat=3)
    )
    assert consistent(rules) == feasible
