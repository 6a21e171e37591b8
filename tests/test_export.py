"""Exports: formats by suffix, iCalendar, HTML, Markdown, xlsx, and the CLI around them."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from html.parser import HTMLParser

import pytest
import yaml
from click.testing import CliRunner
from icalendar import Calendar
from openpyxl import load_workbook

from legback_solver import solve
from legback_solver.catalogue import catalogue_by_id
from legback_solver.cli import main
from legback_solver.errors import InputError
from legback_solver.figures import plan_figures
from legback_solver.io import load_plan
from legback_solver.io.export import (
    BINARY,
    FORMATS,
    export_plan,
    format_for,
    plan_html,
    plan_ics,
)
from legback_solver.models import Plan
from tests.conftest import client

START = date(2026, 11, 23)
CLIENT = {
    "name": "Dana <O'Neil> & Co",  # needs escaping in HTML and Markdown
    "equipment": ["barbell", "dumbbell", "bench", "pullup_bar"],
    "one_rep_max_kg": {"sumo_deadlift": 160, "weighted_pull_up": 30, "t_bar_row": 90},
}


@pytest.fixture(scope="session")
def plan() -> Plan:
    result = solve(client(**CLIENT), weeks=3, start_date=START)
    assert result.feasible
    return result.plan


@pytest.fixture(scope="session")
def undated(plan: Plan) -> Plan:
    p = plan.model_copy(deep=True)
    p.start_date = None
    for w in p.weeks:
        for s in w.sessions:
            s.date = None
    return p


def names(plan: Plan) -> set[str]:
    cat = catalogue_by_id()
    return {cat[pe.exercise].name for w in plan.weeks for s in w.sessions for pe in s.exercises}


# --------------------------------------------------------------------------- formats


def test_format_follows_the_suffix() -> None:
    assert format_for(None) == "json"
    assert format_for("plan.XLSX") == "xlsx"
    assert format_for("plan.htm") == "html"
    assert format_for("plan.txt") == "json"
    assert format_for("plan.txt", "md") == "md"
    assert format_for(None, "ics") == "ics"
    with pytest.raises(InputError, match="does not match"):
        format_for("plan.xlsx", "csv")


def test_cli_choices_are_the_export_formats() -> None:
    for name in ("solve", "export"):
        opt = next(p for p in main.commands[name].params if p.name == "fmt")
        assert tuple(opt.type.choices) == FORMATS


def test_every_format_exports(plan: Plan) -> None:
    for fmt in FORMATS:
        content = export_plan(plan, fmt)
        assert isinstance(content, bytes if fmt in BINARY else str) and content
    assert json.loads(export_plan(plan, "json")) == json.loads(plan.to_json())


# --------------------------------------------------------------------------- ics


def test_ics_has_one_event_per_session_at_its_local_time(plan: Plan) -> None:
    cal = Calendar.from_ical(plan_ics(plan))
    events = cal.walk("VEVENT")
    sessions = [(w, s) for w in plan.weeks for s in w.sessions]
    assert len(events) == len(sessions) == 6
    cat = catalogue_by_id()
    for ev, (w, s) in zip(events, sessions, strict=True):
        start = ev.decoded("dtstart")
        hh, mm = map(int, s.start.split(":"))
        assert start == datetime.combine(date.fromisoformat(s.date), datetime.min.time()).replace(
            hour=hh, minute=mm
        )
        assert start.tzinfo is None, "floating local time: the client's own clock"
        assert ev.decoded("dtend") - start == timedelta(minutes=s.minutes)
        text = str(ev.get("description"))
        for pe in s.exercises:
            assert cat[pe.exercise].name in text
        assert f"week {w.week}" in str(ev.get("summary"))
    assert len({str(ev.get("uid")) for ev in events}) == len(events)
    assert events[0].decoded("dtstart").date() == START


def test_ics_needs_dates(undated: Plan) -> None:
    with pytest.raises(InputError, match="--start-date"):
        plan_ics(undated)
    # the plan's start date is enough when the sessions carry no date
    dated = undated.model_copy(update={"start_date": START.isoformat()})
    assert len(Calendar.from_ical(plan_ics(dated)).walk("VEVENT")) == 6


# --------------------------------------------------------------------------- html, md


class Strict(HTMLParser):
    """Tag balance and the attributes that would load anything from elsewhere."""

    VOID = {"meta", "br", "img", "link", "hr", "input"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.refs += [v or "" for k, v in attrs if k in ("src", "href")]
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1:]}>"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_valid_and_self_contained(plan: Plan) -> None:
    page = plan_html(plan)
    assert "http" not in page
    parser = Strict()
    parser.feed(page)
    parser.close()
    assert parser.stack == []
    assert page.startswith("<!DOCTYPE html>")
    assert not {"script", "link", "img", "iframe"} & set(parser.tags)
    assert parser.refs == [] and "url(" not in page and "@import" not in page
    text = " ".join(parser.text)
    assert CLIENT["name"] in text and "default" in text
    for w in plan.weeks:
        assert f"Week {w.week} ·" in text
    for name in names(plan):
        assert name in text
    assert "page-break-after: always" in page
    assert page.count('<section class="page week"') == len(plan.weeks)


def test_markdown_is_a_printable_program(plan: Plan) -> None:
    md = export_plan(plan, "md")
    assert md.startswith("# Training plan: Dana \\<O'Neil\\> \\& Co")  # escaped markup
    assert "- **Rulebook:** default" in md and "Spinal load" in md
    assert md.count("page-break-after: always") == len(plan.weeks)
    for w in plan.weeks:
        assert f"\n## Week {w.week} ·" in md
    for name in names(plan):
        assert f"| {name} |" in md


# --------------------------------------------------------------------------- xlsx


def test_xlsx_has_an_overview_and_a_sheet_per_week(plan: Plan, tmp_path) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(export_plan(plan, "xlsx"))
    wb = load_workbook(path)
    assert wb.sheetnames == ["Overview", "Week 1", "Week 2", "Week 3", "legback"]
    fig = plan_figures(plan)
    ov = wb["Overview"]
    assert ov.freeze_panes == "B2"
    rows = {r[0]: r for r in ov.iter_rows(values_only=True) if r[0]}
    assert rows["quads"][1:3] == fig.ranges["quads"]
    assert list(rows["quads"][3:6]) == fig.sets["quads"]
    spinal = [r for r in ov.iter_rows(values_only=True) if isinstance(r[0], int)]
    assert [(r[4], r[5]) for r in spinal] == [(s.load, s.cap) for s in fig.sessions]
    assert all(s.cap == 70 for s in fig.sessions)
    for w in plan.weeks:
        ws = wb[f"Week {w.week}"]
        assert ws.freeze_panes == "A2"
        assert ws.max_row == 1 + sum(len(s.exercises) for s in w.sessions)
        assert ws.column_dimensions["I"].width >= 20  # exercise names are readable
        assert ws["A1"].font.bold


# --------------------------------------------------------------------------- CLI


@pytest.fixture
def client_file(tmp_path):
    path = tmp_path / "dana.yaml"
    base = client(**CLIENT).model_dump(mode="json")
    path.write_text(yaml.safe_dump(base))
    return path


def test_cli_solve_writes_any_format(client_file, tmp_path) -> None:
    runner = CliRunner()
    out = tmp_path / "dana.ics"
    args = ["solve", str(client_file), "--weeks", "3", "--start-date", "2026-11-23"]
    res = runner.invoke(main, [*args, "--out", str(out), "--quiet"])
    assert res.exit_code == 0, res.output
    assert len(Calendar.from_ical(out.read_text()).walk("VEVENT")) == 6
    res = runner.invoke(main, [*args, "--format", "md"])
    assert res.exit_code == 0 and res.output.startswith("# Training plan:")


def test_cli_solve_refuses_before_solving(client_file, tmp_path) -> None:
    runner = CliRunner()
    out = tmp_path / "dana.ics"
    res = runner.invoke(main, ["solve", str(client_file), "--weeks", "3", "--out", str(out)])
    assert res.exit_code == 2 and "--start-date" in res.output and not out.exists()
    res = runner.invoke(main, ["solve", str(client_file), "--format", "xlsx"])
    assert res.exit_code == 2 and "--out" in res.output
    res = runner.invoke(
        main, ["solve", str(client_file), "--format", "csv", "--out", str(tmp_path / "a.xlsx")]
    )
    assert res.exit_code == 2 and "does not match" in res.output
    assert list(tmp_path.iterdir()) == [client_file]


def test_cli_export(plan: Plan, undated: Plan, tmp_path) -> None:
    runner = CliRunner()
    src = tmp_path / "plan.json"
    src.write_text(plan.to_json())
    res = runner.invoke(main, ["export", str(src), "--format", "html"])
    assert res.exit_code == 0 and res.output.startswith("<!DOCTYPE html>")
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"plan.{fmt}"
        res = runner.invoke(main, ["export", str(src), "--out", str(out)])
        assert res.exit_code == 0, res.output
        assert load_plan(out) == plan
    # an edited CSV exports too
    res = runner.invoke(main, ["export", str(tmp_path / "plan.csv"), "--format", "json"])
    assert res.exit_code == 0 and Plan.model_validate_json(res.output) == plan
    bad = tmp_path / "undated.json"
    bad.write_text(undated.to_json())
    out = tmp_path / "undated.ics"
    res = runner.invoke(main, ["export", str(bad), "--out", str(out)])
    assert res.exit_code == 2 and "--start-date" in res.output and not out.exists()
    res = runner.invoke(main, ["export", str(tmp_path / "missing.json"), "--format", "md"])
    assert res.exit_code == 2 and "file not found" in res.output
