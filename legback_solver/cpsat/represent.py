"""Representative weeks: a cheap upper bound on a mesocycle, and the plan it points to
(issue 13; solve.py runs it when the full model has not proven its gap quickly).

Under stable-main-lifts every week selects the same exercises (build.selection_is_shared),
so weeks differ only in their set counts. Two weeks are *alike* when every per-week rule
states the same thing about them: the same phase and intensity block type (rep ranges
and so session minutes), and neither is a beginner's first week, which beginner-volume
caps (:func:`week_key`).

**The relaxation R.** Drop what couples the weeks' set counts (volume-progression off,
the deload share widened to 0.1%-100% of the previous week) and every alike week has
the same best set counts for a given selection, so R makes alike weeks share them
(``n[w] = n[w']``, straps too) without losing any plan's value. R's optimum is at least
the full model's, so **R's proven bound bounds the mesocycle's optimum**. R has one week
of set counts per kind of week (3-4 kinds for any length), so it proves much faster
than the full model (benchmarks/README.md, issue 13).

**The plan P.** R's selection is fixed into the full model, which then only decides the
set counts week by week under the progression and deload rules: a small model, solved
to optimality. Its plan is a full plan: every rule holds, the checker audits it as any.

**R's bound.** R's default search finds good selections early but proves its bound late
(the proof tends to close all at once); CP-SAT's lb-tree search raises R's bound steadily
and, stopped as soon as the bound proves the gap for the best plan known, is what proves
most slow mesocycles (:func:`represent`, :func:`lb_tree_bound`; benchmarks/README.md).

The mesocycle's plan is the better of P and the first stage's plan; its bound the lower
of R's and the first stage's, so the gap reported is proven on the full model's optimum.
Every stage stops on CP-SAT's deterministic time (the wall-clock limit only as a safety
net; the whole solve within :func:`budget`), so the same input and seed give the same
plan on a busy machine too.
"""

from __future__ import annotations

import math
from contextlib import nullcontext
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from ..data import ProblemData
from .build import Built, build, selection_is_shared
from .solver import DETERMINISTIC_PER_SECOND, make_solver

if TYPE_CHECKING:
    from ..progress import SolveProgress

# The first stage's deterministic box before the representative stage takes over (the
# median 5-week client proves its gap in about 0.5 units; benchmarks/README.md).
FIRST_DETERMINISTIC = 1.0
# From this many weeks on the full model rarely finds a plan within that box (a 6-slot
# client at 12 weeks: none in 1.0 units), so the representative stage comes first.
STRAIGHT_WEEKS = 8
REPRESENTATIVE_DETERMINISTIC = 1.5  # R's default search box; its gap is GAP_SHARE of the plan's
PLAN_DETERMINISTIC = 2.0  # P's box (P proves in about 0.01 units)
GAP_SHARE = 0.95  # R stops within 0.95 x gap, leaving P room to lose a little
BOUND_DETERMINISTIC = 1.0  # the first lb-tree search on R (benchmarks/README.md)
# The second one, for the plan from R, leaves this much of the budget to the full model's
# own search (a better plan closes the gap as well: roster client c00021).
CONTINUATION_DETERMINISTIC = 2.0


@dataclass
class Represented:
    """What the representative stage found: the solver of P (its values index the full
    model's variables; None when R found no plan), P's score (0 without P), and R's
    proven bound on the full model's score (None when R proved none)."""

    solver: cp_model.CpSolver | None
    score: int
    bound: int | None
    deterministic_time: float


def applies(data: ProblemData, tiebreak: bool = False) -> bool:
    """A mesocycle whose weeks share one selection, solved without a tie-break term."""
    return data.weeks > 1 and not tiebreak and selection_is_shared(data)


def first_box(data: ProblemData) -> float:
    """The first stage's deterministic box for DATA (0: go straight to R and P)."""
    return FIRST_DETERMINISTIC if data.weeks < STRAIGHT_WEEKS else 0.0


def budget(time_limit: float) -> float:
    """A mesocycle solve's deterministic budget over all its stages for TIME_LIMIT
    seconds (30 s: 15 units); the wall-clock limit is only a safety net."""
    return time_limit * DETERMINISTIC_PER_SECOND


def week_key(data: ProblemData, w: int) -> tuple:
    """Weeks with equal keys are alike: every rule that speaks of one week's set counts
    states the same about them. Rules on the selection alone (known-lifts, spacing,
    session anatomy) hold for every week at once, as the weeks share one selection."""
    spec = data.specs[w]
    beginner = data.client.experience == "beginner" and data.rulebook.active("beginner-volume")
    return (spec.phase, spec.deload, spec.heavy, w == 0 and beginner)


def relaxation(data: ProblemData) -> Built:
    """R: DATA's model without the couplings between weeks' set counts, alike weeks
    sharing their set counts and straps."""
    book = data.rulebook.with_overrides(
        {"volume-progression": {"kind": "off"}, "deload": {"fraction": [0.001, 1.0]}}
    )
    r = build(replace(data, rulebook=book))
    v = r.v
    first: dict[tuple, int] = {}
    for w in range(data.weeks):
        w0 = first.setdefault(week_key(data, w), w)
        if w0 == w:
            continue
        for s in range(v.S):
            for e in range(v.E):
                r.model.add(v.n[w][s][e] == v.n[w0][s][e])
                if e in v.straps[w][s]:
                    r.model.add(v.straps[w][s][e] == v.straps[w0][s][e])
    return r


