"""The coaching model (SPEC §3a): what makes a legal plan one a coach would hand out.

Rules here: alpha-first, session-anatomy, demand-order and the soft coaching-value
objective. What each lift gets (known-lifts, goal-fit, drills, straps, intensity-floor)
lives in :mod:`.dosing`, muscle-recovery in :mod:`.recovery`.

Sources: 000_3a0f1a209196565a.txt ("pick one primary 'Alpha' lift ... you start with a
heavy squat variant"; "Next time you hit this split, flip it"; "Use straps for your heavy
rowing sets"; the sample structure: squat, pull-ups, RDLs, rows, a finisher);
001_ebca099578b35a0a.txt ("Start ... with a heavy hinge movement"; "perform the most
neurologically demanding exercise first"; "the hinge is the bridge"; "Use straps if
necessary for the later movements"); 002_6d64b2955e625f57.txt ("Legs First ... if leg
development is the primary goal"; "heavier loads and lower reps (strength)"; beginners
"lower volumes and intensities"); 003_402cb0885ffe8844.txt (the trap bar "a smarter
entry point"; McGill drills "aren't 'exercises' ... they're stability drills"; "After a
heavy session, just hang"; "technical failure").

The order inside a session is derived, never decided and never alphabetical: warm-up
drills, then lifts by falling demand (technical and nervous-system demand, a catalogue
attribute), the client's priority side first among equals, grip-limited lifts while the
grip is fresh, more spinal load first; cool-down drills last (:func:`order_key`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from ..models import BackStatus, Client, Exercise
from .availability import why_unavailable
from .base import (
    EncodeContext,
    Explaining,
    NonNegInt,
    Params,
    Reporting,
    Rule,
    Violation,
    always,
)

if TYPE_CHECKING:
    from ..rulebook import Rulebook

LEGS_OPENERS = ("squat", "hinge")
PULLS = ("vertical_pull", "horizontal_pull")


# --------------------------------------------------------------------------- order


def side_rank(ex: Exercise, priority: str) -> int:
    """0 for the client's priority side (legs: leg and hinge work; back: back work)."""
    if priority == "legs":
        return 0 if ex.counts_legs else 1
    if priority == "back":
        return 0 if ex.counts_back else 1
    return 0


def order_key(
    ex: Exercise, priority: str = "balanced", pool: frozenset[str] = frozenset()
) -> tuple:
    """Session order from attributes only: warm-up drills, lifts by falling demand (among
    equals the client's alpha lifts first (POOL, :func:`alpha_pool`: "alpha first"), then
    the priority side, grip-limited lifts while the grip is fresh, more spinal load
    first), cool-down drills last. The id only orders lifts that agree on every attribute
    the rules read."""
    block = 0 if ex.drill == "warm_up" else 2 if ex.drill == "cool_down" else 1
    return (
        block,
        -ex.demand,
        0 if ex.id in pool else 1,
        side_rank(ex, priority),
        0 if ex.grip_limited else 1,
        -ex.spinal_units,
        ex.id,
    )


# --------------------------------------------------------------------------- helpers


def may_do(ex: Exercise, client: Client, rulebook: Rulebook) -> bool:
    """The client may do EX under availability and back-status (when those are on)."""
    if rulebook.active("availability"):
        if why_unavailable(ex, client, rulebook.params("availability")):
            return False
    elif ex.id in client.exclude:
        return False
    limit = rulebook.params("back-status").max_units[client.back_status]
    return not (rulebook.active("back-status") and ex.spinal_units > limit)


def alpha_pool(exercises, client: Client, rulebook: Rulebook) -> set[str]:
    """Ids that may open a combined session: per side, the max-effort lifts the client
    may do; where a side has none (home gym, injured back, beginner), its entry alphas
    (goblet squat, leg press, dumbbell RDL). alpha-first's ``pool``, where written."""
    pinned = rulebook.params("alpha-first").pool if "alpha-first" in rulebook.rules else []
    if pinned:
        return set(pinned)
    out: set[str] = set()
    for side in ("legs", "back"):
        mine = [ex for ex in exercises if ex.alpha_side == side and may_do(ex, client, rulebook)]
        best = [ex for ex in mine if ex.max_effort] or [ex for ex in mine if ex.alpha]
        out |= {ex.id for ex in best}
    return out


