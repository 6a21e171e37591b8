"""Mesocycles: prescribed loads from the 1RM, reps and RIR."""

from __future__ import annotations

import pytest

from legback_solver import check_plan
from legback_solver.loads import load_for
from legback_solver.models import Plan
from tests.meso_helpers import hand_load, solved_plan, squat_client, strs, top_reps


@pytest.fixture(scope="module")
def loads_plan() -> Plan:
    c = squat_client(
        prefer=("back_squat", "leg_press", "lat_pulldown"),
        one_rep_max_kg={"leg_press": 100, "back_squat": 140},
        # 100 kg x 5 estimates 116.7 kg; back_squat's given 1RM wins over its recent set.
        recent_sets={"lat_pulldown": {"kg": 100, "reps": 5}, "back_squat": {"kg": 100, "reps": 5}},
    )
    plan = solved_plan(c, 5)
    assert check_plan(plan) == [], strs(check_plan(plan))
    used = {pe.exercise for s in plan.weeks[0].sessions for pe in s.exercises}
    assert {"back_squat", "leg_press", "lat_pulldown"} <= used, used
    return plan


def test_loads_follow_epley_by_hand(loads_plan):
    # The worked example: 1RM 100 kg, 8-12 reps, RIR 3 -> 100 / 1.5 = 66.67 -> 65.0 kg.
    assert load_for(100, 12, 3, 2.5) == 65.0
    assert hand_load(100, "8-12", 3) == 65.0
    week1 = {pe.exercise: pe for s in loads_plan.weeks[0].sessions for pe in s.exercises}
    assert (week1["leg_press"].reps, week1["leg_press"].rir) == ("8-12", 3)
    assert week1["leg_press"].load_kg == 65.0
    # Back squat 140 kg, 5-8 at RIR 3: 140 / (1 + 11/30) = 102.4 -> 100.0 kg (not the
    # 85.0 kg its recent set would give).
    assert (week1["back_squat"].reps, week1["back_squat"].load_kg) == ("5-8", 100.0)
    # Lat pulldown from the recent set: 100 x (1 + 5/30) = 116.67; / 1.5 = 77.8 -> 77.5.
    assert week1["lat_pulldown"].load_kg == 77.5

    maxes = {"leg_press": 100, "back_squat": 140, "lat_pulldown": 100 * (1 + 5 / 30)}
    checked = 0
    for week in loads_plan.weeks:
        for s in week.sessions:
            for pe in s.exercises:
                if pe.exercise not in maxes:
                    assert pe.load_kg is None, pe
                    continue
                one_rm = maxes[pe.exercise]
                assert pe.load_kg == hand_load(one_rm, pe.reps, pe.rir), (week.week, pe)
                assert pe.load_kg == load_for(one_rm, top_reps(pe.reps), pe.rir, 2.5)
                # Never heavier than the RIR allows.
                assert pe.load_kg <= one_rm / (1 + (top_reps(pe.reps) + pe.rir) / 30)
                checked += 1
    assert checked >= 3 * 5


def test_loads_rise_as_rir_falls_and_the_deload_is_lighter(loads_plan):
    by_slot: dict[tuple[str, str], list[tuple[int, str, float]]] = {}
    for week in loads_plan.weeks:
        for s in week.sessions:
            for pe in s.exercises:
                if pe.load_kg is not None:
                    by_slot.setdefault((s.day, pe.exercise), []).append(
                        (pe.rir, week.phase, pe.load_kg)
                    )
    assert len(by_slot) >= 3
    for key, series in by_slot.items():
        assert len(series) == 5, key
        training, (deload_rir, phase, deload_kg) = series[:-1], series[-1]
        assert phase == "deload" and deload_rir == 4
        assert [r for r, _p, _kg in training] == [3, 2, 1, 1], key
        kgs = [kg for _r, _p, kg in training]
        # RIR 3 -> 2 at the same reps: never lighter; into the lower-rep block at RIR 1:
        # heavier still.
        assert kgs[0] <= kgs[1] < kgs[2] == kgs[3], (key, kgs)
        assert deload_kg < kgs[-1], (key, deload_kg, kgs)
    # Leg press (1RM 100, 8-12): 65.0 at RIR 3, 100 / (1 + 14/30) = 68.2 -> 67.5 at RIR 2,
    # 6-9 at RIR 1: 100 / (1 + 10/30) = 75.0.
    leg_press = [kg for _r, _p, kg in next(v for k, v in by_slot.items() if k[1] == "leg_press")]
    assert leg_press == [65.0, 67.5, 75.0, 75.0, 65.0]
