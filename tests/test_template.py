"""`legback new`: a commented client template, filled in from prompts; what it writes
solves."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from legback_solver.cli import main
from legback_solver.errors import InputError
from legback_solver.io import load_client
from legback_solver.template import client_template, new_client, parse_slots


def _solves(path) -> None:
    r = CliRunner().invoke(main, ["solve", str(path), "--weeks", "1", "--quiet"])
    assert r.exit_code == 0, r.output


def test_template_is_commented_and_solves(tmp_path):
    path = tmp_path / "new.yaml"
    r = CliRunner().invoke(main, ["new", str(path), "--no-prompt"])
    assert r.exit_code == 0, r.output
    text = path.read_text()
    assert "# beginner | intermediate | advanced" in text
    assert "# kg | lb" in text and "# one_rep_max_kg:" in text
    assert load_client(path).name == "New Client"
    _solves(path)


def test_prompts_validate_as_they_go_and_the_file_solves(tmp_path):
    path = tmp_path / "dana.yaml"
    answers = [
        "",  # an empty name is asked again
        "Dana O'Neil",
        "expert",  # not an experience level: asked again
        "advanced",
        "strength",
        "healthy",
        "back",
        "lb",
        "barbel bench",  # unknown equipment: asked again
        "barbell dumbbell cable machine pullup_bar bench trap_bar",
        "funday 18:00 60",  # not a weekday: asked again
        "mon 18:00 75; thu 07:00 70",
    ]
    r = CliRunner().invoke(main, ["new", str(path), "--prompt"], input="\n".join(answers) + "\n")
    assert r.exit_code == 0, r.output
    assert "'expert' is not one of" in r.output
    assert "'barbel' is not known equipment" in r.output
    assert "'funday' is not a weekday" in r.output
    c = load_client(path)
    assert (c.name, c.experience, c.goal, c.priority, c.units) == (
        "Dana O'Neil", "advanced", "strength", "back", "lb",
    )  # fmt: skip
    assert [(s.day, s.start, s.minutes) for s in c.availability] == [
        ("mon", "18:00", 75),
        ("thu", "07:00", 70),
    ]
    assert "# one_rep_max_lb:" in path.read_text()
    _solves(path)


def test_defaults_are_offered(tmp_path):
    path = tmp_path / "d.yaml"
    r = CliRunner().invoke(main, ["new", str(path), "--prompt"], input="Kim\n" + "\n" * 7)
    assert r.exit_code == 0, r.output
    assert load_client(path).model_dump(exclude={"name"}) == load_client(
        _template(tmp_path)
    ).model_dump(exclude={"name"})


def _template(tmp_path):
    path = tmp_path / "t.yaml"
    new_client(path)
    return path


def test_never_overwrites_without_force(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("name: keep me\n")
    r = CliRunner().invoke(main, ["new", str(path), "--no-prompt"])
    assert r.exit_code == 2 and "already exists" in r.output
    assert path.read_text() == "name: keep me\n"
    r = CliRunner().invoke(main, ["new", str(path), "--no-prompt", "--force"])
    assert r.exit_code == 0 and "New Client" in path.read_text()
    r = CliRunner().invoke(main, ["new", str(tmp_path / "c.json"), "--no-prompt"])
    assert r.exit_code == 2 and ".yaml" in r.output


def test_template_values_are_yaml_safe():
    text = client_template({"name": 'He said "hi": #1 [ok]', "units": "lb"})
    assert yaml.safe_load(text)["name"] == 'He said "hi": #1 [ok]'


def test_slot_parsing_names_the_problem():
    assert parse_slots("mon 18:00 75; Thursday 7:00 60")[1] == {
        "day": "thu",
        "start": "07:00",
        "minutes": 60,
    }
    for bad, needle in [
        ("mon 25:00 60", "'25:00' is not a time of day"),
        ("mon 18:00", "is not a slot"),
        ("mon 18:00 5", "out of range"),
        ("mon 18:00 60; mon 18:00 60", "twice"),
    ]:
        with pytest.raises(ValueError, match=needle):
            parse_slots(bad)


def test_new_client_rejects_a_symlink(tmp_path):
    target = tmp_path / "real.yaml"
    target.write_text("x: 1\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    with pytest.raises(InputError):
        new_client(link, force=True)
    assert target.read_text() == "x: 1\n"
