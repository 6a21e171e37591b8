"""The plan as a table: one row per prescribed exercise (pandas), and back again.

A row carries everything needed to rebuild its week, session and exercise, so a coach
can edit the CSV or the xlsx week sheets by hand and ``legback check`` audits the edit:

    week, date, day, start, minutes, focus, order, exercise, name, sets, reps, rir,
    load_kg, straps, phase, block, week_rir

``name`` is the catalogue name, for reading only (``exercise`` is the catalogue id;
a row that gives only a name is matched to the catalogue by name). A session without
exercises is one row with ``exercise`` blank, a week without sessions one row with
``day`` blank. Everything else in the plan (client profile, rulebook, status, ...)
is metadata: ``DataFrame.attrs["legback"]``, the first line of a CSV, the ``legback``
sheet of a workbook.

Also here: the figures every export and chart shows, weekly sets per muscle against
the target range and spinal load per session against the cap.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .errors import InputError, from_validation
from .models import DAYS, MUSCLES, Client, Plan

if TYPE_CHECKING:
    import pandas as pd

    from .rulebook import Rulebook

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
    "straps",
    "phase",
    "block",
    "week_rir",
)
INT_COLUMNS = ("week", "minutes", "order", "sets", "rir", "block", "week_rir")
META_KEY = "legback"  # DataFrame.attrs key, CSV first-line tag, workbook sheet name
CSV_TAG = "#legback-plan"
_REPS_TEXT = re.compile(r"^\d+(-\d+)?( s)?$")  # " s": a drill dosed in seconds
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(:\d{2})?$")


# --------------------------------------------------------------------------- plan -> rows


def plan_meta(plan: Plan) -> dict[str, Any]:
    """Everything in PLAN except its weeks, JSON-ready."""
    return plan.model_dump(mode="json", by_alias=True, exclude={"weeks"})


def plan_rows(plan: Plan) -> list[dict[str, Any]]:
    """One dict per prescribed exercise (COLUMNS), in plan order."""
    from .catalogue import catalogue_by_id

    names = catalogue_by_id()
    rows: list[dict[str, Any]] = []
    for w in plan.weeks:
        week = {"week": w.week, "phase": w.phase, "block": w.block, "week_rir": w.rir}
        if not w.sessions:
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
                            "straps": pe.straps,
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
    df = df.astype({c: "Int64" for c in INT_COLUMNS} | {"load_kg": "Float64", "straps": "boolean"})
    df.attrs[META_KEY] = plan_meta(plan)
    return df


# --------------------------------------------------------------------------- rows -> plan


def _blank(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    if isinstance(v, str) and not v.strip():
        return True
    import pandas as pd

    return v is pd.NA or v is pd.NaT


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
        v = rec.get(col)
        if _blank(v):
            if required:
                self.fail(i, col, "is empty (give a whole number)")
            return None
        try:
            f = float(v)
        except (TypeError, ValueError):
            f = math.nan
        if math.isnan(f) or f != int(f):
            self.fail(i, col, f"{v!r} is not a whole number")
            return None
        return int(f)

    def str_(self, i: int, rec: Mapping[str, Any], col: str, required: bool = True) -> Any:
        v = rec.get(col)
        if _blank(v):
            if required:
                self.fail(i, col, "is empty")
            return None
        return str(v).strip()

    def float_(self, i: int, rec: Mapping[str, Any], col: str) -> float | None:
        v = rec.get(col)
        if _blank(v):
            return None
        try:
            # "102,5 kg" from a spreadsheet with a decimal comma reads as 102.5
            text = str(v).strip().removesuffix("kg").strip().replace(",", ".")
            f = float(text) if isinstance(v, str) else float(v)
        except (TypeError, ValueError):
            self.fail(i, col, f"{v!r} is not a number of kilograms (e.g. 102.5, or leave empty)")
            return None
        return f

    def bool_(self, i: int, rec: Mapping[str, Any], col: str) -> bool:
        v = rec.get(col)
        if _blank(v):
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
        self.fail(i, col, f"{v!r} is not yes or no (use true or false)")
        return False

    def date_(self, i: int, rec: Mapping[str, Any], col: str) -> str | None:
        v = rec.get(col)
        if _blank(v):
            return None
        if isinstance(v, datetime):
            return v.date().isoformat()
        if isinstance(v, date):
            return v.isoformat()
        text = str(v).strip()
        try:
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            self.fail(i, col, f"{v!r} is not a date (use YYYY-MM-DD)")
            return None

    def clock(self, i: int, rec: Mapping[str, Any], col: str) -> str | None:
        v = rec.get(col)
        if _blank(v):
            self.fail(i, col, "is empty (give a time of day, HH:MM)")
            return None
        if isinstance(v, datetime):
            v = v.time()
        if isinstance(v, time):
            return f"{v.hour:02d}:{v.minute:02d}"
        m = _CLOCK.match(str(v).strip())
        if not m:
            self.fail(i, col, f"{v!r} is not a time of day (use HH:MM)")
            return None
        return f"{int(m.group(1)):02d}:{m.group(2)}"

    def reps(self, i: int, rec: Mapping[str, Any], col: str) -> str | None:
        v = rec.get(col)
        if _blank(v):
            self.fail(i, col, "is empty (give a rep range, e.g. 6-10)")
            return None
        if isinstance(v, int | float) and not isinstance(v, bool) and float(v) == int(v):
            return str(int(v))
        text = str(v).strip()
        if not _REPS_TEXT.match(text):
            self.fail(
                i,
                col,
                f"{v!r} is not a rep range (use LO-HI, e.g. 6-10; a spreadsheet may have "
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
            f"{v!r} differs from {first!r} in {rows.label(j)} of the same "
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
    from .catalogue import catalogue_by_id, load_catalogue

    by_name = {ex.name.lower(): ex.id for ex in load_catalogue()}
    known = catalogue_by_id()
    rows = _Rows(first_row)
    weeks: dict[int, dict[str, Any]] = {}
    sessions: dict[tuple[int, str, str], dict[str, Any]] = {}
    seen: dict[tuple, tuple[int, Any]] = {}
    for i, rec in enumerate(records):
        if "_where" in rec:
            rows.where[i] = str(rec["_where"])
        if all(_blank(rec.get(c)) for c in COLUMNS):
            continue  # a blank line
        wk = rows.int_(i, rec, "week")
        if wk is None:
            continue
        phase = rows.str_(i, rec, "phase", required=False) or "accumulation"
        block = rows.int_(i, rec, "block", required=False)
        week_rir = rows.int_(i, rec, "week_rir", required=False)
        week = weeks.setdefault(
            wk, {"week": wk, "phase": phase, "block": block, "rir": week_rir, "sessions": []}
        )
        for col, v in (("phase", phase), ("block", block), ("week_rir", week_rir)):
            _agree(rows, seen, (wk, col), i, col, v)
        if _blank(rec.get("day")):
            continue  # a week without sessions
        day = rows.str_(i, rec, "day")
        day = day.lower()[:3] if day else day
        if day not in DAYS:
            rows.fail(i, "day", f"{rec.get('day')!r} is not a weekday (use mon ... sun)")
            continue
        start = rows.clock(i, rec, "start")
        if start is None:
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
            exercise = by_name.get(name.lower())
            if exercise is None:
                rows.fail(i, "name", f"{name!r} is not a catalogue exercise; give its id")
                continue
        elif exercise not in known and exercise.lower() in by_name:
            exercise = by_name[exercise.lower()]
        sessions[skey]["exercises"].append(
            {
                "order": rows.int_(i, rec, "order"),
                "exercise": exercise,
                "sets": rows.int_(i, rec, "sets"),
                "reps": rows.reps(i, rec, "reps"),
                "rir": rows.int_(i, rec, "rir", required=False),  # empty: a drill
                "load_kg": rows.float_(i, rec, "load_kg"),
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


# --------------------------------------------------------------------------- files


def load_plan_any(path: str | Path, client: Client | None = None) -> Plan:
    """Read a plan from JSON (or YAML/TOML), CSV or xlsx, by suffix.

    A CSV or workbook written by ``legback export`` carries its metadata; one written
    from scratch needs CLIENT (the plan then uses the client's rulebook)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv_plan(path, client)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx_plan(path, client)
    from .io import load_plan

    return load_plan(path)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), ["file not found (check the path)"]) from None
    except OSError as e:
        raise InputError(str(path), [f"cannot be read ({e.__class__.__name__})"]) from None


