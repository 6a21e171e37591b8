"""End-to-end solving: the example client, determinism, the CLI, infeasible clients."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from legback_solver import check_plan, load_client, solve
from legback_solver.cli import main
from legback_solver.models import Plan

from .conftest import ROOT, client

TIMING = ("solve_seconds", "build_seconds")


def _stable(plan: Plan) -> str:
    data = json.loads(plan.to_json())
    for key in TIMING:
        data.pop(key)
    return json.dumps(data, sort_keys=True)


@pytest.fixture(scope="module")
def small_plan():
    return solve(client(), seed=3, time_limit=20)


def test_small_client_solves_and_passes_the_checker(small_plan):
    assert small_plan.status == "optimal"
    assert check_plan(small_plan.plan) == []
    sessions = small_plan.plan.weeks[0].sessions
    assert sessions and all(4 <= len(s.exercises) <= 6 for s in sessions)
    for s in sessions:
        assert [e.order for e in s.exercises] == list(range(1, len(s.exercises) + 1))


def test_plan_records_every_effective_parameter(small_plan):
    rules = small_plan.plan.rulebook.rules
    assert rules["back-loading-gap"] == {"kind": "hard", "hours": 48.0}
    assert rules["spinal-budget"]["weekly"]["healthy"] == 180
    assert small_plan.plan.client_profile.name == "Test Client"


@pytest.mark.parametrize("workers", [1, 2])
def test_same_input_same_seed_same_plan(workers):
    # Sam's weekly plan is proven in a fraction of a second, so a loaded machine cannot
    # push a run into the time limit (the one case where runs may differ).
    sam = load_client(ROOT / "examples" / "sam.yaml")
    runs = [solve(sam, seed=3, time_limit=120, workers=workers) for _ in range(3)]
    assert {r.status for r in runs} == {"optimal"}
    assert _stable(runs[0].plan) == _stable(runs[1].plan) == _stable(runs[2].plan)


def example_client():
    return load_client(ROOT / "examples" / "alex.yaml")


def test_plan_json_round_trips(small_plan):
    text = small_plan.plan.to_json()
    assert json.loads(text)["schema"] == "legback.plan/1"
    assert Plan.model_validate_json(text).to_json() == text


def test_infeasible_client_is_explained():
    # 48 h spacing needs back-loading sessions apart, but three slots in a row with a
    # minimum of erector work that only back-loading lifts can give in 30 minutes.
    c = client(
        equipment=["barbell"],
        availability=[{"day": "mon", "start": "18:00", "minutes": 30}],
        rules={"muscle-sets": {"ranges": {"quads": [20, 30]}}},
    )
    res = solve(c, time_limit=10)
    assert res.status == "infeasible"
    assert res.plan.weeks == []
    assert res.explanation and "cannot all hold" in res.explanation[0]
    named = " ".join(res.explanation)
    assert "muscle-sets" in named


def test_cli_solve_writes_plan_and_check_passes(tmp_path):
    path = tmp_path / "c.json"
    path.write_text(client().model_dump_json())
    out = tmp_path / "plan.json"
    runner = CliRunner()
    res = runner.invoke(
        main, ["solve", str(path), "--out", str(out), "--seed", "1", "--time-limit", "20"]
    )
    assert res.exit_code == 0, res.output
    assert "Week 1" in res.output
    assert json.loads(out.read_text())["status"] in ("optimal", "feasible")
    res = runner.invoke(main, ["check", str(out)])
    assert res.exit_code == 0 and "no violations" in res.output
    quiet = runner.invoke(main, ["solve", str(path), "--quiet", "--time-limit", "20"])
    assert quiet.exit_code == 0 and quiet.output == ""


def test_cli_infeasible_exit_3(tmp_path):
    path = tmp_path / "c.json"
    c = client(rules={"muscle-sets": {"ranges": {"quads": [40, 60]}}})
    path.write_text(c.model_dump_json())
    out = tmp_path / "plan.json"
    res = CliRunner().invoke(main, ["solve", str(path), "--out", str(out), "--time-limit", "10"])
    assert res.exit_code == 3, res.output
    plan = json.loads(out.read_text())
    assert plan["status"] == "infeasible" and plan["explanation"]


def test_cli_check_reports_violations(tmp_path, small_plan):
    plan = small_plan.plan.model_copy(deep=True)
    plan.weeks[0].sessions[0].exercises[0].sets = 9
    path = tmp_path / "edited.json"
    path.write_text(plan.to_json())
    res = CliRunner().invoke(main, ["check", str(path)])
    assert res.exit_code == 1
    assert "session-shape:" in res.output


def test_example_client_file(example_path):
    c = load_client(example_path)
    assert c.name == "Alex Example" and len(c.availability) == 4


def test_cli_check_flags_an_edited_csv(tmp_path, small_plan):
    csv = tmp_path / "plan.csv"
    res = CliRunner().invoke(
        main, ["export", _write(tmp_path, small_plan.plan), "--format", "csv", "--out", str(csv)]
    )
    assert res.exit_code == 0, res.output
    clean = CliRunner().invoke(main, ["check", str(csv)])
    assert clean.exit_code == 0, clean.output
    lines = csv.read_text().splitlines()
    header = lines[1].split(",")
    row = lines[2].split(",")
    row[header.index("sets")] = "9"
    lines[2] = ",".join(row)
    csv.write_text("\n".join(lines) + "\n")
    res = CliRunner().invoke(main, ["check", str(csv)])
    assert res.exit_code == 1
    assert "session-shape:" in res.output


def _write(tmp_path, plan) -> str:
    path = tmp_path / "plan.json"
    path.write_text(plan.to_json())
    return str(path)
