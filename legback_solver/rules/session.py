"""Inside a session: session-shape, compound-first and session-time.

Sources: 001_ebca099578b35a0a.txt ("5 to 6 exercises total"; "Order Matters: Always
perform your heaviest compound lifts ... first"); 002_6d64b2955e625f57.txt ("3-4 sets"
per exercise; compound before isolation); 004_3c310f2e06b0ae9d.txt (a session sized to
its time, "Time: 15-20 minutes").
"""

from __future__ import annotations

from pydantic import Field, model_validator

from ..schedule import MAIN_TIERS, tier_set_range
from .base import EncodeContext, Params, Rule, Violation


class SessionShape(Params):
    exercises: tuple[int, int] = (4, 6)
    sets_main: tuple[int, int] = (3, 4)
    sets_accessory: tuple[int, int] = (2, 3)
    compounds_min: int = Field(2, ge=0, le=6)
    pattern_max: int = Field(2, ge=1, le=6)

    @model_validator(mode="after")
    def _ranges(self) -> SessionShape:
        for name in ("exercises", "sets_main", "sets_accessory"):
            lo, hi = getattr(self, name)
            if not 1 <= lo <= hi or (name != "exercises" and hi > 6):
                raise ValueError(f"{name}: need 1 <= min <= max (sets at most 6), got [{lo}, {hi}]")
        return self


def _deload_owns(rulebook, deload_week: bool) -> bool:
    """In a deload week the deload rule, not session-shape, sets the sets per exercise."""
    return deload_week and rulebook.active("deload")


def encode_session_shape(ctx: EncodeContext, p: SessionShape) -> None:
    """A held session has min..max exercises, at least compounds_min compound lifts and
    at most pattern_max exercises of one movement pattern; each exercise's sets lie in
    its tier's range."""
    v, model, exs = ctx.v, ctx.model, ctx.data.exercises
    lo, hi = p.exercises
    main = [e for e, ex in enumerate(exs) if ex.tier in MAIN_TIERS]
    patterns: dict[str, list[int]] = {}
    for e, ex in enumerate(exs):
        patterns.setdefault(ex.pattern, []).append(e)
    for w in range(v.W):
        for s in range(v.S):
            x = v.x[w][s]
            count = sum(x)
            ctx.hard(model.add(count >= lo * v.use[w][s]), "exercises")
            ctx.hard(model.add(count <= hi), "exercises")
            if p.compounds_min:
                ctx.hard(
                    model.add(sum(x[e] for e in main) >= p.compounds_min * v.use[w][s]), "compounds"
                )
            for members in patterns.values():
                if len(members) > p.pattern_max:
                    ctx.hard(model.add(sum(x[e] for e in members) <= p.pattern_max), "patterns")
            if _deload_owns(ctx.data.rulebook, ctx.data.specs[w].deload):
                continue
            for e, ex in enumerate(exs):
                smin, smax = tier_set_range(p, ex.tier)
                ctx.hard(model.add(v.n[w][s][e] >= smin).only_enforce_if(v.x[w][s][e]), "sets")
                ctx.hard(model.add(v.n[w][s][e] <= smax), "sets")


def check_session_shape(view, p: SessionShape) -> list[Violation]:
    out = []
    lo, hi = p.exercises
    for sv in view.sessions:
        if not lo <= len(sv.items) <= hi:
            out.append(
                Violation("session-shape", f"{len(sv.items)} exercises (range {lo}-{hi})", sv.where)
            )
        compounds = sum(1 for it in sv.items if it.ex.tier in MAIN_TIERS)
        if compounds < p.compounds_min:
            out.append(
                Violation(
                    "session-shape",
                    f"{compounds} compound lifts (at least {p.compounds_min})",
                    sv.where,
                )
            )
        counts: dict[str, int] = {}
        for it in sv.items:
            counts[it.ex.pattern] = counts.get(it.ex.pattern, 0) + 1
        for pattern, k in sorted(counts.items()):
            if k > p.pattern_max:
                out.append(
                    Violation(
                        "session-shape",
                        f"{k} {pattern} exercises (at most {p.pattern_max})",
                        sv.where,
                    )
                )
        deload = view.plan.weeks[sv.week].phase == "deload"
        for it in [] if _deload_owns(view.rulebook, deload) else sv.items:
            smin, smax = tier_set_range(p, it.ex.tier)
            if not smin <= it.pe.sets <= smax:
                out.append(
                    Violation(
                        "session-shape",
                        f"{it.ex.id} has {it.pe.sets} sets ({it.ex.tier} range {smin}-{smax})",
                        sv.where,
                    )
                )
    return out


class CompoundFirst(Params):
    pass


def encode_compound_first(ctx: EncodeContext, p: CompoundFirst) -> None:
    """Nothing to add: the session order is derived from the tier (ProblemData.session_order)."""


def check_compound_first(view, p: CompoundFirst) -> list[Violation]:
    out = []
    for sv in view.sessions:
        orders = [it.pe.order for it in sv.items]
        if len(set(orders)) != len(orders):
            out.append(Violation("compound-first", "two exercises share an order number", sv.where))
        lifts = [it for it in sv.items if not it.ex.is_drill]  # drills: see the drills rule
        for a, b in zip(lifts, lifts[1:], strict=False):
            if b.ex.tier_rank < a.ex.tier_rank:
                out.append(
                    Violation(
                        "compound-first",
                        f"{b.ex.id} ({b.ex.tier}) comes after {a.ex.id} ({a.ex.tier})",
                        sv.where,
                    )
                )
    return out


class SessionTime(Params):
    warmup_minutes: int = Field(10, ge=0, le=60)


def encode_session_time(ctx: EncodeContext, p: SessionTime) -> None:
    """warm-up + sum(sets x (work + rest)) <= the slot's minutes, in seconds."""
    v, data = ctx.v, ctx.data
    for w in range(v.W):
        secs = [data.set_seconds(w, e) for e in range(v.E)]
        for s, slot in enumerate(data.slots):
            used = sum(secs[e] * v.n[w][s][e] for e in range(v.E))
            ctx.hard(ctx.model.add(used + 60 * p.warmup_minutes * v.use[w][s] <= 60 * slot.minutes))


def session_minutes(view, sv, p: SessionTime) -> float:
    return p.warmup_minutes + sum(view.set_seconds(sv, it) * it.pe.sets for it in sv.items) / 60


def check_session_time(view, p: SessionTime) -> list[Violation]:
    out = []
    for sv in view.sessions:
        need = session_minutes(view, sv, p)
        if need > sv.session.minutes + 1e-9:
            out.append(
                Violation(
                    "session-time",
                    f"needs about {need:.1f} min but the slot has {sv.session.minutes}",
                    sv.where,
                )
            )
    return out


RULES = [
    Rule("session-shape", "hard", SessionShape, encode_session_shape, check_session_shape),
    Rule("compound-first", "hard", CompoundFirst, encode_compound_first, check_compound_first),
    Rule("session-time", "hard", SessionTime, encode_session_time, check_session_time),
]
