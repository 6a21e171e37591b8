"""Inside a session: session-shape, compound-first and session-time.

Sources: 001_ebca099578b35a0a.txt ("5 to 6 exercises total"; "Order Matters: Always
perform your heaviest compound lifts ... first"); 002_6d64b2955e625f57.txt ("3-4 sets"
per exercise; compound before isolation); 004_3c310f2e06b0ae9d.txt (a session sized to
its time, "Time: 15-20 minutes").
"""

from __future__ import annotations

import math

from pydantic import Field, model_validator

from ..models import MAX_SETS, Exercise
from ..schedule import MAIN_TIERS, tier_set_range
from .base import (
    Candidate,
    EncodeContext,
    Explaining,
    Measure,
    Params,
    Reporting,
    Rule,
    Slack,
    Violation,
    always,
    fresh_sessions,
)


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
            if not 1 <= lo <= hi or (name != "exercises" and hi > MAX_SETS):
                raise ValueError(
                    f"{name}: need 1 <= min <= max (sets at most {MAX_SETS}), got [{lo}, {hi}]"
                )
        return self


def _deload_owns(rulebook, deload_week: bool) -> bool:
    """In a deload week the deload rule, not session-shape, sets the sets per exercise."""
    return deload_week and rulebook.active("deload")


def encode_session_shape(ctx: EncodeContext, p: SessionShape) -> None:
    """A held session has min..max exercises, at least compounds_min compound lifts and
    at most pattern_max exercises of one movement pattern; each exercise's sets lie in
    its tier's range. Outside explain mode the set ranges are also the variables'
    domains (cpsat/build.py, schedule.set_range). A session's focus (legs, back,
    combined) is not a choice: the variables derive it from the exercises."""
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
            audited = ctx.data.audit or {}
            if (w, s) in audited:
                # The session's focus label is what its exercises make it.
                label = audited[(w, s)].focus
                want = {
                    "combined": [v.combined[w][s]],
                    "legs": [v.legs[w][s], ~v.back[w][s]],
                    "back": [~v.legs[w][s]],
                }[label]
                ctx.hard(model.add_bool_and(want), "focus")
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
    # A session's focus follows from its exercises (the model derives it, decode writes
    # it): a hand-written label that says otherwise misdescribes the session's shape.
    for sv in view.sessions:
        if sv.session.focus != sv.focus:
            what = f"labelled {sv.session.focus} but is {sv.focus}"
            out.append(Violation("session-shape", what, sv.where))
    return out


class CompoundFirst(Params):
    pass


def order_key(ex: Exercise, by_tier: bool = True) -> tuple[int, int, str]:
    """Fixed order inside a session: tier first (compound-first: primary compound,
    secondary compound, accessory, isolation), then grip-limited lifts while the grip is
    fresh, then by id so the order is total."""
    return (ex.tier_rank if by_tier else 0, 0 if ex.grip_limited else 1, ex.id)


def encode_compound_first(ctx: EncodeContext, p: CompoundFirst) -> None:
    """Solving: nothing to add, the session order is derived from the tier
    (ProblemData.session_order). Auditing a plan: for selected lifts a, b in a session,
    tier(a) < tier(b) => pos[a] < pos[b] (drills aside), and no two exercises share an
    order number."""
    a, v, exs = ctx.v.attrs, ctx.v, ctx.data.exercises
    if a is None:
        return
    for w in range(v.W):
        for s in range(v.S):
            members = ctx.data.audited_items(w, s)
            for i, e in enumerate(members):
                for f in members[i + 1 :]:
                    both = [v.x[w][s][e], v.x[w][s][f]]
                    pe, pf = a.pos[w][s][e], a.pos[w][s][f]
                    ra, rb = exs[e].tier_rank, exs[f].tier_rank
                    if exs[e].is_drill or exs[f].is_drill:  # drills: only distinct places
                        ra = rb
                    ct = ctx.model.add(pe < pf if ra < rb else pf < pe if rb < ra else pe != pf)
                    ct.only_enforce_if(both)
                    ctx.hard(ct)


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
        for s in range(v.S):
            if data.auditing:
                secs = [data.set_seconds(w, e, s) for e in range(v.E)]
            used = sum(secs[e] * v.n[w][s][e] for e in range(v.E))
            limit = 60 * data.minutes(w, s)
            ctx.hard(ctx.model.add(used + 60 * p.warmup_minutes * v.use[w][s] <= limit))


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


