"""Mesocycles: the seven mesocycle rules, cross-week spacing, loads, beginners, dates,
re-planning and determinism.

For each mesocycle rule id (``[r for r in HARD if not REGISTRY[r].weekly]``):

* ``test_<rule>_binds``: a small crafted client solved with the rule on and off. With
  the rule off the plan no longer follows it: for the rules the solver enforces
  (volume-progression, deload, stable-main-lifts) and for meso-length and
  intensity-waves the checker, run under the full rulebook, flags that rule and only
  that rule; for the purely prescriptive ones (rir-progression, loads) the weeks visibly
  stop following it (constant RIR, no loads). With the rule on the plan has no
  violation at all.
* ``test_<rule>_checker_flags_hand_made_plan``: a clean solved mesocycle, edited in one
  place so that it breaks exactly this rule.

The crafted clients keep the model small (one or two slots, most of the catalogue
excluded, muscle minimums at zero) so each solve takes well under a second. Solves use
one worker: with several workers a mesocycle's plan is not reproducible (see
``test_the_tie_break_makes_the_optimal_mesocycle_unique``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legback_solver import check_plan, solve
from legback_solver.cli import main
from legback_solver.data import make_data
from legback_solver.errors import InputError
from legback_solver.io import load_plan, parse_client
from legback_solver.loads import load_for
from legback_solver.models import DAYS, Client, Plan, Replan
from legback_solver.rulebook import load_rulebook
from legback_solver.rules import HARD, REGISTRY
from legback_solver.schedule import reps_for, rir_for

from . import crafted
from .crafted import (
    BACK,
    CATALOGUE,
    FEASIBLE,
    GYM,
    LEGS,
    TIME_LIMIT,
    ZERO_MINS,
    rule_ids,
    slot,
    switched_off,
)

MAIN = ("primary", "secondary")
MESO_RULES = [r for r in HARD if not REGISTRY[r].weekly]
TIMING = ("solve_seconds", "build_seconds")


def make_client(*args: Any, **kwargs: Any) -> Client:
    return crafted.make_client(*args, name="Meso Test", **kwargs)


def strs(violations) -> list[str]:
    return [str(v) for v in violations]


def solved_plan(client: Client, weeks: int, **kwargs: Any) -> Plan:
    res = solve(client, weeks=weeks, time_limit=TIME_LIMIT, workers=1, **kwargs)
    assert res.status in FEASIBLE, (res.status, res.explanation)
    assert len(res.plan.weeks) == weeks
    return res.plan


def under(plan: Plan, other: Plan) -> Plan:
    """PLAN re-checked under OTHER's rulebook."""
    return plan.model_copy(update={"rulebook": other.rulebook})


def phases(plan: Plan) -> list[str]:
    return [w.phase for w in plan.weeks]


def lifts(plan: Plan, w: int) -> dict[str, set[str]]:
    """Exercise ids per weekday in 0-based week W."""
    return {s.day: {pe.exercise for pe in s.exercises} for s in plan.weeks[w].sessions}


def halfsets(plan: Plan, w: int) -> dict[str, int]:
    """Weekly hard sets per muscle in half sets, counted here from the catalogue."""
    out: dict[str, int] = {}
    for s in plan.weeks[w].sessions:
        for pe in s.exercises:
            ex = CATALOGUE[pe.exercise]
            for m in ex.primary:
                out[m] = out.get(m, 0) + 2 * pe.sets
            for m in ex.secondary:
                out[m] = out.get(m, 0) + pe.sets
    return out


def total_sets(plan: Plan, w: int) -> int:
    return sum(pe.sets for s in plan.weeks[w].sessions for pe in s.exercises)


def top_reps(reps: str) -> int:
    return int(reps.split("-")[1])


def stable_json(plan: Plan) -> str:
    data = json.loads(plan.to_json())
    for key in TIMING:
        data.pop(key)
    return json.dumps(data, sort_keys=True)


def edited(plan: Plan, edit: Callable[[dict[str, Any]], Any]) -> Plan:
    """A copy of PLAN with EDIT applied to its JSON form (weeks, sessions, exercises)."""
    data = json.loads(plan.to_json())
    edit(data)
    return Plan.model_validate(data)


def items(data: dict[str, Any], w: int):
    """(session, exercise) dicts of 0-based week W of a plan's JSON form."""
    for s in data["weeks"][w]["sessions"]:
        for pe in s["exercises"]:
            yield s, pe


def find(data: dict[str, Any], w: int, exercise: str) -> dict[str, Any]:
    for _s, pe in items(data, w):
        if pe["exercise"] == exercise:
            return pe
    raise AssertionError(f"test precondition: {exercise} is not in week {w + 1}")


def assert_off_plan(on: Plan, off: Plan, rule_id: str) -> None:
    """Both plans solved and non-empty; the rulebooks differ in RULE_ID's kind only; the
    on plan has no violation; the off plan passes its own rulebook."""
    for plan in (on, off):
        assert plan.status in FEASIBLE, (plan.status, plan.explanation)
        assert all(w.sessions for w in plan.weeks), "a week without sessions"
    assert on.rulebook.rules[rule_id]["kind"] == "hard"
    assert off.rulebook.rules[rule_id]["kind"] == "off"
    for rid, entry in on.rulebook.rules.items():
        if rid != rule_id:
            assert off.rulebook.rules[rid] == entry, rid
    assert check_plan(on) == [], strs(check_plan(on))
    assert check_plan(off) == [], strs(check_plan(off))


def assert_flagged_only(on: Plan, off: Plan, rule_id: str):
    full = check_plan(under(off, on))
    assert rule_ids(full) == {rule_id}, strs(full)
    return full


@pytest.fixture(scope="module")
def pair() -> Callable[..., tuple[Plan, Plan]]:
    """Module-scoped cache: (plan with the rule on, plan with it off)."""
    cache: dict[tuple[str, str, int], tuple[Plan, Plan]] = {}

    def get(rule_id: str, client: Client, weeks: int, key: str = "") -> tuple[Plan, Plan]:
        k = (rule_id, key, weeks)
        if k not in cache:
            on = solved_plan(client, weeks)
            off = solved_plan(switched_off(client, rule_id), weeks)
            cache[k] = (on, off)
        return cache[k]

    return get


# Two leg-heavy slots 72 h apart; the back squat is the client's favourite.
SQUAT_CLIENT = dict(
    slots=[slot("mon"), slot("thu")],
    # (the goblet squat, a secondary compound since issue 11, would compete with the leg press)
    only=["back_squat", *[e for e in LEGS if e != "goblet_squat"], *BACK],
    prefer=("back_squat",),
)


def squat_client(**fields: Any) -> Client:
    return make_client(**{**SQUAT_CLIENT, **fields})


# --------------------------------------------------------------------------- binds


def test_meso_length_binds(pair):
    on, off = pair("meso-length", squat_client(), 4)
    assert_off_plan(on, off, "meso-length")
    assert phases(on) == ["accumulation", "accumulation", "intensification", "deload"]
    # Off: no deload weeks, every week is a training week.
    assert "deload" not in phases(off)
    assert [w.block for w in off.weeks] == [1, 1, 2, 2]
    full = assert_flagged_only(on, off, "meso-length")
    assert [v.where for v in full] == ["plan"]


