"""Properties of the verifier on random procedures: it never crashes, and its proofs and counterexamples hold."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpsim.model.procedure.machine import Case, to_machine
from cpsim.verify import SEVERITIES, prove_termination, verify_procedure
from cpsim.verify.checks.walks import is_walk
from tests.strategies import procedures

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def random_walk(proc, rng, limit):
    """Fire random available outcomes through the Machine, honouring max_repeats; return (stage, moves)."""
    case = Case()
    machine = to_machine(proc, case)
    used: dict[tuple[str, str], int] = {}
    for moves in range(limit + 1):
        options = [
            t
            for t in proc.transitions_from(case.state)
            if t.max_repeats is None or used.get((t.from_, t.on), 0) < t.max_repeats
        ]
        if not options:
            return case.state, moves
        t = options[rng.integers(len(options))]
        used[(t.from_, t.on)] = used.get((t.from_, t.on), 0) + 1
        assert t.on in machine.get_triggers(case.state)
        machine.events[t.on].trigger(case)
        assert case.state == t.to
    return case.state, limit + 1


@SETTINGS
@given(procedures(), st.sampled_from([None, 1, 3.5, 10]))
def test_the_verifier_never_crashes_and_its_findings_are_well_formed(proc, days):
    found = verify_procedure(proc, target_days=days)
    for f in found:
        assert f.severity in SEVERITIES
        assert f.code.isupper() and " " not in f.code
        assert f.message and f.procedure == proc.id
        assert all(s in {x.id for x in proc.stages} for s in (*f.stages, *f.route))
        json.dumps(f.as_dict())


@SETTINGS
@given(procedures(), st.integers(0, 2**32 - 1))
def test_when_every_route_is_proved_to_end_random_walks_end_at_an_ending_within_the_bound(proc, seed):
    proof = prove_termination(proc)
    if not proof.terminates:
        return
    rng = np.random.default_rng(seed)
    for _ in range(20):
        stage, moves = random_walk(proc, rng, proof.max_steps)
        assert moves <= proof.max_steps
        assert proc.stage(stage).is_terminal


@SETTINGS
@given(procedures())
def test_every_trap_dead_end_and_unbounded_loop_comes_with_a_real_walk_from_the_start(proc):
    for f in verify_procedure(proc):
        if f.code not in ("TRAP", "DEAD_END", "UNBOUNDED_LOOP"):
            continue
        assert f.route[0] == proc.start.id
        assert is_walk(proc, f.route)
        case = Case()
        machine = to_machine(proc, case)
        for a, b in zip(f.route, f.route[1:], strict=False):
            outcome = next(t.on for t in proc.transitions_from(a) if t.to == b)
            machine.events[outcome].trigger(case)
        assert case.state == f.route[-1]
        if f.code == "UNBOUNDED_LOOP":
            loop_start = f.route.index(f.route[-1])
            cycle = f.route[loop_start:]
            assert len(cycle) >= 2 and cycle[0] == cycle[-1]
            assert all(
                any(t.max_repeats is None for t in proc.transitions_from(a) if t.to == b)
                for a, b in zip(cycle, cycle[1:], strict=False)
            )
        if f.code == "DEAD_END":
            assert not proc.transitions_from(f.route[-1])


@SETTINGS
@given(procedures())
def test_the_bound_is_reached_by_some_walk(proc):
    """The bound is exact when it comes from the exhaustive walk: some walk takes that many moves."""
    proof = prove_termination(proc)
    if not proof.terminates:
        return
    from cpsim.verify.checks.walks import enumerate_walks

    walks, complete = enumerate_walks(proc, proc.start.id)
    if complete:
        assert max(len(w) for w in walks) == proof.max_steps


@SETTINGS
@given(procedures(), st.integers(0, 2**32 - 1), st.sampled_from([2, 4, 8]))
def test_when_a_target_is_said_to_be_always_met_timed_random_walks_meet_it(proc, seed, days):
    from cpsim.verify.checks.timing import clocks, step

    found = verify_procedure(proc, target_days=days)
    if any(f.code in ("TARGET_EXCEEDED", "TARGET_NOT_GUARANTEED", "TARGET_NO_ROUTE") for f in found):
        return
    rng = np.random.default_rng(seed)
    for clock in clocks(proc, days):
        for _ in range(20):
            stage, used, elapsed, untimed = clock.start, {}, 0.0, False
            for _ in range(200):
                options = [
                    t
                    for t in proc.transitions_from(stage)
                    if t.max_repeats is None or used.get((t.from_, t.on), 0) < t.max_repeats
                ]
                if not options or (stage in clock.stops and stage != clock.start):
                    break
                t = options[rng.integers(len(options))]
                used[(t.from_, t.on)] = used.get((t.from_, t.on), 0) + 1
                s = step(proc, t)
                if s.hi is None:
                    untimed = True  # nothing bounds this step: only allowed off the target's routes
                else:
                    elapsed += rng.uniform(s.lo, s.hi)
                stage = t.to
            if stage in clock.stops:
                assert not untimed, "a timed-out route reaches the stop, yet the target was said always met"
                assert elapsed <= clock.days + 1e-9