# --------------------------------------------------------------------------- explain, report


def session_shape_words(data, p: SessionShape, details: list[str]) -> str:
    bits = {
        "exercises": f"{p.exercises[0]}-{p.exercises[1]} exercises per session",
        "compounds": f">= {p.compounds_min} compound lifts per session",
        "patterns": f"<= {p.pattern_max} exercises of one pattern",
        "sets": f"{p.sets_main[0]}-{p.sets_main[1]} sets per main lift, "
        f"{p.sets_accessory[0]}-{p.sets_accessory[1]} per accessory",
    }
    return "session-shape " + ", ".join(bits.get(d, d) for d in details)


def drop_session_shape(data, p: SessionShape, detail: str):
    rid = "session-shape"
    return {
        "exercises": ({rid: {"exercises": [1, 100]}}, {}),
        "compounds": ({rid: {"compounds_min": 0}}, {}),
        "patterns": ({rid: {"pattern_max": 6}}, {}),
        "sets": ({rid: {"sets_main": [1, MAX_SETS], "sets_accessory": [1, MAX_SETS]}}, {}),
    }.get(detail)


def relax_session_shape(m: Measure, detail: str) -> list[Candidate]:
    """The nearest wider ranges of the part (the verifying re-solve picks)."""
    got = m.solve()
    if got is None:
        return []
    p, rid = m.params, "session-shape"
    options: list[tuple[str, dict]] = []
    if detail == "exercises":
        lo, hi = p.exercises
        for a, b in ((lo - 1, hi), (lo - 2, hi), (lo, hi + 1)):
            if a >= 1:
                options.append((f"allow {a}-{b} exercises per session", {"exercises": [a, b]}))
    elif detail == "compounds":
        for k in range(p.compounds_min - 1, -1, -1):
            options.append((f"require {k} compound lifts per session", {"compounds_min": k}))
    elif detail == "patterns":
        for k in range(p.pattern_max + 1, min(6, p.pattern_max + 2) + 1):
            options.append((f"allow {k} exercises of one pattern", {"pattern_max": k}))
    elif detail == "sets":
        for name, what in (("sets_main", "main lifts"), ("sets_accessory", "accessories")):
            a, b = getattr(p, name)
            for rng in ([a, min(MAX_SETS, b + 1)], [max(1, a - 1), b]):
                if rng != [a, b]:
                    options.append((f"allow {rng[0]}-{rng[1]} sets for {what}", {name: rng}))
    return [m.candidate(got[0], rid, words, {rid: change}) for words, change in options]


def session_shape_slack(view, p: SessionShape) -> list[Slack]:
    """Exercises, compound lifts, exercises of the commonest pattern, and sets per
    exercise (outside deload weeks the deload rule owns) against their ranges."""
    rows = []
    rid = "session-shape"
    for sv in fresh_sessions(view):
        lo, hi = p.exercises
        rows.append(Slack(rid, sv.where, "exercises", len(sv.items), lo, hi, ""))
        compounds = sum(1 for it in sv.items if it.ex.tier in MAIN_TIERS)
        rows.append(Slack(rid, sv.where, "compound lifts", compounds, p.compounds_min, None, ""))
        counts: dict[str, int] = {}
        for it in sv.items:
            counts[it.ex.pattern] = counts.get(it.ex.pattern, 0) + 1
        if counts:
            pattern = max(sorted(counts), key=lambda k: counts[k])
            what = f"{pattern} exercises"
            rows.append(Slack(rid, sv.where, what, counts[pattern], None, p.pattern_max, ""))
        if _deload_owns(view.rulebook, view.plan.weeks[sv.week].phase == "deload"):
            continue
        for it in sv.items:
            smin, smax = tier_set_range(p, it.ex.tier)
            where = f"{sv.where} {it.ex.id}"
            rows.append(Slack(rid, where, "sets", it.pe.sets, smin, smax, "sets"))
    return rows


