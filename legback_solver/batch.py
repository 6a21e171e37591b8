"""Batch-solve a roster: many clients, one machine (a process pool) or a Dask cluster.

Output folder layout (``DIR``):

    DIR/<key>.json            the client's plan (schema legback.plan/1), written atomically
                              as soon as it is solved; infeasible clients get a plan with
                              the explanation, malformed rows get none
    DIR/_batch/<key>.json     the client's record: content hash, status, objective,
                              solve seconds, checker violations, error (written after the
                              plan, so a record always points at a complete plan)
    DIR/_batch/roster.json    the keys of the last run, in roster order
    DIR/summary.csv|.parquet  one row per client, written atomically at the end

``<key>`` is a slug of the roster's ``id`` column, else of the client's name (else
``row-N``). Keys never collide: the first client with a key keeps it, a later one gets
the smallest free ``<key>-N`` (never a key another client has, nor ``roster`` or
``summary``), and the renaming is recorded in its record and in ``roster.json``. Re-running the same batch resumes: a client whose
content hash (canonical client JSON + weeks + effective rulebook) matches its record is not
solved again. Crashed clients are retried, and so are clients that found no answer in
time when the new time limit is longer.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import InputError, shorten
from .io import read_mapping, write_atomic
from .util import is_blank, slug
from .workers import run_dask, run_pool

SUMMARY_COLUMNS = [
    "id",
    "client",
    "status",
    "objective",
    "solve_seconds",
    "violations",
    "error",
    "plan",
]
SOLVED = ("optimal", "feasible")
CLIENT_SUFFIXES = (".yaml", ".yml", ".json", ".toml")
META = "_batch"
RECORD_VERSION = 1


@dataclass
class Entry:
    """One roster client: its output key, where it came from, and its data or its error."""

    key: str
    source: str
    name: str = ""
    data: dict[str, Any] | None = None
    error: str | None = None
    digest: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


# --- reading a roster ---------------------------------------------------------------


RESERVED_KEYS = frozenset({"roster", "summary"})


def _unique(keys: list[str]) -> list[str]:
    """KEYS made distinct, deterministically: the first holder of a key keeps it; a later
    one (or a reserved name) gets the smallest ``key-N`` that no client has."""
    taken = set(RESERVED_KEYS)
    first: set[int] = set()
    for i, k in enumerate(keys):
        if k not in taken:
            taken.add(k)
            first.add(i)
    out = []
    for i, k in enumerate(keys):
        if i in first:
            out.append(k)
            continue
        n = 2
        while f"{k}-{n}" in taken:
            n += 1
        taken.add(f"{k}-{n}")
        out.append(f"{k}-{n}")
    return out


def _assign(entries: list[Entry], keys: list[str]) -> None:
    for e, base, k in zip(entries, keys, _unique(keys), strict=True):
        e.key = k
        if k != base:
            e.extra["renamed_from"] = base


def read_table(path: str | Path) -> pd.DataFrame:
    """A roster table: a regular file of at most 20 MB (io.safe.MAX_TABLE_BYTES)."""
    import io

    from .io.safe import MAX_TABLE_BYTES, read_input

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".parquet", ".pq", ".csv", ".tsv", ".txt"):
        raise InputError(
            str(path),
            ["is not a roster (give a .csv or .parquet table, or a folder of client files)"],
        )
    raw = io.BytesIO(read_input(path, MAX_TABLE_BYTES))
    try:
        if suffix == ".parquet" or suffix == ".pq":
            return pd.read_parquet(raw)
        if suffix in (".csv", ".tsv", ".txt"):
            return pd.read_csv(
                raw,
                dtype=str,
                keep_default_na=False,
                sep="\t" if suffix == ".tsv" else ",",
                skipinitialspace=True,
            )
    except FileNotFoundError:
        raise InputError(str(path), ["file not found (check the path)"]) from None
    except Exception as e:  # pandas and pyarrow raise many kinds for a damaged table
        first = str(e).splitlines()[0] if str(e) else e.__class__.__name__
        raise InputError(
            str(path), [f"cannot be read as a roster table ({shorten(first, 160, quote=False)})"]
        ) from None
    raise InputError(
        str(path),
        ["is not a roster (give a .csv or .parquet table, or a folder of client files)"],
    )


def read_roster(roster: str | Path | pd.DataFrame | Iterable[Any]) -> list[Entry]:
    """The clients of ROSTER: a CSV/Parquet table (column form, see roster.py), a folder
    of client files (YAML/JSON/TOML), a DataFrame, or an iterable of client mappings or
    Client models. A bad row becomes an Entry with its error; only an unreadable roster
    raises InputError."""
    from .roster import row_to_mapping

    entries: list[Entry] = []
    keys: list[str] = []
    if isinstance(roster, str | Path):
        path = Path(roster)
        if path.is_dir():
            files = sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in CLIENT_SUFFIXES and p.name[0] not in "._"
            )
            if not files:
                raise InputError(str(path), ["holds no client files (.yaml, .json or .toml)"])
            for p in files:
                entry = Entry(key="", source=str(p))
                try:
                    entry.data = read_mapping(p)
                    entry.name = str(entry.data.get("name") or "")
                except InputError as e:
                    entry.error = e.paragraph()
                entries.append(entry)
                keys.append(slug(p.stem, 80))
            _assign(entries, keys)
            return entries
        if not path.exists():
            raise InputError(str(path), ["not found (give a .csv/.parquet roster or a folder)"])
        roster = read_table(path)
    if isinstance(roster, pd.DataFrame):
        if "name" not in roster.columns:
            raise InputError(
                "roster", ["has no 'name' column (one client per row; see `legback batch -h`)"]
            )
        rows: Iterable[Any] = roster.to_dict("records")
    else:
        rows = roster
    for i, row in enumerate(rows, start=1):
        source = f"row {i}"
        if hasattr(row, "model_dump"):
            row = row.model_dump(mode="json")
        entry = Entry(key="", source=source)
        rid = row.get("id") if isinstance(row, dict) else None
        name = row.get("name") if isinstance(row, dict) else None
        entry.name = "" if is_blank(name) else str(name).strip()
        try:
            if not isinstance(row, dict):
                raise InputError(source, ["is not a mapping of client fields"])
            entry.data = row_to_mapping(row, source)
        except InputError as e:
            entry.error = e.paragraph()
        except Exception as e:  # a row that breaks the reader is that row's failure
            entry.error = f"{source}: cannot be read ({e.__class__.__name__}: {shorten(e)})."
        entries.append(entry)
        keys.append(
            slug(rid, 80)
            if not is_blank(rid)
            else slug(entry.name, 80)
            if entry.name
            else f"row-{i}"
        )
    _assign(entries, keys)
    return entries


def prepare(entry: Entry, weeks: int) -> None:
    """Validate ENTRY's client (fields, exercise ids, rulebook, weeks) and hash it."""
    from .data import make_data
    from .io import parse_client

    if entry.error is not None or entry.data is None:
        entry.digest = _digest({"error": entry.error, "weeks": weeks})
        return
    try:
        client = parse_client(entry.data, entry.source)
        entry.name = client.name
        data = make_data(client, weeks)
    except InputError as e:
        if e.source in ("client", "weeks", "rulebook"):
            e = InputError(f"{entry.source} ({e.source})", e.problems)
        entry.error = e.paragraph()
        entry.digest = _digest({"error": entry.error, "weeks": weeks})
        return
    except Exception as e:  # never abort the batch for one client
        entry.error = f"{entry.source}: {e.__class__.__name__}: {shorten(e)}."
        entry.digest = _digest({"error": entry.error, "weeks": weeks})
        return
    entry.data = client.model_dump(mode="json")
    entry.digest = _digest(
        {
            "client": entry.data,
            "weeks": weeks,
            "rulebook": {"name": data.rulebook.name, "rules": data.rulebook.effective()},
        }
    )


