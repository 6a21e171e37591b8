"""Rule tests (see tests/rules/helpers.py for the two kinds): one-alpha, alpha-alternation, after-heavy-hinge."""

from __future__ import annotations

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
    new_item,
    session,
    swap,
)


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


def test_alpha_alternation_binds_for_a_priority_client(solved):
    # A legs-priority client who prefers the trap-bar deadlift: without the rule both
    # combined days open back-first; with it the back (not the priority side) never
    # opens two in a row.
    c = make_client(
        [slot("mon"), slot("thu")],
        only=["trap_bar_deadlift", "back_squat", *LEGS, *BACK],
        prefer=("trap_bar_deadlift",),
        priority="legs",
    )
    on, off = assert_binds(solved, "alpha-alternation", c)
    assert [s.focus for s in off.weeks[0].sessions] == ["combined", "combined"]
    assert [s.exercises[0].exercise for s in off.weeks[0].sessions] == ["trap_bar_deadlift"] * 2


def test_the_priority_side_may_open_twice_in_a_row():
    # Monday opens with a front squat as Thursday does with the back squat: leg-first
    # twice, which a legs-priority client may do (002 "Legs First ... if leg development
    # is the primary goal") and a balanced or back-priority client may not.
    def legs_twice(spec):
        swap(spec, "mon", "trap_bar_deadlift", "front_squat")

    for priority, flags in (("legs", False), ("balanced", True), ("back", True)):
        c = hand_client(priority=priority, rules={"goal-fit": {"kind": "off"}})
        spec = base_spec()
        legs_twice(spec)
        got = {v.rule for v in check_plan(build_plan(c, spec))}
        assert ("alpha-alternation" in got) == flags, (priority, got)
    off = hand_client(
        priority="legs",
        rules={"goal-fit": {"kind": "off"}, "alpha-alternation": {"priority_repeats": False}},
    )
    spec = base_spec()
    legs_twice(spec)
    assert "alpha-alternation" in {v.rule for v in check_plan(build_plan(off, spec))}


def test_after_heavy_hinge_binds(solved):
    # A bent-over barbell row (unsupported) after the trap-bar deadlift (heavy hinge).
    c = make_client(
        [slot("mon")],
        only=["trap_bar_deadlift", "barbell_row", *LEGS, "face_pull", "straight_arm_pulldown"],
        prefer=("trap_bar_deadlift", "barbell_row"),
    )
    on, off = assert_binds(solved, "after-heavy-hinge", c)
    assert {"trap_bar_deadlift", "barbell_row"} <= set(exercises(off)[0])


def test_one_alpha_checker_flags_hand_made_plan():
    # Thursday gets a trap-bar deadlift after the back squat: two max-effort lifts.
    violations = flagged(
        hand_client(),
        lambda spec: session(spec, "thu")["exercises"].insert(1, new_item("trap_bar_deadlift", 3)),
        "one-alpha",
    )
    assert [v.what for v in violations] == ["2 max-effort lifts (back_squat, trap_bar_deadlift)"]


def test_alpha_alternation_checker_flags_hand_made_plan():
    # Thursday opens with the trap-bar deadlift too: back-first twice in a row.
    violations = flagged(
        hand_client(),
        lambda spec: swap(spec, "thu", "back_squat", "trap_bar_deadlift"),
        "alpha-alternation",
    )
    assert [str(v) for v in violations] == [
        "alpha-alternation: consecutive combined sessions both start back-first, "
        "week 1 mon 18:00 and week 1 thu 18:00"
    ]


def test_after_heavy_hinge_checker_flags_hand_made_plan():
    # A bent-over barbell row after Monday's trap-bar deadlift.
    violations = flagged(
        hand_client(),
        lambda spec: swap(spec, "mon", "chest_supported_row", "barbell_row"),
        "after-heavy-hinge",
    )
    assert [v.what for v in violations] == ["barbell_row (unsupported row) after trap_bar_deadlift"]


def test_after_heavy_hinge_checker_reads_the_order():
    # The same row done before the hinge breaks nothing (with compound-first off, so
    # that the row may come before the primary lift).
    c = hand_client(rules={"compound-first": {"kind": "off"}})
    spec = base_spec()
    swap(spec, "mon", "chest_supported_row", "barbell_row")
    assert rule_ids(check_plan(build_plan(c, spec))) == {"after-heavy-hinge"}
    item(spec, "mon", "barbell_row")["order"] = 1
    item(spec, "mon", "trap_bar_deadlift")["order"] = 3
    assert check_plan(build_plan(c, spec)) == []
