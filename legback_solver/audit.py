"""Audit a finished plan with the CP-SAT model: fix the plan into the model and ask
whether it is feasible. The other half of "every rule exists twice": the independent
checker (check.py) must agree, a plan is clean if and only if it fits the model
(tests/test_agreement.py).

The model's domain is the client's slots and its catalogue: a plan that puts a session
off the client's slots, two sessions in one slot, an exercise twice in a session, sets
outside 1..MAX_SETS, reps that are no range (LO-HI, or LO-HI s for a drill's seconds),
straps on an exercise that takes none, a load finer than a gram, or a load in lb for a
kg client cannot be written into it at all (``Audit.representable`` is False).
Re-planned plans (``done_through``) are not audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .check import plan_view
from .cpsat import build, fix_sessions, make_solver
from .data import ProblemData
from .loads import GRAMS
from .models import MAX_SETS, Client, Plan, PlanExercise, Session, parse_reps
from .schedule import plan_specs


@dataclass
class Audit:
    feasible: bool
    representable: bool = True
    why: str = ""
    rules: list[str] = field(default_factory=list)  # rules the model names as conflicting


def _load(pe: PlanExercise, client: Client) -> float | None:
    """The load in the client's unit."""
    return pe.load_lb if client.units == "lb" else pe.load_kg


def audit_plan(plan: Plan, client: Client | None = None, time_limit: float = 10.0) -> Audit:
    """Does PLAN fit the model of its own rulebook? Feasible iff every active hard rule's
    encoding holds with the plan's selection, sets, straps, order, RIR, reps and loads
    fixed."""
    if plan.done_through is not None:
        raise ValueError("re-planned plans are not audited")
    view = plan_view(plan, client)
    client = view.client
    slots = {(s.day, s.start): k for k, s in enumerate(client.slots())}
    sessions = {}
    for w, week in enumerate(plan.weeks):
        for session in week.sessions:
            k = slots.get((session.day, session.start))
            if k is None:
                return Audit(False, False, f"week {w + 1} {session.day} {session.start}: no slot")
            if (w, k) in sessions:
                return Audit(False, False, f"week {w + 1}: two sessions in one slot")
            ids = [pe.exercise for pe in session.exercises]
            if not ids or len(set(ids)) != len(ids):
                return Audit(False, False, f"week {w + 1} {session.day}: empty or repeated")
            for item in session.exercises:
                if not 1 <= item.sets <= MAX_SETS:
                    return Audit(False, False, f"{item.exercise}: {item.sets} sets")
                try:
                    parse_reps(item.reps.removesuffix(" s"))
                except ValueError:
                    return Audit(False, False, f"{item.exercise}: reps {item.reps!r}")
                if item.straps and not view.catalogue[item.exercise].strappable:
                    return Audit(False, False, f"{item.exercise}: straps")
                load = _load(item, client)
                if client.units == "kg" and item.load_lb is not None:
                    return Audit(False, False, f"{item.exercise}: a load in lb for a kg client")
                if load is not None and abs(load * GRAMS - round(load * GRAMS)) > 1e-6:
                    return Audit(False, False, f"{item.exercise}: load {load}")
            sessions[(w, k)] = session
    data = ProblemData(
        client=client,
        rulebook=view.rulebook,
        weeks=max(1, len(plan.weeks)),
        audit=sessions,
        audit_specs=plan_specs(plan),
        audit_week_rir=[week.rir for week in plan.weeks],
    )
    b = build(data, explain=True)
    model, v, a = b.model, b.v, b.v.attrs
    assert a is not None
    every: dict[tuple[int, int], Session | None] = {
        (w, s): sessions.get((w, s)) for w in range(v.W) for s in range(v.S)
    }
    fix_sessions(model, data, v, every)  # selection, sets, straps
    index = data.exercise_index()
    for (w, s), session in sessions.items():  # what solving would prescribe
        for pe in session.exercises:
            e = index[pe.exercise]
            load = _load(pe, client)
            lo, hi = parse_reps(pe.reps.removesuffix(" s"))
            model.add(a.pos[w][s][e] == pe.order)
            model.add(a.rir[w][s][e] == (-1 if pe.rir is None else pe.rir))
            model.add(a.load[w][s][e] == (-1 if load is None else round(load * GRAMS)))
            model.add(a.low[w][s][e] == lo)
            model.add(a.top[w][s][e] == hi)
    literals = list(b.ctx.literals.values())
    model.clear_objective()
    model.add_assumptions(literals)
    solver = make_solver(0, time_limit, 1)
    code = solver.solve(model)
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Audit(True)
    if code != cp_model.INFEASIBLE:
        raise RuntimeError(f"audit undecided within {time_limit} s")
    core = {
        model.get_bool_var_from_proto_index(i).name
        for i in solver.sufficient_assumptions_for_infeasibility()
    }
    rules = sorted({name.split(":")[0] for name in core})
    return Audit(False, True, "the model rejects it", rules)
