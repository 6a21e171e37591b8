"""The report of a feasible plan (issue 4): binding rules, slack, objective by term.

Every number is checked against an independent recomputation from the plan and the
catalogue written here, not through the report's own helpers.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from legback_solver import solve
from legback_solver.catalogue import catalogue_by_id
from legback_solver.cli import main
from legback_solver.io import load_client, parse_client
from legback_solver.models import DAYS, Plan
from legback_solver.report import Report, plan_report
from legback_solver.rulebook import load_rulebook
from legback_solver.rules.objective import stimulus_coefficients
from legback_solver.rules.volume import TRAINED, muscle_limits

CAT = catalogue_by_id()
OPEN = {m: [0, 40] for m in load_rulebook("default").params("muscle-sets").ranges}


@pytest.fixture(scope="module")
def alex(example_path):
    res = solve(load_client(example_path), weeks=1, time_limit=20)
    assert res.status == "optimal"
    return res.plan


@pytest.fixture(scope="module")
def pinned():
    """Quads pinned to exactly 4 weekly sets: muscle-sets must bind there."""
    client = parse_client(
        {
            "name": "Pinned",
            "equipment": ["barbell", "dumbbell", "cable", "machine", "bench"],
            "availability": [{"day": "mon", "start": "18:00", "minutes": 60}],
            "rules": {"muscle-sets": {"ranges": {**OPEN, "quads": [4, 4]}}},
        }
    )
    res = solve(client, weeks=1, time_limit=20)
    assert res.status == "optimal"
    return res.plan


def rows(report: dict[str, Any], rule: str, what: str | None = None) -> list[dict[str, Any]]:
    return [r for r in report["slack"] if r["rule"] == rule and (what is None or r["what"] == what)]


def sessions(plan: Plan):
    for week in plan.weeks:
        for s in week.sessions:
            yield week.week, s


def halfsets(plan: Plan) -> dict[str, int]:
    out: dict[str, int] = {}
    for _, s in sessions(plan):
        for pe in s.exercises:
            ex = CAT[pe.exercise]
            if ex.is_drill:  # a dose: no hard sets (SPEC §3a drills)
                continue
            for m in ex.primary:
                out[m] = out.get(m, 0) + 2 * pe.sets
            for m in ex.secondary:
                out[m] = out.get(m, 0) + pe.sets
    return out


def test_report_is_in_the_plan_json(alex):
    assert alex.report and alex.report["status"] == "optimal"
    text = alex.to_json()
    assert json.loads(text)["report"] == json.loads(json.dumps(alex.report))
    assert Plan.model_validate_json(text).report == alex.report


def test_binding_rule_shows_zero_slack(pinned):
    rep = pinned.report
    quads = next(r for r in rows(rep, "muscle-sets") if r["what"] == "quads weekly sets")
    assert quads["used"] == 4 and quads["min"] == quads["max"] == 4
    assert quads["slack"] == 0 and quads["binding"]
    assert "muscle-sets" in rep["binding"] and rep["min_slack"]["muscle-sets"] == 0
    report = Report.from_dict(rep)
    assert report.binding == rep["binding"]
    frame = report.to_frame()
    hit = frame[(frame.rule == "muscle-sets") & (frame.what == "quads weekly sets")]
    assert hit.binding.tolist() == [True] and hit.slack.tolist() == [0]


def test_spinal_and_volume_agree_with_recomputation(alex):
    rep = alex.report
    status = alex.client_profile.back_status
    params = alex.rulebook.rules["spinal-budget"]
    sessions_rows = rows(rep, "spinal-budget", "session spinal load")
    week_total = 0
    for (week, s), row in zip(sessions(alex), sessions_rows, strict=True):
        load = sum(CAT[pe.exercise].spinal_units * pe.sets for pe in s.exercises)
        week_total += load
        assert row["where"] == f"week {week} {s.day} {s.start}"
        assert row["used"] == load and row["max"] == params["session"][status]
        assert row["slack"] == params["session"][status] - load
    (weekly,) = rows(rep, "spinal-budget", "weekly spinal load")
    assert weekly["used"] == week_total and weekly["slack"] == params["weekly"][status] - week_total

    counts = halfsets(alex)
    limits = muscle_limits(load_rulebook("default").params("muscle-sets"), alex.client_profile)
    for row in rows(rep, "muscle-sets"):
        m = row["what"].removesuffix(" weekly sets")
        lo, hi = limits[m]
        assert row["used"] == counts.get(m, 0) / 2
        assert (row["min"], row["max"]) == (lo / 2, hi / 2)
        assert row["slack"] == min(row["used"] - lo / 2, hi / 2 - row["used"])


def test_grip_and_spacing_agree_with_recomputation(alex):
    rep = alex.report
    cap = alex.rulebook.rules["grip-order"]["capacity"][alex.client_profile.experience]
    expected = []
    for week, s in sessions(alex):
        fatigue = 0
        for pe in sorted(s.exercises, key=lambda p: p.order):
            ex = CAT[pe.exercise]
            if ex.grip_limited and not pe.straps:
                expected.append((f"week {week} {s.day} {s.start} before {ex.id}", fatigue))
            fatigue += ex.grip_demand * pe.sets
    got = [(r["where"], r["used"]) for r in rows(rep, "grip-order")]
    assert got == expected
    assert all(r["max"] == cap for r in rows(rep, "grip-order"))

    hours = alex.rulebook.rules["back-loading-gap"]["hours"]
    starts = sorted(
        DAYS.index(s.day) * 24 + int(s.start[:2]) + int(s.start[3:]) / 60
        for _, s in sessions(alex)
        if any(CAT[pe.exercise].back_loading for pe in s.exercises)
    )
    gaps = [(b - a) for a, b in zip(starts, starts[1:], strict=False)]
    gaps.append(starts[0] + 168 - starts[-1] if len(starts) > 1 else 168)
    got = [r["used"] for r in rows(rep, "back-loading-gap")]
    assert sorted(got) == sorted(gaps)
    assert all(
        r["min"] == hours and r["slack"] == r["used"] - hours for r in rows(rep, "back-loading-gap")
    )


def test_objective_terms_add_up_and_stimulus_recomputes(alex):
    rep = alex.report
    terms = {t["term"]: t["value"] for t in rep["objective_terms"]}
    assert sum(terms.values()) == alex.objective
    assert sum(rep["objective_groups"].values()) == alex.objective
    book = load_rulebook("default")
    stim = book.params("stimulus")
    limits = muscle_limits(book.params("muscle-sets"), alex.client_profile, capped=False)
    counts = halfsets(alex)
    for m, (lo, hi) in limits.items():
        hs = counts.get(m, 0)
        mid = (lo + hi) // 2
        a = min(hs, lo)
        b = min(max(hs - lo, 0), mid - lo)
        c = hs - a - b
        r1, r2, r3 = stimulus_coefficients(stim, alex.client_profile, m)
        assert terms.get(f"stimulus {m}", 0) == r1 * a + r2 * b + r3 * c, m
        assert (f"stimulus {m}" in terms) == (m in TRAINED), m  # incidental: no target
    load = sum(
        CAT[pe.exercise].spinal_units * pe.sets for _, s in sessions(alex) for pe in s.exercises
    )
    assert terms["spinal-economy"] == -book.params("spinal-economy").weight * load


def test_plan_report_of_a_saved_plan_matches(alex):
    again = plan_report(Plan.model_validate_json(alex.to_json()))
    assert again.to_dict()["objective_terms"] == alex.report["objective_terms"]
    assert [s.to_dict() for s in again.slack] == alex.report["slack"]
    assert "Binding rules" in "\n".join(again.lines())
    assert list(again.terms_frame().columns) == ["term", "group", "value"]


def test_cli_explain_feasible(tmp_path, pinned):
    path = tmp_path / "pinned.json"
    path.write_text(pinned.client_profile.model_dump_json())
    res = CliRunner().invoke(main, ["explain", str(path), "--weeks", "1"])
    assert res.exit_code == 0, res.output
    assert "Binding rules (zero slack):" in res.output and "muscle-sets" in res.output
    assert "Objective by term:" in res.output
    res = CliRunner().invoke(main, ["explain", str(path), "--weeks", "1", "--format", "json"])
    assert res.exit_code == 0 and json.loads(res.output)["binding"]
