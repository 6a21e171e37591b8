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

The mesocycle's plan is the better of P and the first stage's plan; its bound the lower
of R's and the first stage's, so the gap reported is proven on the full model's optimum.
Every stage stops on CP-SAT's deterministic time (the wall-clock limit only as a safety
net), so the same input and seed give the same plan on a busy machine too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from ..data import ProblemData
from .build import Built, build, selection_is_shared
from .solver import make_solver

# The first stage's deterministic box before the representative stage takes over (the
# median 5-week client proves its gap in about 0.5 units; benchmarks/README.md).
FIRST_DETERMINISTIC = 1.0
# From this many weeks on the full model rarely finds a plan within that box (a 6-slot
# client at 12 weeks: none in 1.0 units), so the representative stage comes first.
STRAIGHT_WEEKS = 8
REPRESENTATIVE_DETERMINISTIC = 6.0  # R's box; its gap is GAP_SHARE of the plan's
PLAN_DETERMINISTIC = 2.0  # P's box (P proves in about 0.01 units)
GAP_SHARE = 0.95  # R stops within 0.95 x gap, leaving P room to lose a little


@dataclass
class Represented:
    """What the representative stage found: the solver of P (its values index the full
    model's variables), P's score, and R's proven bound on the full model's score."""

    solver: cp_model.CpSolver
    score: int
    bound: int
    deterministic_time: float


def applies(data: ProblemData, tiebreak: bool = False) -> bool:
    """A mesocycle whose weeks share one selection, solved without a tie-break term."""
    return data.weeks > 1 and not tiebreak and selection_is_shared(data)


def first_box(data: ProblemData) -> float:
    """The first stage's deterministic box for DATA (0: go straight to R and P)."""
    return FIRST_DETERMINISTIC if data.weeks < STRAIGHT_WEEKS else 0.0


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


def represent(
    b: Built, seed: int, gap: float, time_limit: float, workers: int = 1
) -> Represented | None:
    """Solve R, then P from R's selection; None when R finds no plan or P none."""
    r = relaxation(b.data)
    solver = make_solver(seed, time_limit, workers, gap * GAP_SHARE)
    solver.parameters.max_deterministic_time = REPRESENTATIVE_DETERMINISTIC
    code = solver.solve(r.model)
    dtime = solver.deterministic_time
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    bound = math.floor(solver.best_objective_bound + 1e-6)  # R's score is integral
    model = b.model.clone()
    for s in range(b.v.S):
        for e in range(b.v.E):
            x = model.get_bool_var_from_proto_index(b.v.x[0][s][e].index)
            model.add(x == solver.boolean_value(r.v.x[0][s][e]))
    plan = make_solver(seed, time_limit, workers, 0.0)
    plan.parameters.max_deterministic_time = PLAN_DETERMINISTIC
    code = plan.solve(model)
    dtime += plan.deterministic_time
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return Represented(plan, round(plan.objective_value), bound, dtime)