def order_pool(exercises, client: Client, rulebook: Rulebook) -> frozenset[str]:
    """The alpha pool that leads the session order among equal demand (alpha-first on)."""
    if not rulebook.active("alpha-first"):
        return frozenset()
    return frozenset(alpha_pool(exercises, client, rulebook))


def demand_rank(ex: Exercise, priority: str, pool: frozenset[str]) -> tuple[int, int, int]:
    """What demand-order compares: demand, then alpha first, then the priority side."""
    return (-ex.demand, 0 if ex.id in pool else 1, side_rank(ex, priority))


def legs_opener(ex: Exercise) -> bool:
    return ex.compound and ex.pattern in LEGS_OPENERS and ex.counts_legs


def back_opener(ex: Exercise) -> bool:
    return ex.compound and ex.counts_back and (ex.pattern in PULLS or ex.pattern == "hinge")


def compound_pull(ex: Exercise) -> bool:
    return ex.compound and ex.pattern in PULLS


def knee_dominant(ex: Exercise) -> bool:
    return ex.compound and ex.pattern in ("squat", "lunge")


def open_sessions(ctx: EncodeContext):
    for w in range(ctx.v.W):
        for s in range(ctx.v.S):
            if (w, s) not in ctx.data.frozen:
                yield w, s


def planned_sessions(view):
    return [sv for sv in view.sessions if not view.is_history(sv)]


def session_lifts(sv):
    return [it for it in sv.items if not it.ex.is_drill]


# --------------------------------------------------------------------------- alpha-first


class AlphaFirst(Params):
    combined: bool = True  # a combined session opens with an alpha of the client's pool
    legs: bool = True  # a legs session opens with a squat or hinge compound
    back: bool = True  # a back session opens with a back compound
    # The ids that may open a combined session; empty: derived from the client
    # (alpha_pool). explain's ``isolate`` pins it, so that an isolated conflict keeps the
    # pool its words name when other parts (equipment, back-status) are dropped.
    pool: list[str] = Field(default_factory=list)


def encode_alpha_first(ctx: EncodeContext, p: AlphaFirst) -> None:
    """The first lift (drills aside) of a combined session is in the client's alpha pool;
    of a legs session a squat or hinge compound; of a back session a back compound:
    x[e] & focus => some opener before e is selected, for every non-opener lift e."""
    data, v, exs = ctx.data, ctx.v, ctx.data.exercises
    pool = alpha_pool(exs, data.client, data.rulebook)
    for w, s in open_sessions(ctx):
        order = [e for e in data.session_order(w, s) if not exs[e].is_drill]
        x = v.x[w][s]
        for pos, e in enumerate(order):
            before = order[:pos]
            if p.combined and exs[e].id not in pool:
                openers = [x[a] for a in before if exs[a].id in pool]
                ctx.hard(ctx.model.add_bool_or([~x[e], ~v.combined[w][s], *openers]), "combined")
            if p.legs and not legs_opener(exs[e]):
                openers = [x[a] for a in before if legs_opener(exs[a])]
                ct = ctx.model.add_bool_or([~x[e], ~v.legs[w][s], v.back[w][s], *openers])
                ctx.hard(ct, "legs")
            if p.back and not back_opener(exs[e]):
                openers = [x[a] for a in before if back_opener(exs[a])]
                ct = ctx.model.add_bool_or([~x[e], ~v.back[w][s], v.legs[w][s], *openers])
                ctx.hard(ct, "back")


