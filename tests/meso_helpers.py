"""Shared by the mesocycle tests: crafted mesocycle clients and plan helpers."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from click.testing import CliRunner

from legback_solver import check_plan, solve
from legback_solver.cli import main
from legback_solver.models import Client, Plan
from legback_solver.rules import HARD, REGISTRY
from tests import crafted
from tests.crafted import (
    BACK,
    CATALOGUE,
    FEASIBLE,
    LEGS,
    TIME_LIMIT,
    rule_ids,
    slot,
)

MAIN = ("primary", "secondary")


MESO_RULES = [r for r in HARD if not REGISTRY[r].weekly]


TIMING = ("solve_seconds", "build_seconds")


def make_client(*args: Any, **kwargs: Any) -> Client:
    return crafted.make_client(*args, name="Meso Test", **kwargs)


def strs(violations) -> list[str]:
    return [str(v) for v in violations]


def solved_plan(client: Client, weeks: int, **kwargs: Any) -> Plan:
    res = solve(client, weeks=weeks, time_limit=TIME_LIMIT, workers=1, **kwargs)
    assert res.status in FEASIBLE, (res.status, res.explanation)
    assert len(res.plan.weeks) == weeks
    return res.plan


def under(plan: Plan, other: Plan) -> Plan:
    """PLAN re-checked under OTHER's rulebook."""
    return plan.model_copy(update={"rulebook": other.rulebook})


def phases(plan: Plan) -> list[str]:
    return [w.phase for w in plan.weeks]


def lifts(plan: Plan, w: int) -> dict[str, set[str]]:
    """Exercise ids per weekday in 0-based week W."""
    return {s.day: {pe.exercise for pe in s.exercises} for s in plan.weeks[w].sessions}


def halfsets(plan: Plan, w: int) -> dict[str, int]:
    """Weekly hard sets per muscle in half sets, counted here from the catalogue (a drill
    is a dose, no hard set: SPEC 3a)."""
    out: dict[str, int] = {}
    for s in plan.weeks[w].sessions:
        for pe in s.exercises:
            ex = CATALOGUE[pe.exercise]
            if ex.is_drill:
                continue
            for m in ex.primary:
                out[m] = out.get(m, 0) + 2 * pe.sets
            for m in ex.secondary:
                out[m] = out.get(m, 0) + pe.sets
    return out


def total_sets(plan: Plan, w: int) -> int:
    return sum(pe.sets for s in plan.weeks[w].sessions for pe in s.exercises)


def top_reps(reps: str) -> int:
    return int(reps.split("-")[1])


def stable_json(plan: Plan) -> str:
    data = json.loads(plan.to_json())
    for key in TIMING:
        data.pop(key)
    return json.dumps(data, sort_keys=True)


def edited(plan: Plan, edit: Callable[[dict[str, Any]], Any]) -> Plan:
    """A copy of PLAN with EDIT applied to its JSON form (weeks, sessions, exercises)."""
    data = json.loads(plan.to_json())
    edit(data)
    return Plan.model_validate(data)


def items(data: dict[str, Any], w: int):
    """(session, exercise) dicts of 0-based week W of a plan's JSON form."""
    for s in data["weeks"][w]["sessions"]:
        for pe in s["exercises"]:
            yield s, pe


def find(data: dict[str, Any], w: int, exercise: str) -> dict[str, Any]:
    for _s, pe in items(data, w):
        if pe["exercise"] == exercise:
            return pe
    raise AssertionError(f"test precondition: {exercise} is not in week {w + 1}")


def assert_off_plan(on: Plan, off: Plan, rule_id: str) -> None:
    """Both plans solved and non-empty; the rulebooks differ in RULE_ID's kind only; the
    on plan has no violation; the off plan passes its own rulebook."""
    for plan in (on, off):
        assert plan.status in FEASIBLE, (plan.status, plan.explanation)
        assert all(w.sessions for w in plan.weeks), "a week without sessions"
    assert on.rulebook.rules[rule_id]["kind"] == "hard"
    assert off.rulebook.rules[rule_id]["kind"] == "off"
    for rid, entry in on.rulebook.rules.items():
        if rid != rule_id:
            assert off.rulebook.rules[rid] == entry, rid
    assert check_plan(on) == [], strs(check_plan(on))
    assert check_plan(off) == [], strs(check_plan(off))


def assert_flagged_only(on: Plan, off: Plan, rule_id: str):
    full = check_plan(under(off, on))
    assert rule_ids(full) == {rule_id}, strs(full)
    return full


# Two leg-heavy slots 72 h apart; the back squat is the client's favourite.
SQUAT_CLIENT = dict(
    slots=[slot("mon"), slot("thu")],
    # (the goblet squat, a secondary compound since issue 11, would compete with the leg press)
    only=["back_squat", *[e for e in LEGS if e != "goblet_squat"], *BACK],
    prefer=("back_squat",),
)


def squat_client(**fields: Any) -> Client:
    return make_client(**{**SQUAT_CLIENT, **fields})


def run_cli(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def write_client(tmp_path, client: Client, name: str = "client.json"):
    path = tmp_path / name
    path.write_text(json.dumps(client.model_dump(mode="json")), encoding="utf-8")
    return path


def hand_load(one_rm: float, reps: str, rir: int, step: float = 2.5) -> float:
    """Epley, by hand: one_rm / (1 + (top reps + RIR) / 30), rounded down to the step."""
    raw = one_rm / (1 + (top_reps(reps) + rir) / 30)
    return math.floor(raw / step + 1e-9) * step


REPLAN_SLOTS = [slot("mon"), slot("wed"), slot("fri")]
REPLAN_ONLY = ["back_squat", "trap_bar_deadlift", *LEGS, *BACK]


def replan_client(**fields: Any) -> Client:
    return make_client(
        REPLAN_SLOTS, only=REPLAN_ONLY, prefer=("back_squat", "trap_bar_deadlift"), **fields
    )
