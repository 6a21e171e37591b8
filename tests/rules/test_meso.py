"""Mesocycle rules (legback_solver/rules/meso.py): the seven mesocycle rules bind, their
checkers catch hand-made breaches, their parameters are validated (other mesocycle
concerns: tests/test_meso_*.py, tests/test_replan.py).

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
from collections.abc import Callable
from typing import Any

import pytest

from legback_solver import check_plan
from legback_solver.data import make_data
from legback_solver.errors import InputError
from legback_solver.io import parse_client
from legback_solver.loads import load_for
from legback_solver.models import Client, Plan
from legback_solver.schedule import reps_for
from tests.crafted import (
    BACK,
    CATALOGUE,
    LEGS,
    rule_ids,
    slot,
    switched_off,
)
from tests.meso_helpers import (
    MAIN,
    MESO_RULES,
    assert_flagged_only,
    assert_off_plan,
    edited,
    find,
    halfsets,
    items,
    lifts,
    make_client,
    phases,
    solved_plan,
    squat_client,
    strs,
    top_reps,
    total_sets,
    under,
)


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
        # sessions 0: the week-1 cap is 60% of the target, no floor for two sessions
        rules={"volume-progression": {"max_step": 1}, "beginner-volume": {"sessions": 0}},
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
    # One set fewer of one exercise in week 2 (still inside its tier's set range), in
    # the solved plan or, where its week 2 rises above week 1, with week 2's set counts
    # first set back to week 1's (the weeks share one selection). The plan is one of
    # many within the 1% gap, so the edit is looked for rather than assumed.
    shape = base.rulebook.rules["session-shape"]

    def candidates():
        data = json.loads(base.to_json())
        for flat in (False, True):
            for k, (_sess, pe) in enumerate(items(data, 1)):
                ex = CATALOGUE[pe["exercise"]]
                lo = (shape["sets_main"] if ex.tier in MAIN else shape["sets_accessory"])[0]
                week1 = [q["sets"] for _s, q in items(data, 0)]
                if (week1[k] if flat else pe["sets"]) > lo:
                    yield flat, k, pe["exercise"]

    def editor(flat, k):
        def edit(d):
            week1 = [q["sets"] for _s, q in items(d, 0)]
            for j, (_s, pe) in enumerate(items(d, 1)):
                if flat:
                    pe["sets"] = week1[j]
                if j == k:
                    pe["sets"] -= 1

        return edit

    for flat, k, ex in candidates():
        violations = check_plan(edited(base, editor(flat, k)))
        if rule_ids(violations) != {"volume-progression"}:
            continue
        if {v.where for v in violations} != {"week 2"}:  # week 3 now rises too far
            continue
        dropped = {v.what.split()[0] for v in violations}
        if dropped == set(CATALOGUE[ex].primary) | set(CATALOGUE[ex].secondary):
            assert all("drops" in v.what for v in violations)
            return
    raise AssertionError("no one-set edit of week 2 breaks volume-progression alone")


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
    assert all(v.where.startswith(where) for v in violations if needle in v.what), strs(violations)


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


def test_stable_main_lifts_flags_a_slot_left_empty_one_week(base):
    # The encoder ties every stable lift of a slot over the open weeks, so a slot held in
    # week 1 and left empty in week 2 breaks the rule in the checker too (issue 10).
    day = base.weeks[0].sessions[0].day

    def edit(d):
        d["weeks"][1]["sessions"] = [s for s in d["weeks"][1]["sessions"] if s["day"] != day]

    violations = check_plan(edited(base, edit))
    stable = [v for v in violations if v.rule == "stable-main-lifts"]
    assert [v.where for v in stable] == [f"week 2 {day} {base.weeks[0].sessions[0].start}"]


def test_intensity_waves_reads_first_and_rep_shift(base):
    # The checker used to ignore `first` and `rep_shift` (issue 10): the same plan judged
    # under heavy-first waves, or a different shift, breaks the rule.
    for change in ({"first": "heavy"}, {"rep_shift": [1, 1]}):

        def edit(d, change=change):
            d["rulebook"]["rules"]["intensity-waves"].update(change)

        violations = check_plan(edited(base, edit))
        assert {v.rule for v in violations} == {"intensity-waves"}, (change, strs(violations))
