"""Solve a client: build the CP-SAT model, solve it, decode the plan, then report on it
(binding rules, slack, objective terms) or, for an infeasible client, explain why.

This module orchestrates; the model lives in :mod:`.cpsat`, the report in
:mod:`.report`, the explanation in :mod:`.explain`. Nothing below imports it. Those
are imported when a solve runs, so that ``import legback_solver`` (and ``legback
--help``) stays light.
"""

from __future__ import annotations

import time
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .data import ProblemData
    from .models import Client, Plan, Replan
    from .progress import SolveProgress
    from .rulebook import Rulebook

__all__ = ["Result", "solve", "solve_data"]


@dataclass
class Result:
    status: str
    plan: Plan
    objective: int | None = None
    bound: int | None = None
    solve_seconds: float = 0.0
    build_seconds: float = 0.0
    explanation: list[str] = field(default_factory=list)
    # CP-SAT deterministic time summed over the plan's stages (benchmarks compare it:
    # unlike wall time it does not depend on the machine's load)
    deterministic_time: float = 0.0

    @property
    def feasible(self) -> bool:
        return self.status in ("optimal", "feasible")


def solve_data(
    data: ProblemData,
    seed: int = 0,
    time_limit: float = 30.0,
    workers: int = 1,
    explain: bool = True,
    tiebreak: bool = False,
    gap: float | None = None,
    progress: SolveProgress | None = None,
) -> Result:
    """Solve DATA; an infeasible client is explained rule by rule (see explain/).

    ``tiebreak=True`` adds a small tie-break term that orders most ties by exercise and
    slot ids (so different seeds tend to agree); it is not needed for determinism and
    costs time (benchmarks/README.md).

    ``gap``: stop once the plan is proven within this relative gap of the optimum
    (default 0 for a weekly plan, 1% for a mesocycle); the plan then reports its gap.

    ``progress``: a progress.SolveProgress that shows a live status line on stderr while
    the search runs (the CLI's; the library shows nothing by default)."""
    from ortools.sat.python import cp_model

    from .cpsat import (
        STATUS,
        decode,
        empty_plan,
        excuse_known_lifts,
        represent,
        second_stage,
        stages,
    )
    from .explain import explain_infeasible
    from .report import build_report

    if gap is None:
        gap = 0.0 if data.weeks == 1 else 0.01
    t0 = time.perf_counter()
    capped = represent.applies(data, tiebreak)  # a box for stage 1, then the weeks' relaxation
    args = (seed, time_limit, workers, gap, tiebreak, progress)
    # One status line over every stage (issue 13): a mesocycle's stages are short one
    # by one and several seconds together.
    with progress.span(time_limit) if progress else nullcontext():
        b, solver, code = _first_stage(data, *args, capped=capped)
        final, score, bound, dtime = _scored(b, solver, code)
        if capped and (code == cp_model.UNKNOWN or bound - score > gap * abs(bound)):
            first = solver if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
            code, final, score, bound, dtime = _represent(b, first, score, bound, args, t0)
        if code == cp_model.INFEASIBLE:  # known lifts only where the rules allow
            excused = excuse_known_lifts(data, seed, time_limit)
            if excused:
                change: dict[str, Any] = {"excused": excused}
                data = replace(data, rulebook=data.rulebook.with_overrides({"known-lifts": change}))
                b, solver, code = _first_stage(data, *args)
                final, score, bound, dtime = _scored(b, solver, code)
                if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) and explain:
                    change["reasons"] = known_lift_reasons(data, excused, seed, time_limit)
                    book = data.rulebook.with_overrides({"known-lifts": change})
                    data = b.data = replace(data, rulebook=book)
    status = STATUS[code]
    feasible = status in ("optimal", "feasible")
    stage2 = None
    if stages.SECOND_STAGE and final is solver and feasible and bound > score:
        stage2 = second_stage(b, solver, seed, workers)
        if stage2 is not None:  # the score of the plan stage 2 found (never lower)
            final, score = stage2, max(score, round(stage2.value(b.score)))
            dtime += stage2.deterministic_time
    solve_seconds = time.perf_counter() - t0
    plan = decode(b, final, status, seed) if feasible else empty_plan(data, status, seed)
    plan.build_seconds = round(b.build_seconds, 4)
    plan.solve_seconds = round(solve_seconds, 4)
    result = Result(status, plan, solve_seconds=solve_seconds, build_seconds=b.build_seconds)
    result.deterministic_time = dtime
    if feasible:
        plan.objective = int(score)
        plan.bound = int(bound)
        if bound > score:  # stopped by the gap or time limit: not proven optimal
            status = plan.status = result.status = "feasible"
            plan.gap = round((bound - score) / max(1, abs(bound)), 5)
        else:
            status = plan.status = result.status = "optimal"
        plan.report = build_report(b, final, plan)
        result.objective, result.bound = plan.objective, plan.bound
    elif status == "infeasible" and explain:
        result.explanation = explain_infeasible(data, seed=seed, time_limit=time_limit)
        plan.explanation = result.explanation
    elif status == "unknown":
        plan.explanation = [
            f"No plan found within the {time_limit:g} s time limit; "
            "raise --time-limit or relax the rules."
        ]
        result.explanation = plan.explanation
    return result