def check_alpha_first(view, p: AlphaFirst) -> list[Violation]:
    pool = alpha_pool(view.catalogue.values(), view.client, view.rulebook)
    out = []
    for sv in planned_sessions(view):
        lifts = session_lifts(sv)
        if not lifts:
            continue
        first = lifts[0].ex
        if p.combined and sv.combined and first.id not in pool:
            want = ", ".join(sorted(pool)) or "none the client may do"
            out.append(
                Violation(
                    "alpha-first",
                    f"combined session opens with {first.id}, not an alpha ({want})",
                    sv.where,
                )
            )
        elif p.legs and sv.focus == "legs" and not legs_opener(first):
            out.append(
                Violation(
                    "alpha-first",
                    f"legs session opens with {first.id}, not a squat or hinge",
                    sv.where,
                )
            )
        elif p.back and sv.focus == "back" and not back_opener(first):
            out.append(
                Violation(
                    "alpha-first",
                    f"back session opens with {first.id}, not a back compound",
                    sv.where,
                )
            )
    return out


# --------------------------------------------------------------------------- session-anatomy


class SessionAnatomy(Params):
    one_per_job: bool = True
    pull_in_combined: bool = True
    squat_in_combined: bool = True


def encode_session_anatomy(ctx: EncodeContext, p: SessionAnatomy) -> None:
    """At most one lift per (job, tier) in a session; a combined session holds a compound
    pull and a squat or lunge (the other side's primary), where the client may do one."""
    data, v, exs = ctx.data, ctx.v, ctx.data.exercises
    jobs: dict[tuple[str, str], list[int]] = {}
    for e, ex in enumerate(exs):
        if not ex.is_drill:
            jobs.setdefault((ex.job, ex.tier), []).append(e)
    allowed = [may_do(ex, data.client, data.rulebook) for ex in exs]
    pulls = [e for e, ex in enumerate(exs) if compound_pull(ex) and allowed[e]]
    squats = [e for e, ex in enumerate(exs) if knee_dominant(ex) and allowed[e]]
    if ctx.explain:  # an exercise freed by dropping a part (an equipment item) counts
        pulls = [e for e, ex in enumerate(exs) if compound_pull(ex)] if pulls else []
        squats = [e for e, ex in enumerate(exs) if knee_dominant(ex)] if squats else []
    for w, s in open_sessions(ctx):
        x = v.x[w][s]
        if p.one_per_job:
            for members in jobs.values():
                if len(members) > 1:
                    ctx.hard(ctx.model.add_at_most_one(x[e] for e in members), "job")
        for on, group, what in (
            (p.pull_in_combined, pulls, "pull"),
            (p.squat_in_combined, squats, "squat"),
        ):
            if on and group:
                ctx.hard(ctx.model.add_bool_or([~v.combined[w][s], *(x[e] for e in group)]), what)


def check_session_anatomy(view, p: SessionAnatomy) -> list[Violation]:
    client, book = view.client, view.rulebook
    cat = view.catalogue.values()
    can_pull = any(compound_pull(ex) and may_do(ex, client, book) for ex in cat)
    can_squat = any(knee_dominant(ex) and may_do(ex, client, book) for ex in cat)
    out = []
    for sv in planned_sessions(view):
        seen: dict[tuple[str, str], str] = {}
        for it in session_lifts(sv):
            key = (it.ex.job, it.ex.tier)
            if p.one_per_job and key in seen:
                out.append(
                    Violation(
                        "session-anatomy",
                        f"{seen[key]} and {it.ex.id} do the same job ({it.ex.job}, {it.ex.tier})",
                        sv.where,
                    )
                )
            seen[key] = it.ex.id
        if sv.combined:
            lifts = [it.ex for it in session_lifts(sv)]
            if p.pull_in_combined and can_pull and not any(compound_pull(ex) for ex in lifts):
                out.append(
                    Violation(
                        "session-anatomy", "combined session without a compound pull", sv.where
                    )
                )
            if p.squat_in_combined and can_squat and not any(knee_dominant(ex) for ex in lifts):
                out.append(
                    Violation(
                        "session-anatomy", "combined session without a squat or lunge", sv.where
                    )
                )
    return out


