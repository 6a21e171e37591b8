"""Crafted small clients shared by the rule tests (weekly and mesocycle)."""

from __future__ import annotations

import copy
from typing import Any

from legback_solver.catalogue import catalogue_by_id
from legback_solver.io import parse_client
from legback_solver.models import Client
from legback_solver.rulebook import load_rulebook

CATALOGUE = catalogue_by_id()
ALL_IDS = sorted(CATALOGUE)
GYM = ["barbell", "dumbbell", "cable", "machine", "pullup_bar", "bench", "trap_bar"]
# Default weekly ranges with every minimum at zero: one or two sessions can't reach them.
ZERO_MINS = {
    m: [0, hi] for m, (_lo, hi) in load_rulebook("default").params("muscle-sets").ranges.items()
}
# Leg-only and back-only exercises that load the spine lightly and need no special kit.
LEGS = ["leg_press", "leg_extension", "lying_leg_curl", "seated_leg_curl", "goblet_squat"]
BACK = [
    "chest_supported_row",
    "lat_pulldown",
    "face_pull",
    "seated_cable_row",
    "straight_arm_pulldown",
]
TIME_LIMIT = 10.0
# The coaching model (SPEC §3a, rules/coaching.py and rules/recovery.py). The crafted
# clients of the older rule tests switch it off so that each of them isolates its own
# rule; tests/test_coaching.py tests these rules with everything on.
COACHING = (
    "alpha-first",
    "session-anatomy",
    "demand-order",
    "known-lifts",
    "goal-fit",
    "drills",
    "straps",
    "intensity-floor",
    "muscle-recovery",
    "coaching-value",
)
COACHING_OFF = {rid: {"kind": "off"} for rid in COACHING}
FEASIBLE = ("optimal", "feasible")


# --------------------------------------------------------------------------- helpers


def slot(day: str, start: str = "18:00", minutes: int = 90) -> dict[str, Any]:
    return {"day": day, "start": start, "minutes": minutes}


def make_client(
    slots: list[dict[str, Any]],
    only: list[str] | None = None,
    prefer: tuple[str, ...] = (),
    rules: dict[str, dict[str, Any]] | None = None,
    zero_mins: bool = True,
    name: str = "Bind Test",
    coaching: bool = False,
    **fields: Any,
) -> Client:
    """A crafted client: muscle minimums at zero (unless ZERO_MINS is False), preferences
    weighing heavily, and (with ONLY) every other catalogue exercise excluded, so the
    model stays small."""
    merged: dict[str, dict[str, Any]] = {"preferences": {"weight": 1000}}
    if not coaching:
        merged.update(copy.deepcopy(COACHING_OFF))
    if zero_mins:
        merged["muscle-sets"] = {"ranges": dict(ZERO_MINS)}
    for rid, entry in (rules or {}).items():
        base = merged.setdefault(rid, {})
        for key, value in entry.items():
            if isinstance(value, dict) and isinstance(base.get(key), dict):
                base[key] = {**base[key], **value}
            else:
                base[key] = value
    data: dict[str, Any] = {
        "name": name,
        "experience": "intermediate",
        "goal": "hypertrophy",
        "back_status": "healthy",
        "equipment": GYM,
        "availability": slots,
        "prefer": list(prefer),
        "rules": merged,
    }
    if only is not None:
        unknown = set(only) - set(CATALOGUE)
        assert not unknown, f"test bug: {unknown} are not catalogue ids"
        data["exclude"] = [i for i in ALL_IDS if i not in only]
    data.update(fields)
    return parse_client(data)


def switched_off(client: Client, rule_id: str) -> Client:
    rules = copy.deepcopy(client.rules)
    rules[rule_id] = {**rules.get(rule_id, {}), "kind": "off"}
    return client.model_copy(update={"rules": rules})


def rule_ids(violations) -> set[str]:
    return {v.rule for v in violations}