def session_shape_figure(p: SessionShape, client) -> tuple[str, str]:
    return (
        "Session shape",
        f"{p.exercises[0]}-{p.exercises[1]} exercises; sets {p.sets_main[0]}-"
        f"{p.sets_main[1]} main, {p.sets_accessory[0]}-{p.sets_accessory[1]} accessory",
    )


def session_time_words(data, p: SessionTime, details: list[str]) -> str:
    return f"session-time (warm-up {p.warmup_minutes} min + sets)"


def relax_session_time(m: Measure, detail: str) -> list[Candidate]:
    """Longer slots (the least overrun the other rules allow), or a shorter warm-up."""
    data, v, p = m.data, m.v, m.params
    used, over = {}, []
    for w in range(v.W):
        secs = [data.set_seconds(w, e) for e in range(v.E)]
        for s, slot in enumerate(data.slots):
            u = (
                sum(secs[e] * v.n[w][s][e] for e in range(v.E))
                + 60 * p.warmup_minutes * v.use[w][s]
            )
            used[(w, s)] = u
            o = m.var(24 * 3600, f"over_{w}_{s}")
            m.model.add(o >= u - 60 * slot.minutes)
            over.append(o)
    got = m.solve(sum(over))
    if got is None:
        return []
    solver, _ = got
    out = []
    # The measured minutes, then a little more: a mesocycle's later weeks (measured on
    # one week) may need it; the verifying re-solves take the first that holds.
    for extra in (0, 5, 10, 20):
        slots = [s.model_dump(mode="json") for s in data.client.availability]
        changed = []
        for s, slot in enumerate(data.slots):
            need = max(solver.value(used[(w, s)]) for w in range(v.W))
            if need > 60 * slot.minutes:
                minutes = min(300, 5 * math.ceil(need / 300) + extra)
                for raw in slots:
                    if (raw["day"], raw["start"]) == (slot.day, slot.start):
                        raw["minutes"] = minutes
                changed.append(f"{slot.day.capitalize()} {slot.start} to {minutes} min")
        if changed:
            words = "lengthen " + ", ".join(changed)
            out.append(m.candidate(solver, "session-time", words, client={"availability": slots}))
    if p.warmup_minutes > 0:
        half = p.warmup_minutes // 2
        rules = {"session-time": {"warmup_minutes": half}}
        out.append(m.candidate(solver, "session-time", f"shorten the warm-up to {half} min", rules))
    return out


def session_time_slack(view, p: SessionTime) -> list[Slack]:
    return [
        Slack(
            "session-time",
            sv.where,
            "minutes",
            round(session_minutes(view, sv, p), 2),
            None,
            sv.session.minutes,
            "min",
        )
        for sv in view.sessions
    ]


RULES = [
    Rule(
        "session-shape",
        "hard",
        SessionShape,
        encode_session_shape,
        check_session_shape,
        explaining=Explaining(
            words=session_shape_words,
            drop=drop_session_shape,
            relax=relax_session_shape,
            drop_rank=5,
        ),
        reporting=Reporting(
            slack=session_shape_slack, rank=17, figure=session_shape_figure, figure_rank=4
        ),
    ),
    Rule(
        "compound-first",
        "hard",
        CompoundFirst,
        encode_compound_first,
        check_compound_first,
        explaining=Explaining(drop_rank=3),
        reporting=Reporting(holds=always, rank=31),
    ),
    Rule(
        "session-time",
        "hard",
        SessionTime,
        encode_session_time,
        check_session_time,
        explaining=Explaining(words=session_time_words, relax=relax_session_time, slots="minutes"),
        reporting=Reporting(slack=session_time_slack, rank=16),
    ),
]
