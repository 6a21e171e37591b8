"""Rule tests (see tests/rules/helpers.py for the two kinds): spinal-budget, back-status."""

from __future__ import annotations

import pytest

from legback_solver import check_plan
from tests.crafted import (
    BACK,
    CATALOGUE,
    LEGS,
    make_client,
    rule_ids,
    slot,
)
from tests.rules.helpers import (
    assert_binds,
    base_spec,
    build_plan,
    exercises,
    flagged,
    hand_client,
    item,
    swap,
)


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


@pytest.mark.parametrize(
    ("mutate", "whats"),
    [
        # Thursday: a barbell row (6 units a set) for the one-arm row (2).
        (
            lambda spec: swap(spec, "thu", "one_arm_dumbbell_row", "barbell_row"),
            [
                "session spinal load 50 over the healthy-back cap 45",
                "weekly spinal load 96 over the healthy-back budget 90",
            ],
        ),
        # A fourth set of trap-bar deadlifts and of back squats: 39 and 47 in the
        # sessions... the back squat's 47 is over the cap too, so only Monday grows:
        # a fourth trap-bar set and a fourth leg-press set, 41 in the session, 92 a week.
        (
            lambda spec: (
                item(spec, "mon", "trap_bar_deadlift").update(sets=4),
                item(spec, "mon", "leg_press").update(sets=4),
            ),
            ["weekly spinal load 92 over the healthy-back budget 90"],
        ),
    ],
    ids=["session-and-week", "week"],
)
def test_spinal_budget_checker_flags_hand_made_plan(mutate, whats):
    c = hand_client(
        rules={"spinal-budget": {"session": {"healthy": 45}, "weekly": {"healthy": 90}}}
    )
    violations = flagged(c, mutate, "spinal-budget")
    assert [v.what for v in violations] == whats


def test_back_status_checker_flags_hand_made_plan():
    # Limit 9 units a set: the conventional deadlift (10) replaces the trap-bar one (7).
    violations = flagged(
        hand_client(rules={"back-status": {"max_units": {"healthy": 9}}}),
        lambda spec: swap(spec, "mon", "trap_bar_deadlift", "conventional_deadlift"),
        "back-status",
    )
    assert [v.what for v in violations] == [
        "conventional_deadlift loads the spine 10 units per set, over the healthy-back limit 9"
    ]


def test_back_status_checker_uses_the_clients_back_status():
    # The clean week for a client with a sensitive back (budgets raised so that only
    # the per-set threshold speaks): back squat (9) exceeds 6; the trap-bar deadlift (6,
    # issue 11: the sensitive back's spine-friendly alpha) does not.
    c = hand_client(
        back_status="sensitive",
        rules={"spinal-budget": {"session": {"sensitive": 70}, "weekly": {"sensitive": 180}}},
    )
    violations = check_plan(build_plan(c, base_spec()))
    assert rule_ids(violations) == {"back-status"}, [str(v) for v in violations]
    assert sorted(v.what.split()[0] for v in violations) == ["back_squat"]
