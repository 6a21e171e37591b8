"""Rosters: many clients in one table (CSV or Parquet), one client per row.

The column form (SPEC §5, "a batch roster"). Every column is a client field; an empty
cell means "not given" (the field's default). Scalar fields are written as they are;
list- and mapping-valued fields use a compact text form so that a roster can be kept in
a spreadsheet:

    column           form                                         example
    id               optional key for the output file name         alex-01
    name             text (required)                               Alex Example
    experience       beginner | intermediate | advanced            intermediate
    goal             strength | hypertrophy | endurance | general  hypertrophy
    back_status      healthy | sensitive | injured                 healthy
    priority         legs | back | balanced                        balanced
    equipment        items separated by ";" (or ",")               barbell;dumbbell;bench
    availability     slots "DAY HH:MM MINUTES" separated by ";"    mon 18:00 75; wed 07:00 60
    exclude, prefer, avoid   exercise ids, names or aliases        good_morning;superman
    units            kg | lb                                      lb
    one_rep_max_kg   "exercise=kg" separated by ";"               back_squat=140; deadlift=180
    one_rep_max_lb   "exercise=lb" separated by ";"               squat=315
    recent_sets      "exercise=LOADxREPS" (kg; "lb" after the     back_squat=100x5; RDL=225lbx8
                     load for pounds) separated by ";"
    rulebook         a rulebook name or a TOML path                default
    rules            JSON object of rule overrides                 {"back-loading-gap": {"hours": 72}}

In a Parquet roster the list-valued columns may also hold real lists (``["barbell",
"bench"]``), availability a list of ``{day, start, minutes}`` records and the mapping
columns real mappings; the text form works there too.
"""

from __future__ import annotations

import json
import random
import re
from typing import Any

import pandas as pd

from .errors import InputError, shorten
from .util import is_blank

LIST_FIELDS = ("equipment", "exclude", "prefer", "avoid")
COLUMNS = (
    "id",
    "name",
    "experience",
    "goal",
    "back_status",
    "priority",
    "units",
    "equipment",
    "availability",
    "one_rep_max_kg",
    "one_rep_max_lb",
    "recent_sets",
    "exclude",
    "prefer",
    "avoid",
    "rulebook",
    "rules",
)
_SLOT = re.compile(r"^\s*([A-Za-z]+)\s+(\d{1,2}:\d{2})\s+(\d+)\s*(?:min)?\s*$")
_SET = re.compile(
    r"^\s*(\d{1,4}(?:\.\d{1,3})?)\s*(kg|lb|lbs)?\s*[xX×]\s*(\d{1,3})\s*$", re.IGNORECASE
)


def _items(value: Any) -> list[Any]:
    """A list cell: a real list/array, or text split on ';' (or ',')."""
    if isinstance(value, str):
        sep = ";" if ";" in value else ","
        return [part.strip() for part in value.split(sep) if part.strip()]
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def _slots(value: Any, problems: list[str]) -> list[Any]:
    out: list[Any] = []
    for item in _items(value):
        if isinstance(item, dict):
            out.append(item)
            continue
        m = _SLOT.match(str(item))
        if not m:
            problems.append(
                f"availability: {item!r} is not a slot (write DAY HH:MM MINUTES, e.g. "
                "'mon 18:00 75', slots separated by ';')"
            )
            continue
        out.append({"day": m.group(1), "start": m.group(2), "minutes": int(m.group(3))})
    return out


def _mapping(field: str, value: Any, problems: list[str], sets: bool = False) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, list) and all(isinstance(x, tuple | list) for x in value):
        return dict(value)  # a Parquet map column arrives as a list of (key, value) pairs
    out: dict[str, Any] = {}
    example = "back_squat=100x5" if sets else "back_squat=140"
    for item in _items(value):
        key, eq, rest = str(item).partition("=")
        if not eq or not key.strip():
            problems.append(f"{field}: {item!r} is not 'exercise=value' (e.g. {example})")
            continue
        if sets:
            m = _SET.match(rest)
            if not m:
                problems.append(f"{field}: {item!r} is not 'exercise=KGxREPS' (e.g. {example})")
                continue
            unit = "lb" if (m.group(2) or "kg").lower().startswith("lb") else "kg"
            try:
                out[key.strip()] = {unit: float(m.group(1)), "reps": int(m.group(3))}
            except ValueError:
                problems.append(f"{field}: {item!r} is not 'exercise=KGxREPS' (e.g. {example})")
        else:
            try:
                out[key.strip()] = float(rest)
            except ValueError:
                unit = "pounds" if field.endswith("_lb") else "kilograms"
                problems.append(f"{field}: {item!r} does not give {unit} (e.g. {example})")
    return out


