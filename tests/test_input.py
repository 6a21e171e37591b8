"""Malformed client files: exit 2, one clear paragraph naming the field, no traceback,
no output file left behind."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from legback_solver.cli import main
from legback_solver.errors import InputError
from legback_solver.io import load_client

from .conftest import DATA

BAD = DATA / "bad"

CASES = {
    "unknown_weekday.yaml": ["availability[0].day", "weekday"],
    "bad_time.yaml": ["availability[0].start", "'25:00'", "HH:MM"],
    "negative_minutes.yaml": ["availability[0].minutes", "-30"],
    "empty_availability.yaml": ["availability", "at least one"],
    "not_yaml.yaml": ["not valid YAML"],
    "unknown_rule.yaml": ["'back-loading-gapp' is not a rule id"],
    "unknown_param.yaml": ["back-loading-gap.hourz", "not a parameter", "hours"],
    "unknown_prefer.yaml": ["prefer", "'trapbar_dedlift'", "trap_bar_deadlift"],
    "unknown_exclude.yaml": ["exclude", "'zercher_squat'"],
    "not_a_mapping.json": ["mapping"],
    "unknown_field.toml": ["experiance", "not a known field"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_client_exits_2_with_one_paragraph(name, tmp_path):
    out = tmp_path / "plan.json"
    result = CliRunner().invoke(main, ["solve", str(BAD / name), "--out", str(out)])
    assert result.exit_code == 2, result.output
    message = result.stderr if hasattr(result, "stderr") else result.output
    assert message.startswith("error: ")
    assert "Traceback" not in result.output
    assert message.strip().count("\n") == 0, "one paragraph"
    for needle in CASES[name]:
        assert needle in message, (needle, message)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_missing_file_is_bad_input():
    with pytest.raises(InputError, match="file not found"):
        load_client(BAD / "does_not_exist.yaml")


def test_example_client_loads(example_path):
    c = load_client(example_path)
    assert [s.day for s in c.slots()] == ["mon", "wed", "fri", "sat"]
    assert c.availability[1].start == "07:00"


def test_time_is_normalised_and_day_names_accepted():
    from legback_solver.io import parse_client

    c = parse_client(
        {"name": "x", "availability": [{"day": "Monday", "start": "7:05", "minutes": 45}]}
    )
    assert (c.availability[0].day, c.availability[0].start) == ("mon", "07:05")


def test_check_bad_plan_is_exit_2(tmp_path):
    bad = tmp_path / "plan.json"
    bad.write_text('{"schema": "legback.plan/1", "client": "x"}')
    result = CliRunner().invoke(main, ["check", str(bad)])
    assert result.exit_code == 2
    assert "rulebook" in result.output and "missing" in result.output


# --------------------------------------------------------------------------- names


def test_aliases_in_every_client_field_become_ids():
    from legback_solver.io import parse_client

    c = parse_client(
        {
            "name": "A",
            "availability": [{"day": "mon", "start": "18:00", "minutes": 60}],
            "prefer": ["Trap-bar deadlift", "RDL"],
            "exclude": ["good mornings"],
            "avoid": ["chin-up", "pull_up"],
            "one_rep_max_kg": {"deadlift": 180, "Squat": 140},
            "recent_sets": {"Pendlay row": {"kg": 80, "reps": 5}},
        }
    )
    assert c.prefer == ["trap_bar_deadlift", "romanian_deadlift"]
    assert c.exclude == ["good_morning"]
    assert c.avoid == ["pull_up"]
    assert c.one_rep_max_kg == {"conventional_deadlift": 180, "back_squat": 140}
    assert list(c.recent_sets) == ["pendlay_row"]


def test_two_names_for_one_exercise_is_bad_input():
    from legback_solver.io import parse_client

    with pytest.raises(
        InputError,
        match=r"one_rep_max_kg: 'deadlift' and 'conventional_deadlift' both name conventional_deadlift",
    ):
        parse_client(
            {
                "name": "A",
                "availability": [{"day": "mon", "start": "18:00", "minutes": 60}],
                "one_rep_max_kg": {"deadlift": 180, "conventional_deadlift": 170},
            }
        )


def test_aliases_in_roster_columns():
    from legback_solver.io import parse_client
    from legback_solver.roster import row_to_mapping

    row = {
        "name": "Jo",
        "availability": "mon 18:00 60; thu 18:00 60",
        "prefer": "RDL; squat",
        "exclude": "good morning",
        "one_rep_max_kg": "deadlift=180; squat=140",
        "recent_sets": "Pendlay row=80x5",
    }
    c = parse_client(row_to_mapping(row))
    assert c.prefer == ["romanian_deadlift", "back_squat"]
    assert c.exclude == ["good_morning"]
    assert set(c.one_rep_max_kg) == {"conventional_deadlift", "back_squat"}
    assert list(c.recent_sets) == ["pendlay_row"]


def test_unknown_exercise_suggests_by_alias(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(
        "name: A\navailability: [{day: mon, start: '18:00', minutes: 60}]\n"
        "one_rep_max_kg: {deadlfit: 180}\n"
    )
    result = CliRunner().invoke(main, ["solve", str(path), "--weeks", "1"])
    assert result.exit_code == 2
    assert (
        "one_rep_max_kg: 'deadlfit' is not a catalogue exercise (did you mean 'conventional_deadlift'"
        in result.output
    )


def test_spec_example_client_solves_as_written(tmp_path):
    import json

    out = tmp_path / "plan.json"
    result = CliRunner().invoke(
        main, ["solve", str(DATA / "spec_client.yaml"), "--out", str(out), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    plan = json.loads(out.read_text())
    assert plan["client_profile"]["one_rep_max_kg"] == {
        "back_squat": 140,
        "conventional_deadlift": 180,
    }
    ids = {e["exercise"] for w in plan["weeks"] for s in w["sessions"] for e in s["exercises"]}
    assert "deadlift" not in ids and "squat" not in ids
    assert CliRunner().invoke(main, ["check", str(out)]).exit_code == 0


def test_hand_written_plan_may_use_aliases():
    from legback_solver.models import PlanExercise

    pe = PlanExercise(order=1, exercise="RDL", sets=3, reps="6-10", rir=2)
    assert pe.exercise == "romanian_deadlift"


# --------------------------------------------------------------------------- messages


@pytest.mark.parametrize(
    ("override", "needles"),
    [
        (
            {
                "availability": [
                    {"day": "mon", "start": "18:00", "minutes": 60},
                    {"day": "funday", "start": "18:00", "minutes": 60},
                ]
            },
            ["availability[1].day: 'funday' is not a weekday (use mon"],
        ),
        (
            {"availability": [{"day": "mon", "start": "18:00", "minutes": "lots"}]},
            ["availability[0].minutes: 'lots' is not a whole number"],
        ),
        ({"goal": "x" * 300}, ["goal: 'xxxx", "… (302 characters) is not allowed", "'strength'"]),
        (
            {"experiance": "beginner"},
            ["experiance: is not a known field (did you mean 'experience'?)"],
        ),
        ({"prefer": "RDL"}, ["prefer: 'RDL' is not a list"]),
        (
            {"one_rep_max_kg": {"back_squat": "heavy"}},
            ["one_rep_max_kg.back_squat: 'heavy' is not a number"],
        ),
        (
            {"rules": {"back-loading-gap": {"hours": "many"}}},
            ["back-loading-gap.hours: 'many' is not a number"],
        ),
    ],
)
def test_messages_name_field_value_and_fix(override, needles):
    from legback_solver.data import make_data
    from legback_solver.io import parse_client

    data = {"name": "A", "availability": [{"day": "mon", "start": "18:00", "minutes": 60}]}
    data.update(override)
    with pytest.raises(InputError) as info:
        make_data(parse_client(data))
    message = str(info.value)
    for needle in needles:
        assert needle in message, (needle, message)
    assert len(message) < 400, "long values are shortened"
