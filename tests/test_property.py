"""Property tests: generated clients -> every feasible plan passes the checker, every
infeasible one carries an explanation naming rule ids."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legback_solver import check_plan, solve
from legback_solver.io import parse_client
from legback_solver.models import DAYS, EQUIPMENT
from legback_solver.rules import REGISTRY

slot = st.fixed_dictionaries(
    {
        "day": st.sampled_from(DAYS),
        "start": st.sampled_from(["06:30", "07:00", "12:00", "17:30", "18:00", "20:00"]),
        "minutes": st.sampled_from([30, 45, 60, 75, 90]),
    }
)

overrides = st.fixed_dictionaries(
    {},
    optional={
        "back-loading-gap": st.fixed_dictionaries({"hours": st.sampled_from([24, 48, 72, 96])}),
        "combined-days-max": st.fixed_dictionaries({"max": st.integers(0, 2)}),
        "combined-days-gap": st.fixed_dictionaries({"days": st.integers(0, 3)}),
        "spinal-budget": st.fixed_dictionaries(
            {"weekly": st.fixed_dictionaries({"healthy": st.integers(40, 200)})}
        ),
    },
)


@st.composite
def clients(draw):
    slots = draw(st.lists(slot, min_size=1, max_size=3, unique_by=lambda s: (s["day"], s["start"])))
    if draw(st.booleans()):  # make the Sunday/Monday wrap likely
        slots = [*slots, {"day": "sun", "start": "18:00", "minutes": 60}]
        slots = list({(s["day"], s["start"]): s for s in slots}.values())
    return parse_client(
        {
            "name": "Generated",
            "experience": draw(st.sampled_from(["beginner", "intermediate", "advanced"])),
            "goal": draw(st.sampled_from(["strength", "hypertrophy", "endurance", "general"])),
            "back_status": draw(st.sampled_from(["healthy", "sensitive", "injured"])),
            "priority": draw(st.sampled_from(["legs", "back", "balanced"])),
            "equipment": draw(st.lists(st.sampled_from(EQUIPMENT), max_size=6, unique=True)),
            "availability": slots,
            "rules": draw(overrides),
        }
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clients())
def test_every_plan_passes_the_checker(c):
    res = solve(c, time_limit=8, workers=2)
    if res.feasible:
        assert check_plan(res.plan) == [], [str(v) for v in check_plan(res.plan)]
    elif res.status == "infeasible":
        assert res.explanation
        named = " ".join(res.explanation)
        assert any(rid in named for rid in REGISTRY), named
