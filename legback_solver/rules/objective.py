"""Soft rules: the objective. Every term is an integer weight times a linear expression.

* stimulus: weekly sets per trained muscle towards its target (the middle of its range),
  with diminishing returns (full value up to the muscle's minimum, half up to the
  target, nothing beyond), weighted by the client's priority (002 "Do not
  attempt to replicate a full leg day and a full back day", "manage volume").
* prefer-compound: every set of a compound lift (002 "Prioritize Compound Movements").
* plane-pairing: a session with a squat (vertical leg push) and a horizontal pull (000
  "Varying the plane of motion").
* decompress: a session with a heavy hinge and a vertical pull after it (001 step 2).
* preferences: the client's preferred exercises, minus disliked ones (client input).
* spinal-economy: less spinal load at equal stimulus (001, 003).
"""

from __future__ import annotations

from pydantic import Field, field_validator

from ..models import BACK_MUSCLES, LEG_MUSCLES, MUSCLES
from .base import EncodeContext, NonNegFloat, Params, Reporting, Rule
from .volume import TRAINED, muscle_limits


def _muscle_weights() -> dict[str, float]:
    return {m: 1.0 if m in TRAINED else 0.0 for m in MUSCLES}


class Stimulus(Params):
    weight: int = Field(4, ge=0)
    returns: tuple[int, int, int] = (4, 2, 0)
    # The trained muscles of a leg and back program (002 "Select 2-3 primary exercises
    # for each body part") earn stimulus; the incidental ones (adductors, calves, traps,
    # rear delts, core) only get muscle-sets' maximum. Valuing their secondary half sets
    # made the objective pick exercises for them (calf credit from leg curls and lunges
    # outweighed prefer-compound's set value) and tripled the proof time over weekly
    # plans (benchmarks/README.md, issue 13).
    muscle_weight: dict[str, NonNegFloat] = Field(default_factory=_muscle_weights)
    priority_boost: float = Field(1.5, ge=1)

    @field_validator("muscle_weight")
    @classmethod
    def _merge(cls, v: dict[str, float]) -> dict[str, float]:
        """A rulebook names the muscles it changes; the others keep their default."""
        for m in v:
            if m not in MUSCLES:
                raise ValueError(f"{m!r} is not a muscle (use {', '.join(MUSCLES)})")
        return _muscle_weights() | v


def stimulus_coefficients(p: Stimulus, client, muscle: str) -> tuple[int, int, int]:
    boost = 1.0
    if (client.priority == "legs" and muscle in LEG_MUSCLES) or (
        client.priority == "back" and muscle in BACK_MUSCLES
    ):
        boost = p.priority_boost
    scale = p.weight * p.muscle_weight.get(muscle, 0.0) * boost
    return tuple(round(r * scale) for r in p.returns)  # type: ignore[return-value]


def encode_stimulus(ctx: EncodeContext, p: Stimulus) -> None:
    """halfsets = a + b + c with a <= min, b <= mid - min; reward r1*a + r2*b + r3*c."""
    model, data = ctx.model, ctx.data
    # The breakpoints come from the range before muscle-sets' min_cap (issue 12): the cap
    # only makes short weeks feasible, the week still aims at the middle of the range.
    limits = muscle_limits(data.params("muscle-sets"), data.client, capped=False)
    for w in data.volume_weeks():  # a deload week has no stimulus target
        for m in MUSCLES:
            r1, r2, r3 = stimulus_coefficients(p, data.client, m)
            if not (r1 or r2 or r3):
                continue  # an incidental muscle: no target
            lo, hi = limits[m]
            mid = (lo + hi) // 2
            hs = ctx.v.halfsets[w][m]
            ub = ctx.v.halfsets_ub[m]
            a = model.new_int_var(0, lo, f"stim_a_{w}_{m}")
            b = model.new_int_var(0, max(0, mid - lo), f"stim_b_{w}_{m}")
            c = model.new_int_var(0, ub, f"stim_c_{w}_{m}")
            model.add(hs == a + b + c)
            ctx.reward(a, r1, f"stimulus {m}")
            ctx.reward(b, r2, f"stimulus {m}")
            ctx.reward(c, r3, f"stimulus {m}")


