"""The floor for the benchmark: the Redcar baseline written as a bare SimPy program.

Same arrivals (the same arrival times and routes), same rungs and routes, same resources (at
their full headcount: the floor has no absence, which only makes it faster), same draws (each
challenge's own uniforms, turned into times by the same quantile functions), the same time to send. It keeps only what
a summary needs: each challenge's time to resolution and whether it missed the five-day target.
"""

from __future__ import annotations

import simpy

from cpsim.model.scenario.classes import Scenario
from cpsim.simulate.engine.arrivals import poisson_arrivals
from cpsim.simulate.engine.draws import CASES, VISITS_IN_BLOCK, CaseDraws, SendDraws
from cpsim.simulate.engine.replication import calendar_for
from cpsim.simulate.engine.table import compile_route


def run_floor(scenario: Scenario, seed: int, replication: int) -> tuple[int, int]:
    """Simulate one replication; return (challenges finished, five-day targets missed)."""
    env = simpy.Environment()
    cal = calendar_for(scenario)
    shares = [r.share for r in scenario.routes]
    times, routes = poisson_arrivals(
        scenario.arrivals, cal, scenario.calendar.horizon, shares, seed=seed, replication=replication
    )
    staff = {role: simpy.Resource(env, capacity=s.headcount * s.capacity) for role, s in scenario.staff.items()}
    tables = [compile_route(r.procedure, r.behaviour) for r in scenario.routes]
    draws = CaseDraws(seed, replication, CASES)
    sends = SendDraws(seed, replication, CASES)
    done = [0, 0]

    def case(table, u, raised: float, n: int):
        stage, visit, started = table.start, 0, None
        while True:
            plan = table.plans[stage]
            if stage == "level1" and started is None:
                started = env.now
            if plan.terminal:
                break
            x = u[visit] if visit < VISITS_IN_BLOCK else u[-1]
            visit += 1
            if plan.choices and plan.kind.value != "request":
                outcome = next((o for c, o in plan.choices if x[2] < c), plan.choices[-1][1])
            else:
                if plan.send is not None:  # the owner sends the request first (level 2 of the external route)
                    res = staff.get(plan.send.worker)
                    req = res.request() if res is not None else None
                    if req is not None:
                        yield req
                    yield env.timeout(plan.send.time(sends.uniform(n, visit - 1)))
                    if req is not None:
                        res.release(req)
                outcome = yield from request(plan, x)
            move = plan.moves.get(outcome)
            if move is not None:
                res = staff.get(move[1])
                req = res.request() if res is not None else None
                if req is not None:
                    yield req
                yield env.timeout(move[0](x[3]))
                if req is not None:
                    res.release(req)
            stage = table.next[(stage, outcome)]
        done[0] += 1
        done[1] += started is not None and env.now - started > 5

    def request(plan, x):
        t0 = env.now
        if x[1] < plan.p_no_reply:
            yield env.timeout(plan.deadline)
            return "no-reply"
        timer = env.timeout(plan.deadline) if plan.timer else None
        res = staff.get(plan.worker)
        req = res.request() if res is not None else None
        if req is not None and not req.triggered:
            yield (req | timer) if timer is not None else req
            if not req.triggered:
                req.cancel()
                return "no-reply"
        reply_at = env.now + plan.time(x[0])
        yield (env.timeout(reply_at - env.now) | timer) if timer is not None else env.timeout(reply_at - env.now)
        if req is not None:
            res.release(req)
        if timer is not None and reply_at > t0 + plan.deadline:
            return "no-reply"
        return "satisfied" if x[2] < plan.p_satisfied else "unsatisfied"

    def feed():
        for n, (t, r) in enumerate(zip(times.tolist(), routes.tolist(), strict=True)):
            if t > env.now:
                yield env.timeout(t - env.now)
            env.process(case(tables[r], draws.for_case(n).tolist(), t, n))

    env.process(feed())
    env.run()
    return done[0], done[1]
