"""Mesocycles: the same client, seed and weeks give the same plan."""

from __future__ import annotations

import json

from legback_solver import solve
from tests.crafted import (
    FEASIBLE,
    TIME_LIMIT,
)
from tests.meso_helpers import TIMING, replan_client, stable_json


def test_same_client_seed_weeks_same_plan():
    c = replan_client()
    plans = [solve(c, weeks=4, seed=5, time_limit=TIME_LIMIT, workers=1).plan for _ in range(2)]
    assert plans[0].status in FEASIBLE
    assert stable_json(plans[0]) == stable_json(plans[1])
    # The timing fields are the only ones left out, and they are there.
    assert all(key in json.loads(plans[0].to_json()) for key in TIMING)


# Several workers: CP-SAT's interleaved search is deterministic, so two runs with the
# same seed and two workers give the same mesocycle, also when stopped at the 1% gap.
def test_two_workers_same_plan():
    c = replan_client()
    plans = [solve(c, weeks=4, seed=5, time_limit=TIME_LIMIT, workers=2).plan for _ in range(3)]
    assert plans[0].status in FEASIBLE
    assert stable_json(plans[0]) == stable_json(plans[1]) == stable_json(plans[2])
