"""known-lifts "where the rules allow" and drills chosen on purpose (SPEC 3a).

* Known lifts are never the reason a plan is infeasible: the (lift, week) requirements
  no placement can hold are excused in the plan's rulebook, so the checker and the
  audit require the same, and the report names the rules in the way.
* A known lift a rule forbids outright is named in the report with that rule.
* A sensitive back gets a McGill warm-up drill in every session (003), as a dose.
"""

from __future__ import annotations

from typing import Any

from legback_solver import check_plan, load_client, solve
from legback_solver.audit import audit_plan
from legback_solver.explain import explain_client
from legback_solver.io import parse_client
from tests.crafted import CATALOGUE, FEASIBLE, GYM, TIME_LIMIT
from tests.rules.test_coaching import ARCHETYPES


def three_alphas(**fields: Any):
    """Three known max-effort lifts, two slots 48 h apart: one-alpha leaves room for
    two of them a week."""
    base: dict[str, Any] = {
        "name": "Three Maxes",
        "experience": "advanced",
        "goal": "strength",
        "equipment": GYM,
        "availability": [
            {"day": "mon", "start": "18:00", "minutes": 90},
            {"day": "wed", "start": "18:00", "minutes": 90},
        ],
        "one_rep_max_kg": {"back_squat": 150, "conventional_deadlift": 190, "front_squat": 120},
    }
    base.update(fields)
    return parse_client(base)


def test_known_lifts_never_make_a_client_infeasible():
    res = solve(three_alphas(), weeks=1, time_limit=TIME_LIMIT)
    assert res.status in FEASIBLE
    params = res.plan.rulebook.rules["known-lifts"]
    assert sum(len(w) for w in params["excused"].values()) == 1  # only one gives way
    (lift,) = params["excused"]
    assert "one-alpha" in params["reasons"][lift]
    assert any(
        n.startswith(f"{lift}: not in week 1, forbidden by") and "one-alpha" in n
        for n in res.plan.report["notes"]
    ), res.plan.report["notes"]
    placed = {pe.exercise for s in res.plan.weeks[0].sessions for pe in s.exercises}
    assert {"back_squat", "conventional_deadlift", "front_squat"} - placed == {lift}
    assert check_plan(res.plan) == []
    assert audit_plan(res.plan).feasible


def test_excused_weeks_are_the_plans_requirement():
    """The checker reads the excusal from the plan's rulebook: dropping it from the
    plan flags the missing lift."""
    res = solve(three_alphas(), weeks=1, time_limit=TIME_LIMIT)
    rules = {k: dict(v) for k, v in res.plan.rulebook.rules.items()}
    rules["known-lifts"]["excused"] = {}
    strict = res.plan.model_copy(
        update={"rulebook": res.plan.rulebook.model_copy(update={"rules": rules})}
    )
    whats = [v.what for v in check_plan(strict) if v.rule == "known-lifts"]
    assert len(whats) == 1 and "(known max) in 0 sessions" in whats[0]


def test_forbidden_known_lift_is_named_in_the_report():
    res = solve(three_alphas(back_status="sensitive"), weeks=1, time_limit=TIME_LIMIT)
    assert res.status in FEASIBLE
    notes = res.plan.report["notes"]
    assert any(n.startswith("back_squat: forbidden by back-status") for n in notes), notes
    assert any(n.startswith("conventional_deadlift: forbidden by back-status") for n in notes)


def test_sensitive_back_gets_mcgill_warm_ups():
    client = load_client(ARCHETYPES / "sensitive_back.yaml")
    plan = solve(client, weeks=1, time_limit=TIME_LIMIT).plan
    assert plan.status in FEASIBLE
    for s in plan.weeks[0].sessions:
        first = CATALOGUE[s.exercises[0].exercise]
        assert first.drill == "warm_up", [pe.exercise for pe in s.exercises]
        assert s.exercises[0].rir is None  # a dose, no RIR
    assert check_plan(plan) == []


def test_explain_agrees_with_solve_on_known_lifts():
    """`legback explain` excuses the same known lifts a solve does: a client the solve
    gives a plan has nothing to explain."""
    ex = explain_client(three_alphas(), weeks=1, time_limit=TIME_LIMIT)
    assert ex.status == "feasible"
