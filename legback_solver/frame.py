"""The plan as a table: one row per prescribed exercise (pandas), and back again.

A row carries everything needed to rebuild its week, session and exercise, so a coach
can edit the CSV or the xlsx week sheets by hand and ``legback check`` audits the edit:

    week, date, day, start, minutes, focus, order, exercise, name, sets, reps, rir,
    load_kg, load_lb, straps, phase, block, week_rir

``load_lb`` is given in plans for clients with ``units: lb``; there it is the
prescription and ``load_kg`` follows from it.

``name`` is the catalogue name, for reading only (``exercise`` is the catalogue id;
a row that gives only a name is matched to the catalogue by name). A session without
exercises is one row with ``exercise`` blank, a week without sessions one row with
``day`` blank. Everything else in the plan (client profile, rulebook, status, ...)
is metadata: ``DataFrame.attrs["legback"]``, the first line of a CSV, the ``legback``
sheet of a workbook. Files are read and written in :mod:`legback_solver.io`; this module
only converts between a plan and its rows.

Also here: the figures every export and chart shows, weekly sets per muscle against
the target range and spinal load per session against the cap.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .errors import InputError, from_validation, shorten
from .models import DAY_NAMES, MAX_WEEKS, Client, Plan
from .util import is_blank

if TYPE_CHECKING:
    import pandas as pd


COLUMNS: tuple[str, ...] = (
    "week",
    "date",
    "day",
    "start",
    "minutes",
    "focus",
    "order",
    "exercise",
    "name",
    "sets",
    "reps",
    "rir",
    "load_kg",
    "load_lb",
    "straps",
    "phase",
    "block",
    "week_rir",
)
INT_COLUMNS = ("week", "minutes", "order", "sets", "rir", "block", "week_rir")
META_KEY = "legback"  # DataFrame.attrs key and workbook sheet name
_REPS_TEXT = re.compile(r"^\d+(-\d+)?( s)?$")  # " s": a drill dosed in seconds
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(:\d{2})?$")


# --------------------------------------------------------------------------- plan -> rows


def plan_meta(plan: Plan) -> dict[str, Any]:
    """Everything in PLAN except its weeks, JSON-ready."""
    return plan.model_dump(mode="json", by_alias=True, exclude={"weeks"})


REST = "rest"  # the focus cell of a free slot's row (csv and xlsx; issue 12)


def rest_cell(r: Any) -> str:
    """The ``name`` cell of a rest row: 'rule: why' (plan_from_records reads it back)."""
    return f"{r.rule}: {r.why}" if r.why else r.rule


def plan_rows(plan: Plan, rest: bool = False) -> list[dict[str, Any]]:
    """One dict per prescribed exercise (COLUMNS), in plan order; with REST, one more
    per free slot of a week (focus ``rest``, the rule that keeps it free in ``name``)."""
    from .catalogue import catalogue_by_id

    names = catalogue_by_id()
    rows: list[dict[str, Any]] = []
    for w in plan.weeks:
        week = {"week": w.week, "phase": w.phase, "block": w.block, "week_rir": w.rir}
        if not w.sessions and not (rest and w.rest):
            rows.append(_row(week))
            continue
        for s in w.sessions:
            session = week | {
                "date": s.date,
                "day": s.day,
                "start": s.start,
                "minutes": s.minutes,
                "focus": s.focus,
            }
            if not s.exercises:
                rows.append(_row(session))
            for pe in s.exercises:
                ex = names.get(pe.exercise)
                rows.append(
                    _row(
                        session
                        | {
                            "order": pe.order,
                            "exercise": pe.exercise,
                            "name": ex.name if ex else "",
                            "sets": pe.sets,
                            "reps": pe.reps,
                            "rir": pe.rir,
                            "load_kg": pe.load_kg,
                            "load_lb": pe.load_lb,
                            "straps": pe.straps,
                        }
                    )
                )
        for r in w.rest if rest else []:
            rows.append(
                _row(
                    week
                    | {
                        "day": r.day,
                        "start": r.start,
                        "minutes": r.minutes,
                        "focus": REST,
                        "name": rest_cell(r),
                    }
                )
            )
    return rows


def _row(values: Mapping[str, Any]) -> dict[str, Any]:
    return {c: values.get(c) for c in COLUMNS}


def plan_to_frame(plan: Plan) -> pd.DataFrame:
    """One row per prescribed exercise; the plan's metadata in ``df.attrs["legback"]``.

    Integer columns are pandas' nullable ``Int64``, ``load_kg`` is ``Float64`` and
    ``straps`` ``boolean``; ``date`` stays an ISO string (YYYY-MM-DD) or missing."""
    import pandas as pd

    df = pd.DataFrame(plan_rows(plan), columns=list(COLUMNS))
    df = df.astype(
        {c: "Int64" for c in INT_COLUMNS}
        | {"load_kg": "Float64", "load_lb": "Float64", "straps": "boolean"}
    )
    df.attrs[META_KEY] = plan_meta(plan)
    return df


# --------------------------------------------------------------------------- rows -> plan


class _Rows:
    """Typed access to the cells of hand-edited rows, with errors naming row and column."""

    def __init__(self, first_row: int) -> None:
        self.first_row = first_row  # the row number the first record has in the file
        self.where: dict[int, str] = {}  # record index -> "sheet Week 1, row 5"
        self.problems: list[str] = []

    def label(self, i: int) -> str:
        return self.where.get(i) or f"row {i + self.first_row}"

    def fail(self, i: int, col: str, msg: str) -> None:
        self.problems.append(f"{self.label(i)}, {col}: {msg}")

    def int_(self, i: int, rec: Mapping[str, Any], col: str, required: bool = True) -> Any:
        v: Any = rec.get(col)
        if is_blank(v):
            if required:
                self.fail(i, col, "is empty (give a whole number)")
            return None
        if isinstance(v, bool):
            f = math.nan
        else:
            try:
                f = float(v) if len(str(v)) <= 20 else math.nan
            except (TypeError, ValueError):
                f = math.nan
        if not math.isfinite(f) or f != int(f):
            self.fail(i, col, f"{shorten(v)} is not a whole number")
            return None
        return int(f)

    def str_(self, i: int, rec: Mapping[str, Any], col: str, required: bool = True) -> Any:
        v: Any = rec.get(col)
        if is_blank(v):
            if required:
                self.fail(i, col, "is empty")
            return None
        return str(v).strip()

    def float_(self, i: int, rec: Mapping[str, Any], col: str) -> float | None:
        v: Any = rec.get(col)
        if is_blank(v):
            return None
        try:
            # "102,5 kg" from a spreadsheet with a decimal comma reads as 102.5
            unit = col.rpartition("_")[2]  # kg or lb
            text = str(v).strip().removesuffix(unit).strip().replace(",", ".")
            f = float(text) if isinstance(v, str) else float(v)
            if isinstance(v, bool) or not math.isfinite(f):
                raise ValueError
        except (TypeError, ValueError):
            word = "pounds" if col.endswith("_lb") else "kilograms"
            self.fail(
                i, col, f"{shorten(v)} is not a number of {word} (e.g. 102.5, or leave empty)"
            )
            return None
        return f

    def bool_(self, i: int, rec: Mapping[str, Any], col: str) -> bool:
        v: Any = rec.get(col)
        if is_blank(v):
            return False
        if isinstance(v, bool):
            return v
        if isinstance(v, int | float):
            return bool(v)
        text = str(v).strip().lower()
        if text in ("true", "yes", "y", "x", "1", "straps", "wahr"):
            return True
        if text in ("false", "no", "n", "0", "-", "falsch"):
            return False
        self.fail(i, col, f"{shorten(v)} is not yes or no (use true or false)")
        return False

    def date_(self, i: int, rec: Mapping[str, Any], col: str) -> str | None:
        v: Any = rec.get(col)
        if is_blank(v):
            return None
        if isinstance(v, datetime):
            return v.date().isoformat()
        if isinstance(v, date):
            return v.isoformat()
        text = str(v).strip()
        try:
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            self.fail(i, col, f"{shorten(v)} is not a date (use YYYY-MM-DD)")
            return None

    def clock(self, i: int, rec: Mapping[str, Any], col: str) -> str | None:
        v: Any = rec.get(col)
        if is_blank(v):
            self.fail(i, col, "is empty (give a time of day, HH:MM)")
            return None
        if isinstance(v, datetime):
            v = v.time()
        if isinstance(v, time):
            return f"{v.hour:02d}:{v.minute:02d}"
        m = _CLOCK.match(str(v).strip())
        if not m:
            self.fail(i, col, f"{shorten(v)} is not a time of day (use HH:MM)")
            return None
        return f"{int(m.group(1)):02d}:{m.group(2)}"

    def reps(self, i: int, rec: Mapping[str, Any], col: str) -> str | None:
        v: Any = rec.get(col)
        if is_blank(v):
            self.fail(i, col, "is empty (give a rep range, e.g. 6-10)")
            return None
        if isinstance(v, int | float) and not isinstance(v, bool) and float(v) == int(v):
            return str(int(v))
        text = str(v).strip()
        if not _REPS_TEXT.match(text):
            self.fail(
                i,
                col,
                f"{shorten(v)} is not a rep range (use LO-HI, e.g. 6-10; a spreadsheet may have "
                "turned it into a date: format the column as text)",
            )
            return None
        return text


def _agree(
    rows: _Rows, seen: dict[tuple, tuple[int, Any]], key: tuple, i: int, col: str, v: Any
) -> None:
    """Cells that describe the same week or session must agree."""
    if key not in seen:
        seen[key] = (i, v)
    elif seen[key][1] != v:
        j, first = seen[key]
        rows.fail(
            i,
            col,
            f"{shorten(v)} differs from {shorten(first)} in {rows.label(j)} of the same "
            f"{'session' if len(key) > 2 else 'week'} (make them equal)",
        )


def _base_meta(base: Plan | Client | Mapping[str, Any] | None, source: str) -> dict[str, Any]:
    if isinstance(base, Plan):
        return plan_meta(base)
    if isinstance(base, Client):
        return client_meta(base)
    if isinstance(base, Mapping):
        return dict(base)
    raise InputError(
        source,
        [
            "carries no legback metadata (client profile and rulebook); pass the client "
            "file with --client"
        ],
    )


def client_meta(client: Client) -> dict[str, Any]:
    """Plan metadata for a plan written by hand for CLIENT: its rulebook and overrides."""
    from .rulebook import load_rulebook

    book = load_rulebook(client.rulebook)
    if client.rules:
        book = book.with_overrides(client.rules, source="rules")
    return {
        "client": client.name,
        "client_profile": client.model_dump(mode="json"),
        "rulebook": {"name": book.name, "rules": book.effective()},
        "status": "feasible",
    }


def plan_from_records(
    records: Iterable[Mapping[str, Any]],
    base: Plan | Client | Mapping[str, Any] | None = None,
    source: str = "plan",
    first_row: int = 2,
) -> Plan:
    """A plan from rows (COLUMNS, in any order; ``name`` is only read when ``exercise``
    is blank) and BASE: a plan, a client, or plan metadata (everything but the weeks).

    Rows are grouped by week and by session (day and start) in order of appearance.
    Bad cells raise one InputError that names every row and column at fault."""
    from .catalogue import catalogue_by_id, resolve_exercise, unknown_exercise

    known = catalogue_by_id()
    rows = _Rows(first_row)
    weeks: dict[int, dict[str, Any]] = {}
    sessions: dict[tuple[int, str, str], dict[str, Any]] = {}
    seen: dict[tuple, tuple[int, Any]] = {}
    for i, rec in enumerate(records):
        if "_where" in rec:
            rows.where[i] = str(rec["_where"])
        if all(is_blank(rec.get(c)) for c in COLUMNS):
            continue  # a blank line
        wk = rows.int_(i, rec, "week")
        if wk is None:
            continue
        if not 1 <= wk <= MAX_WEEKS:
            rows.fail(i, "week", f"{wk} is not a week of a plan (1 to {MAX_WEEKS})")
            break  # an absurd week number: stop before building thousands of weeks
        phase = rows.str_(i, rec, "phase", required=False) or "accumulation"
        block = rows.int_(i, rec, "block", required=False)
        week_rir = rows.int_(i, rec, "week_rir", required=False)
        week = weeks.setdefault(
            wk,
            {
                "week": wk,
                "phase": phase,
                "block": block,
                "rir": week_rir,
                "sessions": [],
                "rest": [],
            },
        )
        for col, v in (("phase", phase), ("block", block), ("week_rir", week_rir)):
            _agree(rows, seen, (wk, col), i, col, v)
        if is_blank(rec.get("day")):
            continue  # a week without sessions
        day = DAY_NAMES.get((rows.str_(i, rec, "day") or "").lower())
        if day is None:
            rows.fail(i, "day", f"{shorten(rec.get('day'))} is not a weekday (use mon ... sun)")
            continue
        start = rows.clock(i, rec, "start")
        if start is None:
            continue
        if (rows.str_(i, rec, "focus", required=False) or "").lower() == REST:
            rule, _, why = (rows.str_(i, rec, "name", required=False) or "").partition(": ")
            week["rest"].append(
                {
                    "day": day,
                    "start": start,
                    "minutes": rows.int_(i, rec, "minutes"),
                    "rule": rule[:60],
                    "why": why[:200],
                }
            )
            continue
        fields = {
            "date": rows.date_(i, rec, "date"),
            "minutes": rows.int_(i, rec, "minutes"),
            "focus": rows.str_(i, rec, "focus"),
        }
        skey = (wk, day, start)
        if skey not in sessions:
            sessions[skey] = {"day": day, "start": start, **fields, "exercises": []}
            week["sessions"].append(sessions[skey])
        for col, v in fields.items():
            _agree(rows, seen, (*skey, col), i, col, v)
        exercise = rows.str_(i, rec, "exercise", required=False)
        if exercise is None:
            name = rows.str_(i, rec, "name", required=False)
            if name is None:
                continue  # a session without exercises
            exercise = resolve_exercise(name)
            if exercise is None:
                rows.fail(i, "name", unknown_exercise(name))
                continue
        elif exercise not in known:
            exercise = resolve_exercise(exercise) or exercise
        sessions[skey]["exercises"].append(
            {
                "order": rows.int_(i, rec, "order"),
                "exercise": exercise,
                "sets": rows.int_(i, rec, "sets"),
                "reps": rows.reps(i, rec, "reps"),
                "rir": rows.int_(i, rec, "rir", required=False),  # empty: a drill
                "load_kg": rows.float_(i, rec, "load_kg"),
                "load_lb": rows.float_(i, rec, "load_lb"),
                "straps": rows.bool_(i, rec, "straps"),
            }
        )
    if rows.problems:
        raise InputError(source, rows.problems[:12] + _more(rows.problems))
    meta = _base_meta(base, source)
    meta.pop("weeks", None)
    try:
        return Plan.model_validate(meta | {"weeks": list(weeks.values())})
    except ValidationError as e:
        raise from_validation(source, e) from None


def _more(problems: list[str]) -> list[str]:
    return [f"and {len(problems) - 12} more"] if len(problems) > 12 else []


def plan_from_frame(
    df: pd.DataFrame, base: Plan | Client | Mapping[str, Any] | None = None
) -> Plan:
    """The plan a frame (``plan_to_frame``, or one edited by hand) describes.

    BASE gives what the rows do not: a plan (its metadata is kept, its weeks replaced),
    a client (a hand-written plan under the client's rulebook) or a metadata mapping.
    Without BASE, ``df.attrs["legback"]`` is used."""
    missing = [c for c in ("week", "day", "start", "exercise") if c not in df.columns]
    if missing:
        raise InputError("frame", [f"has no column {', '.join(missing)} (see frame.COLUMNS)"])
    if base is None:
        base = df.attrs.get(META_KEY)
    return plan_from_records(df.to_dict("records"), base, source="frame")
