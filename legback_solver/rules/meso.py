"""Mesocycle rules: meso-length, volume-progression, deload, intensity-waves,
stable-main-lifts, rir-progression and loads.

Source: 002_6d64b2955e625f57.txt ("Vary Intensity Across Weeks: Implement periodization.
Some weeks might focus on heavier loads and lower reps (strength), while others focus on
moderate loads and higher reps"; beginners "start with lower volumes"), and
000_3a0f1a209196565a.txt ("Use a logbook ... Seeing your numbers from last week").

The week-by-week prescription (phase, block, RIR, rep ranges, deload set ranges) lives
in schedule.py; the rules here constrain the solver's set counts and selection across
weeks, and audit any plan against the same statements.

In a re-planned plan (``done_through``), sessions already done are history: progression
and stability link only the weeks from the first re-planned one on.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Literal

from pydantic import Field, model_validator

from ..loads import epley_1rm, load_for
from ..models import Client, parse_reps
from ..schedule import MAIN_TIERS, shifts
from .base import EncodeContext, Params, Rule, Violation
from .coaching import floor_in


def known_maxes(client: Client) -> dict[str, float]:
    """1RM per exercise: given, or estimated from a recent set with Epley."""
    out = {eid: epley_1rm(s.kg, s.reps) for eid, s in client.recent_sets.items()}
    out.update(client.one_rep_max_kg)
    return out


# --------------------------------------------------------------------------- meso-length


class MesoLength(Params):
    min_weeks: int = Field(3, ge=2, le=52)
    max_weeks: int = Field(16, ge=2, le=52)
    deload_weeks: int = Field(1, ge=0, le=2)

    @model_validator(mode="after")
    def _order(self) -> MesoLength:
        if self.min_weeks > self.max_weeks:
            raise ValueError("min_weeks must not exceed max_weeks")
        return self


def encode_meso_length(ctx: EncodeContext, p: MesoLength) -> None:
    """Structural: the number of weeks is checked on input, the phases come from it."""


def check_meso_length(view, p: MesoLength) -> list[Violation]:
    if view.weeks <= 1:
        return []
    out = []
    if not p.min_weeks <= view.weeks <= p.max_weeks:
        out.append(
            Violation(
                "meso-length", f"{view.weeks} weeks (range {p.min_weeks}-{p.max_weeks})", "plan"
            )
        )
    phases = [w.phase for w in view.plan.weeks]
    want = ["deload"] * p.deload_weeks
    if (
        phases[len(phases) - p.deload_weeks :] != want
        or "deload" in phases[: len(phases) - p.deload_weeks]
    ):
        out.append(
            Violation(
                "meso-length",
                f"phases {phases}: accumulation then {p.deload_weeks} deload week(s)",
                "plan",
            )
        )
    return out


# --------------------------------------------------------------------------- volume


class VolumeProgression(Params):
    max_step: float = Field(2, ge=0, le=20)  # sets per muscle per week


def progression_pairs(weeks: list[int], first_free: int) -> list[tuple[int, int]]:
    """Consecutive non-deload weeks, from the first week wholly re-planned on: a re-plan
    (a missed day, a new back status) restarts the progression."""
    return [
        (a, b) for a, b in zip(weeks, weeks[1:], strict=False) if b == a + 1 and a >= first_free
    ]


def encode_volume_progression(ctx: EncodeContext, p: VolumeProgression) -> None:
    """For consecutive accumulation weeks: hs[w] <= hs[w+1] <= hs[w] + 2*max_step."""
    data, hs = ctx.data, ctx.v.halfsets
    step = math.floor(2 * p.max_step + 1e-9)
    for a, b in progression_pairs(data.volume_weeks(), data.first_open_week):
        for m in hs[a]:
            ctx.hard(ctx.model.add(hs[b][m] >= hs[a][m]), f"{m} week {b + 1}")
            ctx.hard(ctx.model.add(hs[b][m] <= hs[a][m] + step), f"{m} week {b + 1}")


def check_volume_progression(view, p: VolumeProgression) -> list[Violation]:
    out = []
    step = math.floor(2 * p.max_step + 1e-9)
    for a, b in progression_pairs(view.volume_weeks(), view.first_open_week):
        before, after = view.halfsets(a), view.halfsets(b)
        for m in sorted(set(before) | set(after)):
            x, y = before.get(m, 0), after.get(m, 0)
            if y < x:
                out.append(
                    Violation(
                        "volume-progression",
                        f"{m} drops from {x / 2:g} to {y / 2:g} sets",
                        f"week {b + 1}",
                    )
                )
            elif y > x + step:
                out.append(
                    Violation(
                        "volume-progression",
                        f"{m} rises from {x / 2:g} to {y / 2:g} sets (at most +{p.max_step:g})",
                        f"week {b + 1}",
                    )
                )
    return out


# --------------------------------------------------------------------------- deload


class Deload(Params):
    fraction: tuple[float, float] = (0.5, 0.6)
    sets: tuple[int, int] = (1, 2)
    rir_min: int = Field(4, ge=0, le=10)

    @model_validator(mode="after")
    def _ranges(self) -> Deload:
        lo, hi = self.fraction
        if not 0 < lo <= hi <= 1:
            raise ValueError(f"fraction: need 0 < low <= high <= 1, got [{lo}, {hi}]")
        if not 1 <= self.sets[0] <= self.sets[1] <= 6:
            raise ValueError(f"sets: need 1 <= min <= max <= 6, got {list(self.sets)}")
        return self


def encode_deload(ctx: EncodeContext, p: Deload) -> None:
    """Deload week total sets within fraction x the previous week's; its sets per exercise
    within `sets` (also fixed in the variable domains outside explain mode)."""
    v, data, model = ctx.v, ctx.data, ctx.model
    lo, hi = (Fraction(f).limit_denominator(1000) for f in p.fraction)
    for spec in data.specs:
        w = spec.index
        if not spec.deload or w == 0:
            continue
        total = sum(sum(v.n[w][s]) for s in range(v.S))
        prev = sum(sum(v.n[w - 1][s]) for s in range(v.S))
        ctx.hard(model.add(lo.denominator * total >= lo.numerator * prev), "volume")
        ctx.hard(model.add(hi.denominator * total <= hi.numerator * prev), "volume")
        for s in range(v.S):
            for e in range(v.E):
                ctx.hard(model.add(v.n[w][s][e] >= p.sets[0]).only_enforce_if(v.x[w][s][e]), "sets")
                ctx.hard(model.add(v.n[w][s][e] <= p.sets[1]), "sets")


def check_deload(view, p: Deload) -> list[Violation]:
    out = []
    totals = [
        sum(it.pe.sets for sv in view.week_sessions(w) for it in sv.items)
        for w in range(view.weeks)
    ]
    for w, week in enumerate(view.plan.weeks):
        if week.phase != "deload":
            continue
        if w > 0 and totals[w - 1]:
            share = totals[w] / totals[w - 1]
            lo, hi = (Fraction(f).limit_denominator(1000) for f in p.fraction)
            if not lo <= Fraction(totals[w], totals[w - 1]) <= hi:
                out.append(
                    Violation(
                        "deload",
                        f"{totals[w]} sets is {share:.0%} of the previous week's {totals[w - 1]} "
                        f"(range {p.fraction[0]:.1%}-{p.fraction[1]:.1%})",
                        f"week {w + 1}",
                    )
                )
        if week.rir is not None and week.rir < p.rir_min:
            out.append(
                Violation("deload", f"week RIR {week.rir} (at least {p.rir_min})", f"week {w + 1}")
            )
        for sv in view.week_sessions(w):
            for it in sv.items:
                if it.pe.rir is not None and it.pe.rir < p.rir_min:
                    out.append(
                        Violation(
                            "deload",
                            f"{it.ex.id} at RIR {it.pe.rir} (at least {p.rir_min})",
                            sv.where,
                        )
                    )
                if not p.sets[0] <= it.pe.sets <= p.sets[1]:
                    out.append(
                        Violation(
                            "deload",
                            f"{it.ex.id} has {it.pe.sets} sets (deload range {p.sets[0]}-{p.sets[1]})",
                            sv.where,
                        )
                    )
    return out


# --------------------------------------------------------------------------- intensity


class IntensityWaves(Params):
    block_weeks: int = Field(2, ge=1, le=8)
    first: Literal["moderate", "heavy"] = "moderate"
    rep_shift: tuple[int, int] = (2, 3)  # heavier blocks: lower rep bound -2, upper -3

    @model_validator(mode="after")
    def _shift(self) -> IntensityWaves:
        lo, hi = self.rep_shift
        if lo < 0 or hi < 1:
            raise ValueError(
                f"rep_shift: heavier blocks need fewer reps (lower >= 0, upper >= 1), got {[lo, hi]}"
            )
        return self


def encode_intensity_waves(ctx: EncodeContext, p: IntensityWaves) -> None:
    """Prescriptive: schedule.py shifts main-lift rep ranges in heavier blocks."""


def _main_top_reps(view, w: int) -> dict[tuple[str, str, str], int]:
    out = {}
    for sv in view.week_sessions(w):
        for it in sv.items:
            if shifts(it.ex, view.rulebook):
                try:
                    out[(sv.session.day, sv.session.start, it.ex.id)] = parse_reps(it.pe.reps)[1]
                except ValueError:
                    continue
    return out


def check_intensity_waves(view, p: IntensityWaves) -> list[Violation]:
    """Consecutive blocks alternate: a heavier block's main lifts use fewer reps (top of
    the range) than the same lifts in the neighbouring moderate block, and the reverse."""
    out: list[Violation] = []
    weeks = [w for w in view.volume_weeks()]
    if len(weeks) <= p.block_weeks:
        return out
    phase = {w: view.plan.weeks[w].phase for w in weeks}
    for a, b in zip(weeks, weeks[1:], strict=False):
        same_block = a // p.block_weeks == b // p.block_weeks
        if same_block != (phase[a] == phase[b]):
            out.append(
                Violation(
                    "intensity-waves",
                    f"weeks {a + 1} ({phase[a]}) and {b + 1} ({phase[b]}) should "
                    + ("share a block" if same_block else "alternate blocks"),
                    f"week {b + 1}",
                )
            )
        if same_block:
            continue
        ra, rb = _main_top_reps(view, a), _main_top_reps(view, b)
        heavy_first = phase[a] == "intensification"
        for key in sorted(set(ra) & set(rb)):
            heavy, moderate = (ra[key], rb[key]) if heavy_first else (rb[key], ra[key])
            if heavy >= moderate:
                out.append(
                    Violation(
                        "intensity-waves",
                        f"{key[2]} {heavy} reps in the heavier block vs {moderate} in the moderate one",
                        f"weeks {a + 1}-{b + 1}",
                    )
                )
    return out


# --------------------------------------------------------------------------- stability


class StableMainLifts(Params):
    rotate_accessories: bool = False  # False: every exercise stays in its slot


def _stable(ex, p: StableMainLifts) -> bool:
    return ex.tier in MAIN_TIERS or not p.rotate_accessories


def encode_stable_main_lifts(ctx: EncodeContext, p: StableMainLifts) -> None:
    """x[w][s][e] = x[w'][s][e] for main lifts (all lifts unless accessories rotate), over
    the weeks in which slot s is still to be planned."""
    data, v = ctx.data, ctx.v
    for s in range(v.S):
        free = [w for w in range(v.W) if (w, s) not in data.frozen]
        for w in free[1:]:
            for e, ex in enumerate(data.exercises):
                if _stable(ex, p):
                    ctx.hard(ctx.model.add(v.x[w][s][e] == v.x[free[0]][s][e]))


def check_stable_main_lifts(view, p: StableMainLifts) -> list[Violation]:
    out = []
    by_slot: dict[tuple[str, str], list] = {}
    for sv in view.sessions:
        if not view.is_history(sv):
            by_slot.setdefault((sv.session.day, sv.session.start), []).append(sv)
    for slot_sessions in by_slot.values():
        first = slot_sessions[0]
        base = {it.ex.id for it in first.items if _stable(it.ex, p)}
        for sv in slot_sessions[1:]:
            now = {it.ex.id for it in sv.items if _stable(it.ex, p)}
            if now != base:
                changed = sorted(base ^ now)
                out.append(
                    Violation(
                        "stable-main-lifts",
                        f"lifts change from {first.where}: {', '.join(changed)}",
                        sv.where,
                    )
                )
    return out


# --------------------------------------------------------------------------- RIR


class RirProgression(Params):
    start: int = Field(3, ge=0, le=6)
    end: int = Field(1, ge=0, le=6)
    step: int = Field(1, ge=0, le=3)

    @model_validator(mode="after")
    def _order(self) -> RirProgression:
        if self.end > self.start:
            raise ValueError("end must not exceed start (RIR falls week by week)")
        return self


def encode_rir_progression(ctx: EncodeContext, p: RirProgression) -> None:
    """Prescriptive: schedule.py sets each week's RIR."""


def check_rir_progression(view, p: RirProgression) -> list[Violation]:
    out = []
    prev = None
    for w in view.volume_weeks():
        week = view.plan.weeks[w]
        if week.rir is None:
            continue
        if not p.end <= week.rir <= p.start and w >= view.first_free_week:
            out.append(
                Violation(
                    "rir-progression",
                    f"week RIR {week.rir} outside {p.end}-{p.start}",
                    f"week {w + 1}",
                )
            )
        if prev is not None and week.rir > prev:
            out.append(
                Violation(
                    "rir-progression", f"RIR rises from {prev} to {week.rir}", f"week {w + 1}"
                )
            )
        prev = week.rir
        for sv in view.week_sessions(w):
            for it in sv.items:
                want = max(week.rir, floor_in(view.rulebook, it.ex, view.client))
                if it.ex.tier in MAIN_TIERS and it.pe.rir != want and not view.is_history(sv):
                    out.append(
                        Violation(
                            "rir-progression",
                            f"{it.ex.id} at RIR {it.pe.rir}, the week's is {want}",
                            sv.where,
                        )
                    )
    return out


# --------------------------------------------------------------------------- loads


class Loads(Params):
    plate_step: float = Field(2.5, gt=0, le=10)


def encode_loads(ctx: EncodeContext, p: Loads) -> None:
    """Prescriptive: loads follow from the 1RM, the week's reps and RIR (loads.py)."""


def check_loads(view, p: Loads) -> list[Violation]:
    """Where a max is known, every set carries exactly the load its reps and RIR allow
    (Epley, rounded down to the plate step); any load is on the plate step. Sessions
    already done before a re-plan keep the loads that were lifted."""
    out = []
    maxes = known_maxes(view.client)
    for sv in view.sessions:
        if view.is_history(sv):
            continue
        for it in sv.items:
            kg = it.pe.load_kg
            if kg is not None and abs(kg / p.plate_step - round(kg / p.plate_step)) > 1e-6:
                out.append(
                    Violation(
                        "loads",
                        f"{it.ex.id} {kg:g} kg is not on the {p.plate_step:g} kg step",
                        sv.where,
                    )
                )
            if it.ex.id not in maxes or it.pe.rir is None:
                continue
            try:
                top = parse_reps(it.pe.reps)[1]
            except ValueError:
                continue
            allowed = load_for(maxes[it.ex.id], top, it.pe.rir, p.plate_step)
            if kg is None:
                out.append(
                    Violation(
                        "loads",
                        f"{it.ex.id} has a known max but no load (give {allowed:g} kg)",
                        sv.where,
                    )
                )
            elif abs(kg - allowed) > 1e-9:
                word = "over" if kg > allowed else "under"
                out.append(
                    Violation(
                        "loads",
                        f"{it.ex.id} {kg:g} kg for {it.pe.reps} at RIR {it.pe.rir} is {word} the prescribed {allowed:g} kg",
                        sv.where,
                    )
                )
    return out


RULES = [
    Rule("meso-length", "hard", MesoLength, encode_meso_length, check_meso_length, weekly=False),
    Rule(
        "volume-progression",
        "hard",
        VolumeProgression,
        encode_volume_progression,
        check_volume_progression,
        weekly=False,
    ),
    Rule("deload", "hard", Deload, encode_deload, check_deload, weekly=False),
    Rule(
        "intensity-waves",
        "hard",
        IntensityWaves,
        encode_intensity_waves,
        check_intensity_waves,
        weekly=False,
    ),
    Rule(
        "stable-main-lifts",
        "hard",
        StableMainLifts,
        encode_stable_main_lifts,
        check_stable_main_lifts,
        weekly=False,
    ),
    Rule(
        "rir-progression",
        "hard",
        RirProgression,
        encode_rir_progression,
        check_rir_progression,
        weekly=False,
    ),
    Rule("loads", "hard", Loads, encode_loads, check_loads, weekly=False),
]
