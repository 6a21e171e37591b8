"""Rule tests (see tests/rules/helpers.py for the two kinds): muscle-sets, beginner-volume."""

from __future__ import annotations

from legback_solver import check_plan
from tests.crafted import (
    BACK,
    LEGS,
    make_client,
    rule_ids,
    slot,
)
from tests.rules.helpers import (
    _more_quads,
    assert_binds,
    beginner,
    build_plan,
    exercises,
    flagged,
    hand_client,
    item,
    session,
)


def test_muscle_sets_binds(solved):
    # At most 4 weekly quad sets; the stimulus objective wants more.
    c = make_client(
        [slot("mon")],
        only=[*LEGS, *BACK],
        rules={"muscle-sets": {"ranges": {"quads": [0, 4]}}},
    )
    assert_binds(solved, "muscle-sets", c)


def test_muscle_sets_binds_minimum(solved):
    # The minimum side: bench back extensions are the only erector work on offer and the client
    # dislikes them (avoid), yet at least 3 weekly erector sets force them in.
    c = make_client(
        [slot("mon", minutes=60)],
        only=[*LEGS, *BACK, "bench_back_extension"],
        avoid=["bench_back_extension"],
        rules={"muscle-sets": {"ranges": {"erectors": [3, 12]}}},
    )
    on, off = assert_binds(solved, "muscle-sets", c, key="muscle-sets/minimum")
    assert "bench_back_extension" in exercises(on)[0]
    assert "bench_back_extension" not in exercises(off)[0]


def test_beginner_volume_binds(solved):
    # A beginner's first week: at most 60% of the intermediate target per muscle,
    # below the beginner's own muscle-sets maximum (70% of it). One session: the cap's
    # floor is what one minimum session forces (`sessions: 1`, 6 sets), not two.
    c = make_client(
        [slot("mon", minutes=150)],
        only=[*LEGS, "windmill_skater", *BACK],
        experience="beginner",
        rules={"beginner-volume": {"sessions": 1}},
    )
    assert_binds(solved, "beginner-volume", c)


def test_muscle_sets_checker_flags_hand_made_plan():
    # Without Saturday's back session the lats fall to 6 weekly sets (minimum 8).
    # (min_cap off: the default cap of 4 sets would lift the lats minimum of 8)
    violations = flagged(
        hand_client(rules={"muscle-sets": {"min_cap": 100}}),
        lambda spec: spec.remove(session(spec, "sat")),
        "muscle-sets",
    )
    assert [v.what for v in violations] == ["lats gets 6 weekly sets (range 8-18)"]


def test_muscle_sets_checker_flags_too_many_sets():
    # A quad maximum of 12 weekly sets, reached exactly; a fourth leg-press set exceeds it.
    c = hand_client(rules={"muscle-sets": {"ranges": {"quads": [8, 12]}, "min_cap": 100}})
    violations = flagged(
        c, lambda spec: item(spec, "mon", "leg_press").update(sets=4), "muscle-sets"
    )
    assert [v.what for v in violations] == ["quads gets 13 weekly sets (range 8-12)"]


def test_beginner_volume_checker_flags_hand_made_plan():
    c, spec = beginner()
    clean = check_plan(build_plan(c, spec))
    assert clean == [], [str(v) for v in clean]
    _more_quads(spec)
    violations = check_plan(build_plan(c, spec))
    assert rule_ids(violations) == {"beginner-volume"}, [str(v) for v in violations]
    # (with the bench back extension in place of the superman, now a drill with no hard
    # sets, glutes sit at their cap too and the extra leg-press set tips them over)
    assert [v.what.split()[0] for v in violations] == ["quads", "glutes"]
    assert violations[0].where == "week 1"


def test_beginner_volume_checker_ignores_other_levels():
    # The same extra volume for an intermediate client is no beginner-volume matter.
    c, spec = beginner()
    _more_quads(spec)
    plan = build_plan(c, spec)
    intermediate = c.model_copy(update={"experience": "intermediate"})
    assert "beginner-volume" not in rule_ids(check_plan(plan, client=intermediate))
