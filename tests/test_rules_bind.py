"""Every hard rule binds, its checker catches hand-made breaches, its parameters are validated.

For each hard rule id of SPEC §3 there are three kinds of test:

* ``test_<rule>_binds``: a small crafted client whose best plan breaks the rule when
  the rule is switched off (``{"kind": "off"}``), so the checker, run against the full
  rulebook, flags that rule (and only that rule); with the rule on the solver finds a
  plan the checker passes without a single violation.
* ``test_<rule>_checker_flags_hand_made_plan``: a hand-written plan that the checker
  passes, mutated (day moved, sets added, exercise swapped, straps flipped, order
  changed) so that it breaks exactly this rule.
* ``test_bad_rule_parameters_are_rejected``: bad parameter values and unknown
  parameter names raise InputError from ``make_data``.

The crafted clients keep the model small (one to three slots, most of the catalogue
excluded, muscle minimums at zero) so that each solve takes well under a second.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from legback_solver import check_plan, solve
from legback_solver.catalogue import catalogue_by_id
from legback_solver.io import parse_client
from legback_solver.models import Client, Plan
from legback_solver.rules.volume import _ranges

CATALOGUE = catalogue_by_id()
ALL_IDS = sorted(CATALOGUE)
GYM = ["barbell", "dumbbell", "cable", "machine", "pullup_bar", "bench", "trap_bar"]
# Default weekly ranges with every minimum at zero: one or two sessions can't reach them.
ZERO_MINS = {m: [0, hi] for m, (_lo, hi) in _ranges().items()}
# Leg-only and back-only exercises that load the spine lightly and need no special kit.
LEGS = ["leg_press", "leg_extension", "lying_leg_curl", "seated_leg_curl", "goblet_squat"]
BACK = [
    "chest_supported_row",
    "lat_pulldown",
    "face_pull",
    "seated_cable_row",
    "straight_arm_pulldown",
]
TIME_LIMIT = 10.0
FEASIBLE = ("optimal", "feasible")


# --------------------------------------------------------------------------- helpers


def slot(day: str, start: str = "18:00", minutes: int = 90) -> dict[str, Any]:
    return {"day": day, "start": start, "minutes": minutes}


def make_client(
    slots: list[dict[str, Any]],
    only: list[str] | None = None,
    prefer: tuple[str, ...] = (),
    rules: dict[str, dict[str, Any]] | None = None,
    **fields: Any,
) -> Client:
    """A crafted client: muscle minimums at zero, preferences weighing heavily, and
    (with ONLY) every other catalogue exercise excluded, so the model stays small."""
    merged: dict[str, dict[str, Any]] = {
        "muscle-sets": {"ranges": dict(ZERO_MINS)},
        "preferences": {"weight": 1000},
    }
    for rid, entry in (rules or {}).items():
        base = merged.setdefault(rid, {})
        for key, value in entry.items():
            if isinstance(value, dict) and isinstance(base.get(key), dict):
                base[key] = {**base[key], **value}
            else:
                base[key] = value
    data: dict[str, Any] = {
        "name": "Bind Test",
        "experience": "intermediate",
        "goal": "hypertrophy",
        "back_status": "healthy",
        "equipment": GYM,
        "availability": slots,
        "prefer": list(prefer),
        "rules": merged,
    }
    if only is not None:
        unknown = set(only) - set(CATALOGUE)
        assert not unknown, f"test bug: {unknown} are not catalogue ids"
        data["exclude"] = [i for i in ALL_IDS if i not in only]
    data.update(fields)
    return parse_client(data)


def switched_off(client: Client, rule_id: str) -> Client:
    rules = copy.deepcopy(client.rules)
    rules[rule_id] = {**rules.get(rule_id, {}), "kind": "off"}
    return client.model_copy(update={"rules": rules})


def rule_ids(violations) -> set[str]:
    return {v.rule for v in violations}


def exercises(plan: Plan) -> list[list[str]]:
    return [[pe.exercise for pe in s.exercises] for w in plan.weeks for s in w.sessions]


@pytest.fixture(scope="module")
def solved() -> Callable[..., tuple[Plan, Plan]]:
    """Module-scoped cache: (plan with the rule on, plan with it off) per rule id."""
    cache: dict[str, tuple[Plan, Plan]] = {}

    def get(rule_id: str, client: Client, key: str = "") -> tuple[Plan, Plan]:
        key = key or rule_id
        if key not in cache:
            on = solve(client, time_limit=TIME_LIMIT, workers=2)
            off = solve(switched_off(client, rule_id), time_limit=TIME_LIMIT, workers=2)
            cache[key] = (on.plan, off.plan)
        return cache[key]

    return get


def assert_binds(
    solved: Callable[..., tuple[Plan, Plan]], rule_id: str, client: Client, key: str = ""
) -> tuple[Plan, Plan]:
    """Off: the plan breaks RULE_ID (and nothing else) under the full rulebook.
    On: a non-empty plan with no violation at all."""
    on, off = solved(rule_id, client, key)
    assert on.status in FEASIBLE, (rule_id, on.status, on.explanation)
    assert off.status in FEASIBLE, (rule_id, off.status, off.explanation)
    assert any(w.sessions for w in on.weeks), "rule on: the plan holds no session"
    assert any(w.sessions for w in off.weeks), "rule off: the plan holds no session"

    # The two rulebooks differ in this rule's kind only.
    assert on.rulebook.rules[rule_id]["kind"] == "hard"
    assert off.rulebook.rules[rule_id]["kind"] == "off"
    for rid, entry in on.rulebook.rules.items():
        if rid != rule_id:
            assert off.rulebook.rules[rid] == entry, rid

    on_violations = check_plan(on)
    assert on_violations == [], [str(v) for v in on_violations]
    # The off plan keeps every other rule (its own rulebook has this one off) ...
    own = check_plan(off)
    assert own == [], [str(v) for v in own]
    # ... and breaks exactly this one under the full rulebook.
    full = check_plan(off.model_copy(update={"rulebook": on.rulebook}))
    assert rule_ids(full) == {rule_id}, [str(v) for v in full]
    return on, off


# --------------------------------------------------------------------------- binds


def test_availability_binds(solved):
    # No machine, barbell or pull-up bar; the client prefers the leg press (machine).
    c = make_client([slot("mon")], equipment=["dumbbell", "bench", "cable"], prefer=("leg_press",))
    on, off = assert_binds(solved, "availability", c)
    assert "leg_press" in exercises(off)[0]
    assert "leg_press" not in exercises(on)[0]


def test_availability_binds_exclude_and_skill(solved):
    # The full gym, but leg_press is excluded and pendlay_row is advanced-level.
    c = make_client([slot("mon")], exclude=["leg_press"], prefer=("leg_press", "pendlay_row"))
    on, off = assert_binds(solved, "availability", c, key="availability/exclude+skill")
    assert {"leg_press", "pendlay_row"} <= set(exercises(off)[0])
    full = check_plan(off.model_copy(update={"rulebook": on.rulebook}))
    whats = " ".join(v.what for v in full)
    assert "leg_press excluded by the client" in whats
    assert "pendlay_row is advanced-level" in whats


def test_back_loading_gap_binds(solved):
    # Monday and Tuesday 18:00 are 24 h apart; back_squat is back-loading.
    c = make_client(
        [slot("mon"), slot("tue")],
        only=["back_squat", "front_squat", "walking_lunge", *LEGS],
        prefer=("back_squat",),
    )
    on, off = assert_binds(solved, "back-loading-gap", c)
    loading = [any(CATALOGUE[e].back_loading for e in ids) for ids in exercises(on)]
    assert loading.count(True) == 1, loading


def test_combined_days_max_binds(solved):
    # Three slots, each can hold bench_reverse_hyper (legs and back: a combined day);
    # the gap rule is relaxed so only the weekly maximum stands in the way.
    c = make_client(
        [slot("mon"), slot("wed"), slot("fri")],
        only=["bench_reverse_hyper", *LEGS, *BACK],
        prefer=("bench_reverse_hyper",),
        rules={"combined-days-gap": {"days": 0}},
    )
    on, off = assert_binds(solved, "combined-days-max", c)
    assert [s.focus for s in off.weeks[0].sessions].count("combined") == 3
    assert [s.focus for s in on.weeks[0].sessions].count("combined") == 2


def test_combined_days_gap_binds(solved):
    # Monday and Wednesday leave one free day between them (Tuesday), two are needed.
    c = make_client(
        [slot("mon"), slot("wed")],
        only=["bench_reverse_hyper", *LEGS, *BACK],
        prefer=("bench_reverse_hyper",),
    )
    on, off = assert_binds(solved, "combined-days-gap", c)
    assert [s.focus for s in on.weeks[0].sessions].count("combined") == 1


def test_spinal_budget_binds(solved):
    # A 24-unit session cap: three sets of back_squat alone are 27 units.
    c = make_client(
        [slot("mon")],
        only=["back_squat", *LEGS, *BACK],
        prefer=("back_squat",),
        rules={"spinal-budget": {"session": {"healthy": 24}}},
    )
    on, off = assert_binds(solved, "spinal-budget", c)
    load = sum(
        CATALOGUE[pe.exercise].spinal_units * pe.sets for pe in on.weeks[0].sessions[0].exercises
    )
    assert 0 < load <= 24


def test_back_status_binds(solved):
    # A sensitive back allows at most 6 units per set; back_squat has 9.
    c = make_client(
        [slot("mon")],
        only=["back_squat", *LEGS, *BACK],
        prefer=("back_squat",),
        back_status="sensitive",
    )
    on, off = assert_binds(solved, "back-status", c)
    assert "back_squat" in exercises(off)[0]


def test_grip_order_binds(solved):
    # Grip capacity 4 and no straps: after three sets of chest-supported rows (grip 2
    # per set) no other grip-limited lift may follow.
    c = make_client(
        [slot("mon")],
        only=[*LEGS, *BACK],
        prefer=("chest_supported_row", "seated_cable_row"),
        rules={"grip-order": {"capacity": {"intermediate": 4}}},
    )
    on, off = assert_binds(solved, "grip-order", c)
    assert not any(pe.straps for s in on.weeks[0].sessions for pe in s.exercises)


def test_muscle_sets_binds(solved):
    # At most 4 weekly quad sets; the stimulus objective wants more.
    c = make_client(
        [slot("mon")],
        only=[*LEGS, *BACK],
        rules={"muscle-sets": {"ranges": {"quads": [0, 4]}}},
    )
    assert_binds(solved, "muscle-sets", c)


def test_muscle_sets_binds_minimum(solved):
    # The minimum side: supermans are the only erector work on offer and the client
    # dislikes them (avoid), yet at least 3 weekly erector sets force them in.
    c = make_client(
        [slot("mon", minutes=60)],
        only=[*LEGS, *BACK, "superman"],
        avoid=["superman"],
        rules={"muscle-sets": {"ranges": {"erectors": [3, 12]}}},
    )
    on, off = assert_binds(solved, "muscle-sets", c, key="muscle-sets/minimum")
    assert "superman" in exercises(on)[0]
    assert "superman" not in exercises(off)[0]


def test_session_shape_binds(solved):
    # A three-hour slot: without the shape rule the objective piles on sets and lifts.
    c = make_client([slot("mon", minutes=180)], only=[*LEGS, *BACK])
    on, off = assert_binds(solved, "session-shape", c)
    for s in on.weeks[0].sessions:
        assert 4 <= len(s.exercises) <= 6


def test_compound_first_binds(solved):
    # Off, the order falls back to (grip-limited first, id): leg_extension (isolation)
    # sorts before leg_press (secondary compound).
    c = make_client([slot("mon")], only=[*LEGS, *BACK], prefer=("leg_press", "leg_extension"))
    on, off = assert_binds(solved, "compound-first", c)
    ranks = [CATALOGUE[e].tier_rank for e in exercises(on)[0]]
    assert ranks == sorted(ranks)


def test_one_alpha_binds(solved):
    # Two max-effort deadlift variants preferred in one session.
    c = make_client(
        [slot("mon")],
        only=[
            "trap_bar_deadlift",
            "conventional_deadlift",
            *LEGS,
            "face_pull",
            "straight_arm_pulldown",
        ],
        prefer=("trap_bar_deadlift", "conventional_deadlift"),
    )
    on, off = assert_binds(solved, "one-alpha", c)
    assert sum(CATALOGUE[e].max_effort for e in exercises(off)[0]) == 2


def test_alpha_alternation_binds(solved):
    # Two combined days (Mon, Thu), both would start with the trap-bar deadlift.
    c = make_client(
        [slot("mon"), slot("thu")],
        only=["trap_bar_deadlift", "back_squat", *LEGS, *BACK],
        prefer=("trap_bar_deadlift",),
    )
    on, off = assert_binds(solved, "alpha-alternation", c)
    assert [s.focus for s in off.weeks[0].sessions] == ["combined", "combined"]


def test_after_heavy_hinge_binds(solved):
    # A bent-over barbell row (unsupported) after the trap-bar deadlift (heavy hinge).
    c = make_client(
        [slot("mon")],
        only=["trap_bar_deadlift", "barbell_row", *LEGS, "face_pull", "straight_arm_pulldown"],
        prefer=("trap_bar_deadlift", "barbell_row"),
    )
    on, off = assert_binds(solved, "after-heavy-hinge", c)
    assert {"trap_bar_deadlift", "barbell_row"} <= set(exercises(off)[0])


def test_session_time_binds(solved):
    # A 30-minute slot, 10 of them warm-up.
    c = make_client([slot("mon", minutes=30)], only=[*LEGS, *BACK])
    assert_binds(solved, "session-time", c)


def test_beginner_volume_binds(solved):
    # A beginner's first week: at most 60% of the intermediate maximum per muscle,
    # below the beginner's own muscle-sets maximum (70% of it).
    c = make_client(
        [slot("mon", minutes=150)],
        only=[*LEGS, "windmill_skater", *BACK],
        experience="beginner",
    )
    assert_binds(solved, "beginner-volume", c)