class PreferCompound(Params):
    weight: int = Field(3, ge=0)


def encode_prefer_compound(ctx: EncodeContext, p: PreferCompound) -> None:
    exs = ctx.data.exercises
    for w in ctx.data.volume_weeks():
        for s in range(ctx.v.S):
            ctx.reward(sum(ctx.v.n[w][s][e] for e, ex in enumerate(exs) if ex.compound), p.weight)


class PlanePairing(Params):
    weight: int = Field(6, ge=0)


def _session_bonus(ctx: EncodeContext, name: str, groups: list[list[int]], weight: int) -> None:
    """A bonus indicator per session that is 1 only if every group has a selected member."""
    model, v = ctx.model, ctx.v
    for w in range(v.W):
        for s in range(v.S):
            bonus = model.new_bool_var(f"{name}_{w}_{s}")
            for group in groups:
                model.add(bonus <= sum(v.x[w][s][e] for e in group))
            ctx.reward(bonus, weight)


def encode_plane_pairing(ctx: EncodeContext, p: PlanePairing) -> None:
    exs = ctx.data.exercises
    squats = [e for e, ex in enumerate(exs) if ex.pattern == "squat"]
    rows = [e for e, ex in enumerate(exs) if ex.pattern == "horizontal_pull"]
    _session_bonus(ctx, "plane", [squats, rows], p.weight)


class Decompress(Params):
    weight: int = Field(6, ge=0)


def encode_decompress(ctx: EncodeContext, p: Decompress) -> None:
    exs = ctx.data.exercises
    order = ctx.data.session_order()
    hinges = [e for e in order if exs[e].heavy_hinge]
    first_hinge = order.index(hinges[0]) if hinges else len(order)
    pulls = [e for e in order[first_hinge + 1 :] if exs[e].pattern == "vertical_pull"]
    _session_bonus(ctx, "decompress", [hinges, pulls], p.weight)


class Preferences(Params):
    weight: int = Field(8, ge=0)


def encode_preferences(ctx: EncodeContext, p: Preferences) -> None:
    client = ctx.data.client
    for e, ex in enumerate(ctx.data.exercises):
        sign = (ex.id in client.prefer) - (ex.id in client.avoid)
        if sign:
            for w in range(ctx.v.W):
                for s in range(ctx.v.S):
                    ctx.reward(ctx.v.x[w][s][e], sign * p.weight)


class SpinalEconomy(Params):
    weight: int = Field(1, ge=0)


def encode_spinal_economy(ctx: EncodeContext, p: SpinalEconomy) -> None:
    exs = ctx.data.exercises
    for w in range(ctx.v.W):
        for s in range(ctx.v.S):
            load = sum(
                ex.spinal_units * ctx.v.n[w][s][e] for e, ex in enumerate(exs) if ex.spinal_units
            )
            ctx.reward(load, -p.weight)


RULES = [
    Rule("stimulus", "soft", Stimulus, encode_stimulus, reporting=Reporting(term_group="stimulus")),
    Rule("prefer-compound", "soft", PreferCompound, encode_prefer_compound),
    Rule(
        "plane-pairing",
        "soft",
        PlanePairing,
        encode_plane_pairing,
        reporting=Reporting(small=True),
    ),
    Rule("decompress", "soft", Decompress, encode_decompress, reporting=Reporting(small=True)),
    Rule(
        "preferences",
        "soft",
        Preferences,
        encode_preferences,
        # favoured (+) and avoided (-) exercises, reported apart
        reporting=Reporting(
            term_group="preferences", split_negative="avoided exercises", small=True
        ),
    ),
    Rule(
        "spinal-economy",
        "soft",
        SpinalEconomy,
        encode_spinal_economy,
        reporting=Reporting(term_group="penalty"),
    ),
]
