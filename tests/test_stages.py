"""The lexicographic second stage (cpsat/stages.py): a mesocycle stopped at its 1% gap
gets its small terms (preferences, coaching bonuses, drills) maximised with the rest of
the score held; the total never falls and the plan stays deterministic."""

from __future__ import annotations

from legback_solver import check_plan, load_client, solve
from legback_solver.rules import REGISTRY
from tests.crafted import FEASIBLE
from tests.meso_helpers import stable_json
from tests.rules.test_coaching import ARCHETYPES

SMALL_RULES = {rid for rid, rule in REGISTRY.items() if rule.reporting.small}
# The report's names of the small rules' terms (coaching-value: "alpha sets" and
# "coaching <part>"; preferences: favoured and avoided; straps: their cost).
SMALL_TERMS = {
    "alpha sets",
    "plane-pairing",
    "decompress",
    "preferences",
    "avoided exercises",
    "straps cost",
}


def small(plan) -> int:
    terms = plan.report["objective_terms"]
    return sum(
        t["value"] for t in terms if t["term"] in SMALL_TERMS or t["term"].startswith("coaching ")
    )


def test_small_rules_are_the_preferences_and_coaching_bonuses():
    assert {"preferences", "coaching-value", "plane-pairing", "decompress"} <= SMALL_RULES
    assert "stimulus" not in SMALL_RULES


def test_stage_two_is_off_by_default():
    from legback_solver.cpsat import stages

    assert stages.SECOND_STAGE is False  # issue 13: measured, dropped (benchmarks/README.md)


def test_stage_two_keeps_the_score_and_raises_the_small_terms(monkeypatch):
    monkeypatch.setattr("legback_solver.cpsat.stages.SECOND_STAGE", True)
    client = load_client(ARCHETYPES / "intermediate_hypertrophy.yaml")
    two = solve(client, weeks=5, time_limit=20).plan
    monkeypatch.setattr("legback_solver.cpsat.second_stage", lambda *a, **k: None)
    one = solve(client, weeks=5, time_limit=20).plan
    assert one.status in FEASIBLE and two.status in FEASIBLE
    assert two.objective >= one.objective
    assert small(two) >= small(one)
    assert two.bound == one.bound  # stage 2 proves nothing new about the optimum
    assert check_plan(two) == []


def test_stage_two_is_deterministic(monkeypatch):
    monkeypatch.setattr("legback_solver.cpsat.stages.SECOND_STAGE", True)
    client = load_client(ARCHETYPES / "legs_priority.yaml")
    plans = [solve(client, weeks=5, seed=3, time_limit=20).plan for _ in range(2)]
    assert plans[0].status in FEASIBLE
    assert stable_json(plans[0]) == stable_json(plans[1])
