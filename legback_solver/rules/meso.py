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

from ..loads import GRAMS, known_maxes, load_for, plate_step
from ..models import parse_reps
from ..schedule import MAIN_TIERS, heavy_week, shifted_reps, week_rir
from .base import EncodeContext, Params, Rule, Violation

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
        if not 1 <= self.sets[0] <= self.sets[1] <= 6:
            raise ValueError(f"sets: need 1 <= min <= max <= 6, got {list(self.sets)}")
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
        if a.week_rir[w] is not None and a.week_rir[w] < p.rir_min:
            ctx.fail("rir")
        for s in range(v.S):
            for e in data.audited_items(w, s):
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
                if it.pe.rir < p.rir_min:
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
    """Solving: prescriptive, schedule.py labels heavier blocks (heavy_week) and shifts
    their main-lift rep ranges (shifted_reps). Auditing a mesocycle: each accumulation
    week is heavy iff heavy_week(p, w), and every selected main lift's (low, top) is the
    goal's range, shifted in a heavy week."""
    a, v, data = ctx.v.attrs, ctx.v, ctx.data
    if a is None or data.weeks <= 1:
        return
    goal = data.client.goal
    for spec in data.specs:
        w = spec.index
        if spec.deload:
            continue
        if spec.heavy != heavy_week(p, w):
            ctx.fail(f"week {w + 1}")
        for s in range(v.S):
            for e in data.audited_items(w, s):
                ex = data.exercises[e]
                if ex.tier not in MAIN_TIERS:
                    continue
                text = shifted_reps(ex.reps[goal], p) if spec.heavy else ex.reps[goal]
                lo, hi = parse_reps(text)
                x = v.x[w][s][e]
                ctx.hard(ctx.model.add(a.low[w][s][e] == lo).only_enforce_if(x), f"week {w + 1}")
                ctx.hard(ctx.model.add(a.top[w][s][e] == hi).only_enforce_if(x), f"week {w + 1}")


def _main_top_reps(view, w: int) -> dict[tuple[str, str, str], int]:
    out = {}
    for sv in view.week_sessions(w):
        for it in sv.items:
            if it.ex.tier in MAIN_TIERS:
                try:
                    out[(sv.session.day, sv.session.start, it.ex.id)] = parse_reps(it.pe.reps)[1]
                except ValueError:
                    continue
    return out


