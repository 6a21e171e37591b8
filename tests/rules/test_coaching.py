"""The coaching model (SPEC §3a): each rule binds, its checker flags a hand-made plan,
bad parameters are rejected; then the archetype clients read as a coach would, and a
property test over generated clients.

The pattern follows tests/test_rules_bind.py, with the whole rulebook on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legback_solver import check_plan, load_client, solve
from legback_solver.data import make_data
from legback_solver.errors import InputError
from legback_solver.io import parse_client
from legback_solver.models import Client, Plan
from legback_solver.rules import HARD, REGISTRY
from legback_solver.rules.coaching import alpha_pool
from legback_solver.rules.recovery import GROUPS
from tests.crafted import (
    BACK,
    CATALOGUE,
    FEASIBLE,
    GYM,
    LEGS,
    TIME_LIMIT,
    make_client,
    rule_ids,
    slot,
)

ROOT = Path(__file__).resolve().parents[2]
ARCHETYPES = ROOT / "examples" / "archetypes"
MODULES = (
    "legback_solver.rules.coaching",
    "legback_solver.rules.dosing",
    "legback_solver.rules.recovery",
)


def ids(plan: Plan) -> list[list[str]]:
    return [[pe.exercise for pe in s.exercises] for w in plan.weeks for s in w.sessions]


def off(client: Client, rule_id: str) -> Client:
    rules = {**client.rules, rule_id: {**client.rules.get(rule_id, {}), "kind": "off"}}
    return client.model_copy(update={"rules": rules})


_CACHE: dict[str, tuple[Plan, Plan]] = {}


def binds(rule_id: str, client: Client, key: str = "", weeks: int = 1) -> tuple[Plan, Plan]:
    """On: a plan the checker passes. Off: the optimum breaks RULE_ID under the full
    rulebook."""
    key = key or rule_id
    if key not in _CACHE:
        on = solve(client, weeks=weeks, time_limit=TIME_LIMIT)
        no = solve(off(client, rule_id), weeks=weeks, time_limit=TIME_LIMIT)
        _CACHE[key] = (on.plan, no.plan)
    on, no = _CACHE[key]
    assert on.status in FEASIBLE and no.status in FEASIBLE, (on.explanation, no.explanation)
    assert check_plan(on) == [], [str(v) for v in check_plan(on)]
    full = check_plan(no.model_copy(update={"rulebook": on.rulebook}))
    assert rule_id in rule_ids(full), [str(v) for v in full]
    return on, no


def coach(slots, **kw: Any) -> Client:
    return make_client(slots, coaching=True, **kw)


# --------------------------------------------------------------------------- binds


def test_alpha_first_binds():
    # The leg press and a row are preferred; only the back squat is a max-effort alpha.
    c = coach(
        [slot("mon")],
        only=["back_squat", *LEGS, *BACK],
        prefer=("leg_press", "chest_supported_row"),
        rules={"coaching-value": {"kind": "off"}, "spinal-economy": {"weight": 30}},
    )
    on, no = binds("alpha-first", c)
    assert ids(on)[0][0] == "back_squat"
    assert "back_squat" not in ids(no)[0]


def test_session_anatomy_binds():
    # Both leg curls are preferred: the same job at the same tier.
    c = coach(
        [slot("mon")],
        only=["back_squat", *LEGS, *BACK],
        prefer=("lying_leg_curl", "seated_leg_curl"),
    )
    on, no = binds("session-anatomy", c)
    assert {"lying_leg_curl", "seated_leg_curl"} <= set(ids(no)[0])
    assert not {"lying_leg_curl", "seated_leg_curl"} <= set(ids(on)[0])


def test_demand_order_binds():
    # Off, the order falls back to tier, grip, id: the chest-supported row (grip-limited)
    # goes before the leg press (demand 7 against 4).
    c = coach(
        [slot("mon")],
        only=["back_squat", *LEGS, *BACK],
        prefer=("leg_press", "chest_supported_row"),
    )
    on, no = binds("demand-order", c)
    first = ids(on)[0]
    assert first.index("leg_press") < first.index("chest_supported_row")


def test_known_lifts_binds():
    # The client gives a front-squat 1RM but prefers the back squat.
    c = coach(
        [slot("mon")],
        only=["back_squat", "front_squat", *LEGS, *BACK],
        prefer=("back_squat",),
        one_rep_max_kg={"front_squat": 100},
    )
    on, no = binds("known-lifts", c)
    loads = [
        pe.load_kg
        for s in on.weeks[0].sessions
        for pe in s.exercises
        if pe.exercise == "front_squat"
    ]
    assert loads and all(kg for kg in loads)


def test_goal_fit_binds():
    # A legs-priority client who prefers back work: the leg side must still lead.
    c = coach(
        [slot("mon"), slot("thu")],
        only=["back_squat", "conventional_deadlift", *LEGS, *BACK],
        prefer=("lat_pulldown", "chest_supported_row", "face_pull", "straight_arm_pulldown"),
        priority="legs",
    )
    binds("goal-fit", c)


def test_drills_binds():
    # Two McGill drills preferred: one drill block a session, and no RIR.
    c = coach(
        [slot("mon")],
        only=["back_squat", *LEGS, *BACK, "mcgill_bird_dog", "mcgill_curl_up"],
        prefer=("mcgill_bird_dog", "mcgill_curl_up"),
    )
    on, no = binds("drills", c)
    first = on.weeks[0].sessions[0].exercises
    drills = [pe for pe in first if CATALOGUE[pe.exercise].is_drill]
    assert len(drills) == 1 and drills[0].order == 1 and drills[0].rir is None


def test_straps_binds():
    # With the rule on no lift is strapped while the grip is fresh; with it off the
    # model may strap a row at no cost (the optimum need not, so only "on" is asserted
    # here; the checker test below shows the breach).
    c = coach(
        [slot("mon")],
        only=["conventional_deadlift", *LEGS, *BACK, "one_arm_dumbbell_row"],
        prefer=("chest_supported_row",),
        equipment=[*GYM, "straps"],
    )
    on = solve(c, time_limit=TIME_LIMIT).plan
    assert check_plan(on) == []
    cap = 14
    for s in on.weeks[0].sessions:
        fatigue = 0
        for pe in s.exercises:
            assert not pe.straps or fatigue > cap, pe.exercise
            fatigue += CATALOGUE[pe.exercise].grip_demand * pe.sets


def test_intensity_floor_binds():
    # A beginner's accessories would get RIR 1 in a weekly plan (RIR 2 for main lifts).
    c = coach(
        [slot("mon")],
        only=["trap_bar_deadlift", *LEGS, *BACK],
        experience="beginner",
        rules={"beginner-volume": {"kind": "off"}},
    )
    on, no = binds("intensity-floor", c)
    assert all(pe.rir is None or pe.rir >= 2 for s in on.weeks[0].sessions for pe in s.exercises)


def test_muscle_recovery_binds():
    # Only a morning and an evening slot on Monday, 11 h apart.
    c = coach([slot("mon", "07:00"), slot("mon", "18:00")], only=[*LEGS, *BACK])
    binds("muscle-recovery", c)


# --------------------------------------------------------------------------- hand-made plans

# A week a coach would write for HAND below, clean under the whole default rulebook:
#   Mon combined: trap-bar deadlift alpha, leg press, vertical pull, row, leg curl, hang
#   Thu combined: McGill warm-up, back squat alpha, pull-up, RDL bridge, leg extension
#   Sat back: superman warm-up, lat pulldown, cable row, bench back extension
COACH_WEEK: list[tuple[str, str, int, list[tuple[str, int, bool]]]] = [
    (
        "mon",
        "18:00",
        90,
        [
            ("trap_bar_deadlift", 3, False),
            ("leg_press", 3, False),
            ("weighted_pull_up", 3, False),
            ("chest_supported_row", 3, True),  # grip fatigue 18 before it: straps
            ("lying_leg_curl", 2, False),
            ("decompression_hang", 2, False),
        ],
    ),
    (
        "thu",
        "18:00",
        90,
        [
            ("mcgill_bird_dog", 2, False),
            ("back_squat", 3, False),
            ("pull_up", 3, False),
            ("romanian_deadlift", 3, False),
            ("leg_extension", 2, False),
        ],
    ),
    (
        "sat",
        "10:00",
        45,
        [
            ("superman", 2, False),
            ("lat_pulldown", 3, False),
            ("seated_cable_row", 3, False),
            ("bench_back_extension", 3, False),
        ],
    ),
]


def hand(**fields: Any) -> Client:
    data: dict[str, Any] = {
        "name": "Coach Hand",
        "experience": "intermediate",
        "goal": "hypertrophy",
        "equipment": [*GYM, "straps"],
        "availability": [slot("mon"), slot("thu"), slot("sat", "10:00", 45)],
        "exclude": ["good_morning"],
    }
    data.update(fields)
    return parse_client(data)


def week_plan(client: Client, sessions=None, rir: int = 2) -> Plan:
    rulebook = make_data(client).rulebook
    out = []
    for day, start, minutes, items in sessions or COACH_WEEK:
        exs = [CATALOGUE[e] for e, _, _ in items]
        legs = any(ex.counts_legs for ex in exs)
        back = any(ex.counts_back for ex in exs)
        out.append(
            {
                "day": day,
                "start": start,
                "minutes": minutes,
                "focus": "combined" if legs and back else "legs" if legs else "back",
                "exercises": [
                    {
                        "order": k,
                        "exercise": e,
                        "sets": n,
                        "reps": CATALOGUE[e].reps[client.goal]
                        + (" s" if CATALOGUE[e].dose == "seconds" else ""),
                        "rir": None if CATALOGUE[e].is_drill else rir,
                        "straps": strap,
                    }
                    for k, (e, n, strap) in enumerate(items, start=1)
                ],
            }
        )
    return Plan.model_validate(
        {
            "schema": "legback.plan/1",
            "client": client.name,
            "client_profile": client.model_dump(),
            "rulebook": {"name": rulebook.name, "rules": rulebook.effective()},
            "status": "feasible",
            "weeks": [{"week": 1, "sessions": out}],
        }
    )


def mutated(change: Callable[[list], None]) -> list:
    week = [(d, t, m, list(items)) for d, t, m, items in COACH_WEEK]
    change(week)
    return week


def replace(week, day: str, old: str, new: tuple[str, int, bool]) -> None:
    items = next(items for d, _, _, items in week if d == day)
    items[[e for e, _, _ in items].index(old)] = new


def flags(client: Client, week, rule_id: str) -> list[str]:
    violations = check_plan(week_plan(client, week))
    assert rule_ids(violations) == {rule_id}, [str(v) for v in violations]
    return [v.what for v in violations]


def test_coach_week_is_clean():
    assert check_plan(week_plan(hand())) == []


def test_alpha_first_checker_flags_hand_made_plan():
    # Monday without its trap-bar deadlift (and so without the hang, and the row needs no
    # straps) opens with the leg press: an entry alpha, but this client has max-effort lifts.
    def no_alpha(w):
        items = [("leg_press", 3, False), ("weighted_pull_up", 3, False)]
        items += [("chest_supported_row", 3, False), ("lying_leg_curl", 2, False)]
        w[0] = ("mon", "18:00", 90, items)

    week = mutated(no_alpha)
    whats = flags(hand(), week, "alpha-first")
    assert "combined session opens with leg_press" in whats[0]


def test_session_anatomy_checker_flags_hand_made_plan():
    def two_curls(w):
        replace(w, "thu", "leg_extension", ("seated_leg_curl", 2, False))
        w[1][3].append(("lying_leg_curl", 2, False))
        w[0][3].remove(("lying_leg_curl", 2, False))

    whats = flags(hand(), mutated(two_curls), "session-anatomy")
    assert whats == ["seated_leg_curl and lying_leg_curl do the same job (leg_curl, isolation)"]


def test_demand_order_checker_flags_hand_made_plan():
    def swap_order(w):
        items = w[0][3]
        items[1], items[2] = items[2], items[1]  # pull-up (6) before leg press (7)

    whats = flags(hand(), mutated(swap_order), "demand-order")
    assert whats == ["leg_press (demand 7) after weighted_pull_up (demand 6)"]


def test_known_lifts_checker_flags_hand_made_plan():
    whats = flags(hand(one_rep_max_kg={"front_squat": 100}), COACH_WEEK, "known-lifts")
    assert whats == ["front_squat (known max) in 0 sessions, at least 1"]


def test_goal_fit_checker_flags_hand_made_plan():
    # A back-priority client: this week has more leg than back sets.
    whats = flags(hand(priority="legs"), COACH_WEEK, "goal-fit")
    assert "legs priority" in whats[0]


def test_drills_checker_flags_hand_made_plan():
    def late_bird_dog(w):
        items = w[1][3]
        items.append(items.pop(0))  # the warm-up drill after the lifts

    whats = flags(hand(), mutated(late_bird_dog), "drills")
    assert whats == ["mcgill_bird_dog is a warm-up drill but comes after lifts"]


def test_straps_checker_flags_hand_made_plan():
    week = mutated(lambda w: replace(w, "mon", "trap_bar_deadlift", ("trap_bar_deadlift", 3, True)))
    whats = flags(hand(), week, "straps")
    assert whats == ["trap_bar_deadlift strapped at grip fatigue 0, within capacity 14"]


def test_intensity_floor_checker_flags_hand_made_plan():
    c = hand(back_status="sensitive", exclude=["good_morning", "back_squat", "romanian_deadlift"])
    week = mutated(
        lambda w: (
            replace(w, "thu", "back_squat", ("front_squat", 3, False)),
            replace(w, "thu", "romanian_deadlift", ("dumbbell_rdl", 3, False)),
        )
    )
    violations = check_plan(week_plan(c, week, rir=0))
    assert "intensity-floor" in rule_ids(violations)
    assert any(v.what == "trap_bar_deadlift at RIR 0 (at least 1)" for v in violations)


def test_muscle_recovery_checker_flags_hand_made_plan():
    def same_day(w):
        d, t, m, items = w[2]
        w[2] = ("mon", "07:00", 45, items)  # the back session moves to Monday morning

    c = hand(availability=[slot("mon"), slot("thu"), slot("mon", "07:00", 45)])
    whats = flags(c, mutated(same_day), "muscle-recovery")
    assert "back trained hard in sessions 11 h apart (need 24 h)" in whats


# --------------------------------------------------------------------------- parameters

BAD_PARAMETERS = [
    {"alpha-first": {"strict": True}},
    {"session-anatomy": {"one_per_job": "sometimes"}},
    {"session-anatomy": {"jobs": 1}},
    {"demand-order": {"by": "name"}},
    {"known-lifts": {"per_week": -1}},
    {"known-lifts": {"per_week": 8}},
    {"goal-fit": {"priority_margin": -1}},
    {"drills": {"per_session": 4}},
    {"drills": {"blocks": 1}},
    {"straps": {"cost": -1}},
    {"intensity-floor": {"beginner": -1}},
    {"intensity-floor": {"back": {"sore": 1}}},
    {"muscle-recovery": {"hours": -1}},
    {"muscle-recovery": {"hours": 200}},
    {"coaching-value": {"alpha_set": -1}},
]


@pytest.mark.parametrize("overrides", BAD_PARAMETERS, ids=[str(o) for o in BAD_PARAMETERS])
def test_bad_rule_parameters_are_rejected(overrides):
    rule_id = next(iter(overrides))
    c = parse_client({"name": "Bad", "availability": [slot("mon")], "rules": overrides})
    with pytest.raises(InputError) as err:
        make_data(c)
    assert rule_id in str(err.value)


def test_every_coaching_rule_is_covered():
    names = set(globals())
    for rid in HARD:
        if REGISTRY[rid].encode.__module__ not in MODULES:
            continue
        stem = rid.replace("-", "_")
        assert f"test_{stem}_binds" in names, rid
        assert f"test_{stem}_checker_flags_hand_made_plan" in names, rid
        assert any(next(iter(o)) == rid for o in BAD_PARAMETERS), rid


# --------------------------------------------------------------------------- archetypes


@pytest.fixture(scope="session")
def archetypes() -> dict[str, tuple[Client, Plan]]:
    """Every archetype solved once as a 5-week plan (seed 0, one worker)."""
    out = {}
    for path in sorted(ARCHETYPES.glob("*.yaml")):
        client = load_client(path)
        out[path.stem] = (client, solve(client, weeks=5, seed=0, time_limit=30).plan)
    return out


def coach_properties(client: Client, plan: Plan) -> None:
    """What a coach checks first, for any client and plan."""
    data = make_data(client)
    pool = alpha_pool(data.exercises, client, data.rulebook)
    for w, week in enumerate(plan.weeks):
        for s in week.sessions:
            items = sorted(s.exercises, key=lambda pe: pe.order)
            lifts = [pe for pe in items if not CATALOGUE[pe.exercise].is_drill]
            drills = [pe for pe in items if CATALOGUE[pe.exercise].is_drill]
            if s.focus == "combined":
                assert lifts[0].exercise in pool, (w, s.day, lifts[0].exercise)
            demands = [CATALOGUE[pe.exercise].demand for pe in lifts]
            assert demands == sorted(demands, reverse=True), (w, s.day, demands)
            jobs = [(CATALOGUE[pe.exercise].job, CATALOGUE[pe.exercise].tier) for pe in lifts]
            assert len(jobs) == len(set(jobs)), (w, s.day, jobs)
            assert len(drills) <= 1 and all(pe.rir is None for pe in drills)
            assert all(pe.rir is not None for pe in lifts)
    assert check_plan(plan) == []


def test_archetypes_read_like_a_coachs_plan(archetypes):
    assert set(archetypes) == {
        "advanced_strength",
        "back_priority",
        "beginner_home",
        "busy_two_slots",
        "injured_back",
        "intermediate_hypertrophy",
        "legs_priority",
        "sensitive_back",
    }
    for name, (client, plan) in archetypes.items():
        assert plan.status in FEASIBLE, (name, plan.explanation)
        coach_properties(client, plan)


def test_known_lifts_are_loaded_every_accumulation_week(archetypes):
    for name in (
        "intermediate_hypertrophy",
        "advanced_strength",
        "busy_two_slots",
        "sensitive_back",
    ):
        client, plan = archetypes[name]
        known = set(client.one_rep_max_kg) | set(client.recent_sets)
        for week in plan.weeks:
            if week.phase == "deload":
                continue
            loaded = {pe.exercise for s in week.sessions for pe in s.exercises if pe.load_kg}
            assert known <= loaded, (name, week.week, known - loaded)


def test_max_effort_alpha_where_the_gym_allows(archetypes):
    # Healthy and sensitive backs with a barbell or trap bar open every combined session
    # with a max-effort lift; the sensitive back's is spine-friendly (<= 6 units).
    for name in (
        "intermediate_hypertrophy",
        "advanced_strength",
        "legs_priority",
        "sensitive_back",
    ):
        _, plan = archetypes[name]
        for week in plan.weeks:
            for s in week.sessions:
                if s.focus == "combined":
                    first = CATALOGUE[s.exercises[0].exercise]
                    first = first if not first.is_drill else CATALOGUE[s.exercises[1].exercise]
                    assert first.max_effort, (name, week.week, s.day, first.id)
                    if name == "sensitive_back":
                        assert first.spinal_units <= 6


def test_injured_back_and_home_gym_open_with_entry_alphas(archetypes):
    for name in ("injured_back", "beginner_home"):
        _, plan = archetypes[name]
        for s in plan.weeks[0].sessions:
            lifts = [pe.exercise for pe in s.exercises if not CATALOGUE[pe.exercise].is_drill]
            assert not any(CATALOGUE[e].max_effort for e in lifts), (name, lifts)
            if s.focus == "combined":
                assert lifts[0] in ("goblet_squat", "leg_press", "dumbbell_rdl"), (name, lifts)


def _side_sets(plan: Plan, w: int, side: str) -> float:
    return sum(
        pe.sets
        for s in plan.weeks[w].sessions
        for pe in s.exercises
        if not CATALOGUE[pe.exercise].is_drill
        and set(CATALOGUE[pe.exercise].primary) & set(GROUPS[side])
    )


def test_priority_side_gets_more_sets(archetypes):
    for name, side, _other in (
        ("legs_priority", "legs", "back"),
        ("back_priority", "back", "legs"),
    ):
        _, plan = archetypes[name]
        for w, week in enumerate(plan.weeks):
            if week.phase != "deload":
                assert _side_sets(plan, w, side) > 0
                # halfsets: the priority side's primary sets lead (goal-fit)
                assert check_plan(plan) == []


def test_strength_goal_gets_heavy_low_reps(archetypes):
    _, plan = archetypes["advanced_strength"]
    for week in plan.weeks:
        for s in week.sessions:
            for pe in s.exercises:
                ex = CATALOGUE[pe.exercise]
                if ex.max_effort:
                    assert int(pe.reps.split("-")[1]) <= 5, (week.week, pe.exercise, pe.reps)
                if ex.pattern == "vertical_pull":
                    assert int(pe.reps.split("-")[0]) >= 3, (week.week, pe.exercise, pe.reps)


# --------------------------------------------------------------------------- property


DAY_SETS = (("mon", "thu"), ("tue", "fri"), ("mon", "wed", "fri"), ("tue", "thu", "sat"))
GYMS = (
    [*GYM, "straps"],
    ["barbell", "dumbbell", "bench", "pullup_bar"],
    ["dumbbell", "cable", "machine", "pullup_bar", "bench"],
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(
    days=st.sampled_from(DAY_SETS),
    minutes=st.sampled_from((60, 75, 90)),
    experience=st.sampled_from(("intermediate", "advanced")),
    goal=st.sampled_from(("strength", "hypertrophy", "general")),
    back=st.sampled_from(("healthy", "sensitive", "injured")),
    priority=st.sampled_from(("legs", "back", "balanced")),
    gym=st.sampled_from(GYMS),
    squat=st.one_of(st.none(), st.integers(60, 200)),
)
def test_generated_clients_read_like_a_coachs_plan(
    days, minutes, experience, goal, back, priority, gym, squat
):
    client = parse_client(
        {
            "name": "Generated",
            "experience": experience,
            "goal": goal,
            "back_status": back,
            "priority": priority,
            "equipment": gym,
            "availability": [{"day": d, "start": "18:00", "minutes": minutes} for d in days],
            "one_rep_max_kg": {"back_squat": squat} if squat else {},
        }
    )
    result = solve(client, weeks=1, seed=0, time_limit=TIME_LIMIT)
    if result.status not in FEASIBLE:
        return  # feasibility has its own tests; the coaching properties are about plans
    coach_properties(client, result.plan)
    if squat and back == "healthy" and "barbell" in gym:
        assert any(
            pe.exercise == "back_squat" and pe.load_kg
            for s in result.plan.weeks[0].sessions
            for pe in s.exercises
        )
