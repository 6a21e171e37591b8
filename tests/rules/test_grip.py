"""Rule tests (see tests/rules/helpers.py for the two kinds): grip-order."""

from __future__ import annotations

import pytest

from legback_solver import check_plan
from tests.crafted import (
    BACK,
    GYM,
    LEGS,
    make_client,
    rule_ids,
    slot,
)
from tests.rules.helpers import (
    _grip_fatigue,
    _straps_without_straps,
    assert_binds,
    base_spec,
    build_plan,
    flagged,
    hand_client,
    item,
)


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


@pytest.mark.parametrize(
    ("mutate", "what"),
    [
        (
            _straps_without_straps,
            "chest_supported_row done with straps but the client has no straps",
        ),
        (
            _grip_fatigue,
            "chest_supported_row starts with grip fatigue 15 over capacity 14 (no straps)",
        ),
    ],
)
def test_grip_order_checker_flags_hand_made_plan(mutate, what):
    violations = flagged(hand_client(), mutate, "grip-order")
    assert [v.what for v in violations] == [what]


def test_grip_order_straps_rescue_and_strappable():
    c = hand_client(equipment=[*GYM, "straps"])
    spec = base_spec()
    _grip_fatigue(spec)
    assert rule_ids(check_plan(build_plan(c, spec))) == {"grip-order"}
    # Straps on the grip-limited row lift the limit ...
    item(spec, "mon", "chest_supported_row")["straps"] = True
    assert check_plan(build_plan(c, spec)) == []
    # ... but an exercise that can't be strapped can't have them.
    item(spec, "mon", "leg_extension")["straps"] = True
    violations = check_plan(build_plan(c, spec))
    assert [str(v) for v in violations] == [
        "grip-order: leg_extension done with straps but it is not strappable, week 1 mon 18:00"
    ]
