"""Plans coaches can hand out: JSON, CSV, xlsx, Markdown, HTML and iCalendar.

``export_plan(plan, fmt)`` returns the file's content (``bytes`` for xlsx, ``str``
otherwise); ``write_plan(plan, path, fmt)`` writes it atomically. CSV and xlsx carry
the plan's metadata, so ``legback check`` audits them after a coach edits them (see
:mod:`legback_solver.io.plan`). The HTML page is one self-contained file (inline CSS,
no external references); printed, each week starts a new page.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from html import escape
from pathlib import Path

from ..errors import InputError
from ..figures import key_figures, plan_figures
from ..frame import (
    COLUMNS,
    META_KEY,
    plan_meta,
    plan_rows,
    rest_cell,
)
from ..models import MUSCLES, Plan, Session, Week
from ..util import slug
from . import text
from .layout import (
    exercise_name,
    headline,
    load_text,
    muscle_rows,
    num,
    out_of_range,
    range_text,
    rest_text,
    rir_text,
    session_title,
    week_loads,
    week_title,
)
from .pdf import plan_pdf
from .plan import csv_meta_line

FORMATS: tuple[str, ...] = ("json", "csv", "xlsx", "md", "html", "ics", "pdf")
SUFFIXES = {
    ".json": "json",
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".ics": "ics",
    ".pdf": "pdf",
}
BINARY = frozenset({"xlsx", "pdf"})


def format_for(path: str | Path | None, fmt: str | None = None) -> str:
    """The export format: FMT if given, else from PATH's suffix, else json.

    A known suffix that contradicts FMT is an error (a .xlsx file holding CSV helps no one)."""
    by_suffix = SUFFIXES.get(Path(path).suffix.lower()) if path else None
    if fmt is None:
        return by_suffix or "json"
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise InputError("--format", [f"{fmt!r} is not a format (use {', '.join(FORMATS)})"])
    if by_suffix is not None and by_suffix != fmt:
        raise InputError(
            "--format",
            [
                f"{fmt} does not match --out {Path(str(path)).name} (drop --format or fix the suffix)"
            ],
        )
    return fmt


def export_plan(plan: Plan, fmt: str) -> str | bytes:
    """PLAN as the content of a FMT file (one of FORMATS)."""
    writers = {
        "json": lambda p: p.to_json(),
        "csv": plan_csv,
        "xlsx": plan_xlsx,
        "md": plan_markdown,
        "html": plan_html,
        "ics": plan_ics,
        "pdf": plan_pdf,
    }
    if fmt not in writers:
        raise InputError("--format", [f"{fmt!r} is not a format (use {', '.join(FORMATS)})"])
    return writers[fmt](plan)


def write_plan(plan: Plan, path: str | Path, fmt: str | None = None) -> str:
    """Write PLAN to PATH atomically in FMT (or the suffix's format); returns the format."""
    from .files import write_atomic

    fmt = format_for(path, fmt)
    write_atomic(path, export_plan(plan, fmt))
    return fmt


def plan_csv(plan: Plan) -> str:
    """One row per prescribed exercise; line 1 holds the plan's metadata as JSON."""
    import csv

    buf = io.StringIO()
    buf.write(csv_meta_line(plan))
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for row in plan_rows(plan, rest=True):
        w.writerow(["" if row[c] is None else text.cell(_csv_cell(row[c])) for c in COLUMNS])
    return buf.getvalue()


def _csv_cell(v: object) -> object:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    return v


# --------------------------------------------------------------------------- xlsx


def plan_xlsx(plan: Plan) -> bytes:
    """An overview sheet, one sheet per week (the CSV's columns) and a `legback`
    metadata sheet that lets `legback check` audit the workbook after edits."""
    import json

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDE4EE")
    bad_fill = PatternFill("solid", fgColor="F8CBAD")
    fig = plan_figures(plan)
    wb = Workbook()
    ov = wb.active
    ov.title = "Overview"

    def header(ws, row: int, values: list[str]) -> None:
        for c, v in enumerate(values, start=1):
            cell = ws.cell(row=row, column=c, value=text.cell(v))
            cell.font = bold
            cell.fill = head_fill

    # Overview: sets per muscle per week, then spinal load per session.
    header(ov, 1, ["Muscle", "Min sets", "Max sets", *[f"Week {w}" for w in fig.weeks]])
    r = 2
    for m in MUSCLES:
        lo, hi = fig.ranges[m] if fig.ranges else (None, None)
        ov.cell(row=r, column=1, value=m)
        ov.cell(row=r, column=2, value=lo)
        ov.cell(row=r, column=3, value=hi)
        for k in range(len(fig.weeks)):
            cell = ov.cell(row=r, column=4 + k, value=fig.sets[m][k])
            if out_of_range(fig, m, k):
                cell.fill = bad_fill
        r += 1
    phase_row = r
    ov.cell(row=phase_row, column=1, value="phase").font = Font(italic=True)
    for k, ph in enumerate(fig.phases):
        ov.cell(row=phase_row, column=4 + k, value=text.cell(ph)).font = Font(italic=True)
    r += 2
    ov.cell(row=r, column=1, value="Spinal load per session").font = Font(bold=True, size=12)
    r += 1
    header(ov, r, ["Week", "Day", "Date", "Start", "Load", "Session cap", "Week load", "Budget"])
    r += 1
    for sl in fig.sessions:
        k = fig.weeks.index(sl.week)
        values = [
            sl.week,
            sl.day,
            _xl_date(sl.date),
            sl.start,
            sl.load,
            sl.cap,
            fig.weekly_load[k],
            fig.weekly_budget,
        ]
        for c, v in enumerate(values, start=1):
            cell = ov.cell(row=r, column=c, value=text.cell(v))
            if c == 3 and v is not None:
                cell.number_format = "yyyy-mm-dd"
        if sl.cap is not None and sl.load > sl.cap:
            ov.cell(row=r, column=5).fill = bad_fill
        if fig.weekly_budget is not None and fig.weekly_load[k] > fig.weekly_budget:
            ov.cell(row=r, column=7).fill = bad_fill
        r += 1
    r += 1
    ov.cell(row=r, column=1, value=text.cell(plan.client)).font = Font(bold=True, size=12)
    for label, value in [*headline(plan), *key_figures(plan)]:
        r += 1
        ov.cell(row=r, column=1, value=text.cell(label)).font = bold
        ov.cell(row=r, column=2, value=text.cell(value))
    ov.freeze_panes = "B2"
    _widths(ov, get_column_letter, cap=22)
    ov.column_dimensions["B"].width = 12

    # One sheet per week: the CSV's columns, frozen header, a filter.
    rows = plan_rows(plan, rest=True)
    for week in plan.weeks:
        ws = wb.create_sheet(f"Week {week.week}")
        header(ws, 1, list(COLUMNS))
        n = 1
        for row in rows:
            if row["week"] != week.week:
                continue
            n += 1
            for c, col in enumerate(COLUMNS, start=1):
                v = row[col]
                if col == "date":
                    v = _xl_date(v)
                cell = ws.cell(row=n, column=c, value=text.cell(v))
                if col == "date" and v is not None:
                    cell.number_format = "yyyy-mm-dd"
                elif col in ("reps", "start"):
                    cell.number_format = "@"  # text: keeps 8-12 from turning into a date
                    cell.alignment = Alignment(horizontal="right")
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{n}"
        _widths(ws, get_column_letter, cap=34)

    # Metadata: one row per top-level key, JSON split into cells of at most 30000 chars.
    meta = wb.create_sheet(META_KEY)
    header(meta, 1, ["key", "json (do not edit: lets `legback check` audit this workbook)"])
    for r, (key, value) in enumerate(plan_meta(plan).items(), start=2):
        meta.cell(row=r, column=1, value=key)
        chunks = _chunks(json.dumps(value, separators=(",", ":"), ensure_ascii=True))
        for c, chunk in enumerate(chunks, start=2):
            meta.cell(row=r, column=c, value=chunk).data_type = "s"  # text, never a formula
    meta.column_dimensions["A"].width = 16
    meta.column_dimensions["B"].width = 80

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _chunks(data: str, size: int = 30000) -> list[str]:
    """DATA in cells of at most SIZE characters, none starting with a formula prefix
    (JSON with ensure_ascii holds no control characters)."""
    out: list[str] = []
    i = 0
    while i < len(data) or not out:
        j = min(len(data), i + size)
        while j < len(data) and j > i + 1 and data[j] in text.FORMULA_PREFIXES:
            j -= 1
        out.append(data[i:j])
        i = j
    return out


def _xl_date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _widths(ws, letter, cap: int) -> None:
    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            v = cell.value
            n = 10 if isinstance(v, date) else len(str(v))
            widths[cell.column] = max(widths.get(cell.column, 0), n)
    for col, n in widths.items():
        ws.column_dimensions[letter(col)].width = min(cap, max(6, n + 2))


# --------------------------------------------------------------------------- markdown

PAGE_BREAK = '<div style="page-break-after: always; break-after: page;"></div>'


def _md(value: object) -> str:
    return text.markdown(value)


def plan_markdown(plan: Plan) -> str:
    """A printable program: the client and key figures, then one page per week."""
    fig = plan_figures(plan)
    n = len(plan.weeks)
    out = [f"# Training plan: {_md(plan.client)}", ""]
    for label, value in [*headline(plan), *key_figures(plan)]:
        out.append(f"- **{label}:** {_md(value)}")
    out.append("")
    if plan.weeks:
        out += ["## Weekly sets per muscle", ""]
        out.append("| Muscle | Target | " + " | ".join(f"W{w}" for w in fig.weeks) + " |")
        out.append("|---|---|" + "---:|" * n)
        for m in muscle_rows(fig):
            cells = [
                num(fig.sets[m][k]) + (" !" if out_of_range(fig, m, k) else "") for k in range(n)
            ]
            out.append(f"| {m} | {range_text(fig, m)} | " + " | ".join(cells) + " |")
        out.append("")
    for line in plan.explanation:
        out += [f"> {_md(line)}", ""]
    for week in plan.weeks:
        out += [PAGE_BREAK, "", f"## {week_title(week, n)}", ""]
        for s in week.sessions:
            out += [f"### {session_title(s)}", ""]
            out.append("| # | Exercise | Sets | Reps | RIR | Load | Straps |")
            out.append("|---:|---|---:|---|---:|---:|---|")
            for pe in s.exercises:
                out.append(
                    f"| {pe.order} | {_md(exercise_name(pe.exercise))} | {pe.sets} | {pe.reps} | "
                    f"{rir_text(pe)} | {load_text(pe)} | {'straps' if pe.straps else ''} |"
                )
            out.append("")
        if week.rest:
            out += ["### Rest or upper-body days", ""]
            out += [f"- {_md(rest_text(r))}" for r in week.rest]
            out.append("")
        out += [f"Spinal load: {week_loads(fig, week.week)}", ""]
    return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------------- html

CSS = """
:root { --ink: #1d2733; --muted: #5b6878; --line: #d3dae3; --band: #eef2f7; --bad: #b3261e; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); margin: 2rem auto; max-width: 60rem; padding: 0 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid var(--ink); padding-bottom: .2rem;
     margin: 1.6rem 0 .6rem; }
h3 { font-size: 1rem; margin: 1.1rem 0 .35rem; }
.sub { color: var(--muted); margin: 0 0 1rem; }
dl.figures { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.figures dt { font-weight: 600; }
dl.figures dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .2rem 0 .6rem; }
th, td { border-bottom: 1px solid var(--line); padding: .28rem .5rem; text-align: left; }
th { background: var(--band); font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.bad { color: var(--bad); font-weight: 700; }
.load { color: var(--muted); margin: .3rem 0 0; }
.explanation { border-left: 4px solid var(--bad); padding: .3rem .8rem; background: #fbeeee; }
section.week { margin-top: 1rem; }
@page { size: A4; margin: 14mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10pt; line-height: 1.3; }
  h2 { margin: .9rem 0 .4rem; }
  th, td { padding: .12rem .45rem; }
  section.page { page-break-after: always; break-after: page; }
  section.page:last-of-type { page-break-after: auto; break-after: auto; }
  h3, tr { page-break-inside: avoid; break-inside: avoid; }
}
"""


def _cls(name: str) -> str:
    return f' class="{name}"' if name else ""


def _table(head: list[tuple[str, bool]], rows: list[list[tuple[str, str]]]) -> str:
    """HEAD: (label, numeric); ROWS: cells as (text, css class)."""
    th = "".join(f"<th{_cls('n' if num else '')}>{escape(h)}</th>" for h, num in head)
    body = "".join(
        "<tr>" + "".join(f"<td{_cls(cls)}>{escape(t)}</td>" for t, cls in row) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def plan_html(plan: Plan) -> str:
    """One self-contained page (inline CSS only); printed, one page per week."""
    fig = plan_figures(plan)
    n = len(plan.weeks)
    p: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Training plan: {escape(plan.client)}</title>",
        f"<style>{CSS}</style></head><body>",
        '<section class="page overview">',
        f"<h1>Training plan: {escape(plan.client)}</h1>",
        '<p class="sub">Leg and back program written by legback</p>',
        '<dl class="figures">',
    ]
    for label, value in [*headline(plan), *key_figures(plan)]:
        p.append(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>")
    p.append("</dl>")
    for line in plan.explanation:
        p.append(f'<p class="explanation">{escape(line)}</p>')
    if plan.weeks:
        p.append("<h2>Weekly sets per muscle</h2>")
        rows = [
            [(m.replace("_", " "), ""), (range_text(fig, m), "n")]
            + [(num(fig.sets[m][k]), "n bad" if out_of_range(fig, m, k) else "n") for k in range(n)]
            for m in muscle_rows(fig)
        ]
        p.append(
            _table(
                [("Muscle", False), ("Target", True)]
                + [
                    (f"W{w}" + (" deload" if ph == "deload" else ""), True)
                    for w, ph in zip(fig.weeks, fig.phases, strict=True)
                ],
                rows,
            )
        )
        p.append("<h2>Spinal load per session</h2>")
        cap = fig.session_cap
        rows = [
            [
                (f"W{sl.week} {sl.day.capitalize()}" + (f" {sl.date}" if sl.date else ""), ""),
                (sl.start, ""),
                (str(sl.load), "n bad" if cap is not None and sl.load > cap else "n"),
                ("-" if cap is None else str(cap), "n"),
            ]
            for sl in fig.sessions
        ]
        p.append(
            _table([("Session", False), ("Start", False), ("Load", True), ("Cap", True)], rows)
        )
    p.append("</section>")
    for week in plan.weeks:
        p.append(f'<section class="page week" id="week-{week.week}">')
        p.append(f"<h2>{escape(week_title(week, n))}</h2>")
        for s in week.sessions:
            p.append(f"<h3>{escape(session_title(s))}</h3>")
            rows = [
                [
                    (str(pe.order), "n"),
                    (exercise_name(pe.exercise), ""),
                    (str(pe.sets), "n"),
                    (pe.reps, ""),
                    (rir_text(pe), "n"),
                    (load_text(pe), "n"),
                    ("straps" if pe.straps else "", ""),
                ]
                for pe in s.exercises
            ]
            p.append(
                _table(
                    [
                        ("#", True),
                        ("Exercise", False),
                        ("Sets", True),
                        ("Reps", False),
                        ("RIR", True),
                        ("Load", True),
                        ("Straps", False),
                    ],
                    rows,
                )
            )
        if week.rest:
            p.append("<h3>Rest or upper-body days</h3>")
            p.append(
                '<ul class="rest">'
                + "".join(f"<li>{escape(rest_text(r))}</li>" for r in week.rest)
                + "</ul>"
            )
        p.append(f'<p class="load">Spinal load: {escape(week_loads(fig, week.week))}</p>')
        p.append("</section>")
    p.append("</body></html>")
    return "\n".join(p) + "\n"


# --------------------------------------------------------------------------- ics


def session_start(plan: Plan, week: Week, s: Session) -> datetime:
    """Local (floating) start of a session; InputError when the plan has no dates."""
    from ..models import DAYS, parse_time

    if s.date:
        day = date.fromisoformat(s.date)
    elif plan.start_date:
        day = date.fromisoformat(plan.start_date) + timedelta(
            days=7 * (week.week - 1) + DAYS.index(s.day)
        )
    else:
        raise InputError(
            "plan",
            [
                "has no dates, so it cannot go into a calendar; solve it with "
                "--start-date YYYY-MM-DD (a Monday)"
            ],
        )
    minutes = parse_time(s.start)
    return datetime.combine(day, datetime.min.time()) + timedelta(minutes=minutes)


def plan_ics(plan: Plan, stamp: datetime | None = None) -> str:
    """One event per session at its date and local start time (floating time: the
    client's own clock), lasting the slot's minutes, the exercises in the description."""
    from icalendar import Calendar, Event

    stamp = stamp or datetime.now(UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", "-//legback//training plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", text.one_line(f"Training: {plan.client}"))
    uid = slug(plan.client)
    n = len(plan.weeks)
    for week in plan.weeks:
        for s in week.sessions:
            start = session_start(plan, week, s)
            lines = [week_title(week, n)]
            for pe in s.exercises:
                extra = ", ".join(x for x in (load_text(pe), "straps" if pe.straps else "") if x)
                lines.append(
                    f"{pe.order}. {text.one_line(exercise_name(pe.exercise))}: {pe.sets} x {pe.reps}"
                    + (f", RIR {pe.rir}" if pe.rir is not None else "")
                    + (f", {extra}" if extra else "")
                )
            ev = Event()
            ev.add("uid", f"{uid}-{start:%Y%m%dT%H%M}-w{week.week}@legback")
            ev.add("dtstamp", stamp)
            ev.add("dtstart", start)
            ev.add("dtend", start + timedelta(minutes=s.minutes))
            ev.add("summary", f"{s.focus.capitalize()} training · week {week.week}")
            ev.add("description", "\n".join(lines))
            ev.add("categories", ["Training"])
            cal.add_component(ev)
        for r in week.rest:  # the free slots: rest or upper body, and the rule why
            free = Session(day=r.day, start=r.start, minutes=r.minutes, focus="legs", exercises=[])
            start = session_start(plan, week, free)
            ev = Event()
            ev.add("uid", f"{uid}-{start:%Y%m%dT%H%M}-w{week.week}-rest@legback")
            ev.add("dtstamp", stamp)
            ev.add("dtstart", start)
            ev.add("dtend", start + timedelta(minutes=r.minutes))
            ev.add("summary", f"Rest or upper body · week {week.week}")
            ev.add("description", text.one_line(rest_cell(r)))
            ev.add("categories", ["Rest"])
            ev.add("transp", "TRANSPARENT")
            cal.add_component(ev)
    return cal.to_ical().decode("utf-8")
