"""Issue 12: every ordinary client gets a plan, the week uses the time the client gives.

SPEC §3a: a client with at least two slots of 45+ minutes and basic equipment (dumbbells,
or a barbell and a bench) gets a plan at every experience level, goal and back status;
frequency (2-3 sessions, the third light), rest days with the rule that keeps them free,
muscle-recovery across week boundaries, priority in volume.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legback_solver import check_plan, solve
from legback_solver.catalogue import catalogue_by_id
from legback_solver.io import parse_client
from legback_solver.models import BACK_MUSCLES, DAYS, LEG_MUSCLES, Plan
from legback_solver.rules.recovery import GROUPS, hard_group
from legback_solver.timeline import WEEK_HOURS, hours_between

CATALOGUE = catalogue_by_id()
FEASIBLE = ("optimal", "feasible")
TIME_LIMIT = 20.0


def client(**fields: Any):
    data: dict[str, Any] = {
        "name": "Ordinary",
        "experience": "beginner",
        "goal": "hypertrophy",
        "back_status": "healthy",
        "priority": "balanced",
        "equipment": ["dumbbell", "bench"],
        "availability": [
            {"day": "mon", "start": "18:00", "minutes": 60},
            {"day": "thu", "start": "18:00", "minutes": 60},
        ],
    }
    data.update(fields)
    return parse_client(data)


def planned(c, weeks: int = 1) -> Plan:
    r = solve(c, weeks=weeks, seed=0, time_limit=TIME_LIMIT)
    assert r.plan.status in FEASIBLE, r.plan.explanation
    violations = check_plan(r.plan)
    assert violations == [], [str(v) for v in violations]
    return r.plan


def half_sets(plan: Plan, week: int, muscles: tuple[str, ...]) -> int:
    total = 0
    for s in plan.weeks[week].sessions:
        for pe in s.exercises:
            ex = CATALOGUE[pe.exercise]
            if ex.is_drill:
                continue
            total += pe.sets * sum(
                2 if m in ex.primary else 1 if m in ex.secondary else 0 for m in muscles
            )
    return total


def same_group_within(plan: Plan, hours: float = 24) -> list[str]:
    """Pairs of sessions < HOURS apart that both train one major group hard."""
    cyclic = len(plan.weeks) == 1
    sessions = [
        (w * WEEK_HOURS + s.hour_of_week, s, w)
        for w, week in enumerate(plan.weeks)
        for s in week.sessions
    ]
    out = []
    for i, (ha, a, wa) in enumerate(sessions):
        for hb, b, wb in sessions[i + 1 :]:
            if hours_between(ha, hb, cyclic) >= hours:
                continue
            for g in GROUPS:
                if any(hard_group(CATALOGUE[p.exercise], g) for p in a.exercises) and any(
                    hard_group(CATALOGUE[p.exercise], g) for p in b.exercises
                ):
                    out.append(
                        f"{g}: week {wa + 1} {a.day} {a.start} / week {wb + 1} {b.day} {b.start}"
                    )
    return out


# --------------------------------------------------------------------------- crafted cases


def test_beginner_home_gym_four_long_slots_is_planned():
    # The first case: infeasible before (the beginner gate plus a 5.5-set glute
    # cap against the hamstring and quad minimums).
    c = client(
        equipment=["barbell", "dumbbell", "bench", "pullup_bar"],
        availability=[
            {"day": d, "start": "18:00", "minutes": 90} for d in ("mon", "wed", "fri", "sat")
        ],
    )
    plan = planned(c)
    assert len(plan.weeks[0].sessions) >= 2
    used = {pe.exercise for s in plan.weeks[0].sessions for pe in s.exercises}
    assert used & {"goblet_squat", "dumbbell_rdl", "trap_bar_deadlift"}


def test_sensitive_beginner_gets_two_sessions_of_three_slots():
    # The second case: one session a week before; asking for two was infeasible.
    c = client(
        goal="general",
        back_status="sensitive",
        priority="legs",
        availability=[{"day": d, "start": "18:00", "minutes": 60} for d in ("mon", "wed", "fri")],
    )
    plan = planned(c)
    assert 2 <= len(plan.weeks[0].sessions) <= 3
    rest = plan.weeks[0].rest
    assert len(rest) == 3 - len(plan.weeks[0].sessions)
    assert all(
        r.rule in {"frequency", "muscle-recovery", "back-loading-gap", "combined-days-gap"}
        for r in rest
    )


def test_trap_bar_beginner_gets_the_seeds_hinge():
    c = client(equipment=["trap_bar", "dumbbell", "bench"])
    plan = planned(c)
    used = {pe.exercise for s in plan.weeks[0].sessions for pe in s.exercises}
    assert used & {"goblet_squat", "dumbbell_rdl", "trap_bar_deadlift"}


def test_one_twenty_minute_slot_is_still_explained():
    c = client(availability=[{"day": "mon", "start": "18:00", "minutes": 20}])
    r = solve(c, weeks=1, seed=0, time_limit=TIME_LIMIT)
    assert r.plan.status == "infeasible"
    assert r.plan.explanation


def test_unused_slots_are_rest_days_with_their_rule():
    # Monday 07:00 and 18:00: at most one of them can train (muscle-recovery, 24 h).
    c = client(
        experience="intermediate",
        availability=[
            {"day": "mon", "start": "07:00", "minutes": 60},
            {"day": "mon", "start": "18:00", "minutes": 60},
            {"day": "thu", "start": "18:00", "minutes": 60},
        ],
    )
    plan = planned(c)
    week = plan.weeks[0]
    assert len(week.sessions) + len(week.rest) == 3
    mon = [r for r in week.rest if r.day == "mon"]
    assert len(mon) == 1 and mon[0].rule == "muscle-recovery", week.rest
    # An older plan without the list still reads and checks.
    d = plan.model_dump(by_alias=True)
    for w in d["weeks"]:
        del w["rest"]
    assert check_plan(Plan(**d)) == []


# --------------------------------------------------------------------------- muscle-recovery


def test_morning_and_evening_on_one_monday_never_train_one_group_twice():
    c = client(
        experience="intermediate",
        equipment=["barbell", "dumbbell", "cable", "machine", "pullup_bar", "bench"],
        availability=[
            {"day": "mon", "start": "07:00", "minutes": 75},
            {"day": "mon", "start": "18:00", "minutes": 75},
            {"day": "thu", "start": "18:00", "minutes": 75},
        ],
    )
    plan = planned(c)
    assert same_group_within(plan) == []


@pytest.mark.parametrize("weeks", [1, 3])
def test_sunday_evening_and_monday_morning_13_hours_apart(weeks):
    # 20:00 Sunday to 09:00 Monday: 13 h, across the week boundary (the repeating week
    # wraps; in a mesocycle week k's Sunday precedes week k+1's Monday).
    c = client(
        experience="intermediate",
        equipment=["barbell", "dumbbell", "cable", "machine", "pullup_bar", "bench"],
        availability=[
            {"day": "sun", "start": "20:00", "minutes": 75},
            {"day": "mon", "start": "09:00", "minutes": 75},
            {"day": "wed", "start": "18:00", "minutes": 75},
        ],
    )
    plan = planned(c, weeks=weeks)
    assert same_group_within(plan) == []


def test_checker_flags_back_hard_13_hours_apart():
    c = client(
        experience="intermediate",
        equipment=["barbell", "dumbbell", "cable", "machine", "pullup_bar", "bench"],
        availability=[
            {"day": "sun", "start": "20:00", "minutes": 75},
            {"day": "mon", "start": "09:00", "minutes": 75},
            {"day": "wed", "start": "18:00", "minutes": 75},
        ],
    )
    plan = planned(c)
    d = plan.model_dump(by_alias=True)
    week = d["weeks"][0]
    src = week["sessions"][0]
    sun, mon = copy.deepcopy(src), copy.deepcopy(src)
    sun["day"], sun["start"], mon["day"], mon["start"] = "sun", "20:00", "mon", "09:00"
    week["sessions"] = [sun, mon]
    rules = {v.rule for v in check_plan(Plan(**d))}
    assert "muscle-recovery" in rules


# --------------------------------------------------------------------------- frequency


def test_third_session_is_light():
    c = client(
        experience="intermediate",
        equipment=["barbell", "dumbbell", "cable", "machine", "pullup_bar", "bench", "trap_bar"],
        availability=[
            {"day": d, "start": "18:00", "minutes": 75} for d in ("mon", "wed", "fri", "sat")
        ],
    )
    plan = planned(c)
    sessions = plan.weeks[0].sessions
    assert 2 <= len(sessions) <= 3
    heavy = [
        s
        for s in sessions
        if any(CATALOGUE[pe.exercise].max_effort for pe in s.exercises)
        or sum(pe.sets for pe in s.exercises if not CATALOGUE[pe.exercise].is_drill) > 12
    ]
    assert len(heavy) <= 2


def test_checker_flags_three_heavy_sessions():
    c = client(
        experience="intermediate",
        equipment=["barbell", "dumbbell", "cable", "machine", "pullup_bar", "bench"],
        availability=[{"day": d, "start": "18:00", "minutes": 90} for d in ("mon", "wed", "fri")],
    )
    plan = planned(c)
    d = plan.model_dump(by_alias=True)
    week = d["weeks"][0]
    heavy = next(
        s
        for s in week["sessions"]
        if any(CATALOGUE[p["exercise"]].max_effort for p in s["exercises"])
    )
    week["sessions"] = []
    for day in ("mon", "wed", "fri"):
        twin = copy.deepcopy(heavy)
        twin["day"] = day
        week["sessions"].append(twin)
    rules = {v.rule for v in check_plan(Plan(**d))}
    assert "light-third-session" in rules


# --------------------------------------------------------------------------- priority


@pytest.mark.parametrize("priority", ["legs", "back"])
def test_priority_leads_weekly_volume(priority):
    c = client(
        experience="intermediate",
        priority=priority,
        equipment=["barbell", "dumbbell", "cable", "machine", "pullup_bar", "bench"],
        availability=[{"day": d, "start": "18:00", "minutes": 75} for d in ("mon", "thu", "sat")],
    )
    plan = planned(c)
    legs = half_sets(
        plan, 0, tuple(m for m in LEG_MUSCLES if m in ("quads", "hamstrings", "glutes"))
    )
    back = half_sets(
        plan, 0, tuple(m for m in BACK_MUSCLES if m in ("lats", "upper_back", "erectors"))
    )
    assert (legs > back) if priority == "legs" else (back > legs), (legs, back)


def opening_sides(plan: Plan) -> list[str]:
    """The side of each combined session's first lift (drills aside), in time order."""
    out = []
    for week in plan.weeks:
        for s in week.sessions:
            lifts = [CATALOGUE[pe.exercise] for pe in s.exercises]
            lifts = [ex for ex in lifts if not ex.is_drill]
            if s.focus == "combined" and lifts:
                out.append(lifts[0].alpha_side)
    return out


