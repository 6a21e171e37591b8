"""Stages of a solve around the main one (solve.py orchestrates them).

* Known lifts where the rules allow (:func:`excuse_known_lifts`): before a plan is
  called infeasible, the known-lift requirements no placement can hold are excused.
* The lexicographic second stage (:func:`second_stage`): small terms are not lost in
  the stopping gap.

A mesocycle stops once its score is proven within 1% of the optimum; the small terms
(preferences, coaching bonuses, drills: rules with ``Reporting.small``) weigh less than
that gap, so stage 1 may leave them anywhere. Stage 2 holds the rest of the score at
least where stage 1 left it, ``main >= main_1`` with ``main = score - small``, and
maximises ``small`` from a floor of ``small_1``, hinted with the stage-1 solution (so
the total never falls). It is time-boxed in CP-SAT's *deterministic*
time, so the same input and seed give the same plan on a busy machine too.

A plan proven optimal in stage 1 (weekly plans, gap 0) skips it: its small terms are
already optimal within the combined objective.
"""

from __future__ import annotations

from typing import Any

from ortools.sat.python import cp_model

from ..data import ProblemData
from ..rules import REGISTRY
from .build import Built, build
from .solver import make_solver

STAGE2_DETERMINISTIC = 0.5  # deterministic-time units (about 1-1.5 s wall here)
# Off since issue 13: on 200 roster clients it cost a third of the median deterministic
# time (1.07 -> 0.74 units without it) for a rare gain in the small terms, which the
# 1% gap already covers (benchmarks/README.md). solve.py runs it only when this is on.
SECOND_STAGE = False


def small_expr(b: Built) -> Any:
    """The sum of the small reward terms of B (0 if none)."""
    terms = []
    for expr, weight, term in b.ctx.rewards:
        rid = b.ctx.term_rules.get(term, "")
        if rid in REGISTRY and REGISTRY[rid].reporting.small:
            terms.append(expr * weight)
    return sum(terms) if terms else 0


def second_stage(
    b: Built,
    first: cp_model.CpSolver,
    seed: int = 0,
    workers: int = 1,
    limit: float = STAGE2_DETERMINISTIC,
) -> cp_model.CpSolver | None:
    """Re-solve B for its small terms with the rest of the score held at stage 1's
    value; the stage-2 solver, or None when there is nothing to gain or no answer."""
    small = small_expr(b)
    if isinstance(small, int):
        return None
    small_1 = round(first.value(small))
    main_1 = round(first.value(b.score)) - small_1
    model = b.model
    model.clear_hints()
    values = first.response_proto.solution
    for i, value in enumerate(values):
        model.add_hint(model.get_int_var_from_proto_index(i), value)
    b.model.add(b.score - small >= main_1)
    # The floor matters: without it the time-boxed search measured worse small terms
    # than the hint (586 against 588 on an archetype); with it, 600 (bound 618).
    b.model.add(small >= small_1)
    b.model.maximize(small)
    solver = make_solver(seed, time_limit=60.0, workers=workers, gap=0.0)
    solver.parameters.max_deterministic_time = limit
    code = solver.solve(b.model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return solver


def excuse_known_lifts(
    data: ProblemData, seed: int = 0, time_limit: float = 30.0
) -> dict[str, list[int]]:
    """SPEC 3a "where the rules allow": {lift id: the weeks (1-based) the other rules
    leave no room for it}. One explain-mode solve holds every other rule and keeps as
    many (known lift, week) requirements as it can; those it drops are excused (the
    plan's rulebook records them, so its audit and checker require the same). All of
    them when the client is infeasible for other reasons (then explained without the
    known lifts)."""
    if not data.rulebook.active("known-lifts"):
        return {}
    b = build(data, explain=True)
    known = {d: lit for (rid, d), lit in b.ctx.literals.items() if rid == "known-lifts"}
    if not known:
        return {}
    for (rid, _), lit in b.ctx.literals.items():
        if rid != "known-lifts":
            b.model.add(lit == 1)
    b.model.maximize(sum(known.values()))
    solver = make_solver(seed, time_limit, explain=True)
    code = solver.solve(b.model)
    found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    out: dict[str, list[int]] = {}
    for detail, lit in sorted(known.items()):
        if not found or not solver.value(lit):
            eid, _, week = detail.partition(" week ")
            out.setdefault(eid, []).append(int(week))
    return {eid: sorted(weeks) for eid, weeks in out.items()}
