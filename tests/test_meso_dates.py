"""Mesocycles: --start-date dates every session."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from legback_solver.io import load_plan
from legback_solver.models import DAYS
from tests.meso_helpers import run_cli, solved_plan, squat_client, write_client


def test_start_date_dates_every_session(tmp_path):
    client = write_client(tmp_path, squat_client())
    out = tmp_path / "plan.json"
    result = run_cli(
        "solve", client, "--weeks", "4", "--start-date", "2026-11-23", "--out", out, "--quiet"
    )
    assert result.exit_code == 0, result.output
    plan = load_plan(out)
    assert plan.start_date == "2026-11-23"
    monday = date(2026, 11, 23)
    n = 0
    for w, week in enumerate(plan.weeks):
        for s in week.sessions:
            d = date.fromisoformat(s.date)
            assert d == monday + timedelta(days=7 * w + DAYS.index(s.day)), (w, s.day, s.date)
            assert d.strftime("%a").lower() == s.day
            n += 1
    assert n >= 4 * 2
    # Without a start date there are no dates.
    assert all(s.date is None for w in solved_plan(squat_client(), 3).weeks for s in w.sessions)


@pytest.mark.parametrize(
    ("value", "needles"),
    [
        ("2026-11-25", ["Wednesday", "2026-11-23", "2026-11-30"]),
        ("2026-11-29", ["Sunday", "2026-11-23", "2026-11-30"]),
        ("2026-13-01", ["not a date"]),
    ],
)
def test_bad_start_date_is_bad_input(tmp_path, value, needles):
    client = write_client(tmp_path, squat_client())
    out = tmp_path / "plan.json"
    result = run_cli(
        "solve", client, "--weeks", "4", "--start-date", value, "--out", out, "--quiet"
    )
    assert result.exit_code == 2, result.output
    err = result.stderr.strip()
    assert err.startswith("error:") and "start-date" in err
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in err, err
    assert not out.exists()


def test_bad_start_date_keeps_an_existing_output(tmp_path):
    client = write_client(tmp_path, squat_client())
    out = tmp_path / "plan.json"
    out.write_text("an older plan\n", encoding="utf-8")
    result = run_cli("solve", client, "--start-date", "2026-11-24", "--out", out, "--quiet")
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == "an older plan\n"
