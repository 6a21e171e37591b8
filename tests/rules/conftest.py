"""Fixtures of the rule-family tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from legback_solver import solve
from legback_solver.models import Client, Plan
from tests.crafted import (
    TIME_LIMIT,
    switched_off,
)


@pytest.fixture(scope="module")
def solved() -> Callable[..., tuple[Plan, Plan]]:
    """Module-scoped cache: (plan with the rule on, plan with it off) per rule id."""
    cache: dict[str, tuple[Plan, Plan]] = {}

    def get(rule_id: str, client: Client, key: str = "") -> tuple[Plan, Plan]:
        key = key or rule_id
        if key not in cache:
            on = solve(client, time_limit=TIME_LIMIT, workers=2)
            off = solve(switched_off(client, rule_id), time_limit=TIME_LIMIT, workers=2)
            cache[key] = (on.plan, off.plan)
        return cache[key]

    return get