# --------------------------------------------------------------------------- demand-order


class DemandOrder(Params):
    pass


def encode_demand_order(ctx: EncodeContext, p: DemandOrder) -> None:
    """Solving: nothing to add, ProblemData.session_order sorts by :func:`order_key`.
    Auditing a plan: for selected lifts a, b (drills aside), a's demand above b's, or
    equal demand with a the client's alpha and b not, or a on the priority side and b
    not (:func:`demand_rank`), => pos[a] < pos[b]."""
    a, v, exs = ctx.v.attrs, ctx.v, ctx.data.exercises
    if a is None:
        return
    prio = ctx.data.client.priority
    pool = order_pool(exs, ctx.data.client, ctx.data.rulebook)
    for w, s in open_sessions(ctx):
        lifts = [e for e in ctx.data.audited_items(w, s) if not exs[e].is_drill]
        for i, e in enumerate(lifts):
            for f in lifts[i + 1 :]:
                ke = demand_rank(exs[e], prio, pool)
                kf = demand_rank(exs[f], prio, pool)
                if ke == kf:
                    continue
                first, then = (e, f) if ke < kf else (f, e)
                ct = ctx.model.add(a.pos[w][s][first] < a.pos[w][s][then])
                ct.only_enforce_if([v.x[w][s][e], v.x[w][s][f]])
                ctx.hard(ct)


def check_demand_order(view, p: DemandOrder) -> list[Violation]:
    out = []
    prio = view.client.priority
    pool = order_pool(view.catalogue.values(), view.client, view.rulebook)
    for sv in planned_sessions(view):
        lifts = session_lifts(sv)
        for a, b in zip(lifts, lifts[1:], strict=False):
            if b.ex.demand > a.ex.demand:
                out.append(
                    Violation(
                        "demand-order",
                        f"{b.ex.id} (demand {b.ex.demand}) after {a.ex.id} (demand {a.ex.demand})",
                        sv.where,
                    )
                )
            elif b.ex.demand == a.ex.demand and b.ex.id in pool and a.ex.id not in pool:
                out.append(
                    Violation(
                        "demand-order",
                        f"{b.ex.id} (the client's alpha) after {a.ex.id} of equal demand",
                        sv.where,
                    )
                )
            elif demand_rank(b.ex, prio, pool) < demand_rank(a.ex, prio, pool):
                out.append(
                    Violation(
                        "demand-order",
                        f"{b.ex.id} ({prio} priority side) after {a.ex.id} of equal demand",
                        sv.where,
                    )
                )
    return out


# --------------------------------------------------------------------------- coaching-value


def _warm_up_values() -> dict[BackStatus, int]:
    return {"healthy": 2, "sensitive": 10, "injured": 10}


class CoachingValue(Params):
    alpha_set: int = Field(6, ge=0)
    strength_factor: int = Field(2, ge=1)
    row: int = Field(8, ge=0)
    vertical_pull: int = Field(8, ge=0)
    bridge: int = Field(20, ge=0)  # 001 "the hinge is the bridge": above its spinal cost
    finisher: int = Field(4, ge=0)
    # A McGill warm-up drill per session (003 "Do them every day ... the 'armor' your
    # back needs"): worth more for a sensitive or injured back; the hang after a
    # back-loading session (003 "After a heavy session, just hang").
    warm_up_drill: dict[BackStatus, NonNegInt] = Field(default_factory=_warm_up_values)
    hang: int = Field(2, ge=0)
    # A legs- or back-priority client's combined session opens with an alpha of that
    # side (002: "Legs First, Then Back: Often preferred if leg development is the
    # primary goal"; "Back First ... if back development is prioritized"): above the
    # hinge bridge and the extra alpha sets a squat alpha earns, so a back-priority week
    # opens with its hinge.
    priority_alpha: int = Field(50, ge=0)


