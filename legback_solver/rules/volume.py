"""Weekly volume: muscle-sets and beginner-volume.

Sources: 002_6d64b2955e625f57.txt ("Select 2-3 primary exercises for each body part ...
a lower number of sets per exercise (e.g., 3-4 sets)"; beginners "start with lower
volumes"); 000_3a0f1a209196565a.txt ("start with 60% of the volume you think you can
handle").

Hard sets per muscle: 1 for each primary muscle of an exercise and 0.5 for each
secondary one. Internally counted in half sets so everything stays integral.
"""

from __future__ import annotations

import math

from pydantic import Field, field_validator

from ..models import MUSCLES, Client, Experience, Goal
from .base import EncodeContext, NonNegFloat, Params, Rule, Violation


def _ranges() -> dict[str, tuple[float, float]]:
    return {
        "quads": (8, 18),
        "hamstrings": (6, 16),
        "glutes": (6, 18),
        "adductors": (0, 10),
        "calves": (0, 10),
        "lats": (8, 18),
        "upper_back": (6, 18),
        "traps": (0, 12),
        "rear_delts": (0, 10),
        "erectors": (3, 12),
        "core": (0, 12),
    }


class MuscleSets(Params):
    ranges: dict[str, tuple[float, float]] = Field(default_factory=_ranges)
    experience_scale: dict[Experience, NonNegFloat] = Field(
        default_factory=lambda: {"beginner": 0.7, "intermediate": 1.0, "advanced": 1.2}
    )
    goal_scale: dict[Goal, NonNegFloat] = Field(
        default_factory=lambda: {
            "strength": 0.8,
            "hypertrophy": 1.0,
            "endurance": 0.8,
            "general": 0.7,
        }
    )

    @field_validator("ranges")
    @classmethod
    def _check(cls, v: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
        full = _ranges()
        for m, (lo, hi) in v.items():
            if m not in MUSCLES:
                raise ValueError(f"{m!r} is not a muscle (use {', '.join(MUSCLES)})")
            if not 0 <= lo <= hi:
                raise ValueError(f"{m}: need 0 <= min <= max, got [{lo}, {hi}]")
            full[m] = (lo, hi)
        return full


def muscle_limits(p: MuscleSets, client: Client) -> dict[str, tuple[int, int]]:
    """[min, max] weekly half sets per muscle for this client's experience and goal."""
    scale = p.experience_scale[client.experience] * p.goal_scale[client.goal]
    return {
        m: (math.floor(2 * lo * scale + 1e-9), math.ceil(2 * hi * scale - 1e-9))
        for m, (lo, hi) in p.ranges.items()
    }


def encode_muscle_sets(ctx: EncodeContext, p: MuscleSets) -> None:
    """min <= weekly sets of muscle m <= max, one literal per muscle and bound."""
    limits = muscle_limits(p, ctx.data.client)
    for w in ctx.data.volume_weeks():
        for m, (lo, hi) in limits.items():
            hs = ctx.v.halfsets[w][m]
            if lo > 0:
                ctx.hard(ctx.model.add(hs >= lo), f"{m}>={lo / 2:g}")
            ctx.hard(ctx.model.add(hs <= hi), f"{m}<={hi / 2:g}")


def check_muscle_sets(view, p: MuscleSets) -> list[Violation]:
    limits = muscle_limits(p, view.client)
    out = []
    for w in view.volume_weeks():
        counts = view.halfsets(w)
        for m, (lo, hi) in limits.items():
            got = counts.get(m, 0)
            if not lo <= got <= hi:
                out.append(
                    Violation(
                        "muscle-sets",
                        f"{m} gets {got / 2:g} weekly sets (range {lo / 2:g}-{hi / 2:g})",
                        f"week {w + 1}",
                    )
                )
    return out


TRAINED = ("quads", "hamstrings", "glutes", "lats", "upper_back", "erectors")


class BeginnerVolume(Params):
    fraction: float = Field(0.6, gt=0, le=1)
    muscles: tuple[str, ...] = TRAINED

    @field_validator("muscles")
    @classmethod
    def _known(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for m in v:
            if m not in MUSCLES:
                raise ValueError(f"{m!r} is not a muscle (use {', '.join(MUSCLES)})")
        return v


def beginner_caps(p: BeginnerVolume, ms: MuscleSets, client: Client) -> dict[str, int]:
    """Week-1 cap per trained muscle (``muscles``) for a beginner, in half sets: fraction
    x the intermediate target (the middle of the intermediate range), never below the
    beginner's own minimum. Minor muscles are not capped: they collect secondary half
    sets from the main lifts."""
    ref = client.model_copy(update={"experience": "intermediate"})
    own = muscle_limits(ms, client)
    return {
        m: max(own[m][0], math.floor(p.fraction * (lo + hi) / 2 + 1e-9))
        for m, (lo, hi) in muscle_limits(ms, ref).items()
        if m in p.muscles
    }


def encode_beginner_volume(ctx: EncodeContext, p: BeginnerVolume) -> None:
    """For a beginner, week-1 sets of muscle m <= fraction x intermediate target(m)."""
    if ctx.data.client.experience != "beginner":
        return
    caps = beginner_caps(p, ctx.data.params("muscle-sets"), ctx.data.client)
    for m, cap in caps.items():
        ctx.hard(ctx.model.add(ctx.v.halfsets[0][m] <= cap), f"{m}<={cap / 2:g}")


def check_beginner_volume(view, p: BeginnerVolume) -> list[Violation]:
    if view.client.experience != "beginner" or not view.weeks:
        return []
    caps = beginner_caps(p, view.rulebook.params("muscle-sets"), view.client)
    counts = view.halfsets(0)
    return [
        Violation(
            "beginner-volume",
            f"{m} gets {counts.get(m, 0) / 2:g} sets, over {p.fraction:g} x the intermediate target = {cap / 2:g}",
            "week 1",
        )
        for m, cap in caps.items()
        if counts.get(m, 0) > cap
    ]


RULES = [
    Rule("muscle-sets", "hard", MuscleSets, encode_muscle_sets, check_muscle_sets),
    Rule("beginner-volume", "hard", BeginnerVolume, encode_beginner_volume, check_beginner_volume),
]
