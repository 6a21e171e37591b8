"""From a solver's answer to a Plan: the plan is assembled here and nowhere else."""

from __future__ import annotations

from datetime import date, timedelta

from ortools.sat.python import cp_model

from ..data import ProblemData
from ..loads import known_maxes, prescribe
from ..models import DAYS, Plan, PlanExercise, RulebookRef, Session, Week, parse_reps
from ..rules.dosing import dose_text, floor_in
from ..rules.frequency import rest_days
from ..schedule import rir_for
from .build import Built


def session_date(start: date | None, week: int, day: str) -> str | None:
    """Calendar date of DAY in 0-based WEEK of a plan starting on Monday START."""
    if start is None:
        return None
    return (start + timedelta(days=7 * week + DAYS.index(day))).isoformat()


def plan_from_solution(b: Built, solver: cp_model.CpSolver, start: date | None) -> list[Week]:
    """The weeks of the solver's plan; sessions already done are kept as they were."""
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
                load = load_lb = None
                if loads is not None and ex.id in maxes and rir is not None:
                    top, unit = parse_reps(reps)[1], data.client.units
                    load, load_lb = prescribe(maxes[ex.id], top, rir, unit, loads)
                exercises.append(
                    PlanExercise(
                        order=k,
                        exercise=ex.id,
                        sets=solver.value(v.n[w][s][e]),
                        reps=reps,
                        rir=rir,
                        load_kg=load,
                        load_lb=load_lb,
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
    catalogue = {ex.id: ex for ex in data.exercises}
    for week, rest in zip(
        weeks, rest_days(weeks, data.slots, data.rulebook.effective(), catalogue), strict=True
    ):
        week.rest = rest
    return weeks


def empty_plan(data: ProblemData, status: str, seed: int = 0) -> Plan:
    """The plan of DATA's client without weeks: client, rulebook, status, calendar."""
    return Plan(
        client=data.client.name,
        client_profile=data.client,
        rulebook=RulebookRef(name=data.rulebook.name, rules=data.rulebook.effective()),
        status=status,
        seed=seed,
        start_date=data.start_date.isoformat() if data.start_date else None,
        done_through=data.done_through,
    )


def decode(b: Built, solver: cp_model.CpSolver, status: str, seed: int = 0) -> Plan:
    """The Plan of the solver's current solution (objective and report left to the caller)."""
    plan = empty_plan(b.data, status, seed)
    plan.weeks = plan_from_solution(b, solver, b.data.start_date)
    return plan