def encode_coaching_value(ctx: EncodeContext, p: CoachingValue) -> None:
    """Reward what the seeds value: every set of an alpha lift (twice for a strength
    goal), per combined session a row, a vertical pull, a hinge bridge after a squat
    alpha and an isolation finisher (000 sample structure; 001 routine), an opening
    alpha on a priority client's side (002 "Legs First"), and per session a McGill
    warm-up drill (by back status) and a hang (003), valued as doses, once."""
    data, v, exs = ctx.data, ctx.v, ctx.data.exercises
    pool = alpha_pool(exs, data.client, data.rulebook)
    factor = p.strength_factor if data.client.goal == "strength" else 1
    alphas = [e for e, ex in enumerate(exs) if ex.id in pool]
    rows = [e for e, ex in enumerate(exs) if ex.job == "row" and ex.compound]
    vpulls = [e for e, ex in enumerate(exs) if ex.job == "vertical_pull"]
    bridge = [e for e, ex in enumerate(exs) if ex.job == "hip_hinge"]
    squat_alphas = [e for e in alphas if exs[e].pattern == "squat"]
    finish = [e for e, ex in enumerate(exs) if ex.tier == "isolation" and not ex.is_drill]
    weeks = set(data.volume_weeks())
    for w, s in open_sessions(ctx):
        x = v.x[w][s]
        if w in weeks:
            ctx.reward(sum(v.n[w][s][e] for e in alphas), p.alpha_set * factor, "alpha sets")
        for name, groups, weight in (
            ("row", [rows], p.row),
            ("vpull", [vpulls], p.vertical_pull),
            ("bridge", [squat_alphas, bridge], p.bridge),
            ("finisher", [finish], p.finisher),
        ):
            if weight and all(groups):
                b = ctx.model.new_bool_var(f"coach_{name}_{w}_{s}")
                ctx.model.add_implication(b, v.combined[w][s])
                for g in groups:
                    ctx.model.add_bool_or([~b, *(x[e] for e in g)])
                ctx.reward(b, weight, f"coaching {name}")
    if p.priority_alpha and data.client.priority in ("legs", "back"):
        for w, s in open_sessions(ctx):
            b = priority_opens(ctx, pool, w, s)
            if b is not None:
                ctx.reward(b, p.priority_alpha, "coaching priority alpha")
    warm = p.warm_up_drill.get(data.client.back_status, 0)
    drills = (
        ("warm-up drill", [e for e, ex in enumerate(exs) if ex.drill == "warm_up"], warm),
        ("hang", [e for e, ex in enumerate(exs) if ex.drill == "cool_down"], p.hang),
    )
    for w, s in open_sessions(ctx):
        for name, group, weight in drills:
            if weight and group:  # a dose, not a hard set: valued once per session
                b = ctx.model.new_bool_var(f"coach_{name}_{w}_{s}")
                ctx.model.add_bool_or([~b, *(v.x[w][s][e] for e in group)])
                ctx.reward(b, weight, f"coaching {name}")


def priority_opens(ctx: EncodeContext, pool: set[str], w: int, s: int):
    """A literal that implies: session (w, s) is combined and its first alpha-pool lift
    in session order is on the client's priority side; None if that side has no alpha.
    lead => combined, lead => some priority-side alpha x[e], and for every other-side
    alpha f: lead & x[f] => a priority-side alpha before f."""
    data, v, exs = ctx.data, ctx.v, ctx.data.exercises
    prio = data.client.priority
    order = [e for e in data.session_order(w, s) if exs[e].id in pool]
    if not any(exs[e].alpha_side == prio for e in order):
        return None
    x = v.x[w][s]
    lead = ctx.model.new_bool_var(f"coach_priority_alpha_{w}_{s}")
    ctx.model.add_implication(lead, v.combined[w][s])
    ctx.model.add_bool_or([~lead, *(x[e] for e in order if exs[e].alpha_side == prio)])
    for pos, f in enumerate(order):
        if exs[f].alpha_side != prio:
            mine = [x[e] for e in order[:pos] if exs[e].alpha_side == prio]
            ctx.model.add_bool_or([~lead, ~x[f], *mine])
    return lead