@pytest.mark.parametrize("priority", ["legs", "back"])
def test_priority_leads_the_alpha(priority):
    # 002: "Legs First, Then Back: Often preferred if leg development is the primary
    # goal"; "Back First ... if back development is prioritized". A balanced client
    # with the same week alternates (000 "flip it").
    fields: dict[str, Any] = {
        "experience": "intermediate",
        "equipment": ["barbell", "dumbbell", "cable", "machine", "pullup_bar", "bench"],
        "availability": [
            {"day": d, "start": "18:00", "minutes": 75} for d in ("tue", "thu", "sat")
        ],
    }
    sides = opening_sides(planned(client(priority=priority, **fields)))
    assert len(sides) >= 2, sides
    other = "back" if priority == "legs" else "legs"
    assert sides.count(priority) > sides.count(other), sides
    balanced = opening_sides(planned(client(priority="balanced", **fields)))
    assert sorted(balanced) == ["back", "legs"], balanced


# --------------------------------------------------------------------------- the property

# The kits the property covers: SPEC §3a's basic equipment (dumbbells alone, or a barbell
# and a bench), the minimal home gyms the ordinary-client benchmark found infeasible with
# an injured back, and a full gym.
KITS = [
    ["dumbbell"],
    ["barbell", "bench"],
    ["dumbbell", "kettlebell", "pullup_bar"],
    ["dumbbell", "bench"],
    ["barbell", "bench", "dumbbell", "pullup_bar"],
    ["barbell", "dumbbell", "cable", "machine", "pullup_bar", "bench", "trap_bar"],
]