def _first_stage(data, seed, time_limit, workers, gap, tiebreak, progress=None, capped=False):
    """Build and solve DATA once: (built model, solver, CP-SAT status code). CAPPED: stop
    after represent.first_box(data) units (the representative stage follows)."""
    from ortools.sat.python import cp_model

    from .cpsat import build, make_solver, represent

    b = build(data, tiebreak=tiebreak)
    solver = make_solver(seed, time_limit, workers, gap)
    if capped:
        solver.parameters.max_deterministic_time = represent.first_box(data)
        if not represent.first_box(data):  # a long plan: the representative stage first
            return b, None, cp_model.UNKNOWN
    # Progress hook (issue 13): the live status line reads CP-SAT's callbacks only.
    with progress.watch(solver, time_limit, b.scale) if progress else nullcontext() as callback:
        code = solver.solve(b.model, callback)
    if code == cp_model.MODEL_INVALID:  # a bug, not the client's fault: fail loudly
        raise RuntimeError(f"internal error: CP-SAT rejected the model: {b.model.validate()}")
    return b, solver, code


def _scored(b, solver, code):
    """(solver, score, bound, deterministic time) of a solve (SOLVER None: not run);
    score and bound 0 without a plan. objective = scale * score - tiebreak, 0 <= tiebreak < scale, so score =
    ceil(objective / scale)."""
    from ortools.sat.python import cp_model

    score = bound = 0
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        score = -(-round(solver.objective_value) // b.scale)
        bound = -(-round(solver.best_objective_bound) // b.scale)
    return solver, score, bound, solver.deterministic_time if solver else 0.0


def _represent(b, first, score, bound, args, t0):
    """The representative stage (cpsat/represent.py) after a first stage that stopped
    short of its gap (FIRST: its solver, None if it found no plan): (status code, solver
    of the plan, score, bound, deterministic time), the better plan and the lower bound.
    While their gap is still over the target, the full model runs on from the better
    plan (hinted, its score held at most the proven bound, so it stops as soon as a plan
    closes the gap) for the rest of the mesocycle's deterministic budget
    (represent.budget): the plan never depends on the machine's load."""
    from ortools.sat.python import cp_model

    from .cpsat import make_solver, represent

    seed, time_limit, workers, gap = args[:4]
    dtime = first.deterministic_time if first else 0.0
    units = represent.budget(time_limit)
    left = max(0.05, time_limit - (time.perf_counter() - t0))
    best = score if first else None
    progress = args[5]
    rep = represent.represent(b, seed, gap, left, workers, best, units - dtime, progress)
    final, code = first, cp_model.FEASIBLE
    if rep is not None:
        dtime += rep.deterministic_time
        if rep.bound is not None:
            bound = min(bound, rep.bound) if first else rep.bound
        if rep.solver is not None and (first is None or rep.score > score):
            final, score = rep.solver, rep.score
    if final is not None and bound - score <= gap * abs(bound):
        return code, final, score, bound, dtime
    if final is not None and units - dtime < 0.05:  # the budget is spent: the gap as proven
        return code, final, score, bound, dtime
    model = b.model
    model.clear_hints()
    for i, value in enumerate(final.response_proto.solution if final else []):
        model.add_hint(model.get_int_var_from_proto_index(i), value)
    if final is not None:  # a proven bound: the search's gap counts it from the start
        model.add(b.score <= bound)
    left = max(0.05, time_limit - (time.perf_counter() - t0))
    more = make_solver(seed, left, workers, gap)
    more.parameters.max_deterministic_time = max(0.05, units - dtime)
    with progress.watch(more, left, b.scale) if progress else nullcontext() as callback:
        more_code = more.solve(model, callback)
    dtime += more.deterministic_time
    if more_code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        more_bound = round(more.best_objective_bound)
        bound = min(bound, more_bound) if final else more_bound
        if final is None or round(more.objective_value) > score:
            final, score = more, round(more.objective_value)
    elif final is None:  # no plan anywhere: the full model's word (infeasible, unknown)
        return more_code, more, 0, 0, dtime
    return code, final, score, bound, dtime


def known_lift_reasons(
    data: ProblemData, excused: dict[str, list[int]], seed: int = 0, time_limit: float = 30.0
) -> dict[str, str]:
    """{lift id: the rules that keep it out of its first excused week}, from an
    explanation of the plan with that one requirement put back."""
    from .explain import explain

    out = {}
    for eid, weeks in excused.items():
        back = {k: [w for w in v if (k, w) != (eid, weeks[0])] for k, v in excused.items()}
        trial = replace(
            data, rulebook=data.rulebook.with_overrides({"known-lifts": {"excused": back}})
        )
        ex = explain(trial, seed=seed, time_limit=time_limit, relax=False)
        rules = [r for r in ex.rules if r != "known-lifts"]
        if ex.status == "infeasible" and rules:
            out[eid] = ", ".join(rules)
    return out


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
    progress: SolveProgress | None = None,
) -> Result:
    """Solve a plan for CLIENT: a repeating week (weeks=1) or a mesocycle of WEEKS weeks.

    With PREVIOUS and DONE_THROUGH ('W' or 'W:DAY') the sessions already done are kept
    and the rest is re-solved. The library entry point behind `legback solve`; PROGRESS:
    see solve_data."""
    from .data import make_data
    from .replan import freeze, parse_done_through

    if start_date is None and previous is not None and previous.start_date:
        start_date = date.fromisoformat(previous.start_date)  # a re-plan keeps the calendar
    data = make_data(client, weeks, rulebook, start_date)
    if previous is not None and done_through is not None:
        done = parse_done_through(done_through) if isinstance(done_through, str) else done_through
        data = freeze(data, previous, done)
    return solve_data(data, seed, time_limit, workers, gap=gap, progress=progress)
