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
    "unknown_prefer.yaml": ["prefer", "'trapbar_deadlift'", "trap_bar_deadlift"],
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
