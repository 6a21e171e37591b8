"""The shape of a mesocycle, week by week: phase, block, RIR, rep ranges, set ranges.

These are prescriptions that follow from the rulebook (meso-length, intensity-waves,
rir-progression, deload, session-shape), not solver decisions. The model reads them to
size sessions, the plan writer prints them, and the checker audits a plan against the
rules they come from.

A single week (weeks=1) is a repeating weekly plan: one accumulation week, RIR by goal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .models import Client, Exercise, Plan, parse_reps

if TYPE_CHECKING:
    from .rulebook import Rulebook

MAIN_TIERS = ("primary", "secondary")
WEEKLY_RIR = {"strength": 2, "hypertrophy": 2, "endurance": 3, "general": 3}
HEAVY_EXTRA_REST = 30  # seconds more rest for main lifts in a heavier block


@dataclass(frozen=True)
class WeekSpec:
    index: int  # 0-based
    phase: str  # accumulation | intensification | deload
    block: int | None  # 1-based intensity block; None for deload and single weeks
    heavy: bool  # a heavier, lower-rep block
    rir: int  # reps in reserve for main lifts

    @property
    def deload(self) -> bool:
        return self.phase == "deload"


def schedule(rulebook: Rulebook, client: Client, weeks: int) -> list[WeekSpec]:
    if weeks == 1:
        return [WeekSpec(0, "accumulation", None, False, WEEKLY_RIR[client.goal])]
    deloads = rulebook.params("meso-length").deload_weeks if rulebook.active("meso-length") else 0
    accumulation = max(1, weeks - deloads)
    waves = rulebook.params("intensity-waves") if rulebook.active("intensity-waves") else None
    rir = rulebook.params("rir-progression")
    deload = rulebook.params("deload")
    out = []
    for w in range(weeks):
        if w >= accumulation:
            rir_min = deload.rir_min if rulebook.active("deload") else rir.start
            out.append(WeekSpec(w, "deload", None, False, max(rir_min, rir.start)))
            continue
        block = w // waves.block_weeks if waves else 0
        heavy = bool(waves) and heavy_week(waves, w)
        rir_w = week_rir(rir, w) if rulebook.active("rir-progression") else rir.start
        out.append(
            WeekSpec(w, "intensification" if heavy else "accumulation", block + 1, heavy, rir_w)
        )
    return out


def plan_specs(plan: Plan) -> list[WeekSpec]:
    """The week specs a finished plan states itself (its phases, blocks and RIR): what the
    checker and an audit judge it by."""
    return [
        WeekSpec(w, week.phase, week.block, week.phase == "intensification", week.rir or 0)
        for w, week in enumerate(plan.weeks)
    ]


def heavy_week(waves, w: int) -> bool:
    """Accumulation week W (0-based) lies in a heavier block: blocks of block_weeks
    alternate, starting with `first` (intensity-waves)."""
    return (w // waves.block_weeks) % 2 == (0 if waves.first == "heavy" else 1)


def week_rir(p, w: int) -> int:
    """The RIR of accumulation week W (0-based) under rir-progression parameters P:
    start, falling by step a week, down to end."""
    return max(p.end, p.start - p.step * w)


def rir_for(spec: WeekSpec, tier: str) -> int:
    """Main lifts get the week's RIR; accessories one rep closer to failure (not in a deload)."""
    if tier in MAIN_TIERS or spec.deload:
        return spec.rir
    return max(0, spec.rir - 1)


def reps_for(ex: Exercise, goal: str, spec: WeekSpec, rulebook: Rulebook) -> str:
    """The week's rep range: heavier blocks shift main lifts down (intensity-waves)."""
    text = ex.reps[goal]
    if not spec.heavy or not shifts(ex, rulebook):
        return text
    return shifted_reps(text, rulebook.params("intensity-waves"))


def shifted_reps(text: str, waves) -> str:
    """A heavier block's rep range: TEXT shifted down by the waves' rep_shift."""
    lo_shift, hi_shift = waves.rep_shift
    lo, hi = parse_reps(text)
    lo2 = max(1, lo - lo_shift)
    hi2 = max(lo2 + 1, hi - hi_shift)
    return f"{lo2}-{hi2}"


def shifts(ex: Exercise, rulebook: Rulebook) -> bool:
    """Heavier blocks shift this lift's reps: main lifts; with goal-fit on, barbell and
    trap-bar compounds only (never machines, isolation or pull-ups)."""
    if ex.tier not in MAIN_TIERS:
        return False
    return not rulebook.active("goal-fit") or bool({"barbell", "trap_bar"} & set(ex.equipment))


def set_seconds(ex: Exercise, goal: str, reps: str, spec: WeekSpec) -> int:
    """Estimated seconds for one set of REPS including rest."""
    lo, hi = parse_reps(reps)
    rest = ex.rest_seconds[goal] + (HEAVY_EXTRA_REST if spec.heavy and ex.tier in MAIN_TIERS else 0)
    return (lo + hi) // 2 * ex.seconds_per_rep + rest


def tier_set_range(shape, tier: str) -> tuple[int, int]:
    """Sets per exercise by tier, from session-shape parameters."""
    return shape.sets_main if tier in MAIN_TIERS else shape.sets_accessory


def set_range(rulebook: Rulebook, tier: str, spec: WeekSpec) -> tuple[int, int]:
    """Allowed sets per exercise: by tier (session-shape), or the deload range."""
    if spec.deload and rulebook.active("deload"):
        return tuple(rulebook.params("deload").sets)
    return tier_set_range(rulebook.params("session-shape"), tier)
