"""Build the CP-SAT model for one client, solve it, and turn the answer into a Plan.

Formulation: a boolean per (week, slot, exercise) and a set count, never positions;
the order inside a session follows from the exercise's tier (and grip) key.

Determinism: the same model and seed give the same plan. One CP-SAT worker (the
default, and the fastest on 2 cores) is deterministic; with more workers the solver runs
CP-SAT's deterministic interleaved search. An optional tie-break term (``SCALE * score -
tiebreak``) orders most ties by ids; its small weights can collide, so it does not make
the optimum unique and determinism does not rely on it.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ortools.sat.python import cp_model

from .data import ProblemData, make_data
from .errors import InputError
from .loads import load_for
from .models import (
    DAYS,
    Client,
    Plan,
    PlanExercise,
    Replan,
    RulebookRef,
    Session,
    Week,
    parse_reps,
)
from .rulebook import Rulebook
from .rules import REGISTRY, EncodeContext
from .rules.coaching import dose_text, floor_in
from .rules.meso import known_maxes
from .schedule import rir_for, set_range
from .variables import MAX_SETS, Variables

STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
}

TIEBREAK_MAX = 7  # tie-break weight per choice lies in 1..TIEBREAK_MAX


@dataclass
class Built:
    data: ProblemData
    model: cp_model.CpModel
    v: Variables
    ctx: EncodeContext
    score: Any
    scale: int
    build_seconds: float


def _fix_history(model: cp_model.CpModel, data: ProblemData, v: Variables) -> None:
    """Sessions already done (re-planning) are facts: fix their selection and sets."""
    index = data.exercise_index()
    for (w, s), session in data.frozen.items():
        done = {pe.exercise: pe for pe in session.exercises} if session else {}
        for eid in done:
            if eid not in index:
                raise InputError("--from", [f"{eid!r} is not a catalogue exercise"])
        for e, ex in enumerate(data.exercises):
            pe = done.get(ex.id)
            model.add(v.x[w][s][e] == (pe is not None))
            model.add(v.n[w][s][e] == (pe.sets if pe else 0))
            if e in v.straps[w][s]:
                model.add(v.straps[w][s][e] == bool(pe and pe.straps))


def _tiebreak_weight(*key: object) -> int:
    digest = hashlib.blake2b(repr(key).encode(), digest_size=4).digest()
    return 1 + int.from_bytes(digest, "big") % TIEBREAK_MAX


def build(data: ProblemData, explain: bool = False, tiebreak: bool = False) -> Built:
    """The CP-SAT model of DATA: every active rule encoded, the objective set."""
    t0 = time.perf_counter()
    model = cp_model.CpModel()
    ranges = None
    if not explain:  # exact set-count domains; explain mode reifies them instead
        book = data.rulebook
        ranges = [
            [
                set_range(book, ex.tier, spec)
                if (book.active("deload") if spec.deload else book.active("session-shape"))
                else (1, MAX_SETS)
                for ex in data.exercises
            ]
            for spec in data.specs
        ]
    v = Variables(model, data, ranges)
    _fix_history(model, data, v)
    ctx = EncodeContext(model=model, data=data, v=v, explain=explain)
    for rid, rule in REGISTRY.items():
        if not data.rulebook.active(rid):
            continue
        ctx.rule_id = rid
        rule.encode(ctx, data.params(rid))
    terms = [expr * weight for expr, weight, _ in ctx.rewards]
    score = sum(terms) if terms else 0
    scale = 1
    objective = score
    if tiebreak:
        tb_terms, tb_max = [], 0
        for w in range(v.W):
            for s in range(v.S):
                for e, ex in enumerate(data.exercises):
                    a = _tiebreak_weight("x", s, ex.id)
                    b = _tiebreak_weight("n", s, ex.id)
                    tb_terms += [a * v.x[w][s][e], b * v.n[w][s][e]]
                    tb_max += a + b * 6
                    if e in v.straps[w][s]:  # straps only where needed
                        tb_terms.append(v.straps[w][s][e])
                        tb_max += 1
        # Every real term is a multiple of `scale`, so the tie-break only orders ties.
        scale = tb_max + 1
        objective = scale * score - sum(tb_terms)
    model.maximize(objective)
    return Built(data, model, v, ctx, score, scale, time.perf_counter() - t0)


@dataclass
class Result:
    status: str
    plan: Plan
    objective: int | None = None
    bound: int | None = None
    solve_seconds: float = 0.0
    build_seconds: float = 0.0
    explanation: list[str] = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        return self.status in ("optimal", "feasible")


def make_solver(seed: int, time_limit: float, workers: int, gap: float = 0.0) -> cp_model.CpSolver:
    """A CP-SAT solver whose answer depends only on the model and the seed: 1 worker is
    deterministic; several workers run CP-SAT's deterministic interleaved search. (Only a
    run cut short by the wall-clock time limit can differ.)"""
    solver = cp_model.CpSolver()
    solver.parameters.relative_gap_limit = gap
    if workers > 1:
        solver.parameters.interleave_search = True
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    # Linearise enforced constraints too, and skip cutting planes: together about 3x
    # faster proofs on the example clients (benchmarks/README.md).
    solver.parameters.linearization_level = 2
    solver.parameters.cut_level = 0
    return solver


def session_date(start: date | None, week: int, day: str) -> str | None:
    """Calendar date of DAY in 0-based WEEK of a plan starting on Monday START."""
    if start is None:
        return None
    return (start + timedelta(days=7 * week + DAYS.index(day))).isoformat()


def plan_from_solution(b: Built, solver: cp_model.CpSolver, start: date | None) -> list[Week]:
    data, v = b.data, b.v
    order = data.session_order()
    maxes = known_maxes(data.client)
    loads = data.params("loads") if data.rulebook.active("loads") else None
    weeks = []
    for w, spec in enumerate(data.specs):
        sessions = []
        for s, slot in enumerate(data.slots):
            if (w, s) in data.frozen:  # done already: kept as it was
                if data.frozen[(w, s)] is not None:
                    sessions.append(data.frozen[(w, s)])
                continue
            if not solver.boolean_value(v.use[w][s]):
                continue
            chosen = [e for e in order if solver.boolean_value(v.x[w][s][e])]
            legs = solver.boolean_value(v.legs[w][s])
            back = solver.boolean_value(v.back[w][s])
            exercises = []
            for k, e in enumerate(chosen, start=1):
                ex = data.exercises[e]
                strap = v.straps[w][s].get(e)
                reps = data.reps(w, e)
                rir: int | None = max(
                    rir_for(spec, ex.tier), floor_in(data.rulebook, ex, data.client)
                )
                if ex.is_drill and data.rulebook.active("drills"):  # a dose, no RIR
                    rir, reps = None, dose_text(ex, reps)
                load = None
                if loads is not None and ex.id in maxes and rir is not None:
                    load = load_for(maxes[ex.id], parse_reps(reps)[1], rir, loads.plate_step)
                exercises.append(
                    PlanExercise(
                        order=k,
                        exercise=ex.id,
                        sets=solver.value(v.n[w][s][e]),
                        reps=reps,
                        rir=rir,
                        load_kg=load,
                        straps=bool(strap is not None and solver.boolean_value(strap)),
                    )
                )
            sessions.append(
                Session(
                    day=slot.day,
                    start=slot.start,
                    minutes=slot.minutes,
                    focus="combined" if legs and back else "legs" if legs else "back",
                    date=session_date(start, w, slot.day),
                    exercises=exercises,
                )
            )
        weeks.append(
            Week(week=w + 1, phase=spec.phase, block=spec.block, rir=spec.rir, sessions=sessions)
        )
    return weeks


def empty_plan(data: ProblemData, status: str) -> Plan:
    return Plan(
        client=data.client.name,
        client_profile=data.client,
        rulebook=RulebookRef(name=data.rulebook.name, rules=data.rulebook.effective()),
        status=status,
    )


def solve_data(
    data: ProblemData,
    seed: int = 0,
    time_limit: float = 30.0,
    workers: int = 1,
    explain: bool = True,
    tiebreak: bool = False,
    gap: float | None = None,
) -> Result:
    """Solve DATA; an infeasible client is explained rule by rule (see explain.py).

    ``tiebreak=True`` adds a small tie-break term that orders most ties by exercise and
    slot ids (so different seeds tend to agree); it is not needed for determinism and
    costs time (benchmarks/README.md).

    ``gap``: stop once the plan is proven within this relative gap of the optimum
    (default 0 for a weekly plan, 1% for a mesocycle); the plan then reports its gap."""
    if gap is None:
        gap = 0.0 if data.weeks == 1 else 0.01
    b = build(data, tiebreak=tiebreak)
    solver = make_solver(seed, time_limit, workers, gap)
    t0 = time.perf_counter()
    code = solver.solve(b.model)
    solve_seconds = time.perf_counter() - t0
    if code == cp_model.MODEL_INVALID:  # a bug, not the client's fault: fail loudly
        raise RuntimeError(f"internal error: CP-SAT rejected the model: {b.model.validate()}")
    status = STATUS[code]
    plan = empty_plan(data, status)
    plan.seed = seed
    plan.start_date = data.start_date.isoformat() if data.start_date else None
    plan.done_through = data.done_through
    plan.build_seconds = round(b.build_seconds, 4)
    plan.solve_seconds = round(solve_seconds, 4)
    result = Result(status, plan, solve_seconds=solve_seconds, build_seconds=b.build_seconds)
    if status in ("optimal", "feasible"):
        # objective = scale * score - tiebreak, 0 <= tiebreak < scale: score = ceil(obj / scale)
        score = -(-round(solver.objective_value) // b.scale)
        bound = -(-round(solver.best_objective_bound) // b.scale)
        plan.objective = int(score)
        plan.bound = int(bound)
        if bound > score:  # stopped by the gap or time limit: not proven optimal
            status = plan.status = result.status = "feasible"
            plan.gap = round((bound - score) / max(1, abs(bound)), 5)
        plan.weeks = plan_from_solution(b, solver, data.start_date)
        from .report import build_report  # binding rules, slack, objective terms

        plan.report = build_report(b, solver, plan)
        result.objective, result.bound = plan.objective, plan.bound
    elif status == "infeasible" and explain:
        from .explain import explain_infeasible

        result.explanation = explain_infeasible(data, seed=seed, time_limit=time_limit)
        plan.explanation = result.explanation
    elif status == "unknown":
        plan.explanation = [
            f"No plan found within the {time_limit:g} s time limit; "
            "raise --time-limit or relax the rules."
        ]
        result.explanation = plan.explanation
    return result


def solve(
    client: Client,
    weeks: int = 1,
    seed: int = 0,
    time_limit: float = 30.0,
    workers: int = 1,
    rulebook: Rulebook | None = None,
    start_date: date | None = None,
    previous: Plan | None = None,
    done_through: Replan | str | None = None,
    gap: float | None = None,
) -> Result:
    """Solve a plan for CLIENT: a repeating week (weeks=1) or a mesocycle of WEEKS weeks.

    With PREVIOUS and DONE_THROUGH ('W' or 'W:DAY') the sessions already done are kept
    and the rest is re-solved. The library entry point behind `legback solve`."""
    if start_date is None and previous is not None and previous.start_date:
        start_date = date.fromisoformat(previous.start_date)  # a re-plan keeps the calendar
    data = make_data(client, weeks, rulebook, start_date)
    if previous is not None and done_through is not None:
        from .replan import freeze, parse_done_through

        done = parse_done_through(done_through) if isinstance(done_through, str) else done_through
        data = freeze(data, previous, done)
    return solve_data(data, seed, time_limit, workers, gap=gap)
