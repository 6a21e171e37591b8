"""Mesocycles: a beginner's first week and progression."""

from __future__ import annotations

from legback_solver import check_plan
from legback_solver.io import parse_client
from legback_solver.rulebook import load_rulebook
from legback_solver.rules.volume import beginner_caps
from tests.crafted import (
    slot,
)
from tests.meso_helpers import halfsets, solved_plan, strs, total_sets


def test_beginner_first_week_and_progression():
    c = parse_client(
        {
            "name": "New Lifter",
            "experience": "beginner",
            "equipment": ["dumbbell", "bench", "cable", "machine"],
            "availability": [slot("mon"), slot("thu")],
        }
    )
    plan = solved_plan(c, 4)
    assert check_plan(plan) == [], strs(check_plan(plan))
    # Intermediate hypertrophy targets: the middle of the default weekly ranges.
    ranges = load_rulebook("default").params("muscle-sets").ranges
    targets = {m: (lo + hi) / 2 for m, (lo, hi) in ranges.items()}
    assert targets["quads"] == 13  # 8-18 sets -> at most 7.8 in a beginner's first week
    week1 = halfsets(plan, 0)
    trained = ("quads", "hamstrings", "glutes", "lats", "upper_back", "erectors")
    # The week-1 cap: 60% of the target, never below what two minimum sessions force
    # (2 main lifts x 3 sets x 2 sessions = 12 sets; issue 12), within 12 sets.
    book = load_rulebook("default")
    caps = beginner_caps(
        book.params("beginner-volume"),
        book.params("muscle-sets"),
        c,
        book.params("session-shape").sets_main[0],
    )
    for m in trained:
        assert caps[m] == max(24, int(0.6 * targets[m] * 2)), (m, caps[m])
        assert week1.get(m, 0) <= caps[m], (m, week1.get(m, 0) / 2)
    assert any(week1.get(m, 0) for m in trained)
    totals = [total_sets(plan, w) for w in range(3)]
    assert totals[1] > totals[0] and totals[2] >= totals[1], totals
