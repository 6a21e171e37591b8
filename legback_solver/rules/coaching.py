"""The coaching model (SPEC §3a): what makes a legal plan one a coach would hand out.

Rules: alpha-first, session-anatomy, demand-order, known-lifts, goal-fit, drills, straps,
intensity-floor, and the soft coaching-value objective. muscle-recovery lives in
:mod:`.recovery`.

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

from ..models import BackStatus, Client, Exercise, parse_reps
from ..schedule import MAIN_TIERS
from .availability import why_unavailable
from .base import EncodeContext, NonNegInt, Params, Rule, Violation

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


def order_key(ex: Exercise, priority: str = "balanced") -> tuple:
    """Session order from attributes only: warm-up drills, lifts by falling demand (the
    priority side first among equals, grip-limited lifts while the grip is fresh, more
    spinal load first), cool-down drills last. The id only orders lifts that agree on
    every attribute the rules read."""
    block = 0 if ex.drill == "warm_up" else 2 if ex.drill == "cool_down" else 1
    return (
        block,
        -ex.demand,
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
    (goblet squat, leg press, dumbbell RDL)."""
    out: set[str] = set()
    for side in ("legs", "back"):
        mine = [ex for ex in exercises if ex.alpha_side == side and may_do(ex, client, rulebook)]
        best = [ex for ex in mine if ex.max_effort] or [ex for ex in mine if ex.alpha]
        out |= {ex.id for ex in best}
    return out


def legs_opener(ex: Exercise) -> bool:
    return ex.compound and ex.pattern in LEGS_OPENERS and ex.counts_legs


def back_opener(ex: Exercise) -> bool:
    return ex.compound and ex.counts_back and (ex.pattern in PULLS or ex.pattern == "hinge")


def compound_pull(ex: Exercise) -> bool:
    return ex.compound and ex.pattern in PULLS


def knee_dominant(ex: Exercise) -> bool:
    return ex.compound and ex.pattern in ("squat", "lunge")


def _open_sessions(ctx: EncodeContext):
    for w in range(ctx.v.W):
        for s in range(ctx.v.S):
            if (w, s) not in ctx.data.frozen:
                yield w, s


def _planned(view):
    return [sv for sv in view.sessions if not view.is_history(sv)]


def _lifts(sv):
    return [it for it in sv.items if not it.ex.is_drill]


# --------------------------------------------------------------------------- alpha-first


class AlphaFirst(Params):
    pass


def encode_alpha_first(ctx: EncodeContext, p: AlphaFirst) -> None:
    """The first lift (drills aside) of a combined session is in the client's alpha pool;
    of a legs session a squat or hinge compound; of a back session a back compound:
    x[e] & focus => some opener before e is selected, for every non-opener lift e."""
    data, v, exs = ctx.data, ctx.v, ctx.data.exercises
    order = [e for e in data.session_order() if not exs[e].is_drill]
    pool = alpha_pool(exs, data.client, data.rulebook)
    for w, s in _open_sessions(ctx):
        x = v.x[w][s]
        for pos, e in enumerate(order):
            before = order[:pos]
            if exs[e].id not in pool:
                openers = [x[a] for a in before if exs[a].id in pool]
                ctx.hard(ctx.model.add_bool_or([~x[e], ~v.combined[w][s], *openers]), "combined")
            if not legs_opener(exs[e]):
                openers = [x[a] for a in before if legs_opener(exs[a])]
                ct = ctx.model.add_bool_or([~x[e], ~v.legs[w][s], v.back[w][s], *openers])
                ctx.hard(ct, "legs")
            if not back_opener(exs[e]):
                openers = [x[a] for a in before if back_opener(exs[a])]
                ct = ctx.model.add_bool_or([~x[e], ~v.back[w][s], v.legs[w][s], *openers])
                ctx.hard(ct, "back")


def check_alpha_first(view, p: AlphaFirst) -> list[Violation]:
    pool = alpha_pool(view.catalogue.values(), view.client, view.rulebook)
    out = []
    for sv in _planned(view):
        lifts = _lifts(sv)
        if not lifts:
            continue
        first = lifts[0].ex
        if sv.combined and first.id not in pool:
            want = ", ".join(sorted(pool)) or "none the client may do"
            out.append(
                Violation(
                    "alpha-first",
                    f"combined session opens with {first.id}, not an alpha ({want})",
                    sv.where,
                )
            )
        elif sv.focus == "legs" and not legs_opener(first):
            out.append(
                Violation(
                    "alpha-first",
                    f"legs session opens with {first.id}, not a squat or hinge",
                    sv.where,
                )
            )
        elif sv.focus == "back" and not back_opener(first):
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
    for w, s in _open_sessions(ctx):
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
    for sv in _planned(view):
        seen: dict[tuple[str, str], str] = {}
        for it in _lifts(sv):
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
            lifts = [it.ex for it in _lifts(sv)]
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
    """Nothing to add: ProblemData.session_order sorts by :func:`order_key`."""


