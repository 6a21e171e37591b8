"""Mesocycle rules: meso-length, volume-progression, deload, intensity-waves,
stable-main-lifts, rir-progression and loads (the last three, what a week prescribes,
in prescribed.py).

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

from pydantic import Field, model_validator

from ..models import MAX_SETS
from ..schedule import MAIN_TIERS
from .base import (
    EncodeContext,
    Explaining,
    Params,
    Reporting,
    Rule,
    Slack,
    Violation,
    always,
)
from .prescribed import INTENSITY_WAVES, LOADS, RIR_PROGRESSION

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
    """A mesocycle has min_weeks..max_weeks weeks, the last deload_weeks of them deload
    weeks and no deload before. Solving: the week count is checked on input and the
    phases come from it (schedule.py); auditing a plan, its own count and phases."""
    data = ctx.data
    if data.weeks <= 1:
        return
    if not p.min_weeks <= data.weeks <= p.max_weeks:
        ctx.fail("weeks")
    for spec in data.specs:
        if spec.deload != (spec.index >= data.weeks - p.deload_weeks):
            ctx.fail("phases")


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


def progression_pairs(weeks: list[int], first_open: int) -> list[tuple[int, int]]:
    """Consecutive non-deload weeks, from the first week wholly re-planned on: a re-plan
    (a missed day, a new back status) restarts the progression."""
    return [
        (a, b) for a, b in zip(weeks, weeks[1:], strict=False) if b == a + 1 and a >= first_open
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
        if not 1 <= self.sets[0] <= self.sets[1] <= MAX_SETS:
            raise ValueError(f"sets: need 1 <= min <= max <= {MAX_SETS}, got {list(self.sets)}")
        return self


def encode_deload(ctx: EncodeContext, p: Deload) -> None:
    """Deload week total sets within fraction x the previous week's (when that week was
    trained); its sets per exercise within `sets` (also fixed in the variable domains
    outside explain mode); its RIR at least rir_min (solving: the schedule's)."""
    v, data, model = ctx.v, ctx.data, ctx.model
    lo, hi = (Fraction(f).limit_denominator(1000) for f in p.fraction)
    for spec in data.specs:
        w = spec.index
        if not spec.deload:
            continue
        if w > 0:
            total = sum(sum(v.n[w][s]) for s in range(v.S))
            prev = sum(sum(v.n[w - 1][s]) for s in range(v.S))
            trained = model.new_bool_var(f"trained_{w}")  # no share of an empty week
            model.add_max_equality(trained, [v.use[w - 1][s] for s in range(v.S)])
            ctx.hard(model.add(lo.denominator * total >= lo.numerator * prev), "volume")
            ctx.hard(
                model.add(hi.denominator * total <= hi.numerator * prev).only_enforce_if(trained),
                "volume",
            )
        for s in range(v.S):
            for e in range(v.E):
                ctx.hard(model.add(v.n[w][s][e] >= p.sets[0]).only_enforce_if(v.x[w][s][e]), "sets")
                ctx.hard(model.add(v.n[w][s][e] <= p.sets[1]), "sets")
        a = v.attrs
        if a is None:  # solving: the deload week's RIR is the schedule's, at least rir_min
            continue
        given = a.week_rir[w]
        if given is not None and given < p.rir_min:
            ctx.fail("rir")
        for s in range(v.S):
            for e in data.audited_items(w, s):
                if data.exercises[e].is_drill:
                    continue
                ctx.hard(
                    model.add(a.rir[w][s][e] >= p.rir_min).only_enforce_if(v.x[w][s][e]), "rir"
                )


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


# --------------------------------------------------------------------------- stability


class StableMainLifts(Params):
    rotate_accessories: bool = False  # False: every exercise stays in its slot


def _stable(ex, p: StableMainLifts) -> bool:
    return ex.tier in MAIN_TIERS or not p.rotate_accessories


def encode_stable_main_lifts(ctx: EncodeContext, p: StableMainLifts) -> None:
    """x[w][s][e] = x[w'][s][e] for main lifts (all lifts unless accessories rotate), over
    the weeks in which slot s is still to be planned (a slot left empty one week is
    empty every week)."""
    data, v = ctx.data, ctx.v
    if v.W <= 1:
        return
    for s in range(v.S):
        free = [w for w in range(v.W) if (w, s) not in data.frozen]
        for w in free[1:]:
            if v.x[w][s] is v.x[free[0]][s]:  # one selection for every week (v.shared)
                continue
            for e, ex in enumerate(data.exercises):
                if _stable(ex, p):
                    ctx.hard(ctx.model.add(v.x[w][s][e] == v.x[free[0]][s][e]))


def check_stable_main_lifts(view, p: StableMainLifts) -> list[Violation]:
    """Per client slot, the stable lifts of every week still to plan equal those of the
    first such week; a week without a session in that slot has none (as the encoder:
    x[w][s][e] = x[first][s][e] over the slot's open weeks)."""
    if view.weeks <= 1:
        return []
    out = []
    held = {(sv.week, sv.session.day, sv.session.start): sv for sv in view.sessions}
    for slot in view.client.slots():
        open_weeks = [w for w in range(view.weeks) if not view.is_history_day(w, slot.day)]

        def lifts(w: int, day: str = slot.day, start: str = slot.start) -> set[str]:
            sv = held.get((w, day, start))
            return {it.ex.id for it in sv.items if _stable(it.ex, p)} if sv else set()

        if not open_weeks:
            continue
        first = open_weeks[0]
        base = lifts(first)
        for w in open_weeks[1:]:
            now = lifts(w)
            if now != base:
                out.append(
                    Violation(
                        "stable-main-lifts",
                        f"lifts change from week {first + 1} {slot.day} {slot.start}: {', '.join(sorted(base ^ now))}",
                        f"week {w + 1} {slot.day} {slot.start}",
                    )
                )
    return out


# --------------------------------------------------------------------------- explain, report


def volume_progression_words(data, p: VolumeProgression, details: list[str]) -> str:
    return f"volume-progression (+{p.max_step:g} sets a week: {', '.join(details)})"


def volume_progression_slack(view, p: VolumeProgression) -> list[Slack]:
    """Each muscle's rise in weekly sets between the week pairs the rule constrains."""
    if view.weeks <= 1:
        return []
    rows = []
    for a, b in progression_pairs(view.volume_weeks(), view.first_open_week):
        before, after = view.halfsets(a), view.halfsets(b)
        for m in sorted(set(before) | set(after)):
            rise = (after.get(m, 0) - before.get(m, 0)) / 2
            where, what = f"week {b + 1} {m}", f"{m} rise in sets"
            rows.append(Slack("volume-progression", where, what, rise, 0, p.max_step, "sets"))
    return rows


def _has_deload_week(view) -> bool:
    return any(w.phase == "deload" for w in view.plan.weeks)


RULES = [
    Rule(
        "meso-length",
        "hard",
        MesoLength,
        encode_meso_length,
        check_meso_length,
        weekly=False,
        reporting=Reporting(holds=always, rank=35),
    ),
    Rule(
        "volume-progression",
        "hard",
        VolumeProgression,
        encode_volume_progression,
        check_volume_progression,
        weekly=False,
        explaining=Explaining(words=volume_progression_words, needs_volume=always),
        reporting=Reporting(slack=volume_progression_slack, rank=21),
    ),
    Rule(
        "deload",
        "hard",
        Deload,
        encode_deload,
        check_deload,
        weekly=False,
        explaining=Explaining(needs_volume=always),
        reporting=Reporting(holds=_has_deload_week, rank=39),
    ),
    INTENSITY_WAVES,
    Rule(
        "stable-main-lifts",
        "hard",
        StableMainLifts,
        encode_stable_main_lifts,
        check_stable_main_lifts,
        weekly=False,
        reporting=Reporting(holds=always, rank=34),
    ),
    RIR_PROGRESSION,
    LOADS,
]
