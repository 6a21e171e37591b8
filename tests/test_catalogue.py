from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from legback_solver.catalogue import catalogue_by_id, load_catalogue
from legback_solver.cli import main

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def test_catalogue_size_and_ids():
    cat = load_catalogue()
    assert len(cat) >= 40
    assert len({ex.id for ex in cat}) == len(cat)


def test_every_spec_exercise_is_there():
    ids = set(catalogue_by_id())
    for needed in [
        "conventional_deadlift", "sumo_deadlift", "trap_bar_deadlift", "romanian_deadlift",
        "good_morning", "farmers_walk", "back_squat", "front_squat", "goblet_squat",
        "leg_press", "bulgarian_split_squat", "lat_pulldown", "pendlay_row", "barbell_row",
        "chest_supported_row", "face_pull", "leg_extension", "glute_ham_raise",
        "back_extension", "reverse_hyper", "straight_arm_pulldown", "kettlebell_swing",
        "suitcase_deadlift", "sumo_high_pull", "plank_up_down", "renegade_row", "superman",
        "windmill_skater",
    ]:  # fmt: skip
        assert needed in ids, needed


def test_spinal_order_matches_the_seeds():
    c = catalogue_by_id()
    assert c["conventional_deadlift"].spinal_units > c["trap_bar_deadlift"].spinal_units
    assert c["back_squat"].spinal_units > c["leg_press"].spinal_units
    assert c["back_squat"].spinal_units > c["front_squat"].spinal_units
    assert c["barbell_row"].spinal_units > c["chest_supported_row"].spinal_units


def test_flags_are_consistent():
    for ex in load_catalogue():
        # alpha_side names the side of every alpha-eligible lift (max-effort or entry).
        assert (ex.alpha_side != "") == ex.alpha, ex.id
        if ex.max_effort:
            assert ex.alpha and ex.demand >= 8, ex.id
        if ex.max_effort or ex.heavy_hinge:
            assert ex.back_loading, ex.id
        if ex.max_effort:
            assert ex.tier == "primary", ex.id
        if ex.strappable:
            assert ex.grip_limited, ex.id
        assert set(ex.reps) == {"strength", "hypertrophy", "endurance", "general"}
        assert not set(ex.primary) & set(ex.secondary), ex.id


def test_sources_are_seed_files():
    names = {p.name for p in SEEDS.glob("*.txt")} if SEEDS.is_dir() else None
    for ex in load_catalogue():
        assert ex.source, ex.id
        if names:
            assert set(ex.source) <= names, (ex.id, ex.source)


def test_exercises_cli_json():
    result = CliRunner().invoke(main, ["exercises", "--format", "json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert len(rows) == len(load_catalogue())
    assert {"id", "spinal_units", "grip_demand", "back_loading", "tier"} <= set(rows[0])


def test_rules_cli_json():
    result = CliRunner().invoke(main, ["rules", "--rulebook", "bad-back", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["rules"]["back-loading-gap"]["hours"] == 72
    assert data["rules"]["back-loading-gap"]["source"]


# --------------------------------------------------------------------------- names


def test_aliases_and_ids_are_unique_after_normalisation():
    from legback_solver.catalogue import exercise_names, normalise_name

    owner: dict[str, str] = {}
    for ex in load_catalogue():
        assert ex.aliases, f"{ex.id} has no aliases"
        for text in exercise_names(ex):
            key = normalise_name(text)
            assert key, (ex.id, text)
            assert owner.setdefault(key, ex.id) == ex.id, (text, ex.id, owner[key])


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("deadlift", "conventional_deadlift"),
        ("squat", "back_squat"),
        ("RDL", "romanian_deadlift"),
        ("chin-up", "pull_up"),
        ("Pull up", "pull_up"),
        ("pull-up", "pull_up"),
        ("Pendlay row", "pendlay_row"),
        ("Back_Squat", "back_squat"),
        ("trap bar deadlift", "trap_bar_deadlift"),
        ("Farmer's walk", "farmers_walk"),
        ("Romanian deadlift (RDL)", "romanian_deadlift"),
    ],
)
def test_names_coaches_type_resolve(typed, expected):
    from legback_solver.catalogue import resolve_exercise

    assert resolve_exercise(typed) == expected


def test_suggestions_rank_aliases_and_names():
    from legback_solver.catalogue import resolve_exercise, suggest_exercises, unknown_exercise

    assert resolve_exercise("deadlfit") is None
    assert suggest_exercises("deadlfit")[0] == "conventional_deadlift"
    assert suggest_exercises("sqaut")[0] == "back_squat"
    assert suggest_exercises("romanain")[0] == "romanian_deadlift"
    assert suggest_exercises("zzzz") == []
    msg = unknown_exercise("deadlfit")
    assert msg.startswith(
        "'deadlfit' is not a catalogue exercise (did you mean 'conventional_deadlift'"
    )
    assert "… (202 characters)" in unknown_exercise("x" * 200)


def test_exercise_ref_names_exercises_in_rule_parameters():
    from pydantic import BaseModel, ValidationError

    from legback_solver.catalogue import ExerciseRef

    class Spec(BaseModel):
        lifts: list[ExerciseRef] = []

    assert Spec(lifts=["RDL", "squat"]).lifts == ["romanian_deadlift", "back_squat"]
    with pytest.raises(ValidationError, match="conventional_deadlift"):
        Spec(lifts=["deadlfit"])


def test_demand_follows_tier_and_drills_have_no_demand():
    # demand orders a session; its bands never cross tiers, so demand order is also
    # compound-first order (SPEC §3a demand-order).
    bands = {"primary": (8, 10), "secondary": (4, 7), "accessory": (2, 3), "isolation": (0, 1)}
    for ex in load_catalogue():
        lo, hi = bands[ex.tier]
        assert lo <= ex.demand <= hi, ex.id
        assert ex.job, ex.id
        assert (ex.demand == 0) == ex.is_drill, ex.id


def test_issue_11_catalogue_corrections():
    c = catalogue_by_id()
    assert c["front_squat"].max_effort and c["front_squat"].alpha_side == "legs"
    # a sensitive back (limit 6) keeps a max-effort alpha on each side
    assert c["trap_bar_deadlift"].spinal_units <= 6 and c["front_squat"].spinal_units <= 6
    assert c["farmers_walk"].back_loading
    assert c["back_extension"].equipment == ("machine",)
    assert c["dumbbell_rdl"].skill == "beginner" and c["dumbbell_rdl"].alpha
    assert c["bench_back_extension"].equipment == ("bench",)
    for drill in ("mcgill_bird_dog", "mcgill_side_bridge", "mcgill_curl_up", "superman"):
        assert c[drill].drill == "warm_up", drill
    assert c["decompression_hang"].drill == "cool_down"
    assert c["decompression_hang"].dose == "seconds"
    assert c["seated_leg_curl"].job == c["lying_leg_curl"].job
    assert c["lat_pulldown"].job == c["weighted_pull_up"].job
    assert c["leg_press"].job == c["goblet_squat"].job
    assert c["leg_press"].tier == c["goblet_squat"].tier
