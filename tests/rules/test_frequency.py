"""Rule tests (see tests/rules/helpers.py for the two kinds): light-third-session; the
frequency reward and rest days are tested in tests/test_feasibility.py."""

from __future__ import annotations

from tests.crafted import BACK, LEGS, make_client, slot
from tests.rules.helpers import assert_binds, flagged, hand_client, item, session


def test_light_third_session_binds(solved):
    # Three slots 48 h apart and a heavy back squat wanted in every session: with the
    # rule, at most two sessions hold it (003 "three times a week ... overtraining").
    c = make_client(
        [slot("mon"), slot("wed"), slot("fri")],
        only=[*LEGS, *BACK, "back_squat"],
        prefer=("back_squat",),
    )
    on, off = assert_binds(solved, "light-third-session", c)
    squats = [sum(pe.exercise == "back_squat" for pe in s.exercises) for s in on.weeks[0].sessions]
    assert sum(squats) <= 2


def test_light_third_session_checker_flags_hand_made_plan():
    # Monday (trap-bar deadlift) and Thursday (back squat) are heavy; Saturday's back
    # session is light at 10 sets (light_sets 10) until a fourth face-pull set.
    c = hand_client(
        rules={"light-third-session": {"light_sets": 10}},
        availability=[slot("mon"), slot("wed"), slot("thu"), slot("sat", "10:00", 60)],
    )

    def longer_saturday(spec):
        session(spec, "sat")["minutes"] = 60

    violations = flagged(
        c,
        lambda spec: item(spec, "sat", "face_pull").update(sets=3),
        "light-third-session",
        prepare=longer_saturday,
    )
    assert [v.where for v in violations] == ["week 1"]
