"""The one plan loader: JSON (or YAML/TOML), or a CSV/xlsx export a coach may have edited.

A CSV or workbook written by ``legback export`` carries the plan's metadata (the first
CSV line, the ``legback`` sheet); one written from scratch needs the client (the plan
then uses the client's rulebook). Rows become a plan through
:func:`legback_solver.frame.plan_from_records`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import InputError, from_validation
from ..frame import META_KEY, plan_from_records, plan_meta
from ..models import Client, Plan
from .safe import MAX_PLAN_BYTES, MAX_TABLE_BYTES, check_tree, load_json, read_input, read_text

CSV_TAG = "#legback-plan"
REQUIRED = ("week", "day", "start", "exercise")


def load_plan(path: str | Path, client: Client | None = None) -> Plan:
    """A plan from JSON (or YAML/TOML), CSV or xlsx, by suffix.

    CLIENT replaces the plan's client profile (and is needed only for a spreadsheet
    without its metadata)."""
    from .files import read_mapping

    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return read_csv_plan(path, client)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx_plan(path, client)
    data = read_mapping(path, MAX_PLAN_BYTES)
    try:
        return Plan.model_validate(data)
    except ValidationError as e:
        raise from_validation(str(path), e, fields=Plan.model_fields) from None


def _with_client(meta: dict[str, Any] | None, client: Client | None) -> Any:
    if client is None:
        return meta
    if meta is None:
        return client
    return meta | {"client": client.name, "client_profile": client.model_dump(mode="json")}


# --------------------------------------------------------------------------- csv


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


def _meta_json(text: str, source: str, where: str) -> Any:
    try:
        return check_tree(load_json(text), source)
    except (ValueError, RecursionError):
        raise InputError(
            source,
            [
                f"{where}: the legback metadata is damaged (re-export the plan, or drop it "
                "and pass --client)"
            ],
        ) from None


def read_csv_plan(path: str | Path, client: Client | None = None) -> Plan:
    path = Path(path)
    text = read_text(path, MAX_TABLE_BYTES)
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, MAX_TABLE_BYTES))  # the metadata cell of a long plan
    try:
        lines = list(csv.reader(io.StringIO(text), delimiter=_delimiter(text)))
    except csv.Error as e:
        raise InputError(str(path), [f"is not a readable CSV ({e})"]) from None
    finally:
        csv.field_size_limit(old)
    meta: dict[str, Any] | None = None
    offset = 0
    if lines and lines[0] and lines[0][0].strip() == CSV_TAG:
        offset = 1
        meta = _meta_json(lines[0][1] if len(lines[0]) > 1 else "", str(path), "line 1")
        if not isinstance(meta, dict):
            raise InputError(str(path), ["line 1: the legback metadata is not a mapping"])
    body = lines[offset:]
    if not body:
        raise InputError(str(path), ["has no header row (week, day, start, exercise, ...)"])
    header = [h.strip().lower() for h in body[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(
            str(path), [f"line {offset + 1}: no column {', '.join(missing)} in the header"]
        )
    records = [dict(zip(header, r, strict=False)) for r in body[1:]]
    if not records:
        raise InputError(str(path), ["has a header but no rows (the plan has no weeks)"])
    return plan_from_records(
        records, _with_client(meta, client), source=str(path), first_row=offset + 2
    )


# --------------------------------------------------------------------------- xlsx


def read_xlsx_plan(path: str | Path, client: Client | None = None) -> Plan:
    """Rows from every week sheet (a header with week, day, start and exercise)."""
    from openpyxl import load_workbook

    path = Path(path)
    raw = read_input(path, MAX_TABLE_BYTES)
    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises several kinds for a file that is not a workbook
        raise InputError(
            str(path), [f"is not an xlsx workbook ({e.__class__.__name__}); save as .xlsx"]
        ) from None
    meta: dict[str, Any] | None = None
    records: list[dict[str, Any]] = []
    try:
        for ws in wb.worksheets:
            rows = ws.iter_rows(values_only=True)
            if ws.title == META_KEY:
                meta = _sheet_meta(rows, str(path))
                continue
            header_row = next(rows, None)
            header = [str(h).strip().lower() if h is not None else "" for h in header_row or ()]
            if not {"week", "day", "start", "exercise"} <= set(header):
                if ws.title.lower().startswith("week"):
                    missing = [c for c in REQUIRED if c not in header]
                    raise InputError(
                        str(path),
                        [
                            f"sheet {ws.title!r}: no column {', '.join(missing)} in the header "
                            "(restore the header row)"
                        ],
                    )
                continue
            for n, r in enumerate(rows, start=2):
                records.append(
                    dict(zip(header, r, strict=False)) | {"_where": f"sheet {ws.title!r}, row {n}"}
                )
    finally:
        wb.close()
    if not records:
        raise InputError(str(path), ["has no week sheet with rows (week, day, start, exercise)"])
    return plan_from_records(records, _with_client(meta, client), source=str(path), first_row=2)


def _sheet_meta(rows: Iterable[tuple], source: str) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for r in rows:
        if not r or r[0] in (None, "key"):
            continue
        text = "".join(str(c) for c in r[1:] if c is not None)
        meta[str(r[0])] = _meta_json(text, source, f"sheet {META_KEY}, {r[0]}")
    return meta