@pytest.mark.parametrize("weeks", [2, 17])
def test_meso_length_limits_the_number_of_weeks(weeks):
    with pytest.raises(InputError) as err:
        make_data(squat_client(), weeks)
    assert "meso-length" in str(err.value) and "3-16" in str(err.value)
    # Switched off, any number of weeks is a plan (no deload week then).
    off = switched_off(squat_client(), "meso-length")
    assert len(make_data(off, weeks).specs) == weeks
    # An override moves the limits.
    longer = squat_client(rules={"meso-length": {"max_weeks": 20, "min_weeks": 2}})
    specs = make_data(longer, weeks).specs
    assert [sp.phase for sp in specs][-1] == "deload"
    assert sum(sp.deload for sp in specs) == 1


def test_volume_progression_binds(pair):
    # A 40-minute slot: in the heavier block (week 3) main lifts rest 30 s longer, so
    # without the rule the solver drops sets there; with it, weeks 1-2 stay at what
    # week 3 can hold.
    c = make_client([slot("mon", minutes=40)], only=["back_squat", *LEGS, *BACK])
    on, off = pair("volume-progression", c, 4)
    assert_off_plan(on, off, "volume-progression")
    for plan in (on, off):
        assert phases(plan)[2] == "intensification"
    off_drops = [m for m, n in halfsets(off, 1).items() if halfsets(off, 2).get(m, 0) < n]
    assert off_drops, "rule off: the heavier week should lose sets"
    for a, b in [(0, 1), (1, 2)]:
        before, after = halfsets(on, a), halfsets(on, b)
        for m in set(before) | set(after):
            assert before.get(m, 0) <= after.get(m, 0) <= before.get(m, 0) + 4, (m, a, b)
    full = assert_flagged_only(on, off, "volume-progression")
    assert all("drops" in v.what and v.where == "week 3" for v in full), strs(full)


def test_volume_progression_binds_the_weekly_rise(pair):
    # A beginner's first week is capped (beginner-volume); at most +1 set per muscle a
    # week, the second week can't jump to the full volume.
    c = make_client(
        [slot("mon"), slot("thu")],
        only=[*LEGS, *BACK],
        experience="beginner",
        rules={"volume-progression": {"max_step": 1}},
    )
    on, off = pair("volume-progression", c, 4, key="rise")
    assert_off_plan(on, off, "volume-progression")
    w1, w2 = halfsets(off, 0), halfsets(off, 1)
    assert max(w2.get(m, 0) - w1.get(m, 0) for m in w2) > 2
    for a, b in [(0, 1), (1, 2)]:
        before, after = halfsets(on, a), halfsets(on, b)
        for m in set(before) | set(after):
            assert before.get(m, 0) <= after.get(m, 0) <= before.get(m, 0) + 2, (m, a, b)
    full = assert_flagged_only(on, off, "volume-progression")
    assert all("rises" in v.what and "at most +1" in v.what for v in full), strs(full)


def test_deload_binds(pair):
    on, off = pair("deload", squat_client(), 4)
    assert_off_plan(on, off, "deload")
    for plan in (on, off):
        assert phases(plan)[-1] == "deload"
    # On: 50-60% of week 3's sets, 1-2 sets per exercise, RIR 4 everywhere.
    share = total_sets(on, 3) / total_sets(on, 2)
    assert 0.5 <= share <= 0.6, share
    assert on.weeks[3].rir == 4
    for s in on.weeks[3].sessions:
        for pe in s.exercises:
            assert 1 <= pe.sets <= 2 and pe.rir == 4, pe
    # Off: the "deload" week trains at full volume and below RIR 4.
    assert total_sets(off, 3) / total_sets(off, 2) > 0.6
    assert off.weeks[3].rir < 4
    full = assert_flagged_only(on, off, "deload")
    whats = " ".join(v.what for v in full)
    assert "previous week's" in whats and "deload range 1-2" in whats


def test_intensity_waves_binds(pair):
    on, off = pair("intensity-waves", squat_client(), 4)
    assert_off_plan(on, off, "intensity-waves")
    assert [w.block for w in on.weeks] == [1, 1, 2, None]
    assert phases(on)[:3] == ["accumulation", "accumulation", "intensification"]
    # On: week 3's main lifts work lower in reps than the same lifts in week 2;
    # accessories keep their range.
    for s2, s3 in zip(on.weeks[1].sessions, on.weeks[2].sessions, strict=True):
        week2 = {pe.exercise: pe.reps for pe in s2.exercises}
        mains = 0
        for pe in s3.exercises:
            ex = CATALOGUE[pe.exercise]
            if ex.tier in MAIN:
                mains += 1
                assert top_reps(pe.reps) < top_reps(week2[pe.exercise]), pe
                assert top_reps(week2[pe.exercise]) == top_reps(ex.reps["hypertrophy"])
            else:
                assert pe.reps == week2[pe.exercise] == ex.reps["hypertrophy"], pe
        assert mains, "no main lift to compare"
    # Off: one block of moderate work, catalogue reps throughout.
    assert [w.block for w in off.weeks] == [1, 1, 1, None]
    assert "intensification" not in phases(off)
    for w in off.weeks:
        for s in w.sessions:
            for pe in s.exercises:
                assert pe.reps == CATALOGUE[pe.exercise].reps["hypertrophy"], pe
    assert_flagged_only(on, off, "intensity-waves")


def test_intensity_waves_parameters_shape_the_blocks():
    heavy_first = squat_client(rules={"intensity-waves": {"first": "heavy", "block_weeks": 1}})
    specs = make_data(heavy_first, 5).specs
    assert [sp.phase for sp in specs] == [
        "intensification",
        "accumulation",
        "intensification",
        "accumulation",
        "deload",
    ]
    assert [sp.block for sp in specs] == [1, 2, 3, 4, None]
    data = make_data(squat_client(rules={"intensity-waves": {"rep_shift": [1, 1]}}), 4)
    squat = CATALOGUE["back_squat"]  # 5-8 for hypertrophy
    assert reps_for(squat, "hypertrophy", data.specs[1], data.rulebook) == "5-8"
    assert reps_for(squat, "hypertrophy", data.specs[2], data.rulebook) == "4-7"


def test_stable_main_lifts_binds(pair):
    on, off = pair("stable-main-lifts", squat_client(), 4)
    assert_off_plan(on, off, "stable-main-lifts")
    for w in range(1, 4):
        assert lifts(on, w) == lifts(on, 0), w
    assert any(lifts(off, w) != lifts(off, 0) for w in range(1, 4))
    assert_flagged_only(on, off, "stable-main-lifts")


def test_stable_main_lifts_may_rotate_accessories():
    c = squat_client(rules={"stable-main-lifts": {"rotate_accessories": True}})
    plan = solved_plan(c, 4)
    assert check_plan(plan) == [], strs(check_plan(plan))

    def mains(w: int) -> dict[str, set[str]]:
        return {
            day: {e for e in ids if CATALOGUE[e].tier in MAIN}
            for day, ids in lifts(plan, w).items()
        }

    assert mains(0) and all(mains(0)[d] for d in mains(0))
    for w in range(1, 4):
        assert mains(w) == mains(0), w