def _digest(obj: Any) -> str:
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- the output folder ----------------------------------------------------------------


def _record_path(out_dir: Path, key: str) -> Path:
    return out_dir / META / f"{key}.json"


def load_record(out_dir: Path, key: str) -> dict[str, Any] | None:
    try:
        return json.loads(_record_path(out_dir, key).read_text("utf-8"))
    except (OSError, ValueError):
        return None


def _is_done(
    rec: dict[str, Any] | None,
    entry: Entry,
    out_dir: Path,
    time_limit: float,
    gap: float | None = None,
) -> bool:
    if not rec or rec.get("hash") != entry.digest or rec.get("version") != RECORD_VERSION:
        return False
    status = rec.get("status")
    if status == "feasible" and rec.get("gap_limit") != gap:
        return False  # stopped at another gap: solve again at this one
    if status == "error":
        return False  # a crash may be transient: try again
    if status == "unknown" and time_limit > float(rec.get("time_limit") or 0):
        return False
    return not rec.get("plan") or (out_dir / rec["plan"]).is_file()


def _store(out_dir: Path, entry: Entry, record: dict[str, Any], plan_json: str | None) -> None:
    record = dict(record)
    record.update(id=entry.key, source=entry.source, hash=entry.digest, version=RECORD_VERSION)
    if "renamed_from" in entry.extra:
        record["renamed_from"] = entry.extra["renamed_from"]
    record.setdefault("client", entry.name)
    record["plan"] = None
    if plan_json is not None:
        write_atomic(out_dir / f"{entry.key}.json", plan_json)
        record["plan"] = f"{entry.key}.json"
    write_atomic(_record_path(out_dir, entry.key), json.dumps(record, indent=1) + "\n")