def check_demand_order(view, p: DemandOrder) -> list[Violation]:
    out = []
    prio = view.client.priority
    for sv in _planned(view):
        lifts = _lifts(sv)
        for a, b in zip(lifts, lifts[1:], strict=False):
            if b.ex.demand > a.ex.demand:
                out.append(
                    Violation(
                        "demand-order",
                        f"{b.ex.id} (demand {b.ex.demand}) after {a.ex.id} (demand {a.ex.demand})",
                        sv.where,
                    )
                )
            elif b.ex.demand == a.ex.demand and side_rank(b.ex, prio) < side_rank(a.ex, prio):
                out.append(
                    Violation(
                        "demand-order",
                        f"{b.ex.id} ({prio} priority side) after {a.ex.id} of equal demand",
                        sv.where,
                    )
                )
    return out


# --------------------------------------------------------------------------- known-lifts


class KnownLifts(Params):
    per_week: int = Field(1, ge=0, le=7)


def known_ids(client: Client) -> set[str]:
    return set(client.one_rep_max_kg) | set(client.recent_sets)


def known_forbidden(exercises, client: Client, rulebook: Rulebook) -> dict[str, str]:
    """Known lifts a rule forbids, with the rule's id: the report names it."""
    out = {}
    by_id = {ex.id: ex for ex in exercises}
    for eid in sorted(known_ids(client)):
        ex = by_id[eid]
        if rulebook.active("availability") and why_unavailable(
            ex, client, rulebook.params("availability")
        ):
            out[eid] = "availability: " + why_unavailable(
                ex, client, rulebook.params("availability")
            )
        elif rulebook.active("back-status") and not may_do(ex, client, rulebook):
            out[eid] = (
                f"back-status: {ex.spinal_units} spinal units is over the {client.back_status}-back limit"
            )
    return out


def encode_known_lifts(ctx: EncodeContext, p: KnownLifts) -> None:
    """Every known lift no rule forbids is in at least per_week sessions of every
    accumulation week (its loads follow from the 1RM, see loads)."""
    data, v = ctx.data, ctx.v
    forbidden = known_forbidden(data.exercises, data.client, data.rulebook)
    index = data.exercise_index()
    for eid in sorted(known_ids(data.client) - set(forbidden)):
        e = index[eid]
        for w in data.volume_weeks():
            if any((w, s) in data.frozen for s in range(v.S)):
                continue
            ctx.hard(ctx.model.add(sum(v.x[w][s][e] for s in range(v.S)) >= p.per_week), eid)


def check_known_lifts(view, p: KnownLifts) -> list[Violation]:
    forbidden = known_forbidden(view.catalogue.values(), view.client, view.rulebook)
    out = []
    for eid in sorted(known_ids(view.client) - set(forbidden)):
        for w in view.volume_weeks():
            if w < view.first_open_week:
                continue
            n = sum(1 for sv in view.week_sessions(w) for it in sv.items if it.ex.id == eid)
            if n < p.per_week:
                out.append(
                    Violation(
                        "known-lifts",
                        f"{eid} (known max) in {n} sessions, at least {p.per_week}",
                        f"week {w + 1}",
                    )
                )
    return out


# --------------------------------------------------------------------------- goal-fit


class GoalFit(Params):
    priority_margin: NonNegInt = 1  # weekly hard sets the priority side leads by


def barbell_compound(ex: Exercise) -> bool:
    """Heavier blocks shift reps down only here: never machines, isolation or pull-ups."""
    return ex.tier in MAIN_TIERS and bool({"barbell", "trap_bar"} & set(ex.equipment))


LEGS_GROUP = ("quads", "hamstrings", "glutes")
BACK_GROUP = ("lats", "upper_back", "erectors")


def capped_weeks(client: Client, rulebook: Rulebook) -> set[int]:
    """A beginner's first week is capped by beginner-volume: there the priority lead
    gives way (SPEC §3a "where the rules allow")."""
    if client.experience == "beginner" and rulebook.active("beginner-volume"):
        return {0}
    return set()


def encode_goal_fit(ctx: EncodeContext, p: GoalFit) -> None:
    """Rep ranges by goal are prescriptions (schedule.reps_for shifts only barbell
    compounds). The priority side's weekly hard sets exceed the other side's:
    sum(halfsets of its group) >= other group's + 2 * margin."""
    prio = ctx.data.client.priority
    if prio == "balanced":
        return
    mine, other = (LEGS_GROUP, BACK_GROUP) if prio == "legs" else (BACK_GROUP, LEGS_GROUP)
    for w in ctx.data.volume_weeks():
        if w in capped_weeks(ctx.data.client, ctx.data.rulebook):
            continue
        hs = ctx.v.halfsets[w]
        ctx.hard(
            ctx.model.add(
                sum(hs[m] for m in mine) >= sum(hs[m] for m in other) + 2 * p.priority_margin
            ),
            "priority",
        )