def csv_meta_line(plan: Plan) -> str:
    """The first CSV line: a tag cell and the plan metadata as one quoted JSON cell."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(
        [CSV_TAG, json.dumps(plan_meta(plan), separators=(",", ":"))]
    )
    return buf.getvalue()


def _delimiter(text: str) -> str:
    """',' as written; ';' when a spreadsheet in a decimal-comma locale saved the file."""
    head = text.lstrip()
    if head.startswith(CSV_TAG):
        return ";" if head[len(CSV_TAG) : len(CSV_TAG) + 1] == ";" else ","
    first = head.split("\n", 1)[0]
    return ";" if first.count(";") > first.count(",") else ","


def read_csv_plan(path: str | Path, client: Client | None = None) -> Plan:
    path = Path(path)
    raw = _read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(str(path), ["is not UTF-8 text (save the CSV as UTF-8)"]) from None
    lines = list(csv.reader(io.StringIO(text), delimiter=_delimiter(text)))
    meta: dict[str, Any] | None = None
    offset = 0
    if lines and lines[0] and lines[0][0].strip() == CSV_TAG:
        offset = 1
        try:
            meta = json.loads(lines[0][1])
        except (IndexError, json.JSONDecodeError):
            raise InputError(
                str(path),
                [
                    f"line 1: the {CSV_TAG} metadata is damaged (re-export the plan, or drop "
                    "the line and pass --client)"
                ],
            ) from None
    body = lines[offset:]
    if not body:
        raise InputError(str(path), ["has no header row (week, day, start, exercise, ...)"])
    header = [h.strip().lower() for h in body[0]]
    missing = [c for c in ("week", "day", "start", "exercise") if c not in header]
    if missing:
        raise InputError(
            str(path), [f"line {offset + 1}: no column {', '.join(missing)} in the header"]
        )
    records = [dict(zip(header, r, strict=False)) for r in body[1:]]
    base = client if client is not None else meta
    if client is not None and meta is not None:
        base = meta | {"client": client.name, "client_profile": client.model_dump(mode="json")}
    return plan_from_records(records, base, source=str(path), first_row=offset + 2)


def read_xlsx_plan(path: str | Path, client: Client | None = None) -> Plan:
    """Rows from every sheet whose header has week, day, start and exercise columns."""
    from openpyxl import load_workbook

    path = Path(path)
    raw = _read_bytes(path)
    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises several kinds for a file that is not a workbook
        raise InputError(
            str(path), [f"is not an xlsx workbook ({e.__class__.__name__}); save as .xlsx"]
        ) from None
    meta: dict[str, Any] | None = None
    records: list[dict[str, Any]] = []
    for ws in wb.worksheets:
        rows = ws.iter_rows(values_only=True)
        if ws.title == META_KEY:
            meta = _sheet_meta(rows, str(path))
            continue
        header_row = next(rows, None)
        if not header_row:
            continue
        header = [str(h).strip().lower() if h is not None else "" for h in header_row]
        if not {"week", "day", "start", "exercise"} <= set(header):
            continue
        for n, r in enumerate(rows, start=2):
            records.append(
                dict(zip(header, r, strict=False)) | {"_where": f"sheet {ws.title!r}, row {n}"}
            )
    wb.close()
    base = client if client is not None else meta
    if client is not None and meta is not None:
        base = meta | {"client": client.name, "client_profile": client.model_dump(mode="json")}
    if not records and meta is None:
        raise InputError(str(path), ["has no week sheet (columns week, day, start, exercise)"])
    return plan_from_records(records, base, source=str(path), first_row=2)


def _sheet_meta(rows: Iterable[tuple], source: str) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for r in rows:
        if not r or r[0] in (None, "key"):
            continue
        text = "".join(str(c) for c in r[1:] if c is not None)
        try:
            meta[str(r[0])] = json.loads(text)
        except json.JSONDecodeError:
            raise InputError(
                source,
                [f"sheet {META_KEY}, {r[0]}: damaged metadata (re-export, or pass --client)"],
            ) from None
    return meta


# --------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class SessionLoad:
    week: int  # 1-based
    day: str
    start: str
    date: str | None
    load: int
    cap: int | None

    @property
    def label(self) -> str:
        return f"W{self.week} {self.day.capitalize()}"


@dataclass(frozen=True)
class Figures:
    """What a plan's overview shows, computed from the plan and its own rulebook."""

    weeks: list[int]
    phases: list[str]
    sets: dict[str, list[float]]  # muscle -> weekly hard sets (secondary counts 1/2)
    ranges: dict[str, tuple[float, float]] | None  # muscle -> weekly target range
    sessions: list[SessionLoad]
    session_cap: int | None
    weekly_load: list[int]
    weekly_budget: int | None
    back_status: str | None