def check_intensity_waves(view, p: IntensityWaves) -> list[Violation]:
    """Blocks of block_weeks alternate, starting with `first`: a heavier block is labelled
    intensification and its main lifts use the moderate rep range shifted down by
    rep_shift (reps_for); a moderate block's main lifts use the goal's range. Consecutive
    blocks alternate, and the heavier block's top reps are below the moderate one's."""
    out: list[Violation] = []
    if view.weeks <= 1:
        return out
    weeks = view.volume_weeks()
    phase = {w: view.plan.weeks[w].phase for w in weeks}
    for w in weeks:
        heavy = heavy_week(p, w)
        if (phase[w] == "intensification") != heavy:
            want = "intensification" if heavy else "accumulation"
            out.append(
                Violation(
                    "intensity-waves",
                    f"week {w + 1} is {phase[w]}, the waves ({p.first} first, "
                    f"{p.block_weeks}-week blocks) make it {want}",
                    f"week {w + 1}",
                )
            )
        for sv in view.week_sessions(w):
            if view.is_history(sv):
                continue
            for it in sv.items:
                if it.ex.tier not in MAIN_TIERS:
                    continue
                want = shifted_reps(it.ex.reps[view.client.goal], p) if heavy else None
                want = want or it.ex.reps[view.client.goal]
                if it.pe.reps != want:
                    block = "a heavier" if heavy else "a moderate"
                    out.append(
                        Violation(
                            "intensity-waves",
                            f"{it.ex.id} {it.pe.reps} reps in {block} block, the waves give {want}",
                            sv.where,
                        )
                    )
    if len(weeks) <= p.block_weeks:
        return out
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
    the weeks in which slot s is still to be planned (a slot left empty one week is
    empty every week)."""
    data, v = ctx.data, ctx.v
    if v.W <= 1:
        return
    for s in range(v.S):
        free = [w for w in range(v.W) if (w, s) not in data.frozen]
        for w in free[1:]:
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
    """Solving: prescriptive, schedule.py sets each week's RIR to week_rir(p, w) and main
    lifts get it. Auditing a mesocycle: each accumulation week's RIR is week_rir(p, w)
    and rir[e] = that RIR for every selected main lift."""
    a, v, data = ctx.v.attrs, ctx.v, ctx.data
    if a is None or data.weeks <= 1:
        return
    for spec in data.specs:
        w, given = spec.index, a.week_rir[spec.index]
        if spec.deload or given is None:
            continue
        if given != week_rir(p, w):
            ctx.fail(f"week {w + 1}")
        for s in range(v.S):
            for e in data.audited_items(w, s):
                if data.exercises[e].tier in MAIN_TIERS:
                    ct = ctx.model.add(a.rir[w][s][e] == given).only_enforce_if(v.x[w][s][e])
                    ctx.hard(ct, f"week {w + 1}")


def check_rir_progression(view, p: RirProgression) -> list[Violation]:
    """Each accumulation week still to plan has RIR max(end, start - step * w), and its
    main lifts are prescribed at the week's RIR; RIR never rises between accumulation
    weeks. A repeating week is not a progression: the rule judges mesocycles only."""
    if view.weeks <= 1:
        return []
    out = []
    prev = None
    for w in view.volume_weeks():
        week = view.plan.weeks[w]
        if week.rir is None:
            continue
        want = week_rir(p, w)
        if week.rir != want and w >= view.first_free_week:
            out.append(
                Violation(
                    "rir-progression",
                    f"week RIR {week.rir}, the progression gives {want} "
                    f"({p.start} falling by {p.step} a week to {p.end})",
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
                if it.ex.tier in MAIN_TIERS and it.pe.rir != week.rir and not view.is_history(sv):
                    out.append(
                        Violation(
                            "rir-progression",
                            f"{it.ex.id} at RIR {it.pe.rir}, the week's is {week.rir}",
                            sv.where,
                        )
                    )
    return out


# --------------------------------------------------------------------------- loads


TOP_REPS = 40  # audited rep ranges with a known max: top reps 1..TOP_REPS


class Loads(Params):
    plate_step: float = Field(2.5, gt=0, le=10)  # kg
    plate_step_lb: float = Field(5.0, gt=0, le=25)  # lb, for clients with units: lb


def encode_loads(ctx: EncodeContext, p: Loads) -> None:
    """Solving: prescriptive, loads follow from the 1RM, the week's reps and RIR
    (loads.py). Auditing a plan: a lift with a known max carries exactly
    load_for(max, top, rir) (a table over top reps and RIR); any load is a whole number
    of plate steps. Loads are in the client's unit (load_lb for an lb client)."""
    a, v, data, model = ctx.v.attrs, ctx.v, ctx.data, ctx.model
    if a is None:
        return
    maxes = known_maxes(data.client)  # in the client's unit, as the loads
    unit_step = plate_step(p, data.client.units)
    step = round(unit_step * GRAMS)
    for w in range(v.W):
        for s in range(v.S):
            for e in data.audited_items(w, s):
                x, load = v.x[w][s][e], a.load[w][s][e]
                eid = data.exercises[e].id
                if eid in maxes:
                    table = [
                        (top, rir, round(load_for(maxes[eid], top, rir, unit_step) * GRAMS))
                        for top in range(1, TOP_REPS + 1)
                        for rir in range(0, 11)
                    ]
                    ok = model.add_allowed_assignments(
                        [a.top[w][s][e], a.rir[w][s][e], load], table
                    )
                    ctx.hard(ok.only_enforce_if(x), eid)
                    continue
                given = model.new_bool_var(f"load_given_{w}_{s}_{e}")
                steps = model.new_int_var(-(10**6), 10**6, f"load_steps_{w}_{s}_{e}")
                none = model.add(load == -1)
                none.only_enforce_if([x, ~given])
                ctx.hard(none, eid)
                on_step = model.add(load == step * steps)
                on_step.only_enforce_if([x, given])
                ctx.hard(on_step, eid)


def check_loads(view, p: Loads) -> list[Violation]:
    """Where a max is known, every set carries exactly the load its reps and RIR allow
    (Epley, rounded down to the plate step); any load is on the plate step. Both are
    in the client's unit (kg, or lb from load_lb). Sessions already done before a
    re-plan keep the loads that were lifted."""
    out = []
    unit = view.client.units
    step = plate_step(p, unit)
    maxes = known_maxes(view.client)
    for sv in view.sessions:
        if view.is_history(sv):
            continue
        for it in sv.items:
            kg = it.pe.load_lb if unit == "lb" else it.pe.load_kg
            if unit == "kg" and it.pe.load_lb is not None:
                out.append(
                    Violation("loads", f"{it.ex.id} has a load in lb for a kg client", sv.where)
                )
            if kg is not None and abs(kg / step - round(kg / step)) > 1e-6:
                out.append(
                    Violation(
                        "loads",
                        f"{it.ex.id} {kg:g} {unit} is not on the {step:g} {unit} step",
                        sv.where,
                    )
                )
            if it.ex.id not in maxes:
                continue
            try:
                top = parse_reps(it.pe.reps)[1]
            except ValueError:
                continue
            allowed = load_for(maxes[it.ex.id], top, it.pe.rir, step)
            if kg is None:
                out.append(
                    Violation(
                        "loads",
                        f"{it.ex.id} has a known max but no load (give {allowed:g} {unit})",
                        sv.where,
                    )
                )
            elif abs(kg - allowed) > 1e-9:
                word = "over" if kg > allowed else "under"
                out.append(
                    Violation(
                        "loads",
                        f"{it.ex.id} {kg:g} {unit} for {it.pe.reps} at RIR {it.pe.rir} is {word} the prescribed {allowed:g} {unit}",
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