def check_goal_fit(view, p: GoalFit) -> list[Violation]:
    out = []
    goal = view.client.goal
    for sv in _planned(view):
        for it in sv.items:
            if not barbell_compound(it.ex) and not it.ex.is_drill:
                try:
                    got = parse_reps(it.pe.reps)
                except ValueError:
                    continue
                if got != parse_reps(it.ex.reps[goal]):
                    out.append(
                        Violation(
                            "goal-fit",
                            f"{it.ex.id} at {it.pe.reps} reps; only barbell compounds shift from the {goal} range {it.ex.reps[goal]}",
                            sv.where,
                        )
                    )
    prio = view.client.priority
    if prio != "balanced":
        mine, other = (LEGS_GROUP, BACK_GROUP) if prio == "legs" else (BACK_GROUP, LEGS_GROUP)
        for w in view.volume_weeks():
            if w < view.first_open_week or w in capped_weeks(view.client, view.rulebook):
                continue
            hs = view.halfsets(w)
            a, b = sum(hs.get(m, 0) for m in mine), sum(hs.get(m, 0) for m in other)
            if a < b + 2 * p.priority_margin:
                out.append(
                    Violation(
                        "goal-fit",
                        f"{prio} priority but {a / 2:g} {prio} sets against {b / 2:g} on the other side",
                        f"week {w + 1}",
                    )
                )
    return out


# --------------------------------------------------------------------------- drills


class Drills(Params):
    per_session: int = Field(1, ge=0, le=3)


def dose_text(ex: Exercise, reps: str) -> str:
    """A drill's dose as printed: reps, or seconds with an ' s'."""
    return f"{reps} s" if ex.is_drill and ex.dose == "seconds" else reps


def encode_drills(ctx: EncodeContext, p: Drills) -> None:
    """At most per_session drills a session; a cool-down drill (the hang) only in a
    back-loading session. Drills count no hard sets (Variables.halfsets), have no RIR
    and sit first (warm-up) or last (cool-down) by order_key."""
    v, exs = ctx.v, ctx.data.exercises
    drills = [e for e, ex in enumerate(exs) if ex.is_drill]
    after = [e for e in drills if exs[e].drill == "cool_down"]
    for w, s in _open_sessions(ctx):
        ctx.hard(ctx.model.add(sum(v.x[w][s][e] for e in drills) <= p.per_session), "count")
        for e in after:
            ctx.hard(ctx.model.add_implication(v.x[w][s][e], v.loading[w][s]), "after-load")


def check_drills(view, p: Drills) -> list[Violation]:
    out = []
    for sv in _planned(view):
        drills = [it for it in sv.items if it.ex.is_drill]
        if len(drills) > p.per_session:
            out.append(
                Violation(
                    "drills", f"{len(drills)} drill blocks (at most {p.per_session})", sv.where
                )
            )
        seen_lift = False
        for k, it in enumerate(sv.items):
            if not it.ex.is_drill:
                seen_lift = True
                if it.pe.rir is None:
                    out.append(
                        Violation("drills", f"{it.ex.id} is a lift but has no RIR", sv.where)
                    )
                continue
            if it.pe.rir is not None:
                out.append(
                    Violation(
                        "drills", f"{it.ex.id} is a drill dose but has RIR {it.pe.rir}", sv.where
                    )
                )
            if it.ex.drill == "warm_up" and seen_lift:
                out.append(
                    Violation(
                        "drills", f"{it.ex.id} is a warm-up drill but comes after lifts", sv.where
                    )
                )
            if it.ex.drill == "cool_down":
                if any(not o.ex.is_drill for o in sv.items[k + 1 :]):
                    out.append(
                        Violation(
                            "drills", f"{it.ex.id} is a cool-down but lifts follow it", sv.where
                        )
                    )
                if not sv.loading:
                    out.append(
                        Violation(
                            "drills", f"{it.ex.id} after a session that loads no back", sv.where
                        )
                    )
    return out


# --------------------------------------------------------------------------- straps


class Straps(Params):
    cost: int = Field(2, ge=0)


def heavy_pull(ex: Exercise) -> bool:
    return ex.strappable and ex.pattern in ("hinge", "horizontal_pull")


def _capacity(rulebook: Rulebook, client: Client) -> int:
    return rulebook.params("grip-order").capacity[client.experience]