def _rulebook(plan: Plan) -> Rulebook | None:
    from .rulebook import rulebook_from_plan

    try:
        return rulebook_from_plan(plan.rulebook.name, plan.rulebook.rules)
    except InputError:
        return None


def plan_figures(plan: Plan, client: Client | None = None) -> Figures:
    """Weekly sets per muscle (primary 1, secondary 1/2 per set) against the muscle-sets
    range, and spinal load per session (units x sets) against the spinal-budget cap."""
    from .catalogue import catalogue_by_id
    from .rules.volume import muscle_limits

    cat = catalogue_by_id()
    client = client or plan.client_profile
    book = _rulebook(plan)
    ranges = None
    if client is not None and book is not None and book.active("muscle-sets"):
        ranges = {
            m: (lo / 2, hi / 2)
            for m, (lo, hi) in muscle_limits(book.params("muscle-sets"), client).items()
        }
    cap = budget = None
    status = client.back_status if client is not None else None
    if status is not None and book is not None and book.active("spinal-budget"):
        p = book.params("spinal-budget")
        cap, budget = p.session[status], p.weekly[status]
    sets: dict[str, list[float]] = {m: [0.0] * len(plan.weeks) for m in MUSCLES}
    sessions: list[SessionLoad] = []
    weekly: list[int] = []
    for k, w in enumerate(plan.weeks):
        total = 0
        for s in sorted(w.sessions, key=lambda s: s.hour_of_week):
            load = 0
            for pe in s.exercises:
                ex = cat.get(pe.exercise)
                if ex is None:
                    continue
                load += ex.spinal_units * pe.sets
                for m in ex.primary:
                    sets[m][k] += pe.sets
                for m in ex.secondary:
                    sets[m][k] += pe.sets / 2
            total += load
            sessions.append(SessionLoad(w.week, s.day, s.start, s.date, load, cap))
        weekly.append(total)
    return Figures(
        weeks=[w.week for w in plan.weeks],
        phases=[w.phase for w in plan.weeks],
        sets=sets,
        ranges=ranges,
        sessions=sessions,
        session_cap=cap,
        weekly_load=weekly,
        weekly_budget=budget,
        back_status=status,
    )


