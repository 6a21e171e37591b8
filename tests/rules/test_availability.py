"""Rule tests (see tests/rules/helpers.py for the two kinds): availability."""

from __future__ import annotations

import pytest

from legback_solver import check_plan
from tests.crafted import (
    make_client,
    slot,
)
from tests.rules.helpers import (
    _above_skill,
    _excluded,
    _missing_equipment,
    _session_longer_than_slot,
    _session_off_slot,
    assert_binds,
    exercises,
    flagged,
    hand_client,
)


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


@pytest.mark.parametrize(
    ("mutate", "what"),
    [
        (_session_longer_than_slot, "session booked for 40 min, slot has 30"),
        (_session_off_slot, "session outside the client's slots"),
        (_missing_equipment, "glute_ham_raise needs ghd"),
        (_excluded, "good_morning excluded by the client"),
        (_above_skill, "pendlay_row is advanced-level, the client is intermediate"),
    ],
)
def test_availability_checker_flags_hand_made_plan(mutate, what):
    violations = flagged(hand_client(), mutate, "availability")
    assert [v.what for v in violations] == [what]
