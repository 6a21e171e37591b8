from __future__ import annotations

from pathlib import Path

import pytest

from legback_solver.io import parse_client

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def client(**overrides):
    """A small, fast client: two slots, a modest gym. Override any field."""
    base = {
        "name": "Test Client",
        "experience": "intermediate",
        "goal": "hypertrophy",
        "equipment": ["barbell", "dumbbell", "bench", "pullup_bar"],
        "availability": [
            {"day": "mon", "start": "18:00", "minutes": 60},
            {"day": "thu", "start": "18:00", "minutes": 60},
        ],
    }
    base.update(overrides)
    return parse_client(base)


@pytest.fixture(scope="session")
def example_path() -> Path:
    return ROOT / "examples" / "alex.yaml"
