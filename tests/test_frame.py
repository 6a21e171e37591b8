"""The plan as a table: DataFrame, CSV and xlsx round trips, and audits of edited copies."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook

from legback_solver import solve
from legback_solver.check import check_plan
from legback_solver.errors import InputError
from legback_solver.frame import COLUMNS, plan_from_frame, plan_to_frame
from legback_solver.io import load_plan
from legback_solver.io.export import write_plan
from legback_solver.models import Plan, PlanExercise, Session, Week
from tests.conftest import client

CLIENT = {
    "equipment": ["barbell", "dumbbell", "bench", "pullup_bar", "straps"],
    "one_rep_max_kg": {"sumo_deadlift": 160, "weighted_pull_up": 30, "t_bar_row": 90},
}


@pytest.fixture(scope="session")
def plan() -> Plan:
    result = solve(client(**CLIENT), weeks=3, start_date=date(2026, 11, 23))
    assert result.feasible
    return result.plan


@pytest.fixture(scope="session")
def odd_plan(plan: Plan) -> Plan:
    """The solved plan with what a solver rarely writes: straps, odd loads, an empty
    session, a week without sessions, no block."""
    odd = plan.model_copy(deep=True)
    first = odd.weeks[0].sessions[0]
    first.exercises[0].straps = True
    first.exercises[0].load_kg = 102.5
    first.exercises[1].load_kg = 61.25
    odd.weeks[1].block = None
    odd.weeks[1].sessions.append(
        Session(day="sat", start="09:30", minutes=45, focus="legs", date=None, exercises=[])
    )
    odd.weeks.append(Week(week=4, phase="deload", rir=4, sessions=[]))
    return odd


def n_exercises(plan: Plan) -> int:
    return sum(len(s.exercises) for w in plan.weeks for s in w.sessions)


def test_frame_has_one_row_per_prescribed_exercise(plan: Plan) -> None:
    df = plan_to_frame(plan)
    assert tuple(df.columns) == COLUMNS
    assert len(df) == n_exercises(plan)
    assert str(df["sets"].dtype) == "Int64" and str(df["straps"].dtype) == "boolean"
    assert df["load_kg"].notna().any(), "the client's 1RMs give some sets a load"
    assert set(df["week"]) == {1, 2, 3}
    assert df.attrs["legback"]["client"] == plan.client


def test_frame_round_trip(plan: Plan, odd_plan: Plan) -> None:
    assert plan_from_frame(plan_to_frame(plan)) == plan
    assert plan_from_frame(plan_to_frame(odd_plan)) == odd_plan


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_file_round_trip(plan: Plan, odd_plan: Plan, tmp_path, suffix: str) -> None:
    for p in (plan, odd_plan):
        path = tmp_path / f"plan.{suffix}"
        write_plan(p, path)
        assert load_plan(path) == p


def test_csv_keeps_every_digit_of_a_load(odd_plan: Plan, tmp_path) -> None:
    """(xlsx keeps 15 significant digits, as Excel does; loads are plate-rounded anyway.)"""
    p = odd_plan.model_copy(deep=True)
    p.weeks[0].sessions[0].exercises[1].load_kg = 0.1 + 0.2
    write_plan(p, tmp_path / "plan.csv")
    assert load_plan(tmp_path / "plan.csv") == p
    assert plan_from_frame(plan_to_frame(p)) == p


def test_from_frame_takes_a_base_plan_or_client(plan: Plan) -> None:
    df = plan_to_frame(plan)
    df.attrs.clear()
    with pytest.raises(InputError, match="--client"):
        plan_from_frame(df)
    assert plan_from_frame(df, plan) == plan
    by_client = plan_from_frame(df, plan.client_profile)
    assert by_client.weeks == plan.weeks
    assert by_client.rulebook == plan.rulebook
    assert check_plan(by_client) == []


def test_edited_csv_is_audited(plan: Plan, tmp_path) -> None:
    path = tmp_path / "plan.csv"
    write_plan(plan, path)
    assert check_plan(load_plan(path)) == []
    lines = path.read_text().splitlines(keepends=True)
    df = pd.read_csv(io.StringIO("".join(lines[1:])), dtype=str, keep_default_na=False)
    df.loc[0, "sets"] = "9"
    edited = tmp_path / "edited.csv"
    edited.write_text(lines[0] + df.to_csv(index=False))
    violations = check_plan(load_plan(edited))
    hits = [v for v in violations if v.rule == "session-shape" and "9 sets" in v.what]
    assert hits and hits[0].where == "week 1 mon 18:00"


def test_edited_xlsx_is_audited(plan: Plan, tmp_path) -> None:
    path = tmp_path / "plan.xlsx"
    write_plan(plan, path)
    wb = load_workbook(path)
    ws = wb["Week 2"]
    col = [c.value for c in ws[1]].index("sets") + 1
    ws.cell(row=2, column=col, value=9)
    wb.save(path)
    violations = check_plan(load_plan(path))
    assert any(v.rule == "session-shape" and v.where.startswith("week 2") for v in violations)


def test_csv_without_metadata_needs_the_client(plan: Plan, tmp_path) -> None:
    path = tmp_path / "plan.csv"
    write_plan(plan, path)
    bare = tmp_path / "bare.csv"
    bare.write_text("".join(path.read_text().splitlines(keepends=True)[1:]))
    with pytest.raises(InputError, match="--client"):
        load_plan(bare)
    loaded = load_plan(bare, plan.client_profile)
    assert loaded.weeks == plan.weeks
    assert check_plan(loaded) == []


def test_csv_saved_by_a_decimal_comma_spreadsheet(odd_plan: Plan, tmp_path) -> None:
    """Semicolons between cells, 102,5 for 102.5, TRUE/FALSE in capitals."""
    import csv

    path = tmp_path / "plan.csv"
    write_plan(odd_plan, path)
    rows = list(csv.reader(io.StringIO(path.read_text())))
    with (tmp_path / "semi.csv").open("w", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(rows[0])
        for r in rows[1:]:
            w.writerow([c.upper() if c in ("true", "false") else c.replace(".5", ",5") for c in r])
    assert "102,5" in (tmp_path / "semi.csv").read_text()
    assert load_plan(tmp_path / "semi.csv") == odd_plan


def test_bad_cells_are_named_by_row_and_column(plan: Plan, tmp_path) -> None:
    path = tmp_path / "plan.csv"
    write_plan(plan, path)
    lines = path.read_text().splitlines(keepends=True)
    df = pd.read_csv(io.StringIO("".join(lines[1:])), dtype=str, keep_default_na=False)
    df.loc[0, "reps"] = "12-Aug"  # what a spreadsheet makes of 8-12
    df.loc[2, "sets"] = "many"
    df.loc[3, "minutes"] = "90"  # disagrees with the rest of its session
    bad = tmp_path / "bad.csv"
    bad.write_text(lines[0] + df.to_csv(index=False))
    with pytest.raises(InputError) as err:
        load_plan(bad)
    text = err.value.paragraph()
    assert "row 3, reps: '12-Aug' is not a rep range" in text
    assert "row 5, sets: 'many' is not a whole number" in text
    assert "row 6, minutes" in text and "same session" in text


def test_an_unknown_exercise_is_reported_by_check(plan: Plan) -> None:
    df = plan_to_frame(plan)
    df.loc[0, "exercise"] = "bench_press_on_a_ball"
    edited = plan_from_frame(df)
    with pytest.raises(InputError, match="not a catalogue exercise"):
        check_plan(edited)


def test_a_row_with_only_a_name_is_matched_to_the_catalogue(plan: Plan) -> None:
    df = plan_to_frame(plan)
    name = df.loc[0, "name"]
    df.loc[0, "exercise"] = pd.NA
    assert plan_from_frame(df) == plan
    df.loc[0, "name"] = name.upper()
    assert plan_from_frame(df) == plan


def test_added_row_becomes_a_new_exercise(plan: Plan) -> None:
    df = plan_to_frame(plan)
    extra = df[df["rir"].notna()].iloc[[0]].copy()  # a lift's row (a drill has no RIR)
    extra["order"] = 99
    extra["exercise"] = "back_extension"
    df = pd.concat([df, extra], ignore_index=True)
    edited = plan_from_frame(df)
    day, start = extra["day"].iloc[0], extra["start"].iloc[0]
    i = next(k for k, s in enumerate(plan.weeks[0].sessions) if (s.day, s.start) == (day, start))
    session = edited.weeks[0].sessions[i]
    assert len(session.exercises) == len(plan.weeks[0].sessions[i].exercises) + 1
    assert session.exercises[-1] == PlanExercise(
        order=99,
        exercise="back_extension",
        sets=int(extra["sets"].iloc[0]),
        reps=extra["reps"].iloc[0],
        rir=int(extra["rir"].iloc[0]),
        load_kg=None if pd.isna(extra["load_kg"].iloc[0]) else float(extra["load_kg"].iloc[0]),
        straps=bool(extra["straps"].iloc[0]),
    )


def test_not_a_workbook(tmp_path) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_text("hello")
    with pytest.raises(InputError, match="not an xlsx workbook"):
        load_plan(path)
    with pytest.raises(InputError, match="file not found"):
        load_plan(tmp_path / "missing.csv")