def test_rir_progression_binds(pair):
    # Prescriptive: the schedule sets each week's RIR; the encoder adds nothing.
    on, off = pair("rir-progression", squat_client(), 4)
    assert_off_plan(on, off, "rir-progression")
    assert [w.rir for w in on.weeks] == [3, 2, 1, 4]
    assert [w.rir for w in off.weeks] == [3, 3, 3, 4]
    for plan in (on, off):
        for week in plan.weeks:
            for s in week.sessions:
                for pe in s.exercises:
                    main = CATALOGUE[pe.exercise].tier in MAIN
                    want = week.rir if main or week.phase == "deload" else max(0, week.rir - 1)
                    assert pe.rir == want, (week.week, pe)
    # Whatever the checker makes of a constant RIR, it blames no other rule.
    assert rule_ids(check_plan(under(off, on))) <= {"rir-progression"}


def test_rir_progression_parameters_set_the_weeks():
    c = squat_client(rules={"rir-progression": {"start": 4, "end": 2, "step": 1}})
    assert [sp.rir for sp in make_data(c, 6).specs] == [4, 3, 2, 2, 2, 4]
    c = squat_client(rules={"rir-progression": {"start": 3, "end": 0, "step": 2}})
    assert [sp.rir for sp in make_data(c, 4).specs] == [3, 1, 0, 4]


def test_loads_binds(pair):
    # Prescriptive: loads follow from the 1RM; with the rule off there are none.
    c = squat_client(one_rep_max_kg={"back_squat": 140})
    on, off = pair("loads", c, 4)
    assert_off_plan(on, off, "loads")
    squats = [pe for w in on.weeks for s in w.sessions for pe in s.exercises]
    with_load = [pe for pe in squats if pe.load_kg is not None]
    assert with_load and {pe.exercise for pe in with_load} == {"back_squat"}
    assert all(pe.load_kg is None for w in off.weeks for s in w.sessions for pe in s.exercises)
    assert rule_ids(check_plan(under(off, on))) <= {"loads"}


# --------------------------------------------------------------------------- hand-made


@pytest.fixture(scope="module")
def base() -> Plan:
    """A clean five-week mesocycle: two moderate weeks, two heavier ones, a deload."""
    plan = solved_plan(squat_client(one_rep_max_kg={"back_squat": 140}), 5)
    assert check_plan(plan) == [], strs(check_plan(plan))
    assert phases(plan) == [
        "accumulation",
        "accumulation",
        "intensification",
        "intensification",
        "deload",
    ]
    assert any(pe.exercise == "leg_press" for s in plan.weeks[2].sessions for pe in s.exercises)
    return plan


def flagged(plan: Plan, edit: Callable[[dict[str, Any]], Any], rule_id: str):
    """PLAN edited by EDIT breaks RULE_ID and nothing else."""
    assert check_plan(plan) == []
    violations = check_plan(edited(plan, edit))
    assert rule_ids(violations) == {rule_id}, strs(violations)
    return violations


def _drop_deload_week(data):
    data["weeks"].pop()


def _two_weeks(data):
    del data["weeks"][2:]


@pytest.mark.parametrize(
    ("edit", "whats"),
    [
        (
            _drop_deload_week,
            [
                "phases ['accumulation', 'accumulation', 'intensification', 'intensification']: "
                "accumulation then 1 deload week(s)"
            ],
        ),
        (
            _two_weeks,
            [
                "2 weeks (range 3-16)",
                "phases ['accumulation', 'accumulation']: accumulation then 1 deload week(s)",
            ],
        ),
    ],
    ids=["no-deload", "too-short"],
)
def test_meso_length_checker_flags_hand_made_plan(base, edit, whats):
    violations = flagged(base, edit, "meso-length")
    assert [v.what for v in violations] == whats


def test_volume_progression_checker_flags_hand_made_plan(base):
    # One set fewer of one exercise in week 2 (still inside its tier's set range).
    data = json.loads(base.to_json())
    shape = base.rulebook.rules["session-shape"]

    def halfsets(week):
        out = {}
        for _s, pe in items(data, week):
            ex = CATALOGUE[pe["exercise"]]
            for m in ex.primary:
                out[m] = out.get(m, 0) + 2 * pe["sets"]
            for m in ex.secondary:
                out[m] = out.get(m, 0) + pe["sets"]
        return out

    week1, week2 = halfsets(0), halfsets(1)
    chosen = None
    for sess, pe in items(data, 1):
        ex = CATALOGUE[pe["exercise"]]
        lo = (shape["sets_main"] if ex.tier in MAIN else shape["sets_accessory"])[0]
        # one set fewer must take a primary muscle below its week-1 count
        if pe["sets"] > lo and any(week2[m] - 2 < week1.get(m, 0) for m in ex.primary):
            chosen = sess["day"], pe["exercise"], pe["sets"]
            break
    assert chosen, "test precondition: an exercise above its minimum sets in week 2"
    day, ex, sets = chosen

    def edit(d):
        for sess, pe in items(d, 1):
            if sess["day"] == day and pe["exercise"] == ex:
                pe["sets"] = sets - 1

    violations = flagged(base, edit, "volume-progression")
    assert {v.where for v in violations} == {"week 2"}
    dropped = {v.what.split()[0] for v in violations}
    assert dropped == set(CATALOGUE[ex].primary) | set(CATALOGUE[ex].secondary), strs(violations)
    assert all("drops" in v.what for v in violations)


def _deload_rir(data):
    _s, pe = next(items(data, 4))
    pe["rir"] = 3


def _deload_sets(data):
    _s, pe = next(items(data, 4))
    pe["sets"] = 3


def _deload_week_rir(data):
    data["weeks"][4]["rir"] = 3


@pytest.mark.parametrize(
    ("edit", "needle"),
    [
        (_deload_rir, "at RIR 3 (at least 4)"),
        (_deload_sets, "has 3 sets (deload range 1-2)"),
        (_deload_week_rir, "week RIR 3 (at least 4)"),
    ],
    ids=["exercise-rir", "sets", "week-rir"],
)
def test_deload_checker_flags_hand_made_plan(base, edit, needle):
    violations = flagged(base, edit, "deload")
    assert any(needle in v.what for v in violations), strs(violations)
    assert all(v.where.startswith("week 5") for v in violations)


def _heavy_week_relabelled(data):
    data["weeks"][2]["phase"] = "accumulation"


def _heavy_week_moderate_reps(data):
    for _s, pe in items(data, 2):
        if pe["exercise"] == "leg_press":
            pe["reps"] = "8-12"  # back to the moderate range (heavier block: 6-9)


@pytest.mark.parametrize(
    ("edit", "needle"),
    [
        (_heavy_week_relabelled, "should alternate blocks"),
        (_heavy_week_moderate_reps, "leg_press 12 reps in the heavier block vs 12 in the moderate"),
    ],
    ids=["phase", "reps"],
)
def test_intensity_waves_checker_flags_hand_made_plan(base, edit, needle):
    violations = flagged(base, edit, "intensity-waves")
    assert any(needle in v.what for v in violations), strs(violations)


