"""Mesocycles: every generated client's mesocycle passes the checker."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legback_solver import check_plan, solve
from legback_solver.io import parse_client
from legback_solver.models import DAYS
from legback_solver.rules import REGISTRY
from tests.crafted import (
    GYM,
    ZERO_MINS,
    slot,
)
from tests.meso_helpers import strs

meso_slot = st.fixed_dictionaries(
    {
        "day": st.sampled_from(DAYS),
        "start": st.sampled_from(["07:00", "12:00", "18:00"]),
        "minutes": st.sampled_from([45, 60, 75, 90]),
    }
)


meso_overrides = st.fixed_dictionaries(
    {},
    optional={
        "back-loading-gap": st.fixed_dictionaries({"hours": st.sampled_from([24, 48, 72])}),
        "combined-days-gap": st.fixed_dictionaries({"days": st.integers(0, 3)}),
        "volume-progression": st.fixed_dictionaries({"max_step": st.sampled_from([0, 1, 2, 4])}),
        "intensity-waves": st.fixed_dictionaries(
            {"block_weeks": st.integers(1, 3), "first": st.sampled_from(["moderate", "heavy"])}
        ),
        "rir-progression": st.fixed_dictionaries(
            {"start": st.integers(2, 4), "end": st.integers(0, 2)}
        ),
        "stable-main-lifts": st.fixed_dictionaries({"rotate_accessories": st.booleans()}),
        "meso-length": st.fixed_dictionaries({"deload_weeks": st.integers(0, 2)}),
    },
)


@st.composite
def meso_clients(draw):
    slots = draw(
        st.lists(meso_slot, min_size=1, max_size=3, unique_by=lambda s: (s["day"], s["start"]))
    )
    if draw(st.booleans()):  # the Sunday-to-Monday boundary
        slots = [s for s in slots if s["day"] not in ("sun", "mon")][:1]
        slots += [slot("sun", minutes=60), slot("mon", minutes=60)]
    rules = draw(meso_overrides)
    if draw(st.integers(0, 3)):  # mostly reachable volumes
        rules["muscle-sets"] = {"ranges": ZERO_MINS}
    maxes = draw(
        st.dictionaries(
            st.sampled_from(["back_squat", "leg_press", "lat_pulldown", "trap_bar_deadlift"]),
            st.sampled_from([60.0, 97.5, 140.0, 185.0]),
            max_size=2,
        )
    )
    return parse_client(
        {
            "name": "Generated",
            "experience": draw(st.sampled_from(["beginner", "intermediate", "advanced"])),
            "goal": draw(st.sampled_from(["strength", "hypertrophy", "endurance", "general"])),
            "back_status": draw(st.sampled_from(["healthy", "sensitive", "injured"])),
            "priority": draw(st.sampled_from(["legs", "back", "balanced"])),
            "equipment": draw(st.lists(st.sampled_from(GYM), min_size=2, max_size=5, unique=True)),
            "availability": slots,
            "one_rep_max_kg": maxes,
            "rules": rules,
        }
    )


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(meso_clients(), st.integers(3, 8))
def test_every_mesocycle_passes_the_checker(c, weeks):
    res = solve(c, weeks=weeks, time_limit=8, workers=1)
    if res.feasible:
        assert len(res.plan.weeks) == weeks
        violations = check_plan(res.plan)
        assert violations == [], strs(violations)
    elif res.status == "infeasible":
        assert res.explanation and res.plan.explanation == res.explanation
        named = " ".join(res.explanation)
        assert any(rid in named for rid in REGISTRY), named
    else:
        assert res.status == "unknown"
        assert res.explanation
