"""What each lift gets in the coaching model (SPEC §3a): known-lifts, goal-fit, drills,
straps and intensity-floor. Sources as in :mod:`.coaching`: 000 ("Low bar back squats. 3
sets of 5-8"; "Use straps for your heavy rowing sets"); 001 ("Use straps if necessary
for the later movements"); 002 ("heavier loads and lower reps (strength)"; beginners
"lower volumes and intensities"); 003 (McGill drills "aren't 'exercises' ... they're
stability drills"; "After a heavy session, just hang"; "technical failure").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ortools.sat.python import cp_model
from pydantic import Field

from ..models import BackStatus, Client, Exercise, parse_reps
from ..schedule import MAIN_TIERS
from .availability import why_unavailable
from .base import EncodeContext, Explaining, NonNegInt, Params, Reporting, Rule, Violation, always
from .coaching import may_do, open_sessions, planned_sessions

if TYPE_CHECKING:
    from ..rulebook import Rulebook


# --------------------------------------------------------------------------- known-lifts


class KnownLifts(Params):
    per_week: int = Field(1, ge=0, le=7)
    # SPEC 3a "where the rules allow": lift id -> the weeks (1-based) no placement can
    # hold it under the other rules, and lift id -> the rules in the way. Set by the
    # solve (solve.py) and kept in the plan's rulebook, so the plan is audited against
    # the same requirement.
    excused: dict[str, list[int]] = Field(default_factory=dict)
    reasons: dict[str, str] = Field(default_factory=dict)


def known_ids(client: Client) -> set[str]:
    return set(client.one_rep_max_kg) | set(client.one_rep_max_lb) | set(client.recent_sets)


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
            limit = rulebook.params("back-status").max_units[client.back_status]
            out[eid] = (
                f"back-status: {ex.spinal_units} spinal units a set, over the "
                f"{client.back_status}-back limit {limit}"
            )
    return out


def required_known(exercises, client: Client, rulebook: Rulebook) -> list[str]:
    """The known lifts the rule requires: those no rule forbids."""
    forbidden = known_forbidden(exercises, client, rulebook)
    return sorted(known_ids(client) - set(forbidden))


def known_detail(eid: str, w: int) -> str:
    """The conflict part of lift EID in 0-based week W: 'back_squat week 2'."""
    return f"{eid} week {w + 1}"


def encode_known_lifts(ctx: EncodeContext, p: KnownLifts) -> None:
    """Every known lift no rule forbids (and not excused) is in at least per_week
    sessions of every accumulation week (its loads follow from the 1RM, see loads)."""
    data, v = ctx.data, ctx.v
    index = data.exercise_index()
    for eid in required_known(data.exercises, data.client, data.rulebook):
        e = index[eid]
        for w in data.volume_weeks():
            if any((w, s) in data.frozen for s in range(v.S)) or w + 1 in p.excused.get(eid, []):
                continue
            ct = ctx.model.add(sum(v.x[w][s][e] for s in range(v.S)) >= p.per_week)
            ctx.hard(ct, known_detail(eid, w))


def check_known_lifts(view, p: KnownLifts) -> list[Violation]:
    out = []
    for eid in required_known(view.catalogue.values(), view.client, view.rulebook):
        for w in view.volume_weeks():
            if w < view.first_open_week or w + 1 in p.excused.get(eid, []):
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
    priority_lead: bool = True  # the priority side leads at all (explain drops this)


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
    a, v, data = ctx.v.attrs, ctx.v, ctx.data
    if a is not None:  # auditing: the goal's rep range on everything but barbell compounds
        for w, s in open_sessions(ctx):
            for e in data.audited_items(w, s):
                ex = data.exercises[e]
                if barbell_compound(ex) or ex.is_drill:
                    continue
                lo, hi = parse_reps(ex.reps[data.client.goal])
                for attr, want in ((a.low, lo), (a.top, hi)):
                    ct = ctx.model.add(attr[w][s][e] == want)
                    ct.only_enforce_if(v.x[w][s][e])
                    ctx.hard(ct, "reps")
    prio = ctx.data.client.priority
    if prio == "balanced" or not p.priority_lead:
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
    for sv in planned_sessions(view):
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
    if prio != "balanced" and p.priority_lead:
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
    limit_blocks: bool = True  # at most per_session drill blocks (explain drops this)
    hang_after_load: bool = True  # a cool-down drill only after a back-loading session


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
    for w, s in open_sessions(ctx):
        if p.limit_blocks:
            ct = ctx.model.add(sum(v.x[w][s][e] for e in drills) <= p.per_session)
            ctx.hard(ct, "count")
        for e in after if p.hang_after_load else []:
            ctx.hard(ctx.model.add_implication(v.x[w][s][e], v.loading[w][s]), "after-load")
        a = v.attrs
        if a is None:
            continue
        # Auditing: a drill has no RIR (-1), a lift has one; warm-ups before every lift,
        # cool-downs after every lift.
        items = ctx.data.audited_items(w, s)
        for e in items:
            x, rir = v.x[w][s][e], a.rir[w][s][e]
            ct = ctx.model.add(rir == -1) if exs[e].is_drill else ctx.model.add(rir >= 0)
            ct.only_enforce_if(x)
            ctx.hard(ct, "rir")
            if not exs[e].is_drill:
                continue
            for f in items:
                if exs[f].is_drill:
                    continue
                pe, pf = a.pos[w][s][e], a.pos[w][s][f]
                ct = ctx.model.add(pe < pf if exs[e].drill == "warm_up" else pe > pf)
                ct.only_enforce_if([x, v.x[w][s][f]])
                ctx.hard(ct, "place")


def check_drills(view, p: Drills) -> list[Violation]:
    out = []
    for sv in planned_sessions(view):
        drills = [it for it in sv.items if it.ex.is_drill]
        if p.limit_blocks and len(drills) > p.per_session:
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
                if p.hang_after_load and not sv.loading:
                    out.append(
                        Violation(
                            "drills", f"{it.ex.id} after a session that loads no back", sv.where
                        )
                    )
    return out


# --------------------------------------------------------------------------- straps


class Straps(Params):
    cost: int = Field(2, ge=0)
    heavy_pulls_only: bool = True  # straps only on heavy pulls (hinges, rows)
    when_needed: bool = True  # straps only where the grip fatigue before is over capacity


def heavy_pull(ex: Exercise) -> bool:
    return ex.strappable and ex.pattern in ("hinge", "horizontal_pull")


def _capacity(rulebook: Rulebook, client: Client) -> int:
    return rulebook.params("grip-order").capacity[client.experience]


def encode_straps(ctx: EncodeContext, p: Straps) -> None:
    """straps[e] => e is a heavy pull and the grip fatigue before it > capacity; each
    strapped lift costs `cost` in the objective."""
    data, v, exs = ctx.data, ctx.v, ctx.data.exercises
    cap = _capacity(data.rulebook, data.client)
    for w, s in open_sessions(ctx):
        order = data.session_order(w, s)
        for pos, e in enumerate(order):
            strap = v.straps[w][s].get(e)
            if strap is None:
                continue
            before = [(exs[b].grip_demand, v.n[w][s][b]) for b in order[:pos] if exs[b].grip_demand]
            if p.heavy_pulls_only and not heavy_pull(exs[e]):
                ctx.hard(ctx.model.add(strap == 0), "heavy-pull")
            elif p.when_needed and not before:
                ctx.hard(ctx.model.add(strap == 0), "need")
            elif p.when_needed:
                ct = ctx.model.add(sum(g * n for g, n in before) >= cap + 1)
                ctx.hard(ct.only_enforce_if(strap), "need")
            ctx.reward(strap, -p.cost, "straps cost")


def check_straps(view, p: Straps) -> list[Violation]:
    cap = _capacity(view.rulebook, view.client)
    out = []
    for sv in planned_sessions(view):
        fatigue = 0
        for it in sv.items:
            if it.pe.straps:
                if p.heavy_pulls_only and not heavy_pull(it.ex):
                    out.append(
                        Violation("straps", f"{it.ex.id} strapped but is no heavy pull", sv.where)
                    )
                elif p.when_needed and fatigue <= cap:
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


def _back_floors() -> dict[BackStatus, int]:
    return {"healthy": 0, "sensitive": 1, "injured": 1}


class IntensityFloor(Params):
    beginner: NonNegInt = 2
    back: dict[BackStatus, NonNegInt] = Field(default_factory=_back_floors)
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
    """Solving: prescriptive, the plan writer raises each lift's RIR to its floor.
    Auditing a plan: rir[e] is none (-1, a drill) or at least the floor."""
    a, v, data = ctx.v.attrs, ctx.v, ctx.data
    if a is None:
        return
    for w, s in open_sessions(ctx):
        for e in data.audited_items(w, s):
            floor = rir_floor(data.exercises[e], data.client, p)
            if floor <= 0:
                continue
            ct = ctx.model.add_linear_expression_in_domain(
                a.rir[w][s][e], cp_model.Domain.from_intervals([[-1, -1], [floor, 10]])
            )
            ct.only_enforce_if(v.x[w][s][e])
            ctx.hard(ct)


def check_intensity_floor(view, p: IntensityFloor) -> list[Violation]:
    out = []
    for sv in planned_sessions(view):
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


# --------------------------------------------------------------------------- explain, report


def known_lifts_words(data, p: KnownLifts, details: list[str]) -> str:
    lifts = ", ".join(d for d in details if d)
    return f"known-lifts {lifts} in {p.per_week}+ sessions of the accumulation week"


def drop_known_lifts(data, p: KnownLifts, detail: str):
    eid, _, week = detail.partition(" week ")
    if not week:
        return None
    excused = {k: list(v) for k, v in p.excused.items()}
    excused[eid] = sorted({*excused.get(eid, []), int(week)})
    return ({"known-lifts": {"excused": excused}}, {})


def known_lifts_notes(view, p: KnownLifts) -> list[str]:
    """Known lifts the plan does not carry, and the rule that keeps each out."""
    out = [
        f"{eid}: forbidden by {why}"
        for eid, why in known_forbidden(view.catalogue.values(), view.client, view.rulebook).items()
    ]
    for eid, weeks in sorted(p.excused.items()):
        if weeks:
            where = "week" + ("s " if len(weeks) > 1 else " ") + ", ".join(map(str, weeks))
            why = p.reasons.get(eid, "the other rules leave no room")
            out.append(f"{eid}: not in {where}, forbidden by {why}")
    return out


GOAL_WORDS = {"priority": "the {prio} side leads by {m}+ weekly hard sets", "reps": "goal reps"}


def goal_fit_words(data, p: GoalFit, details: list[str]) -> str:
    prio, m = data.client.priority, p.priority_margin
    return "goal-fit: " + "; ".join(GOAL_WORDS.get(d, d).format(prio=prio, m=m) for d in details)


def drop_goal_fit(data, p: GoalFit, detail: str):
    return ({"goal-fit": {"priority_lead": False}}, {}) if detail == "priority" else None


DRILL_WORDS = {
    "count": "at most {n} drill block(s) a session",
    "after-load": "the hang only after a back-loading session",
}
DRILL_PARAM = {"count": "limit_blocks", "after-load": "hang_after_load"}


def drills_words(data, p: Drills, details: list[str]) -> str:
    return "drills: " + "; ".join(DRILL_WORDS.get(d, d).format(n=p.per_session) for d in details)


def drop_drills(data, p: Drills, detail: str):
    name = DRILL_PARAM.get(detail)
    return ({"drills": {name: False}}, {}) if name else None


STRAP_WORDS = {
    "heavy-pull": "straps only on heavy pulls",
    "need": "straps only where the grip fatigue before is over capacity",
}
STRAP_PARAM = {"heavy-pull": "heavy_pulls_only", "need": "when_needed"}


def straps_words(data, p: Straps, details: list[str]) -> str:
    return "straps: " + "; ".join(STRAP_WORDS.get(d, d) for d in details)


def drop_straps(data, p: Straps, detail: str):
    name = STRAP_PARAM.get(detail)
    return ({"straps": {name: False}}, {}) if name else None


RULES = [
    Rule(
        "known-lifts",
        "hard",
        KnownLifts,
        encode_known_lifts,
        check_known_lifts,
        explaining=Explaining(words=known_lifts_words, drop=drop_known_lifts, drop_rank=1),
        reporting=Reporting(notes=known_lifts_notes, holds=always, rank=40),
    ),
    Rule(
        "goal-fit",
        "hard",
        GoalFit,
        encode_goal_fit,
        check_goal_fit,
        explaining=Explaining(words=goal_fit_words, drop=drop_goal_fit),
        reporting=Reporting(holds=always, rank=41),
    ),
    Rule(
        "drills",
        "hard",
        Drills,
        encode_drills,
        check_drills,
        explaining=Explaining(words=drills_words, drop=drop_drills),
        reporting=Reporting(holds=always, rank=42),
    ),
    Rule(
        "straps",
        "hard",
        Straps,
        encode_straps,
        check_straps,
        explaining=Explaining(words=straps_words, drop=drop_straps),
        reporting=Reporting(holds=always, rank=43, small=True),
    ),
    Rule(
        "intensity-floor",
        "hard",
        IntensityFloor,
        encode_intensity_floor,
        check_intensity_floor,
        explaining=Explaining(drop_rank=3),
        reporting=Reporting(holds=always, rank=44),
    ),
]