def test_stable_main_lifts_checker_flags_hand_made_plan(base):
    # In the deload week (no volume rules there) one leg isolation is swapped for another
    # with the same sets, spine and grip load: only the stability rule can object.
    isolations = ["leg_extension", "lying_leg_curl", "seated_leg_curl"]
    data = json.loads(base.to_json())
    target = None
    for s in data["weeks"][4]["sessions"]:
        here = {pe["exercise"] for pe in s["exercises"]}
        old = [e for e in isolations if e in here]
        new = [e for e in isolations if e not in here]
        if old and new:
            target = s["day"], old[0], new[0]
            break
    assert target, "test precondition: a deload session with a swappable leg isolation"
    day, old, new = target

    def edit(d):
        for s in d["weeks"][4]["sessions"]:
            if s["day"] == day:
                for pe in s["exercises"]:
                    if pe["exercise"] == old:
                        pe["exercise"] = new

    violations = flagged(base, edit, "stable-main-lifts")
    assert [v.where for v in violations] == [f"week 5 {day} 18:00"]
    assert (
        violations[0].what
        == f"lifts change from week 1 {day} 18:00: {', '.join(sorted([old, new]))}"
    )


def _rir_lower_in_week_1(data):
    week = data["weeks"][0]
    week["rir"] = 1
    for s in week["sessions"]:
        for pe in s["exercises"]:
            pe["rir"] = 1 if CATALOGUE[pe["exercise"]].tier in MAIN else 0
            if pe["load_kg"] is not None:  # keep the loads true to the new RIR (1RM 140)
                pe["load_kg"] = load_for(140, int(pe["reps"].split("-")[1]), pe["rir"])


def _main_lift_off_the_weeks_rir(data):
    find(data, 1, "leg_press")["rir"] = 3  # the week's is 2


@pytest.mark.parametrize(
    ("edit", "needle", "where"),
    [
        (_rir_lower_in_week_1, "RIR rises from 1 to 2", "week 2"),
        (_main_lift_off_the_weeks_rir, "leg_press at RIR 3, the week's is 2", "week 2 "),
    ],
    ids=["rises", "main-lift"],
)
def test_rir_progression_checker_flags_hand_made_plan(base, edit, needle, where):
    violations = flagged(base, edit, "rir-progression")
    assert [v.what for v in violations if needle in v.what], strs(violations)
    assert all(v.where.startswith(where) for v in violations), strs(violations)


def _heavier(data):
    find(data, 0, "back_squat")["load_kg"] += 2.5


def _off_step(data):
    find(data, 0, "back_squat")["load_kg"] = 98.0


@pytest.mark.parametrize(
    ("edit", "what"),
    [
        (_heavier, "back_squat 102.5 kg for 5-8 at RIR 3 is over the prescribed 100 kg"),
        (_off_step, "back_squat 98 kg is not on the 2.5 kg step"),
    ],
    ids=["heavier", "off-step"],
)
def test_loads_checker_flags_hand_made_plan(base, edit, what):
    # Week 1: 140 / (1 + (8 + 3) / 30) = 102.4 -> 100 kg.
    assert find(json.loads(base.to_json()), 0, "back_squat")["load_kg"] == 100.0
    violations = flagged(base, edit, "loads")
    assert what in {v.what for v in violations}, strs(violations)
    assert all(v.where.startswith("week 1 ") for v in violations)


MESO_BAD_PARAMETERS = [
    {"meso-length": {"min_weeks": 1}},
    {"meso-length": {"min_weeks": 8, "max_weeks": 4}},
    {"meso-length": {"deload_weeks": 3}},
    {"meso-length": {"weeks": 5}},
    {"volume-progression": {"max_step": -1}},
    {"volume-progression": {"step": 2}},
    {"deload": {"fraction": [0.7, 0.5]}},
    {"deload": {"fraction": [0, 0.5]}},
    {"deload": {"sets": [0, 2]}},
    {"deload": {"sets": [3, 2]}},
    {"deload": {"rir_min": -1}},
    {"intensity-waves": {"block_weeks": 0}},
    {"intensity-waves": {"first": "light"}},
    {"intensity-waves": {"blocks": 2}},
    {"stable-main-lifts": {"rotate_accessories": "sometimes"}},
    {"stable-main-lifts": {"rotate": True}},
    {"rir-progression": {"start": 1, "end": 3}},
    {"rir-progression": {"step": 5}},
    {"loads": {"plate_step": 0}},
    {"loads": {"plate_step": -2.5}},
    {"loads": {"kind": "soft"}},
]


@pytest.mark.parametrize(
    "overrides",
    MESO_BAD_PARAMETERS,
    ids=[f"{next(iter(o))}:{o[next(iter(o))]}" for o in MESO_BAD_PARAMETERS],
)
def test_bad_meso_parameters_are_rejected(overrides):
    rule_id = next(iter(overrides))
    c = parse_client({"name": "Bad Params", "availability": [slot("mon")], "rules": overrides})
    with pytest.raises(InputError) as err:
        make_data(c, 5)
    assert rule_id in str(err.value)


def test_every_meso_rule_is_covered():
    assert MESO_RULES == [
        "meso-length",
        "volume-progression",
        "deload",
        "intensity-waves",
        "stable-main-lifts",
        "rir-progression",
        "loads",
    ]
    names = set(globals())
    for rid in MESO_RULES:
        stem = rid.replace("-", "_")
        assert f"test_{stem}_binds" in names, rid
        assert f"test_{stem}_checker_flags_hand_made_plan" in names, rid
        assert any(next(iter(o)) == rid for o in MESO_BAD_PARAMETERS), rid


# --------------------------------------------------------------------------- cross-week spacing


def build_meso(client: Client, weeks: list[dict[str, list[tuple[str, int]]]]) -> Plan:
    """A mesocycle written by hand: phase, RIR and reps as the schedule prescribes them,
    exercises in tier order, focus from the exercises."""
    data = make_data(client, len(weeks))
    starts = {sl.day: (sl.start, sl.minutes) for sl in client.slots()}
    out_weeks = []
    for spec, sessions in zip(data.specs, weeks, strict=True):
        out_sessions = []
        for day in sorted(sessions, key=DAYS.index):
            exs = sorted((CATALOGUE[e] for e, _n in sessions[day]), key=lambda x: x.order_key())
            sets = dict(sessions[day])
            legs = any(x.counts_legs for x in exs)
            back = any(x.counts_back for x in exs)
            out_sessions.append(
                {
                    "day": day,
                    "start": starts[day][0],
                    "minutes": starts[day][1],
                    "focus": "combined" if legs and back else "legs" if legs else "back",
                    "exercises": [
                        {
                            "order": k,
                            "exercise": x.id,
                            "sets": sets[x.id],
                            "reps": reps_for(x, client.goal, spec, data.rulebook),
                            "rir": rir_for(spec, x.tier),
                        }
                        for k, x in enumerate(exs, start=1)
                    ],
                }
            )
        out_weeks.append(
            {
                "week": spec.index + 1,
                "phase": spec.phase,
                "block": spec.block,
                "rir": spec.rir,
                "sessions": out_sessions,
            }
        )
    return Plan.model_validate(
        {
            "schema": "legback.plan/1",
            "client": client.name,
            "client_profile": client.model_dump(),
            "rulebook": {"name": data.rulebook.name, "rules": data.rulebook.effective()},
            "status": "feasible",
            "weeks": out_weeks,
        }
    )