# --------------------------------------------------------------------------- explain hooks

ALPHA_WORDS = {
    "combined": "a combined session opens with an alpha lift ({pool})",
    "legs": "a legs session opens with a squat or hinge",
    "back": "a back session opens with a back compound",
}
ANATOMY_WORDS = {
    "job": "at most one exercise per job and tier in a session",
    "pull": "a combined session holds a compound pull",
    "squat": "a combined session holds a squat or lunge",
}
ANATOMY_PARAM = {"job": "one_per_job", "pull": "pull_in_combined", "squat": "squat_in_combined"}


def alpha_first_words(data, p: AlphaFirst, details: list[str]) -> str:
    pool = sorted(alpha_pool(data.exercises, data.client, data.rulebook))
    shown = ", ".join(pool[:4]) + (f" +{len(pool) - 4} more" if len(pool) > 4 else "")
    bits = [ALPHA_WORDS.get(d, d).format(pool=shown or "none the client may do") for d in details]
    return "alpha-first: " + "; ".join(bits)


def drop_alpha_first(data, p: AlphaFirst, detail: str):
    return ({"alpha-first": {detail: False}}, {}) if detail in ALPHA_WORDS else None


def pin_alpha_first(data, p: AlphaFirst) -> dict:
    """The pool as derived from this client: dropping another part (an equipment item,
    back-status) then leaves alpha-first meaning what the conflict's words say."""
    pool = sorted(alpha_pool(data.exercises, data.client, data.rulebook))
    return {"alpha-first": {"pool": pool}} if pool else {}


def pin_session_anatomy(data, p: SessionAnatomy) -> dict:
    """Off where the client may do no compound pull (squat): so it stays off when
    dropping another part (an equipment item) would free one."""
    client, book = data.client, data.rulebook
    out = {}
    if not any(compound_pull(ex) and may_do(ex, client, book) for ex in data.exercises):
        out["pull_in_combined"] = False
    if not any(knee_dominant(ex) and may_do(ex, client, book) for ex in data.exercises):
        out["squat_in_combined"] = False
    return {"session-anatomy": out} if out else {}


def session_anatomy_words(data, p: SessionAnatomy, details: list[str]) -> str:
    return "session-anatomy: " + "; ".join(ANATOMY_WORDS.get(d, d) for d in details)


def drop_session_anatomy(data, p: SessionAnatomy, detail: str):
    name = ANATOMY_PARAM.get(detail)
    return ({"session-anatomy": {name: False}}, {}) if name else None


RULES = [
    Rule(
        "alpha-first",
        "hard",
        AlphaFirst,
        encode_alpha_first,
        check_alpha_first,
        explaining=Explaining(words=alpha_first_words, drop=drop_alpha_first, pin=pin_alpha_first),
        reporting=Reporting(holds=always, rank=32),
    ),
    Rule(
        "session-anatomy",
        "hard",
        SessionAnatomy,
        encode_session_anatomy,
        check_session_anatomy,
        explaining=Explaining(
            words=session_anatomy_words, drop=drop_session_anatomy, pin=pin_session_anatomy
        ),
        reporting=Reporting(holds=always, rank=33),
    ),
    Rule(
        "demand-order",
        "hard",
        DemandOrder,
        encode_demand_order,
        check_demand_order,
        explaining=Explaining(drop_rank=3),
        reporting=Reporting(holds=always, rank=34),
    ),
    Rule(
        "coaching-value",
        "soft",
        CoachingValue,
        encode_coaching_value,
        reporting=Reporting(small=True),
    ),
]