def encode_straps(ctx: EncodeContext, p: Straps) -> None:
    """straps[e] => e is a heavy pull and the grip fatigue before it > capacity; each
    strapped lift costs `cost` in the objective."""
    data, v, exs = ctx.data, ctx.v, ctx.data.exercises
    cap = _capacity(data.rulebook, data.client)
    order = data.session_order()
    for w, s in _open_sessions(ctx):
        for pos, e in enumerate(order):
            strap = v.straps[w][s].get(e)
            if strap is None:
                continue
            before = [(exs[b].grip_demand, v.n[w][s][b]) for b in order[:pos] if exs[b].grip_demand]
            if not heavy_pull(exs[e]) or not before:
                ctx.hard(ctx.model.add(strap == 0), "heavy-pull")
                continue
            ctx.hard(
                ctx.model.add(sum(g * n for g, n in before) >= cap + 1).only_enforce_if(strap),
                "need",
            )
            ctx.reward(strap, -p.cost, "straps cost")


def check_straps(view, p: Straps) -> list[Violation]:
    cap = _capacity(view.rulebook, view.client)
    out = []
    for sv in _planned(view):
        fatigue = 0
        for it in sv.items:
            if it.pe.straps:
                if not heavy_pull(it.ex):
                    out.append(
                        Violation("straps", f"{it.ex.id} strapped but is no heavy pull", sv.where)
                    )
                elif fatigue <= cap:
                    out.append(
                        Violation(
                            "straps",
                            f"{it.ex.id} strapped at grip fatigue {fatigue}, within capacity {cap}",
                            sv.where,
                        )
                    )
            fatigue += it.ex.grip_demand * it.pe.sets
    return out


# --------------------------------------------------------------------------- intensity-floor


class IntensityFloor(Params):
    beginner: NonNegInt = 2
    back: dict[BackStatus, NonNegInt] = Field(
        default_factory=lambda: {"healthy": 0, "sensitive": 1, "injured": 1}
    )
    spinal_units_from: NonNegInt = 3  # a lift at or above this loads the spine


def rir_floor(ex: Exercise, client: Client, p: IntensityFloor) -> int:
    floor = p.beginner if client.experience == "beginner" else 0
    if ex.spinal_units >= p.spinal_units_from or ex.back_loading:
        floor = max(floor, p.back[client.back_status])
    return floor


def floor_in(rulebook: Rulebook, ex: Exercise, client: Client) -> int:
    """The RIR floor for EX, 0 when intensity-floor is off."""
    if not rulebook.active("intensity-floor"):
        return 0
    return rir_floor(ex, client, rulebook.params("intensity-floor"))


def encode_intensity_floor(ctx: EncodeContext, p: IntensityFloor) -> None:
    """Prescriptive: the plan writer raises each lift's RIR to its floor."""


def check_intensity_floor(view, p: IntensityFloor) -> list[Violation]:
    out = []
    for sv in _planned(view):
        for it in sv.items:
            floor = rir_floor(it.ex, view.client, p)
            if it.pe.rir is not None and it.pe.rir < floor:
                out.append(
                    Violation(
                        "intensity-floor",
                        f"{it.ex.id} at RIR {it.pe.rir} (at least {floor})",
                        sv.where,
                    )
                )
    return out


# --------------------------------------------------------------------------- coaching-value


class CoachingValue(Params):
    alpha_set: int = Field(6, ge=0)
    strength_factor: int = Field(2, ge=1)
    row: int = Field(8, ge=0)
    vertical_pull: int = Field(8, ge=0)
    bridge: int = Field(8, ge=0)
    finisher: int = Field(4, ge=0)


def encode_coaching_value(ctx: EncodeContext, p: CoachingValue) -> None:
    """Reward what the seeds value: every set of an alpha lift (twice for a strength
    goal), and per combined session a row, a vertical pull, a hinge bridge after a squat
    alpha and an isolation finisher (000 sample structure; 001 routine)."""
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
    for w, s in _open_sessions(ctx):
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


RULES = [
    Rule("alpha-first", "hard", AlphaFirst, encode_alpha_first, check_alpha_first),
    Rule("session-anatomy", "hard", SessionAnatomy, encode_session_anatomy, check_session_anatomy),
    Rule("demand-order", "hard", DemandOrder, encode_demand_order, check_demand_order),
    Rule("known-lifts", "hard", KnownLifts, encode_known_lifts, check_known_lifts),
    Rule("goal-fit", "hard", GoalFit, encode_goal_fit, check_goal_fit),
    Rule("drills", "hard", Drills, encode_drills, check_drills),
    Rule("straps", "hard", Straps, encode_straps, check_straps),
    Rule("intensity-floor", "hard", IntensityFloor, encode_intensity_floor, check_intensity_floor),
    Rule("coaching-value", "soft", CoachingValue, encode_coaching_value),
]