SUN_MON = [slot("mon"), slot("sun")]
# Sunday: legs with a back squat (back-loading). Monday: back work, none back-loading.
SUNDAY = [("back_squat", 3), ("leg_press", 3), ("leg_extension", 2), ("lying_leg_curl", 3)]
MONDAY = [
    ("lat_pulldown", 3),
    ("seated_cable_row", 3),
    ("face_pull", 2),
    ("straight_arm_pulldown", 2),
]
# Deload: 12 of the 21 weekly sets (57%).
SUNDAY_DELOAD = [("back_squat", 2), ("leg_press", 1), ("leg_extension", 1), ("lying_leg_curl", 2)]
MONDAY_DELOAD = [
    ("lat_pulldown", 2),
    ("seated_cable_row", 1),
    ("face_pull", 1),
    ("straight_arm_pulldown", 2),
]


def sun_mon_weeks(
    monday_edit: Callable[[list[tuple[str, int]], bool], list[tuple[str, int]]] | None = None,
    sunday_edit: Callable[[list[tuple[str, int]], bool], list[tuple[str, int]]] | None = None,
) -> list[dict[str, list[tuple[str, int]]]]:
    weeks = []
    for deload in (False, False, True):
        mon = list(MONDAY_DELOAD if deload else MONDAY)
        sun = list(SUNDAY_DELOAD if deload else SUNDAY)
        weeks.append(
            {
                "mon": monday_edit(mon, deload) if monday_edit else mon,
                "sun": sunday_edit(sun, deload) if sunday_edit else sun,
            }
        )
    return weeks


def sun_mon_client() -> Client:
    return make_client(
        SUN_MON, only=["back_squat", "t_bar_row", "bench_reverse_hyper", *LEGS, *BACK]
    )


def test_hand_made_sun_mon_mesocycle_is_clean():
    plan = build_meso(sun_mon_client(), sun_mon_weeks())
    assert check_plan(plan) == [], strs(check_plan(plan))
    assert phases(plan) == ["accumulation", "accumulation", "deload"]
    # Sunday and the next Monday are 24 h apart: the week boundary is real time.
    assert [s.focus for w in plan.weeks for s in w.sessions] == ["back", "legs"] * 3


def _t_bar_on_monday(mon, deload):
    return [("t_bar_row", n) if e == "seated_cable_row" else (e, n) for e, n in mon]


def test_back_loading_gap_across_the_week_boundary_is_flagged():
    # Every Monday gets a T-bar row (back-loading) for the seated cable row: week 1's
    # Sunday back squat is then 24 h before week 2's Monday, and so on. Within a week,
    # Monday to Sunday is 144 h: no clash there.
    plan = build_meso(sun_mon_client(), sun_mon_weeks(monday_edit=_t_bar_on_monday))
    violations = check_plan(plan)
    assert rule_ids(violations) == {"back-loading-gap"}, strs(violations)
    assert [v.where for v in violations] == [
        "week 1 sun 18:00 and week 2 mon 18:00",
        "week 2 sun 18:00 and week 3 mon 18:00",
    ]
    assert {v.what for v in violations} == {"back-loading sessions 24 h apart (need 48 h)"}
    # At 24 h the same plan is fine.
    relaxed = sun_mon_client()
    relaxed.rules["back-loading-gap"] = {"hours": 24}
    assert check_plan(build_meso(relaxed, sun_mon_weeks(monday_edit=_t_bar_on_monday))) == []


def test_back_loading_gap_one_clash_across_the_week_boundary():
    # Only week 2's Monday gets the T-bar row: one clash, week 1 Sunday to week 2 Monday
    # (the changed Monday also breaks stable-main-lifts, and nothing else).
    weeks = sun_mon_weeks()
    weeks[1]["mon"] = _t_bar_on_monday(weeks[1]["mon"], False)
    violations = check_plan(build_meso(sun_mon_client(), weeks))
    assert rule_ids(violations) == {"back-loading-gap", "stable-main-lifts"}, strs(violations)
    assert [str(v) for v in violations if v.rule == "back-loading-gap"] == [
        "back-loading-gap: back-loading sessions 24 h apart (need 48 h), "
        "week 1 sun 18:00 and week 2 mon 18:00"
    ]


def _with_reverse_hyper(day, deload):
    return [*day, ("bench_reverse_hyper", 1 if deload else 2)]


def test_combined_days_gap_across_the_week_boundary_is_flagged():
    # Both sessions get a bench reverse hyper (legs and back): Sunday and the next
    # Monday are then consecutive combined days with no free day between them.
    plan = build_meso(
        sun_mon_client(),
        sun_mon_weeks(monday_edit=_with_reverse_hyper, sunday_edit=_with_reverse_hyper),
    )
    assert [s.focus for w in plan.weeks for s in w.sessions] == ["combined"] * 6
    violations = check_plan(plan)
    assert rule_ids(violations) == {"combined-days-gap"}, strs(violations)
    assert [str(v) for v in violations] == [
        "combined-days-gap: 0 free day(s) between combined sessions (need 2), "
        "week 1 sun 18:00 to week 2 mon 18:00",
        "combined-days-gap: 0 free day(s) between combined sessions (need 2), "
        "week 2 sun 18:00 to week 3 mon 18:00",
    ]


def absolute(plan: Plan) -> list[tuple[float, int, Any]]:
    """(hours from week 1's Monday 00:00, calendar day, session) in time order."""
    out = []
    for w, week in enumerate(plan.weeks):
        for s in week.sessions:
            h, m = (int(x) for x in s.start.split(":"))
            day = 7 * w + DAYS.index(s.day)
            out.append((24 * day + h + m / 60, day, s))
    return sorted(out, key=lambda t: t[0])