def _frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    df = pd.DataFrame([{c: r.get(c) for c in SUMMARY_COLUMNS} for r in records])
    if df.empty:
        df = pd.DataFrame(columns=SUMMARY_COLUMNS)
    df["objective"] = pd.array(df["objective"], dtype="Int64")
    df["violations"] = pd.array(df["violations"], dtype="Int64")
    df["solve_seconds"] = pd.to_numeric(df["solve_seconds"], errors="coerce").astype("float64")
    for c in ("id", "client", "status", "error", "plan"):
        df[c] = df[c].astype("object")
    return df


def summary(out_dir: str | Path) -> pd.DataFrame:
    """The batch summary of OUT_DIR as a DataFrame, rebuilt from the client records:
    id, client, status, objective, solve_seconds, violations, error, plan (file name).
    Limited to the clients of the last run when its roster list is there."""
    out_dir = Path(out_dir)
    meta = out_dir / META
    try:
        keys = json.loads((meta / "roster.json").read_text("utf-8"))["keys"]
    except (OSError, ValueError, KeyError):
        keys = sorted(p.stem for p in meta.glob("*.json") if p.name != "roster.json")
    records = []
    for k in keys:
        rec = load_record(out_dir, k)
        records.append(rec or {"id": k, "status": "pending", "error": "not solved yet"})
    return _frame(records)


def write_summary(out_dir: str | Path) -> pd.DataFrame:
    out_dir = Path(out_dir)
    df = summary(out_dir)
    write_atomic(out_dir / "summary.csv", df.to_csv(index=False))
    try:
        import pyarrow  # noqa: F401
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        return df
    write_atomic(out_dir / "summary.parquet", df.to_parquet(index=False))
    return df


# --- running ---------------------------------------------------------------------------


class _Counts:
    def __init__(self, total: int) -> None:
        self.total = total
        self.solved = self.infeasible = self.failed = self.skipped = 0

    def add(self, status: str) -> None:
        if status in SOLVED:
            self.solved += 1
        elif status == "infeasible":
            self.infeasible += 1
        else:
            self.failed += 1


