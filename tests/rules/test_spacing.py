"""Rule tests (see tests/rules/helpers.py for the two kinds): back-loading-gap, combined-days-max, combined-days-gap."""

from __future__ import annotations

from tests.crafted import (
    BACK,
    CATALOGUE,
    LEGS,
    make_client,
    slot,
)
from tests.rules.helpers import assert_binds, exercises, flagged, hand_client, session, swap


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


def test_back_loading_gap_checker_flags_hand_made_plan():
    # Saturday gets a T-bar row (back-loading): 40 h after Thursday 18:00.
    violations = flagged(
        hand_client(),
        lambda spec: swap(spec, "sat", "seated_cable_row", "t_bar_row"),
        "back-loading-gap",
    )
    assert [v.where for v in violations] == ["week 1 thu 18:00 and week 1 sat 10:00"]
    assert violations[0].what == "back-loading sessions 40 h apart (need 48 h)"


def test_back_loading_gap_checker_wraps_the_week():
    # The back session on Sunday 18:00; a T-bar row there is 24 h before Monday 18:00
    # of the repeating week (and 72 h after Thursday).
    c = hand_client(availability=[slot("mon"), slot("thu"), slot("sun", minutes=30)])

    def to_sunday(spec):
        session(spec, "sat").update(day="sun", start="18:00")

    def mutate(spec):
        swap(spec, "sun", "seated_cable_row", "t_bar_row")

    violations = flagged(c, mutate, "back-loading-gap", prepare=to_sunday)
    assert [v.where for v in violations] == ["week 1 mon 18:00 and week 1 sun 18:00"]
    assert violations[0].what == "back-loading sessions 24 h apart (need 48 h)"


def test_combined_days_max_checker_flags_hand_made_plan():
    # With one free day enough between combined days, a leg isolation on Saturday makes
    # a third combined session.
    violations = flagged(
        hand_client(rules={"combined-days-gap": {"days": 1}}),
        lambda spec: swap(spec, "sat", "straight_arm_pulldown", "leg_extension"),
        "combined-days-max",
    )
    assert [v.what for v in violations] == ["3 combined sessions (at most 2)"]


def test_combined_days_gap_checker_flags_hand_made_plan():
    # Thursday's combined session moves to Wednesday: only Tuesday is free after Monday
    # (still 48 h apart, so the back-loading gap holds).
    violations = flagged(
        hand_client(), lambda spec: session(spec, "thu").update(day="wed"), "combined-days-gap"
    )
    assert [str(v) for v in violations] == [
        "combined-days-gap: 1 free day(s) between combined sessions (need 2), "
        "week 1 mon 18:00 to week 1 wed 18:00"
    ]