def key_figures(plan: Plan, client: Client | None = None) -> list[tuple[str, str]]:
    """The rulebook's headline parameters for this client, as (label, value) pairs."""
    client = client or plan.client_profile
    book = _rulebook(plan)
    out: list[tuple[str, str]] = []
    if client is not None:
        out.append(
            (
                "Client",
                f"{client.experience}, {client.goal}, {client.back_status} back, "
                f"priority {client.priority}",
            )
        )
    if book is None:
        return out

    def on(rid: str) -> bool:
        return rid in book.rules and book.active(rid)

    if on("spinal-budget") and client is not None:
        p = book.params("spinal-budget")
        out.append(
            (
                "Spinal load",
                f"at most {p.session[client.back_status]} units per session, "
                f"{p.weekly[client.back_status]} per week",
            )
        )
    if on("back-loading-gap"):
        out.append(
            ("Back-loading gap", f"{book.params('back-loading-gap').hours:g} h between sessions")
        )
    if on("combined-days-max"):
        out.append(("Combined days", f"at most {book.params('combined-days-max').max} per week"))
    if on("session-shape"):
        p = book.params("session-shape")
        out.append(
            (
                "Session shape",
                f"{p.exercises[0]}-{p.exercises[1]} exercises; sets {p.sets_main[0]}-"
                f"{p.sets_main[1]} main, {p.sets_accessory[0]}-{p.sets_accessory[1]} accessory",
            )
        )
    if on("grip-order") and client is not None:
        cap = book.params("grip-order").capacity[client.experience]
        out.append(("Grip", f"capacity {cap} per session; straps where it runs out"))
    return out
