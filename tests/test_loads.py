import json

import pytest

from legback_solver.frame import plan_from_frame, plan_to_frame
from legback_solver.loads import epley_1rm, load_for


def test_epley_against_hand_computed_values():
    # 100 kg x 10 reps: 100 * (1 + 10/30) = 133.33 kg
    assert epley_1rm(100, 10) == pytest.approx(133.333, abs=1e-3)
    assert epley_1rm(150, 1) == 150


def test_load_for_known_1rm_reps_and_rir():
    # 1RM 140 kg, 8 reps at RIR 2: 140 / (1 + 10/30) = 105.0 kg exactly
    assert load_for(140, 8, 2) == 105.0
    # 1RM 180 kg, 5 reps at RIR 3: 180 / (1 + 8/30) = 142.1 -> 140.0 on a 2.5 kg step
    assert load_for(180, 5, 3) == 140.0
    # 1RM 100 kg, 12 reps at RIR 1: 100 / (1 + 13/30) = 69.77 -> 67.5
    assert load_for(100, 12, 1) == 67.5
    # a 1 kg step rounds down to whole kilograms
    assert load_for(100, 12, 1, step=1.0) == 69.0


def test_load_never_exceeds_what_the_rir_allows():
    for one_rm in (60, 97.5, 143, 221):
        for reps in range(1, 16):
            for rir in range(0, 5):
                load = load_for(one_rm, reps, rir)
                # the reps the lifter could do with that load never fall short of reps + rir
                assert one_rm / load >= 1 + (reps + rir) / 30 - 1e-9


def test_bad_recent_set():
    with pytest.raises(ValueError):
        epley_1rm(100, 0)


# --------------------------------------------------------------------------- units

LB = 0.45359237
GYM = ["barbell", "dumbbell", "cable", "machine", "pullup_bar", "bench", "trap_bar", "straps"]


def _client(**fields):
    from legback_solver.io import parse_client

    base = {
        "name": "Units",
        "equipment": GYM,
        "availability": [
            {"day": "mon", "start": "18:00", "minutes": 75},
            {"day": "thu", "start": "18:00", "minutes": 75},
        ],
    }
    return parse_client(base | fields)


def _shape(plan):
    return [
        (w.week, s.day, s.focus, [(pe.exercise, pe.sets, pe.reps, pe.rir) for pe in s.exercises])
        for w in plan.weeks
        for s in w.sessions
    ]


@pytest.fixture(scope="module")
def lb_and_kg_plans():
    from legback_solver import solve

    maxes_lb = {"deadlift": 405, "lat pulldown": 180}
    lb = _client(units="lb", one_rep_max_lb=maxes_lb, recent_sets={"squat": {"lb": 275, "reps": 5}})
    kg = _client(
        one_rep_max_kg={k: v * LB for k, v in maxes_lb.items()},
        recent_sets={"squat": {"kg": 275 * LB, "reps": 5}},
    )
    return solve(lb, weeks=1, seed=0).plan, solve(kg, weeks=1, seed=0).plan


def test_unit_round_trip_lb_in_lb_out_same_plan_as_kg(lb_and_kg_plans):
    from legback_solver.check import check_plan
    from legback_solver.io.export import export_plan
    from legback_solver.models import Plan

    lb_plan, kg_plan = lb_and_kg_plans
    assert _shape(lb_plan) == _shape(kg_plan)  # the unit changes loads, not the plan
    pairs = [
        (a, b)
        for wa, wb in zip(lb_plan.weeks, kg_plan.weeks, strict=True)
        for sa, sb in zip(wa.sessions, wb.sessions, strict=True)
        for a, b in zip(sa.exercises, sb.exercises, strict=True)
    ]
    loaded = [(a, b) for a, b in pairs if a.load_lb is not None]
    assert loaded, "the deadlift and the pulldown carry loads"
    for a, b in loaded:
        assert a.load_lb % 5 == 0  # the lb plate step
        assert a.load_kg == round(a.load_lb * LB, 2)
        assert b.load_lb is None and b.load_kg % 2.5 == 0
        assert abs(a.load_lb * LB - b.load_kg) <= 5 * LB + 2.5  # both round down a step
    assert check_plan(lb_plan) == [] and check_plan(kg_plan) == []
    # lb out: JSON, the frame (csv/xlsx) and every printed export keep pounds
    again = Plan.model_validate_json(lb_plan.to_json())
    assert [pe.load_lb for w in again.weeks for s in w.sessions for pe in s.exercises] == [
        pe.load_lb for w in lb_plan.weeks for s in w.sessions for pe in s.exercises
    ]
    back = plan_from_frame(plan_to_frame(lb_plan))
    assert _shape(back) == _shape(lb_plan) and check_plan(back) == []
    shown = f"{loaded[0][0].load_lb:g} lb"
    for fmt in ("md", "html"):
        text = export_plan(lb_plan, fmt)
        assert shown in text and " kg<" not in text and " kg |" not in text, fmt


def test_checker_verifies_lb_loads_exactly(lb_and_kg_plans):
    from legback_solver.check import check_plan
    from legback_solver.models import Plan

    lb_plan = lb_and_kg_plans[0]
    data = json.loads(lb_plan.to_json())
    pe = next(
        pe for w in data["weeks"] for s in w["sessions"] for pe in s["exercises"] if pe["load_lb"]
    )
    pe["load_lb"] += 5
    assert any("over the prescribed" in str(v) for v in check_plan(Plan.model_validate(data)))
    pe["load_lb"] -= 2
    assert any("5 lb step" in str(v) for v in check_plan(Plan.model_validate(data)))


def test_recent_set_takes_kg_or_lb_not_both():
    from legback_solver.errors import InputError

    with pytest.raises(InputError, match="give the load as kg or as lb"):
        _client(recent_sets={"squat": {"kg": 100, "lb": 220, "reps": 5}})
    with pytest.raises(InputError, match="kg or in lb, not both"):
        _client(one_rep_max_kg={"squat": 140}, one_rep_max_lb={"back_squat": 315})
    with pytest.raises(InputError, match="units: 'stone' is not allowed"):
        _client(units="stone")


def test_maxes_convert_to_the_client_unit():
    from legback_solver.loads import known_maxes

    c = _client(
        units="lb", one_rep_max_kg={"squat": 100}, recent_sets={"RDL": {"lb": 200, "reps": 1}}
    )
    maxes = known_maxes(c)
    assert maxes["back_squat"] == pytest.approx(100 / LB)
    assert maxes["romanian_deadlift"] == 200
    assert known_maxes(c, "kg")["romanian_deadlift"] == pytest.approx(200 * LB)


def test_roster_reads_pounds():
    from legback_solver.io import parse_client
    from legback_solver.roster import client_to_row, row_to_mapping

    row = {
        "name": "Jo",
        "units": "lb",
        "availability": "mon 18:00 60",
        "one_rep_max_lb": "squat=315",
        "recent_sets": "RDL=225lbx8; BB row=60x8",
    }
    data = row_to_mapping(row)
    c = parse_client(data)
    assert c.units == "lb" and c.one_rep_max_lb == {"back_squat": 315}
    assert c.recent_sets["romanian_deadlift"].lb == 225
    assert c.recent_sets["barbell_row"].kg == 60
    assert "225lbx8" in client_to_row(c.model_dump(exclude_defaults=True))["recent_sets"]