def _within(score: int, bound: int, gap: float) -> bool:
    return bound - score <= gap * abs(bound)


def represent(
    b: Built,
    seed: int,
    gap: float,
    time_limit: float,
    workers: int = 1,
    best: int | None = None,
    units: float = REPRESENTATIVE_DETERMINISTIC + PLAN_DETERMINISTIC,
    progress: SolveProgress | None = None,
) -> Represented | None:
    """R's bound and P, within about UNITS deterministic units in all. BEST: the score
    of the best plan known (the first stage's), which P may beat.

    1. With a plan known, R's bound first, from an lb-tree search (:func:`lb_tree_bound`,
       at most BOUND_DETERMINISTIC units): it often proves the gap for that plan at once.
    2. R's default search, its score held at most that bound (so it stops as soon as its
       plan is within GAP_SHARE x gap of the bound), and P from its selection.
    3. While the gap is still open, the lb-tree search again, for the better plan, with
       UNITS but CONTINUATION_DETERMINISTIC (the caller's full model may find a better
       plan with those).

    None when R has no solution (R infeasible: so is the full model, which the caller
    then proves). PROGRESS: the live status line shows R's bounds (they bound the full
    model) and P's plans, never R's own solutions (not plans of the client)."""
    r = relaxation(b.data)
    dtime, bound = 0.0, None
    if best is not None:
        bound, dtime = lb_tree_bound(
            r, seed, gap, best, time_limit, workers, min(BOUND_DETERMINISTIC, units), progress
        )
        if _within(best, bound, gap):
            return Represented(None, 0, bound, dtime)
        r.model.add(r.score <= bound)
    solver = make_solver(seed, time_limit, workers, gap * GAP_SHARE)
    box = min(REPRESENTATIVE_DETERMINISTIC, units - dtime)
    solver.parameters.max_deterministic_time = max(0.05, box)
    with (
        progress.watch(solver, time_limit, r.scale, plans=False)
        if progress
        else nullcontext() as cb
    ):
        code = solver.solve(r.model, cb)
    dtime += solver.deterministic_time
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None if bound is None else Represented(None, 0, bound, dtime)
    found_bound = math.floor(solver.best_objective_bound + 1e-6)  # R's score is integral
    bound = found_bound if bound is None else min(bound, found_bound)
    model = b.model.clone()
    for s in range(b.v.S):
        for e in range(b.v.E):
            x = model.get_bool_var_from_proto_index(b.v.x[0][s][e].index)
            model.add(x == solver.boolean_value(r.v.x[0][s][e]))
    plan = make_solver(seed, time_limit, workers, 0.0)
    plan.parameters.max_deterministic_time = PLAN_DETERMINISTIC
    with (
        progress.watch(plan, time_limit, b.scale, bounds=False) if progress else nullcontext() as cb
    ):
        code = plan.solve(model, cb)
    dtime += plan.deterministic_time
    found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    score = round(plan.objective_value) if found else 0
    known = max(score, best) if best is not None else score
    if (found or best is not None) and not _within(known, bound, gap) and units - dtime > 0.05:
        box = max(0.05, units - dtime - CONTINUATION_DETERMINISTIC)
        more, spent = lb_tree_bound(r, seed, gap, known, time_limit, workers, box, progress)
        bound, dtime = min(bound, more), dtime + spent
    return Represented(plan if found else None, score, bound, dtime)


def lb_tree_bound(
    r: Built,
    seed: int,
    gap: float,
    known: int,
    time_limit: float,
    workers: int,
    units: float,
    progress: SolveProgress | None = None,
) -> tuple[int, float]:
    """(R's proven bound, deterministic time) from CP-SAT's lb-tree search on R, which
    raises the bound steadily where the default search proves it late (c00138 of the
    roster: R's bound within 1% of the best plan in 1.7 units against none in 12),
    stopped after UNITS deterministic units or as soon as the bound proves GAP for a
    plan of score KNOWN. It looks for no plan. The stop is taken in CP-SAT's bound
    callback, which the single search thread calls at a deterministic point, so the
    stage stays deterministic (benchmarks/README.md, issue 13)."""
    del workers  # one search thread: the callback's stop point must be deterministic
    solver = make_solver(seed, time_limit, 1, 0.0)
    solver.parameters.max_deterministic_time = units
    solver.parameters.optimize_with_lb_tree_search = True

    def proven(value: float) -> None:
        if progress is not None:  # R's bound bounds the full model: the status line shows it
            progress.note_bound(value)
        if _within(known, math.floor(value + 1e-6), gap):
            solver.stop_search()

    solver.best_bound_callback = proven
    solver.solve(r.model)
    return math.floor(solver.best_objective_bound + 1e-6), solver.deterministic_time