@st.composite
def ordinary_clients(draw):
    """SPEC §3a's ordinary client: 2+ slots of 45+ minutes, basic equipment or more."""
    days = draw(st.lists(st.sampled_from(DAYS), min_size=2, max_size=5, unique=True))
    slots = [
        {
            "day": d,
            "start": draw(st.sampled_from(["06:30", "12:00", "18:00", "20:00"])),
            "minutes": draw(st.sampled_from([45, 60, 75, 90])),
        }
        for d in days
    ]
    return client(
        experience=draw(st.sampled_from(["beginner", "intermediate", "advanced"])),
        goal=draw(st.sampled_from(["strength", "hypertrophy", "endurance", "general"])),
        back_status=draw(st.sampled_from(["healthy", "sensitive", "injured"])),
        priority=draw(st.sampled_from(["legs", "back", "balanced"])),
        equipment=draw(st.sampled_from(KITS)),
        availability=slots,
    )


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(ordinary_clients())
def test_every_ordinary_client_is_planned(c):
    plan = planned(c)
    assert len(plan.weeks[0].sessions) >= 1
    assert len(plan.weeks[0].sessions) + len(plan.weeks[0].rest) == len(c.availability)


def test_dumbbell_only_back_priority_on_consecutive_days():
    # combined-days-gap allows one combined session on Mon/Tue; a back session needs two
    # back compounds (one with dumbbells only), so the back can't lead the volume (goal-fit).
    c = client(
        experience="intermediate",
        goal="strength",
        priority="back",
        equipment=["dumbbell"],
        availability=[{"day": d, "start": "06:30", "minutes": 45} for d in ("mon", "tue")],
    )
    planned(c)


def test_injured_back_with_barbell_and_bench():
    c = client(
        experience="intermediate",
        goal="endurance",
        back_status="injured",
        equipment=["barbell", "bench"],
        availability=[{"day": d, "start": "18:00", "minutes": 60} for d in ("tue", "thu", "sat")],
    )
    planned(c)


def test_an_ordinary_mesocycle_is_planned():
    c = client(
        goal="strength",
        back_status="sensitive",
        priority="back",
        equipment=["dumbbell", "bench"],
        availability=[{"day": d, "start": "07:00", "minutes": 45} for d in ("tue", "sat")],
    )
    plan = planned(c, weeks=5)
    assert all(len(w.sessions) + len(w.rest) == 2 for w in plan.weeks)