def back_loading_gaps(plan: Plan) -> list[tuple[float, int, int]]:
    """(hours, week of the first, week of the second) between consecutive
    back-loading sessions."""
    loading = [
        (h, d // 7)
        for h, d, s in absolute(plan)
        if any(CATALOGUE[pe.exercise].back_loading for pe in s.exercises)
    ]
    return [(b[0] - a[0], a[1], b[1]) for a, b in zip(loading, loading[1:], strict=False)]


def combined_free_days(plan: Plan) -> list[tuple[int, int, int]]:
    """(free calendar days, week of the first, week of the second) between consecutive
    combined sessions."""
    sessions = absolute(plan)
    busy = {d for _h, d, _s in sessions}
    combined = [
        d
        for _h, d, s in sessions
        if any(CATALOGUE[pe.exercise].counts_legs for pe in s.exercises)
        and any(CATALOGUE[pe.exercise].counts_back for pe in s.exercises)
    ]
    return [
        (sum(1 for d in range(a + 1, b) if d not in busy), a // 7, b // 7)
        for a, b in zip(combined, combined[1:], strict=False)
    ]


def test_solver_never_clashes_back_loading_across_weeks():
    c = make_client(
        SUN_MON, only=["back_squat", "t_bar_row", *LEGS, *BACK], prefer=("back_squat", "t_bar_row")
    )
    on = solved_plan(c, 3)
    off = solved_plan(switched_off(c, "back-loading-gap"), 3)
    assert check_plan(on) == [], strs(check_plan(on))
    assert back_loading_gaps(on), "the plan should still hold back-loading sessions"
    assert all(h >= 48 for h, _a, _b in back_loading_gaps(on)), back_loading_gaps(on)
    # Off, the favourite lifts land on both days: the clash is Sunday to Monday.
    clashes = [(h, a, b) for h, a, b in back_loading_gaps(off) if h < 48]
    assert clashes and all(h == 24 and b == a + 1 for h, a, b in clashes), clashes
    full = check_plan(under(off, on))
    assert rule_ids(full) == {"back-loading-gap"}, strs(full)


def test_solver_never_clashes_combined_days_across_weeks():
    c = make_client(
        SUN_MON, only=["bench_reverse_hyper", *LEGS, *BACK], prefer=("bench_reverse_hyper",)
    )
    on = solved_plan(c, 3)
    off = solved_plan(switched_off(c, "combined-days-gap"), 3)
    assert check_plan(on) == [], strs(check_plan(on))
    assert combined_free_days(on), "the plan should still hold combined sessions"
    assert all(free >= 2 for free, _a, _b in combined_free_days(on)), combined_free_days(on)
    clashes = [(f, a, b) for f, a, b in combined_free_days(off) if f < 2]
    assert clashes and all(b == a + 1 for _f, a, b in clashes), clashes
    full = check_plan(under(off, on))
    assert rule_ids(full) == {"combined-days-gap"}, strs(full)


# --------------------------------------------------------------------------- property

meso_slot = st.fixed_dictionaries(
    {
        "day": st.sampled_from(DAYS),
        "start": st.sampled_from(["07:00", "12:00", "18:00"]),
        "minutes": st.sampled_from([45, 60, 75, 90]),
    }
)

meso_overrides = st.fixed_dictionaries(
    {},
    optional={
        "back-loading-gap": st.fixed_dictionaries({"hours": st.sampled_from([24, 48, 72])}),
        "combined-days-gap": st.fixed_dictionaries({"days": st.integers(0, 3)}),
        "volume-progression": st.fixed_dictionaries({"max_step": st.sampled_from([0, 1, 2, 4])}),
        "intensity-waves": st.fixed_dictionaries(
            {"block_weeks": st.integers(1, 3), "first": st.sampled_from(["moderate", "heavy"])}
        ),
        "rir-progression": st.fixed_dictionaries(
            {"start": st.integers(2, 4), "end": st.integers(0, 2)}
        ),
        "stable-main-lifts": st.fixed_dictionaries({"rotate_accessories": st.booleans()}),
        "meso-length": st.fixed_dictionaries({"deload_weeks": st.integers(0, 2)}),
    },
)


@st.composite
def meso_clients(draw):
    slots = draw(
        st.lists(meso_slot, min_size=1, max_size=3, unique_by=lambda s: (s["day"], s["start"]))
    )
    if draw(st.booleans()):  # the Sunday-to-Monday boundary
        slots = [s for s in slots if s["day"] not in ("sun", "mon")][:1]
        slots += [slot("sun", minutes=60), slot("mon", minutes=60)]
    rules = draw(meso_overrides)
    if draw(st.integers(0, 3)):  # mostly reachable volumes
        rules["muscle-sets"] = {"ranges": ZERO_MINS}
    maxes = draw(
        st.dictionaries(
            st.sampled_from(["back_squat", "leg_press", "lat_pulldown", "trap_bar_deadlift"]),
            st.sampled_from([60.0, 97.5, 140.0, 185.0]),
            max_size=2,
        )
    )
    return parse_client(
        {
            "name": "Generated",
            "experience": draw(st.sampled_from(["beginner", "intermediate", "advanced"])),
            "goal": draw(st.sampled_from(["strength", "hypertrophy", "endurance", "general"])),
            "back_status": draw(st.sampled_from(["healthy", "sensitive", "injured"])),
            "priority": draw(st.sampled_from(["legs", "back", "balanced"])),
            "equipment": draw(st.lists(st.sampled_from(GYM), min_size=2, max_size=5, unique=True)),
            "availability": slots,
            "one_rep_max_kg": maxes,
            "rules": rules,
        }
    )


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(meso_clients(), st.integers(3, 8))
def test_every_mesocycle_passes_the_checker(c, weeks):
    res = solve(c, weeks=weeks, time_limit=8, workers=1)
    if res.feasible:
        assert len(res.plan.weeks) == weeks
        violations = check_plan(res.plan)
        assert violations == [], strs(violations)
    elif res.status == "infeasible":
        assert res.explanation and res.plan.explanation == res.explanation
        named = " ".join(res.explanation)
        assert any(rid in named for rid in REGISTRY), named
    else:
        assert res.status == "unknown"
        assert res.explanation


# --------------------------------------------------------------------------- loads


def hand_load(one_rm: float, reps: str, rir: int, step: float = 2.5) -> float:
    """Epley, by hand: one_rm / (1 + (top reps + RIR) / 30), rounded down to the step."""
    raw = one_rm / (1 + (top_reps(reps) + rir) / 30)
    return math.floor(raw / step + 1e-9) * step


@pytest.fixture(scope="module")
def loads_plan() -> Plan:
    c = squat_client(
        prefer=("back_squat", "leg_press", "lat_pulldown"),
        one_rep_max_kg={"leg_press": 100, "back_squat": 140},
        # 100 kg x 5 estimates 116.7 kg; back_squat's given 1RM wins over its recent set.
        recent_sets={"lat_pulldown": {"kg": 100, "reps": 5}, "back_squat": {"kg": 100, "reps": 5}},
    )
    plan = solved_plan(c, 5)
    assert check_plan(plan) == [], strs(check_plan(plan))
    used = {pe.exercise for s in plan.weeks[0].sessions for pe in s.exercises}
    assert {"back_squat", "leg_press", "lat_pulldown"} <= used, used
    return plan


def test_loads_follow_epley_by_hand(loads_plan):
    # The worked example: 1RM 100 kg, 8-12 reps, RIR 3 -> 100 / 1.5 = 66.67 -> 65.0 kg.
    assert load_for(100, 12, 3, 2.5) == 65.0
    assert hand_load(100, "8-12", 3) == 65.0
    week1 = {pe.exercise: pe for s in loads_plan.weeks[0].sessions for pe in s.exercises}
    assert (week1["leg_press"].reps, week1["leg_press"].rir) == ("8-12", 3)
    assert week1["leg_press"].load_kg == 65.0
    # Back squat 140 kg, 5-8 at RIR 3: 140 / (1 + 11/30) = 102.4 -> 100.0 kg (not the
    # 85.0 kg its recent set would give).
    assert (week1["back_squat"].reps, week1["back_squat"].load_kg) == ("5-8", 100.0)
    # Lat pulldown from the recent set: 100 x (1 + 5/30) = 116.67; / 1.5 = 77.8 -> 77.5.
    assert week1["lat_pulldown"].load_kg == 77.5

    maxes = {"leg_press": 100, "back_squat": 140, "lat_pulldown": 100 * (1 + 5 / 30)}
    checked = 0
    for week in loads_plan.weeks:
        for s in week.sessions:
            for pe in s.exercises:
                if pe.exercise not in maxes:
                    assert pe.load_kg is None, pe
                    continue
                one_rm = maxes[pe.exercise]
                assert pe.load_kg == hand_load(one_rm, pe.reps, pe.rir), (week.week, pe)
                assert pe.load_kg == load_for(one_rm, top_reps(pe.reps), pe.rir, 2.5)
                # Never heavier than the RIR allows.
                assert pe.load_kg <= one_rm / (1 + (top_reps(pe.reps) + pe.rir) / 30)
                checked += 1
    assert checked >= 3 * 5


def test_loads_rise_as_rir_falls_and_the_deload_is_lighter(loads_plan):
    by_slot: dict[tuple[str, str], list[tuple[int, str, float]]] = {}
    for week in loads_plan.weeks:
        for s in week.sessions:
            for pe in s.exercises:
                if pe.load_kg is not None:
                    by_slot.setdefault((s.day, pe.exercise), []).append(
                        (pe.rir, week.phase, pe.load_kg)
                    )
    assert len(by_slot) >= 3
    for key, series in by_slot.items():
        assert len(series) == 5, key
        training, (deload_rir, phase, deload_kg) = series[:-1], series[-1]
        assert phase == "deload" and deload_rir == 4
        assert [r for r, _p, _kg in training] == [3, 2, 1, 1], key
        kgs = [kg for _r, _p, kg in training]
        # RIR 3 -> 2 at the same reps: never lighter; into the lower-rep block at RIR 1:
        # heavier still.
        assert kgs[0] <= kgs[1] < kgs[2] == kgs[3], (key, kgs)
        assert deload_kg < kgs[-1], (key, deload_kg, kgs)
    # Leg press (1RM 100, 8-12): 65.0 at RIR 3, 100 / (1 + 14/30) = 68.2 -> 67.5 at RIR 2,
    # 6-9 at RIR 1: 100 / (1 + 10/30) = 75.0.
    leg_press = [kg for _r, _p, kg in next(v for k, v in by_slot.items() if k[1] == "leg_press")]
    assert leg_press == [65.0, 67.5, 75.0, 75.0, 65.0]


# --------------------------------------------------------------------------- beginners


def test_beginner_first_week_and_progression():
    c = parse_client(
        {
            "name": "New Lifter",
            "experience": "beginner",
            "equipment": ["dumbbell", "bench", "cable", "machine"],
            "availability": [slot("mon"), slot("thu")],
        }
    )
    plan = solved_plan(c, 4)
    assert check_plan(plan) == [], strs(check_plan(plan))
    # Intermediate hypertrophy targets: the middle of the default weekly ranges.
    ranges = load_rulebook("default").params("muscle-sets").ranges
    targets = {m: (lo + hi) / 2 for m, (lo, hi) in ranges.items()}
    assert targets["quads"] == 13  # 8-18 sets -> at most 7.8 in a beginner's first week
    week1 = halfsets(plan, 0)
    trained = ("quads", "hamstrings", "glutes", "lats", "upper_back", "erectors")
    for m in trained:
        assert week1.get(m, 0) / 2 <= 0.6 * targets[m] + 1e-9, (m, week1.get(m, 0) / 2)
    assert any(week1.get(m, 0) for m in trained)
    totals = [total_sets(plan, w) for w in range(3)]
    assert totals[1] > totals[0] and totals[2] >= totals[1], totals


# --------------------------------------------------------------------------- start date


def write_client(tmp_path, client: Client, name: str = "client.json"):
    path = tmp_path / name
    path.write_text(json.dumps(client.model_dump(mode="json")), encoding="utf-8")
    return path


def run_cli(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_start_date_dates_every_session(tmp_path):
    client = write_client(tmp_path, squat_client())
    out = tmp_path / "plan.json"
    result = run_cli(
        "solve", client, "--weeks", "4", "--start-date", "2026-11-23", "--out", out, "--quiet"
    )
    assert result.exit_code == 0, result.output
    plan = load_plan(out)
    assert plan.start_date == "2026-11-23"
    monday = date(2026, 11, 23)
    n = 0
    for w, week in enumerate(plan.weeks):
        for s in week.sessions:
            d = date.fromisoformat(s.date)
            assert d == monday + timedelta(days=7 * w + DAYS.index(s.day)), (w, s.day, s.date)
            assert d.strftime("%a").lower() == s.day
            n += 1
    assert n >= 4 * 2
    # Without a start date there are no dates.
    assert all(s.date is None for w in solved_plan(squat_client(), 3).weeks for s in w.sessions)


@pytest.mark.parametrize(
    ("value", "needles"),
    [
        ("2026-11-25", ["Wednesday", "2026-11-23", "2026-11-30"]),
        ("2026-11-29", ["Sunday", "2026-11-23", "2026-11-30"]),
        ("2026-13-01", ["not a date"]),
    ],
)
def test_bad_start_date_is_bad_input(tmp_path, value, needles):
    client = write_client(tmp_path, squat_client())
    out = tmp_path / "plan.json"
    result = run_cli(
        "solve", client, "--weeks", "4", "--start-date", value, "--out", out, "--quiet"
    )
    assert result.exit_code == 2, result.output
    err = result.stderr.strip()
    assert err.startswith("error:") and "start-date" in err
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in err, err
    assert not out.exists()


def test_bad_start_date_keeps_an_existing_output(tmp_path):
    client = write_client(tmp_path, squat_client())
    out = tmp_path / "plan.json"
    out.write_text("an older plan\n", encoding="utf-8")
    result = run_cli("solve", client, "--start-date", "2026-11-24", "--out", out, "--quiet")
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == "an older plan\n"


# --------------------------------------------------------------------------- re-planning

REPLAN_SLOTS = [slot("mon"), slot("wed"), slot("fri")]
REPLAN_ONLY = ["back_squat", "trap_bar_deadlift", *LEGS, *BACK]


def replan_client(**fields: Any) -> Client:
    return make_client(
        REPLAN_SLOTS, only=REPLAN_ONLY, prefer=("back_squat", "trap_bar_deadlift"), **fields
    )


@pytest.fixture(scope="module")
def original() -> Plan:
    plan = solved_plan(replan_client(), 5)
    assert check_plan(plan) == [], strs(check_plan(plan))
    return plan


def sessions_until(plan: Plan, week: int, day: str) -> list[dict[str, Any]]:
    """Sessions up to (1-based WEEK, DAY) inclusive, as JSON-ready dicts."""
    limit = (week - 1, DAYS.index(day))
    return [
        {"week": w, **s.model_dump(mode="json")}
        for w, wk in enumerate(plan.weeks)
        for s in wk.sessions
        if (w, DAYS.index(s.day)) <= limit
    ]


def sessions_after(plan: Plan, week: int, day: str) -> list[dict[str, Any]]:
    limit = (week - 1, DAYS.index(day))
    return [
        {"week": w, **s.model_dump(mode="json")}
        for w, wk in enumerate(plan.weeks)
        for s in wk.sessions
        if (w, DAYS.index(s.day)) > limit
    ]


def test_replan_mid_week_keeps_history(original):
    # The client drops the trap-bar deadlift after week 2's Wednesday.
    assert any(
        pe.exercise == "trap_bar_deadlift" for s in original.weeks[0].sessions for pe in s.exercises
    ), "test precondition: the original plan uses the trap-bar deadlift"
    c = replan_client()
    c.exclude = [*c.exclude, "trap_bar_deadlift"]
    res = solve(
        c, weeks=5, time_limit=TIME_LIMIT, workers=1, previous=original, done_through="2:wed"
    )
    assert res.status in FEASIBLE, res.explanation
    plan = res.plan
    assert plan.done_through == Replan(week=2, day="wed")
    history = sessions_until(original, 2, "wed")
    assert len(history) == 2 * 3 - 1
    assert sessions_until(plan, 2, "wed") == history
    # The rest follows the new client: no trap-bar deadlift.
    after = sessions_after(plan, 2, "wed")
    assert after and all(
        pe["exercise"] != "trap_bar_deadlift" for s in after for pe in s["exercises"]
    )
    assert sessions_after(original, 2, "wed") != after
    assert check_plan(plan) == [], strs(check_plan(plan))


def test_replan_same_client_keeps_history(original):
    res = solve(
        replan_client(),
        weeks=5,
        time_limit=TIME_LIMIT,
        workers=1,
        previous=original,
        done_through="2:wed",
    )
    assert res.status in FEASIBLE, res.explanation
    assert sessions_until(res.plan, 2, "wed") == sessions_until(original, 2, "wed")
    assert check_plan(res.plan) == [], strs(check_plan(res.plan))


def test_replan_after_an_injury_at_a_week_boundary(original):
    injured = replan_client(back_status="injured")
    res = solve(
        injured, weeks=5, time_limit=TIME_LIMIT, workers=1, previous=original, done_through="2"
    )
    assert res.status in FEASIBLE, res.explanation
    plan = res.plan
    assert plan.done_through == Replan(week=2, day="sun")
    assert sessions_until(plan, 2, "sun") == sessions_until(original, 2, "sun")
    # History holds heavy spinal work; from week 3 on only what an injured back allows.
    heavy = [
        pe
        for s in original.weeks[0].sessions
        for pe in s.exercises
        if CATALOGUE[pe.exercise].spinal_units > 3
    ]
    assert heavy, "test precondition: the original plan loads the spine"
    params = plan.rulebook.rules
    for week in plan.weeks[2:]:
        assert week.sessions
        weekly = 0
        for s in week.sessions:
            load = sum(CATALOGUE[pe.exercise].spinal_units * pe.sets for pe in s.exercises)
            weekly += load
            assert load <= params["spinal-budget"]["session"]["injured"], (week.week, s.day, load)
            for pe in s.exercises:
                assert (
                    CATALOGUE[pe.exercise].spinal_units
                    <= params["back-status"]["max_units"]["injured"]
                ), pe
        assert weekly <= params["spinal-budget"]["weekly"]["injured"]
    assert check_plan(plan) == [], strs(check_plan(plan))


# Was a package bug (fixed): re-planning re-judges loads already lifted.
# The client's back-squat 1RM is re-tested lower (140 -> 120 kg) and the plan is re-solved
# from week 3. The solver keeps weeks 1-2 as done (100 and 105 kg squats, right for the old
# 1RM) and returns a "feasible" plan, but check_loads (rules/meso.py) does not skip
# history sessions (view.is_history), unlike back-status, availability, spinal-budget and
# stable-main-lifts, so the solver's own plan fails the checker:
#   loads: back_squat 100 kg for 5-8 at RIR 3 is over 87.5 kg, week 1 mon 18:00 ...
def test_replan_after_a_lower_1rm_passes_the_checker():
    before = solved_plan(replan_client(one_rep_max_kg={"back_squat": 140}), 5)
    assert check_plan(before) == [], strs(check_plan(before))
    lower = replan_client(one_rep_max_kg={"back_squat": 120})
    res = solve(lower, weeks=5, time_limit=TIME_LIMIT, workers=1, previous=before, done_through="2")
    assert res.status in FEASIBLE, res.explanation
    assert sessions_until(res.plan, 2, "sun") == sessions_until(before, 2, "sun")
    # From week 3 on the loads follow the new 1RM (3-5 at RIR 1: 120 / 1.2 = 100 kg).
    week3 = [pe for s in res.plan.weeks[2].sessions for pe in s.exercises]
    squats = [pe for pe in week3 if pe.exercise == "back_squat"]
    assert squats and all(pe.load_kg == hand_load(120, pe.reps, pe.rir) for pe in squats)
    assert {pe.load_kg for pe in squats} == {100.0}
    violations = check_plan(res.plan)
    assert violations == [], strs(violations)


def test_replan_through_the_cli(tmp_path):
    client = write_client(tmp_path, replan_client())
    first = tmp_path / "plan.json"
    result = run_cli(
        "solve", client, "--weeks", "5", "--start-date", "2026-11-23", "--out", first, "--quiet"
    )
    assert result.exit_code == 0, result.output
    second = tmp_path / "replanned.json"
    result = run_cli(
        "solve", client, "--weeks", "5", "--start-date", "2026-11-23",
        "--from", first, "--done-through", "3:mon", "--out", second, "--quiet",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    before, after = load_plan(first), load_plan(second)
    assert after.done_through == Replan(week=3, day="mon")
    assert sessions_until(after, 3, "mon") == sessions_until(before, 3, "mon")
    assert len(after.weeks) == 5
    assert all(s.date for w in after.weeks for s in w.sessions)
    assert check_plan(after) == [], strs(check_plan(after))
    # The checker CLI agrees.
    assert run_cli("check", second).exit_code == 0


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--done-through", "0"], "--done-through"),
        (["--done-through", "two"], "--done-through"),
        (["--done-through", "2:funday"], "--done-through"),
        (["--done-through", "2:"], "--done-through"),
        (["--done-through", "6"], "--done-through"),
        ([], "--from/--done-through"),
    ],
    ids=["zero", "word", "bad-day", "no-day", "past-the-plan", "from-alone"],
)
def test_bad_done_through_is_bad_input(tmp_path, original, args, needle):
    client = write_client(tmp_path, replan_client())
    previous = tmp_path / "plan.json"
    previous.write_text(original.to_json(), encoding="utf-8")
    out = tmp_path / "out.json"
    result = run_cli(
        "solve", client, "--weeks", "5", "--from", previous, *args, "--out", out, "--quiet"
    )
    assert result.exit_code == 2, result.output
    err = result.stderr.strip()
    assert err.startswith("error:") and needle in err, err
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in result.output
    assert not out.exists()


def test_done_through_alone_is_bad_input(tmp_path):
    client = write_client(tmp_path, replan_client())
    result = run_cli("solve", client, "--done-through", "2", "--quiet")
    assert result.exit_code == 2
    assert "--from/--done-through" in result.stderr


# --------------------------------------------------------------------------- determinism


def test_same_client_seed_weeks_same_plan():
    c = replan_client()
    plans = [solve(c, weeks=4, seed=5, time_limit=TIME_LIMIT, workers=1).plan for _ in range(2)]
    assert plans[0].status in FEASIBLE
    assert stable_json(plans[0]) == stable_json(plans[1])
    # The timing fields are the only ones left out, and they are there.
    assert all(key in json.loads(plans[0].to_json()) for key in TIMING)


# Several workers: CP-SAT's interleaved search is deterministic, so two runs with the
# same seed and two workers give the same mesocycle, also when stopped at the 1% gap.
def test_two_workers_same_plan():
    c = replan_client()
    plans = [solve(c, weeks=4, seed=5, time_limit=TIME_LIMIT, workers=2).plan for _ in range(3)]
    assert plans[0].status in FEASIBLE
    assert stable_json(plans[0]) == stable_json(plans[1]) == stable_json(plans[2])
