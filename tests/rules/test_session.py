"""Rule tests (see tests/rules/helpers.py for the two kinds): session-shape, compound-first, session-time."""

from __future__ import annotations

import pytest

from tests.crafted import (
    BACK,
    CATALOGUE,
    LEGS,
    make_client,
    slot,
)
from tests.rules.helpers import (
    _isolation_before_compound,
    _mislabelled,
    _shared_order,
    _too_few_exercises,
    _too_many_sets,
    assert_binds,
    base_spec,
    exercises,
    expected_minutes,
    flagged,
    hand_client,
    item,
    session,
)


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


def test_session_time_binds(solved):
    # A 30-minute slot, 10 of them warm-up.
    c = make_client([slot("mon", minutes=30)], only=[*LEGS, *BACK])
    assert_binds(solved, "session-time", c)


@pytest.mark.parametrize(
    ("mutate", "what"),
    [
        (_too_many_sets, "leg_press has 5 sets (secondary range 3-4)"),
        (_too_few_exercises, "3 exercises (range 4-6)"),
        (_mislabelled, "labelled legs but is back"),
    ],
)
def test_session_shape_checker_flags_hand_made_plan(mutate, what):
    violations = flagged(hand_client(), mutate, "session-shape")
    assert [v.what for v in violations] == [what]


@pytest.mark.parametrize(
    ("mutate", "what"),
    [
        (
            _isolation_before_compound,
            "chest_supported_row (secondary) comes after leg_extension (isolation)",
        ),
        (_shared_order, "two exercises share an order number"),
    ],
)
def test_compound_first_checker_flags_hand_made_plan(mutate, what):
    violations = flagged(hand_client(), mutate, "compound-first")
    assert [v.what for v in violations] == [what]


@pytest.mark.parametrize(
    ("mutate", "slot_minutes"),
    [
        # A third set of straight-arm pulldowns.
        (lambda spec: item(spec, "sat", "straight_arm_pulldown").update(sets=3), 30),
        # The coach books 20 of the slot's 30 minutes for the same work.
        (lambda spec: session(spec, "sat").update(minutes=20), 20),
        # Longer sets: the plan's own rep range counts.
        (lambda spec: item(spec, "sat", "face_pull").update(reps="40-50"), 30),
    ],
    ids=["more-sets", "shorter-booking", "longer-reps"],
)
def test_session_time_checker_flags_hand_made_plan(mutate, slot_minutes):
    c = hand_client()
    violations = flagged(c, mutate, "session-time")
    spec = base_spec()
    assert expected_minutes(c, spec, "sat") <= 30
    mutate(spec)
    need = expected_minutes(c, spec, "sat")
    assert need > slot_minutes
    assert [v.what for v in violations] == [
        f"needs about {need:.1f} min but the slot has {slot_minutes}"
    ]
    assert [v.where for v in violations] == ["week 1 sat 10:00"]