def _progress(enabled: bool, total: int):
    if not enabled:
        return None
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("[bold]batch"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(
            "[green]{task.fields[solved]} solved[/] [yellow]{task.fields[infeasible]} "
            "infeasible[/] [red]{task.fields[failed]} failed[/]"
        ),
        TextColumn("{task.fields[rate]} clients/s"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=False,
    )


def solve_roster(
    roster: str | Path | pd.DataFrame | Iterable[Any],
    out_dir: str | Path,
    weeks: int = 1,
    jobs: int | None = None,
    dask: str | None = None,
    time_limit: float = 30.0,
    seed: int = 0,
    progress: bool | None = None,
    gap: float | None = None,
    on_result: Callable[[dict[str, Any]], None] | None = None,
) -> pd.DataFrame:
    """Solve every client of ROSTER into OUT_DIR and return the summary DataFrame.

    jobs: worker processes (default: one per core). Each solve uses 1 CP-SAT worker
    (fastest in a batch, and deterministic), so the threads match the cores at the
    default; a smaller --jobs leaves cores idle. dask: None for the local process
    pool, 'local' for a dask LocalCluster of JOBS single-threaded worker processes, or a
    scheduler address ('tcp://host:8786') to run on a cluster. gap: as solve's (None:
    0 for one week, 1% for a mesocycle). Clients already solved with the same input are
    skipped (resume; a plan stopped at another gap is solved again); summary.csv and summary.parquet are written
    at the end, and also when interrupted."""
    out_dir = Path(out_dir)
    cores = os.cpu_count() or 1
    jobs = max(1, int(jobs or cores))
    if time_limit <= 0:
        raise InputError("--time-limit", [f"{time_limit:g} is not a number of seconds (use > 0)"])
    entries = read_roster(roster)
    if not entries:
        raise InputError("roster", ["holds no clients"])
    try:
        (out_dir / META).mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(
            str(out_dir), [f"cannot be created ({e.strerror}); choose another --out"]
        ) from None
    renamed = {e.key: e.extra["renamed_from"] for e in entries if "renamed_from" in e.extra}
    write_atomic(
        out_dir / META / "roster.json",
        json.dumps(
            {"weeks": weeks, "keys": [e.key for e in entries], "renamed": renamed}, indent=1
        ),
    )
    for e in entries:
        prepare(e, weeks)

    counts = _Counts(len(entries))
    todo: list[Entry] = []
    for e in entries:
        rec = load_record(out_dir, e.key)
        if _is_done(rec, e, out_dir, time_limit, gap):
            counts.skipped += 1
            counts.add(rec["status"])
        elif e.error is not None:
            status = "invalid"
            _store(out_dir, e, {"status": status, "error": e.error, "client": e.name}, None)
            counts.add(status)
        else:
            todo.append(e)

    show = sys.stderr.isatty() if progress is None else progress
    bar = _progress(show, len(entries))
    t0 = time.perf_counter()
    done_now = 0

    def finished(entry: Entry, record: dict[str, Any], plan_json: str | None) -> None:
        nonlocal done_now
        _store(out_dir, entry, record, plan_json)
        counts.add(record["status"])
        done_now += 1
        if on_result:
            on_result(record)
        if bar is not None:
            rate = done_now / max(1e-9, time.perf_counter() - t0)
            bar.update(task, advance=1, rate=f"{rate:.1f}", **_fields(counts))

    task = None
    if bar is not None:
        bar.start()
        task = bar.add_task(
            "batch",
            total=len(entries),
            completed=len(entries) - len(todo),
            rate="-",
            **_fields(counts),
        )
    try:
        if todo:
            args = (weeks, time_limit, seed, gap)
            if dask is None:
                run_pool(todo, args, jobs, 1, finished)
            else:
                run_dask(todo, args, jobs, dask, finished)
    finally:
        if bar is not None:
            bar.stop()
        write_summary(out_dir)
    return summary(out_dir)


def _fields(c: _Counts) -> dict[str, int]:
    return {"solved": c.solved, "infeasible": c.infeasible, "failed": c.failed}
