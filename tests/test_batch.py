"""Batch solving a roster: mixed rows, resume after a kill, Dask = local pool."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from legback_solver.batch import prepare, read_roster, solve_roster, summary
from legback_solver.cli import main
from legback_solver.roster import client_to_row, make_roster, row_to_mapping
from legback_solver.workers import solve_one

ROOT = Path(__file__).resolve().parent.parent
GYM = "barbell;dumbbell;bench;pullup_bar"


def _row(key, name, slots="mon 18:00 60; thu 18:00 60", **kw):
    return {"id": key, "name": name, "equipment": GYM, "availability": slots, **kw}


VALID = [
    _row("ana", "Ana One"),
    _row("ben", "Ben Two", "tue 07:00 60; fri 07:00 60", goal="strength"),
    _row("cy", "Cy Three", "mon 18:00 60; wed 18:00 60; sat 10:00 60", priority="back"),
    _row("dee", "Dee Four", "sun 17:00 60; wed 12:00 60", experience="advanced"),
]
INFEASIBLE = _row("tiny", "Tiny Slot", "mon 18:00 20")
MALFORMED = [
    _row("typo", "Typo Day", "someday 18:00 60"),
    _row("noex", "Unknown Exercise", exclude="good_mornin"),
    {"id": "", "name": "", "equipment": GYM, "availability": "mon 18:00 60"},
]


def _write(tmp_path: Path, rows: list[dict], name: str = "roster.csv") -> Path:
    path = tmp_path / name
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _plan_core(path: Path) -> dict:
    d = json.loads(path.read_text())
    return {k: d.get(k) for k in ("client", "status", "objective", "weeks", "rulebook")}


def test_mixed_roster(tmp_path):
    roster = _write(tmp_path, [VALID[0], INFEASIBLE, MALFORMED[0], VALID[1], *MALFORMED[1:]])
    out = tmp_path / "out"
    df = solve_roster(roster, out, jobs=2, time_limit=10, progress=False)
    by = df.set_index("id")
    assert list(df["id"]) == ["ana", "tiny", "typo", "ben", "noex", "row-6"]
    assert set(by.loc[["ana", "ben"], "status"]) <= {"optimal", "feasible"}
    assert (by.loc[["ana", "ben"], "violations"] == 0).all()
    assert by.loc["tiny", "status"] == "infeasible" and "session-time" in by.loc["tiny", "error"]
    assert by.loc["typo", "status"] == "invalid" and "weekday" in by.loc["typo", "error"]
    assert "good_mornin" in by.loc["noex", "error"] and "name" in by.loc["row-6", "error"]
    plans = sorted(p.name for p in out.glob("*.json"))
    assert plans == ["ana.json", "ben.json", "tiny.json"]  # one per valid client
    assert json.loads((out / "tiny.json").read_text())["explanation"]
    assert by.loc["ana", "objective"] == json.loads((out / "ana.json").read_text())["objective"]
    csv = pd.read_csv(out / "summary.csv")
    pq = pd.read_parquet(out / "summary.parquet")
    assert list(csv["status"]) == list(pq["status"]) == list(df["status"])
    pd.testing.assert_frame_equal(summary(out), df)
    assert not list(out.rglob(".*.tmp"))


def test_cli_batch(tmp_path):
    roster = _write(tmp_path, [VALID[0], MALFORMED[0]])
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main, ["batch", str(roster), "--out", str(out), "--jobs", "1", "--time-limit", "10"]
    )
    assert res.exit_code == 0, res.output
    assert "2 clients: 1 solved, 0 infeasible, 1 failed" in res.output
    assert (out / "ana.json").is_file() and (out / "summary.parquet").is_file()
    # The default length is solve's: a 5-week mesocycle ending in a deload week.
    assert json.loads((out / "_batch" / "roster.json").read_text())["weeks"] == 5
    plan = json.loads((out / "ana.json").read_text())
    assert len(plan["weeks"]) == 5 and plan["weeks"][-1]["phase"] == "deload"
    bad = CliRunner().invoke(main, ["batch", str(tmp_path / "nope.csv"), "--out", str(out)])
    assert bad.exit_code == 2 and "not found" in bad.output


@pytest.mark.parametrize("command", ["solve", "batch"])
def test_weeks_option_is_shared(command):
    """solve and batch (and explain) share one --weeks option: same range, same default."""
    params = {
        c: {p.name: p for p in main.commands[c].params} for c in ("solve", "batch", "explain")
    }
    weeks = params[command]["weeks"]
    assert (weeks.type.min, weeks.type.max) == (1, 52)
    assert "[default: 5" in weeks.help and "3-16" in weeks.help
    res = CliRunner().invoke(main, [command, "x.csv", "--weeks", "53", "--out", "o"])
    assert res.exit_code == 2 and "1<=x<=52" in res.output


def test_batch_weeks_outside_meso_length_is_a_recorded_failure(tmp_path):
    roster = _write(tmp_path, [VALID[0]])
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main, ["batch", str(roster), "--out", str(out), "--jobs", "1", "--weeks", "2", "--quiet"]
    )
    assert res.exit_code == 0, res.output
    assert "meso-length allows 3-16" in summary(out).set_index("id").loc["ana", "error"]


def _trace(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def test_kill_and_resume(tmp_path, monkeypatch):
    rows = [dict(r) for r in VALID] + [_row(f"x{i}", f"Extra {i}") for i in range(4)]
    roster = _write(tmp_path, rows)
    out = tmp_path / "out"
    trace = tmp_path / "trace.txt"
    monkeypatch.setenv("LEGBACK_BATCH_TRACE", str(trace))
    cmd = [sys.executable, "-m", "legback_solver.cli", "batch", str(roster), "--out", str(out)]
    proc = subprocess.Popen(
        [*cmd, "--jobs", "1", "--weeks", "1", "--time-limit", "10", "--quiet"],
        cwd=ROOT,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        start_new_session=True,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 30

    def records() -> list[Path]:
        return [p for p in (out / "_batch").glob("*.json") if p.stem != "roster"]

    while not records() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C
    _, err = proc.communicate(timeout=30)
    # Done means a plan and its record: a Ctrl-C between the two writes leaves a plan
    # without a record, which the resume rightly solves again.
    recorded = {p.stem for p in records()}
    done = {p.name: p.stat().st_mtime_ns for p in out.glob("*.json") if p.stem in recorded}
    assert done and proc.returncode == 130, err
    assert len(done) < len(rows)
    assert not list(out.rglob("*.tmp"))  # only complete files
    for p in out.glob("*.json"):
        json.loads(p.read_text())

    trace.unlink()
    df = solve_roster(roster, out, jobs=2, time_limit=10, progress=False)
    assert (df["status"] == "optimal").all() and (df["violations"] == 0).all()
    again = _trace(trace)
    assert sorted(again) == sorted({r["id"] for r in rows} - {n[:-5] for n in done})
    assert {n: (out / n).stat().st_mtime_ns for n in done} == done

    # a third run solves nothing; a changed client is solved again, and only it
    trace.unlink()
    solve_roster(roster, out, jobs=1, time_limit=10, progress=False)
    assert _trace(trace) == []
    rows[0]["priority"] = "legs"
    _write(tmp_path, rows)
    solve_roster(roster, out, jobs=1, time_limit=10, progress=False)
    assert _trace(trace) == ["ana"]


def test_dask_local_matches_pool(tmp_path):
    pytest.importorskip("dask.distributed")
    roster = _write(tmp_path, [*VALID, INFEASIBLE, MALFORMED[0]])
    a = solve_roster(roster, tmp_path / "pool", jobs=2, time_limit=10, progress=False)
    b = solve_roster(roster, tmp_path / "dask", jobs=2, dask="local", time_limit=10, progress=False)
    cols = ["id", "client", "status", "objective", "violations", "error", "plan"]
    pd.testing.assert_frame_equal(a[cols], b[cols])
    for name in a["plan"].dropna():
        assert _plan_core(tmp_path / "pool" / name) == _plan_core(tmp_path / "dask" / name)


def test_column_form_round_trip(tmp_path):
    data = {
        "name": "Alex",
        "equipment": ["barbell", "dumbbell"],
        "availability": [{"day": "mon", "start": "18:00", "minutes": 75}],
        "one_rep_max_kg": {"back_squat": 140.0},
        "recent_sets": {"conventional_deadlift": {"kg": 150.0, "reps": 5}},
        "exclude": ["good_morning"],
        "rules": {"back-loading-gap": {"hours": 72}},
    }
    assert row_to_mapping(client_to_row(data)) == data
    # Parquet with real lists; a folder of client files
    df = make_roster(3, seed=1)
    df["equipment"] = df["equipment"].str.split(";")
    df.to_parquet(tmp_path / "r.parquet")
    entries = read_roster(tmp_path / "r.parquet")
    assert [e.key for e in entries] == ["c00000", "c00001", "c00002"]
    assert all(e.error is None and isinstance(e.data["equipment"], list) for e in entries)
    folder = tmp_path / "clients"
    folder.mkdir()
    for f in ("alex.yaml", "sam.yaml"):
        (folder / f).write_text((ROOT / "examples" / f).read_text())
    (folder / "broken.yaml").write_text("name: [unclosed\n")
    got = {e.key: e.error for e in read_roster(folder)}
    assert got["alex"] is None and got["sam"] is None and "YAML" in got["broken"]


def test_crashing_client_is_recorded(monkeypatch):
    import importlib

    solve_module = importlib.import_module("legback_solver.solve")

    def boom(*a, **k):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(solve_module, "solve", boom)
    rec, plan = solve_one("x", row_to_mapping(VALID[0]), 1, 5.0, 0, 1)
    assert plan is None and rec["status"] == "error" and "exploded" in rec["error"]


def test_example_roster_reads():
    entries = read_roster(ROOT / "examples" / "roster.csv")
    for e in entries:
        prepare(e, weeks=1)
    assert len(entries) == 12 and [e.key for e in entries if e.error] == ["typo"]


def test_gap_reaches_every_solve_and_a_smaller_gap_solves_again(tmp_path, monkeypatch):
    # batch shares solve's --gap: each record says the gap it was solved at; a plan
    # stopped at a looser gap is not "done" for a tighter one, an optimal plan is.
    trace = tmp_path / "trace.txt"
    monkeypatch.setenv("LEGBACK_BATCH_TRACE", str(trace))
    roster = _write(tmp_path, VALID[:2])
    out = tmp_path / "out"
    df = solve_roster(roster, out, weeks=3, jobs=1, time_limit=10, gap=0.5, progress=False)
    assert set(df["status"]) <= {"optimal", "feasible"}
    for key in ("ana", "ben"):
        plan = json.loads((out / f"{key}.json").read_text())
        assert (plan.get("gap") or 0) <= 0.5
        rec = json.loads((out / "_batch" / f"{key}.json").read_text())
        assert rec["gap_limit"] == 0.5
    loose = set(df.loc[df["status"] == "feasible", "id"])
    assert loose  # stopped early: the gap reached the solver
    trace.unlink()
    solve_roster(roster, out, weeks=3, jobs=1, time_limit=10, gap=0.0, progress=False)
    assert set(_trace(trace)) == loose


def test_batch_cli_gap_option():
    result = CliRunner().invoke(main, ["batch", "--help"])
    assert "--gap" in result.output