def row_to_mapping(row: dict[str, Any], source: str = "row") -> dict[str, Any]:
    """One roster row (column form) as a client mapping for :func:`io.parse_client`.

    The ``id`` column is not a client field and is dropped. Raises InputError naming
    the column and the fix."""
    problems: list[str] = []
    data: dict[str, Any] = {}
    for col, value in row.items():
        col = str(col).strip()
        if col == "id" or col.startswith("Unnamed:") or is_blank(value):
            continue
        if col in LIST_FIELDS:
            data[col] = [str(x) for x in _items(value)]
        elif col == "availability":
            data[col] = _slots(value, problems)
        elif col in ("one_rep_max_kg", "one_rep_max_lb"):
            data[col] = _mapping(col, value, problems)
        elif col == "recent_sets":
            data[col] = _mapping(col, value, problems, sets=True)
        elif col == "rules":
            if isinstance(value, dict):
                data[col] = value
                continue
            try:
                data[col] = json.loads(str(value))
            except json.JSONDecodeError:
                problems.append(
                    f"rules: {shorten(value)} is not a JSON object "
                    '(e.g. {"back-loading-gap": {"hours": 72}})'
                )
        else:
            if hasattr(value, "item"):  # numpy scalar
                value = value.item()
            data[col] = value.strip() if isinstance(value, str) else value
    if problems:
        raise InputError(source, problems)
    return data


def client_to_row(data: dict[str, Any]) -> dict[str, str]:
    """The column form of a client mapping (the inverse of :func:`row_to_mapping`)."""
    row: dict[str, str] = {}
    for key, value in data.items():
        if key in LIST_FIELDS:
            row[key] = ";".join(value)
        elif key == "availability":
            row[key] = "; ".join(f"{s['day']} {s['start']} {s['minutes']}" for s in value)
        elif key in ("one_rep_max_kg", "one_rep_max_lb"):
            row[key] = "; ".join(f"{k}={v:g}" for k, v in value.items())
        elif key == "recent_sets":
            row[key] = "; ".join(
                f"{k}={v['kg']:g}x{v['reps']}"
                if v.get("kg") is not None
                else f"{k}={v['lb']:g}lbx{v['reps']}"
                for k, v in value.items()
            )
        elif key == "rules":
            row[key] = json.dumps(value) if value else ""
        else:
            row[key] = str(value)
    return row


# --- synthetic rosters --------------------------------------------------------------

_GYMS = (
    ["barbell", "dumbbell", "cable", "machine", "pullup_bar", "bench", "trap_bar", "straps"],
    ["barbell", "dumbbell", "bench", "pullup_bar"],
    ["dumbbell", "cable", "machine", "pullup_bar", "bench"],
    ["barbell", "dumbbell", "kettlebell", "pullup_bar", "bench", "band"],
    ["barbell", "dumbbell", "cable", "machine", "pullup_bar", "bench", "ghd", "straps"],
)
_FIRST = ("Alex", "Sam", "Riley", "Jo", "Kim", "Max", "Noa", "Ari", "Lee", "Rae", "Eli", "Mo")
_LAST = ("Berg", "Costa", "Diaz", "Eriksen", "Fox", "Gray", "Hale", "Ito", "Jung", "Kahn")
_TIMES = ("06:30", "07:00", "12:00", "17:30", "18:00", "19:00")
_DAY_SETS = (
    ("mon", "thu"),
    ("tue", "fri"),
    ("mon", "wed", "fri"),
    ("tue", "thu", "sat"),
    ("mon", "wed", "fri", "sat"),
    ("sun", "tue", "thu"),
)


def _known_lifts(row: dict[str, Any], u: float) -> str:
    """About half of the clients with a barbell who are not beginners give a back-squat
    and deadlift 1RM (a coach's intake form); the numbers are plausible, not measured."""
    if "barbell" not in row["equipment"].split(";") or row["experience"] == "beginner" or u > 0.5:
        return ""
    squat = 100 + round(u * 80 / 2.5) * 2.5 + (20 if row["experience"] == "advanced" else 0)
    return f"back_squat={squat:g}; conventional_deadlift={squat + 30:g}"


def make_roster(n: int, seed: int = 0) -> pd.DataFrame:
    """A synthetic roster of N plausible clients in the column form (reproducible by SEED).

    Clients vary in experience, goal, back status, priority, gym equipment and two to
    four weekly slots; each is meant to be solvable as a weekly plan in well under a
    second."""
    rng = random.Random(seed)
    # Known lifts come from a second stream so the other columns stay as they were.
    lifts = random.Random(seed * 7919 + 1)
    rows = []
    for i in range(n):
        days = rng.choice(_DAY_SETS)
        minutes = rng.choice((60, 75, 90))
        slots = "; ".join(f"{d} {rng.choice(_TIMES)} {minutes}" for d in days)
        back = rng.choices(("healthy", "sensitive"), weights=(5, 1))[0]
        row_lifts = lifts.random()
        rows.append(
            {
                "id": f"c{i:05d}",
                "name": f"{rng.choice(_FIRST)} {rng.choice(_LAST)} {i}",
                "experience": rng.choice(("beginner", "intermediate", "intermediate", "advanced")),
                "goal": rng.choice(("strength", "hypertrophy", "endurance", "general")),
                "back_status": back,
                "priority": rng.choice(("legs", "back", "balanced")),
                "equipment": ";".join(rng.choice(_GYMS)),
                "availability": slots,
            }
        )
        rows[-1]["one_rep_max_kg"] = _known_lifts(rows[-1], row_lifts)
    return pd.DataFrame(rows, columns=list(rows[0]) if rows else list(COLUMNS[:8]))
