"""What a week prescribes: intensity-waves, rir-progression and loads.

Source: 002_6d64b2955e625f57.txt ("Vary Intensity Across Weeks: Implement periodization.
Some weeks might focus on heavier loads and lower reps (strength), while others focus on
moderate loads and higher reps"); 000_3a0f1a209196565a.txt ("Use a logbook ... Seeing
your numbers from last week").

Solving, these are prescriptions: schedule.py gives each week its phase, rep ranges and
RIR and decode writes the loads. Auditing a plan (audit.py), each rule states its meaning
as constraints over the plan's attributes. Registered with the mesocycle family
(meso.RULES).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from ..loads import GRAMS, known_maxes, load_for, plate_step
from ..models import parse_reps
from ..schedule import MAIN_TIERS, heavy_week, shifted_reps, shifts, week_rir
from .base import EncodeContext, Params, Reporting, Rule, Violation, always
from .dosing import floor_in

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
                shift = spec.heavy and shifts(ex, data.rulebook)
                text = shifted_reps(ex.reps[goal], p) if shift else ex.reps[goal]
                lo, hi = parse_reps(text)
                x = v.x[w][s][e]
                ctx.hard(ctx.model.add(a.low[w][s][e] == lo).only_enforce_if(x), f"week {w + 1}")
                ctx.hard(ctx.model.add(a.top[w][s][e] == hi).only_enforce_if(x), f"week {w + 1}")


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
                base = it.ex.reps[view.client.goal]
                want = shifted_reps(base, p) if heavy and shifts(it.ex, view.rulebook) else base
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
            low, high = (ra[key], rb[key]) if heavy_first else (rb[key], ra[key])
            if low >= high:
                out.append(
                    Violation(
                        "intensity-waves",
                        f"{key[2]} {low} reps in the heavier block vs {high} in the moderate one",
                        f"weeks {a + 1}-{b + 1}",
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
                ex = data.exercises[e]
                if ex.tier in MAIN_TIERS:
                    want = max(given, floor_in(data.rulebook, ex, data.client))
                    ct = ctx.model.add(a.rir[w][s][e] == want).only_enforce_if(v.x[w][s][e])
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
                    has_rir = model.new_bool_var(f"has_rir_{w}_{s}_{e}")  # a drill has none
                    model.add(a.rir[w][s][e] >= 0).only_enforce_if(has_rir)
                    model.add(a.rir[w][s][e] < 0).only_enforce_if(~has_rir)
                    ok.only_enforce_if([x, has_rir])
                    ctx.hard(ok, eid)
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
            if it.ex.id not in maxes or it.pe.rir is None:
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


INTENSITY_WAVES = Rule(
    "intensity-waves",
    "hard",
    IntensityWaves,
    encode_intensity_waves,
    check_intensity_waves,
    weekly=False,
    reporting=Reporting(holds=always, rank=36),
)
RIR_PROGRESSION = Rule(
    "rir-progression",
    "hard",
    RirProgression,
    encode_rir_progression,
    check_rir_progression,
    weekly=False,
    reporting=Reporting(holds=always, rank=37),
)
LOADS = Rule(
    "loads",
    "hard",
    Loads,
    encode_loads,
    check_loads,
    weekly=False,
    reporting=Reporting(holds=always, rank=38),
)
