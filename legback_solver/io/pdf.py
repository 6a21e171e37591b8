"""The plan as a PDF to hand to a client: the html export's content, one page per week.

Page 1 is the overview (client, status, key figures, weekly sets per muscle against the
target, spinal load per session against the cap); then each week starts a new page with
its sessions (order, exercise, sets, reps, RIR, load in the client's unit, straps) and
the week's spinal load. Written with fpdf2 (pure Python); the text font is matplotlib's
DejaVu Sans, so any client name prints and nothing depends on system fonts.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from ..figures import key_figures, plan_figures
from ..models import Plan
from .layout import (
    exercise_name,
    headline,
    load_text,
    muscle_rows,
    num,
    out_of_range,
    range_text,
    rest_text,
    session_title,
    week_loads,
    week_title,
)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
_BAD = (200, 40, 40)
_BAND = (232, 236, 241)


def _text(value: object) -> str:
    """VALUE as printable text: normalised, without control or direction characters."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", str(value)))


def _font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def plan_pdf(plan: Plan) -> bytes:
    """PLAN as PDF bytes (A4): an overview page, then one page per week."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_creation_date(datetime(2000, 1, 1, tzinfo=UTC))  # same plan, same bytes
    pdf.set_title(_text(f"Training plan: {plan.client}"))
    pdf.set_creator("legback")
    pdf.add_font("DejaVu", "", str(_font_dir() / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(_font_dir() / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=12)
    head = FontFace(emphasis="BOLD", fill_color=_BAND)
    fig = plan_figures(plan)
    n = len(plan.weeks)

    def heading(text: str, size: float) -> None:
        pdf.set_font("DejaVu", "B", size)
        pdf.multi_cell(0, size * 0.5, _text(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)

    def line(text: str, size: float = 9, color: tuple[int, int, int] = (0, 0, 0)) -> None:
        pdf.set_font("DejaVu", "", size)
        pdf.set_text_color(*color)
        pdf.multi_cell(0, size * 0.5, _text(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)

    def table(header: list[str], rows: list[list[tuple[str, bool]]], widths, align) -> None:
        pdf.set_font("DejaVu", "", 8.5)
        with pdf.table(
            col_widths=widths,
            text_align=align,
            headings_style=head,
            line_height=4.6,
            width=min(180, 1.0 * sum(widths)),
            align="LEFT",
            borders_layout="HORIZONTAL_LINES",
        ) as t:
            r = t.row()
            for h in header:
                r.cell(h)
            for cells in rows:
                r = t.row()
                for value, bad in cells:
                    r.cell(
                        _text(value), style=FontFace(color=_BAD, emphasis="BOLD") if bad else None
                    )
        pdf.ln(3)

    # -- overview
    pdf.add_page()
    heading(f"Training plan: {plan.client}", 16)
    line("Leg and back program written by legback", 9, (90, 90, 90))
    pdf.ln(2)
    for label, value in [*headline(plan), *key_figures(plan)]:
        pdf.set_font("DejaVu", "B", 9)
        pdf.cell(38, 4.8, _text(label))
        pdf.set_font("DejaVu", "", 9)
        pdf.multi_cell(0, 4.8, _text(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for text in plan.explanation:
        line(text, 9, _BAD)
    if plan.weeks:
        heading("Weekly sets per muscle", 12)
        week_cols = [
            f"W{w}" + (" deload" if ph == "deload" else "")
            for w, ph in zip(fig.weeks, fig.phases, strict=True)
        ]
        col = max(9.0, min(16.0, 130.0 / max(n, 1)))
        table(
            ["Muscle", "Target", *week_cols],
            [
                [(m.replace("_", " "), False), (range_text(fig, m), False)]
                + [(num(fig.sets[m][k]), out_of_range(fig, m, k)) for k in range(n)]
                for m in muscle_rows(fig)
            ],
            (26, 16, *([col] * n)),
            ("LEFT", "RIGHT", *(["RIGHT"] * n)),
        )
        heading("Spinal load per session", 12)
        cap = fig.session_cap
        table(
            ["Session", "Start", "Load", "Cap"],
            [
                [
                    (
                        f"W{sl.week} {sl.day.capitalize()}" + (f" {sl.date}" if sl.date else ""),
                        False,
                    ),
                    (sl.start, False),
                    (str(sl.load), cap is not None and sl.load > cap),
                    ("-" if cap is None else str(cap), False),
                ]
                for sl in fig.sessions
            ],
            (40, 18, 16, 16),
            ("LEFT", "LEFT", "RIGHT", "RIGHT"),
        )

    # -- one page per week
    for week in plan.weeks:
        pdf.add_page()
        heading(week_title(week, n), 14)
        for s in week.sessions:
            heading(session_title(s), 10.5)
            table(
                ["#", "Exercise", "Sets", "Reps", "RIR", "Load", "Straps"],
                [
                    [
                        (str(pe.order), False),
                        (exercise_name(pe.exercise), False),
                        (str(pe.sets), False),
                        (pe.reps, False),
                        (str(pe.rir), False),
                        (load_text(pe), False),
                        ("straps" if pe.straps else "", False),
                    ]
                    for pe in s.exercises
                ],
                (8, 72, 12, 16, 12, 24, 16),
                ("RIGHT", "LEFT", "RIGHT", "LEFT", "RIGHT", "RIGHT", "LEFT"),
            )
        if week.rest:
            heading("Rest or upper-body days", 10.5)
            for r in week.rest:
                line(rest_text(r), 9, (60, 60, 60))
        line(f"Spinal load: {week_loads(fig, week.week)}", 9, (90, 90, 90))
    return bytes(pdf.output())
