"""Explaining on a mesocycle and the shortcuts of issue 13: the conflict is found on one
week, each part is screened on the mesocycle's own explain model before its relaxation is
measured and re-solved, and an extra slot is offered as long as the longer slot found.

* The screen (Engine.still_infeasible) answers from the core of an earlier proof when it
  can: every answer must agree with a solve on a fresh engine.
* The extra slot: a 25-minute client whose sessions need 30 minutes gets "add a slot ...
  (30 min)", verified, where a second 25-minute slot does not help.
"""

from __future__ import annotations

from typing import Any

from ortools.sat.python import cp_model

from legback_solver import solve
from legback_solver.data import make_data
from legback_solver.explain import explain, verify
from legback_solver.explain.engine import Engine
from legback_solver.io import parse_client
from legback_solver.solve import solve_data
from tests.test_explain import CASES, FEASIBLE, GYM, LIMIT, slot


def beginner_one_slot() -> Any:
    """benchmarks/bench_explain.py's beginner-extreme-min: one 45-minute slot, quads >= 16."""
    return parse_client(
        {
            "name": "beginner-extreme-min",
            "experience": "beginner",
            "equipment": GYM,
            "availability": [slot("sat", 45, "09:00")],
            "rules": {"muscle-sets": {"ranges": {"quads": [16, 24]}}},
        }
    )


def test_screen_answers_agree_with_fresh_solves():
    data = make_data(beginner_one_slot(), weeks=3)
    assert solve_data(data, time_limit=LIMIT, explain=False).status == "infeasible"
    keys = explain(data, time_limit=LIMIT, relax=False).keys
    assert keys
    screen = Engine(data, 0, 1.0)
    answers = [screen.still_infeasible([key]) for key in keys]
    # Some answers came from an earlier proof's core, without a solve of their own.
    assert screen.solves < len(keys)
    for key, infeasible in zip(keys, answers, strict=True):
        fresh = Engine(data, 0, 1.0)
        code, _ = fresh.run(fresh.all_but([key]), limit=4.0)
        assert code != cp_model.UNKNOWN
        assert infeasible == (code == cp_model.INFEASIBLE), key


def test_another_slot_as_long_as_the_longer_slot():
    client = CASES["session-time vs session-shape"][0]  # one 25-minute slot
    data = make_data(client, weeks=1)
    ex = explain(data, time_limit=LIMIT)
    longer = next(r for r in ex.relaxations if r.part == "session-time" and r.client)
    need = max(s["minutes"] for s in longer.client["availability"])
    assert need > 25
    extra = next(r for r in ex.relaxations if r.part == "slots")
    added = [s for s in extra.client["availability"] if s["day"] != "mon"]
    assert [s["minutes"] for s in added] == [need]
    assert solve(extra.apply(client), weeks=1, time_limit=LIMIT).status in FEASIBLE
    # A second slot as short as the first does not help: the longer one was needed.
    raw = [s.model_dump(mode="json") for s in client.availability]
    raw.append({**added[0], "minutes": 25})
    status, _ = verify(data, {}, {"availability": raw}, limit=LIMIT)
    assert status == "infeasible"
