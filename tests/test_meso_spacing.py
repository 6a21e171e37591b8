"""Mesocycles: spacing rules across week boundaries (Sunday to the next Monday)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from legback_solver import check_plan
from legback_solver.data import make_data
from legback_solver.models import DAYS, Client, Plan
from legback_solver.rules.session import order_key
from legback_solver.schedule import reps_for, rir_for
from tests.crafted import (
    BACK,
    CATALOGUE,
    LEGS,
    rule_ids,
    slot,
    switched_off,
)
from tests.meso_helpers import make_client, phases, solved_plan, strs, under


def build_meso(client: Client, weeks: list[dict[str, list[tuple[str, int]]]]) -> Plan:
    """A mesocycle written by hand: phase, RIR and reps as the schedule prescribes them,
    exercises in tier order, focus from the exercises."""
    data = make_data(client, len(weeks))
    starts = {sl.day: (sl.start, sl.minutes) for sl in client.slots()}
    out_weeks = []
    for spec, sessions in zip(data.specs, weeks, strict=True):
        out_sessions = []
        for day in sorted(sessions, key=DAYS.index):
            exs = sorted((CATALOGUE[e] for e, _n in sessions[day]), key=order_key)
            sets = dict(sessions[day])
            legs = any(x.counts_legs for x in exs)
            back = any(x.counts_back for x in exs)
            out_sessions.append(
                {
                    "day": day,
                    "start": starts[day][0],
                    "minutes": starts[day][1],
                    "focus": "combined" if legs and back else "legs" if legs else "back",
                    "exercises": [
                        {
                            "order": k,
                            "exercise": x.id,
                            "sets": sets[x.id],
                            "reps": reps_for(x, client.goal, spec, data.rulebook),
                            "rir": rir_for(spec, x.tier),
                        }
                        for k, x in enumerate(exs, start=1)
                    ],
                }
            )
        out_weeks.append(
            {
                "week": spec.index + 1,
                "phase": spec.phase,
                "block": spec.block,
                "rir": spec.rir,
                "sessions": out_sessions,
            }
        )
    return Plan.model_validate(
        {
            "schema": "legback.plan/1",
            "client": client.name,
            "client_profile": client.model_dump(),
            "rulebook": {"name": data.rulebook.name, "rules": data.rulebook.effective()},
            "status": "feasible",
            "weeks": out_weeks,
        }
    )


SUN_MON = [slot("mon"), slot("sun")]


# Sunday: legs with a back squat (back-loading). Monday: back work, none back-loading.
SUNDAY = [("back_squat", 3), ("leg_press", 3), ("leg_extension", 2), ("lying_leg_curl", 3)]


MONDAY = [
    ("lat_pulldown", 3),
    ("seated_cable_row", 3),
    ("face_pull", 2),
    ("straight_arm_pulldown", 2),
]


# Deload: 12 of the 21 weekly sets (57%).
SUNDAY_DELOAD = [("back_squat", 2), ("leg_press", 1), ("leg_extension", 1), ("lying_leg_curl", 2)]


MONDAY_DELOAD = [
    ("lat_pulldown", 2),
    ("seated_cable_row", 1),
    ("face_pull", 1),
    ("straight_arm_pulldown", 2),
]


def sun_mon_weeks(
    monday_edit: Callable[[list[tuple[str, int]], bool], list[tuple[str, int]]] | None = None,
    sunday_edit: Callable[[list[tuple[str, int]], bool], list[tuple[str, int]]] | None = None,
) -> list[dict[str, list[tuple[str, int]]]]:
    weeks = []
    for deload in (False, False, True):
        mon = list(MONDAY_DELOAD if deload else MONDAY)
        sun = list(SUNDAY_DELOAD if deload else SUNDAY)
        weeks.append(
            {
                "mon": monday_edit(mon, deload) if monday_edit else mon,
                "sun": sunday_edit(sun, deload) if sunday_edit else sun,
            }
        )
    return weeks


def sun_mon_client() -> Client:
    return make_client(
        SUN_MON, only=["back_squat", "t_bar_row", "bench_reverse_hyper", *LEGS, *BACK]
    )


def test_hand_made_sun_mon_mesocycle_is_clean():
    plan = build_meso(sun_mon_client(), sun_mon_weeks())
    assert check_plan(plan) == [], strs(check_plan(plan))
    assert phases(plan) == ["accumulation", "accumulation", "deload"]
    # Sunday and the next Monday are 24 h apart: the week boundary is real time.
    assert [s.focus for w in plan.weeks for s in w.sessions] == ["back", "legs"] * 3


def _t_bar_on_monday(mon, deload):
    return [("t_bar_row", n) if e == "seated_cable_row" else (e, n) for e, n in mon]


def test_back_loading_gap_across_the_week_boundary_is_flagged():
    # Every Monday gets a T-bar row (back-loading) for the seated cable row: week 1's
    # Sunday back squat is then 24 h before week 2's Monday, and so on. Within a week,
    # Monday to Sunday is 144 h: no clash there.
    plan = build_meso(sun_mon_client(), sun_mon_weeks(monday_edit=_t_bar_on_monday))
    violations = check_plan(plan)
    assert rule_ids(violations) == {"back-loading-gap"}, strs(violations)
    assert [v.where for v in violations] == [
        "week 1 sun 18:00 and week 2 mon 18:00",
        "week 2 sun 18:00 and week 3 mon 18:00",
    ]
    assert {v.what for v in violations} == {"back-loading sessions 24 h apart (need 48 h)"}
    # At 24 h the same plan is fine.
    relaxed = sun_mon_client()
    relaxed.rules["back-loading-gap"] = {"hours": 24}
    assert check_plan(build_meso(relaxed, sun_mon_weeks(monday_edit=_t_bar_on_monday))) == []


def test_back_loading_gap_one_clash_across_the_week_boundary():
    # Only week 2's Monday gets the T-bar row: one clash, week 1 Sunday to week 2 Monday
    # (the changed Monday also breaks stable-main-lifts, and nothing else).
    weeks = sun_mon_weeks()
    weeks[1]["mon"] = _t_bar_on_monday(weeks[1]["mon"], False)
    violations = check_plan(build_meso(sun_mon_client(), weeks))
    assert rule_ids(violations) == {"back-loading-gap", "stable-main-lifts"}, strs(violations)
    assert [str(v) for v in violations if v.rule == "back-loading-gap"] == [
        "back-loading-gap: back-loading sessions 24 h apart (need 48 h), "
        "week 1 sun 18:00 and week 2 mon 18:00"
    ]


def _with_reverse_hyper(day, deload):
    return [*day, ("bench_reverse_hyper", 1 if deload else 2)]


def test_combined_days_gap_across_the_week_boundary_is_flagged():
    # Both sessions get a bench reverse hyper (legs and back): Sunday and the next
    # Monday are then consecutive combined days with no free day between them.
    plan = build_meso(
        sun_mon_client(),
        sun_mon_weeks(monday_edit=_with_reverse_hyper, sunday_edit=_with_reverse_hyper),
    )
    assert [s.focus for w in plan.weeks for s in w.sessions] == ["combined"] * 6
    violations = check_plan(plan)
    assert rule_ids(violations) == {"combined-days-gap"}, strs(violations)
    assert [str(v) for v in violations] == [
        "combined-days-gap: 0 free day(s) between combined sessions (need 2), "
        "week 1 sun 18:00 to week 2 mon 18:00",
        "combined-days-gap: 0 free day(s) between combined sessions (need 2), "
        "week 2 sun 18:00 to week 3 mon 18:00",
    ]


def absolute(plan: Plan) -> list[tuple[float, int, Any]]:
    """(hours from week 1's Monday 00:00, calendar day, session) in time order."""
    out = []
    for w, week in enumerate(plan.weeks):
        for s in week.sessions:
            h, m = (int(x) for x in s.start.split(":"))
            day = 7 * w + DAYS.index(s.day)
            out.append((24 * day + h + m / 60, day, s))
    return sorted(out, key=lambda t: t[0])


def back_loading_gaps(plan: Plan) -> list[tuple[float, int, int]]:
    """(hours, week of the first, week of the second) between consecutive
    back-loading sessions."""
    loading = [
        (h, d // 7)
        for h, d, s in absolute(plan)
        if any(CATALOGUE[pe.exercise].back_loading for pe in s.exercises)
    ]
    return [(b[0] - a[0], a[1], b[1]) for a, b in zip(loading, loading[1:], strict=False)]


def combined_free_days(plan: Plan) -> list[tuple[int, int, int]]:
    """(free calendar days, week of the first, week of the second) between consecutive
    combined sessions."""
    sessions = absolute(plan)
    busy = {d for _h, d, _s in sessions}
    combined = [
        d
        for _h, d, s in sessions
        if any(CATALOGUE[pe.exercise].counts_legs for pe in s.exercises)
        and any(CATALOGUE[pe.exercise].counts_back for pe in s.exercises)
    ]
    return [
        (sum(1 for d in range(a + 1, b) if d not in busy), a // 7, b // 7)
        for a, b in zip(combined, combined[1:], strict=False)
    ]


def test_solver_never_clashes_back_loading_across_weeks():
    c = make_client(
        SUN_MON, only=["back_squat", "t_bar_row", *LEGS, *BACK], prefer=("back_squat", "t_bar_row")
    )
    on = solved_plan(c, 3)
    off = solved_plan(switched_off(c, "back-loading-gap"), 3)
    assert check_plan(on) == [], strs(check_plan(on))
    assert back_loading_gaps(on), "the plan should still hold back-loading sessions"
    assert all(h >= 48 for h, _a, _b in back_loading_gaps(on)), back_loading_gaps(on)
    # Off, the favourite lifts land on both days: the clash is Sunday to Monday.
    clashes = [(h, a, b) for h, a, b in back_loading_gaps(off) if h < 48]
    assert clashes and all(h == 24 and b == a + 1 for h, a, b in clashes), clashes
    full = check_plan(under(off, on))
    assert rule_ids(full) == {"back-loading-gap"}, strs(full)


def test_solver_never_clashes_combined_days_across_weeks():
    c = make_client(
        SUN_MON, only=["bench_reverse_hyper", *LEGS, *BACK], prefer=("bench_reverse_hyper",)
    )
    on = solved_plan(c, 3)
    off = solved_plan(switched_off(c, "combined-days-gap"), 3)
    assert check_plan(on) == [], strs(check_plan(on))
    assert combined_free_days(on), "the plan should still hold combined sessions"
    assert all(free >= 2 for free, _a, _b in combined_free_days(on)), combined_free_days(on)
    clashes = [(f, a, b) for f, a, b in combined_free_days(off) if f < 2]
    assert clashes and all(b == a + 1 for _f, a, b in clashes), clashes
    full = check_plan(under(off, on))
    assert rule_ids(full) == {"combined-days-gap"}, strs(full)
