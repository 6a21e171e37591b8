"""Weekly volume: muscle-sets and beginner-volume.

Sources: 002_6d64b2955e625f57.txt ("Select 2-3 primary exercises for each body part ...
a lower number of sets per exercise (e.g., 3-4 sets)"; beginners "start with lower
volumes"); 000_3a0f1a209196565a.txt ("start with 60% of the volume you think you can
handle").

Hard sets per muscle: 1 for each primary muscle of an exercise and 0.5 for each
secondary one. Internally counted in half sets so everything stays integral.
"""

from __future__ import annotations

import math

from pydantic import Field, field_validator

from ..models import MUSCLES, BackStatus, Client, Experience, Goal
from .base import (
    BOUND,
    Candidate,
    EncodeContext,
    Explaining,
    Measure,
    NonNegFloat,
    Params,
    Reporting,
    Rule,
    Slack,
    Violation,
    bound_words,
)


def _ranges() -> dict[str, tuple[float, float]]:
    return {
        "quads": (8, 18),
        "hamstrings": (6, 16),
        "glutes": (6, 18),
        "adductors": (0, 10),
        "calves": (0, 10),
        "lats": (8, 18),
        "upper_back": (6, 18),
        "traps": (0, 12),
        "rear_delts": (0, 10),
        "erectors": (3, 12),
        "core": (0, 12),
    }


DEFAULT_RANGES = _ranges()
TRAINED = ("quads", "hamstrings", "glutes", "lats", "upper_back", "erectors")


class MuscleSets(Params):
    ranges: dict[str, tuple[float, float]] = Field(default_factory=_ranges)
    max_floor: float = Field(12, ge=0)
    min_cap: float = Field(4, ge=0)
    experience_scale: dict[Experience, NonNegFloat] = Field(
        default_factory=lambda: {"beginner": 0.7, "intermediate": 1.0, "advanced": 1.2}
    )
    goal_scale: dict[Goal, NonNegFloat] = Field(
        default_factory=lambda: {
            "strength": 0.8,
            "hypertrophy": 1.0,
            "endurance": 0.8,
            "general": 0.7,
        }
    )

    # Muscles whose minimum a back status drops: an injured back's erectors get their
    # work from the McGill drills (003: "stability drills designed to stiffen the core
    # without taxing the spine") and from holding the spine in every hinge and squat,
    # not from hard sets the kit may only offer above the spinal limit (001 FAQ: "minimize
    # spinal compression"). The maximum and the stimulus target stay.
    no_minimum: dict[BackStatus, tuple[str, ...]] = Field(
        default_factory=lambda: {"healthy": (), "sensitive": (), "injured": ("erectors",)}
    )

    @field_validator("no_minimum")
    @classmethod
    def _known(cls, v: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for muscles in v.values():
            for m in muscles:
                if m not in MUSCLES:
                    raise ValueError(f"{m!r} is not a muscle (use {', '.join(MUSCLES)})")
        return v

    @field_validator("ranges")
    @classmethod
    def _check(cls, v: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
        full = _ranges()
        for m, (lo, hi) in v.items():
            if m not in MUSCLES:
                raise ValueError(f"{m!r} is not a muscle (use {', '.join(MUSCLES)})")
            if not 0 <= lo <= hi:
                raise ValueError(f"{m}: need 0 <= min <= max, got [{lo}, {hi}]")
            full[m] = (lo, hi)
        return full


def muscle_limits(p: MuscleSets, client: Client, capped: bool = True) -> dict[str, tuple[int, int]]:
    """[min, max] weekly half sets per muscle for this client's experience and goal.

    Scaling never brings the maximum of a trained muscle below ``max_floor`` (or the
    range's own maximum, if lower): two minimum sessions put 2 main lifts x 3 sets on the
    glutes (a squat and the hinge bridge) and on the lats (a row and a pull), so a
    beginner's general-goal maximum (0.7 x 0.7 x 18 = 8.8) would forbid a second session
    (002: "2-3 gym sessions per week"; beginners "start with lower volumes").
    Nor does it lift a trained muscle's minimum above ``min_cap`` (4 sets): one main
    lift at 4 sets (002 "3-4 sets") meets it in a single combined session, the only
    one combined-days-gap allows when two slots sit close together (Sat and Sun, Mon
    and Sat); the stimulus term still pulls the week towards the middle of the range.
    The back status's ``no_minimum`` muscles (an injured back's erectors) have none. A
    range the rulebook or client writes for a muscle is taken as written (no cap).
    ``capped=False``: without those caps, for targets (the middle of the range:
    stimulus, beginner-volume)."""
    scale = p.experience_scale[client.experience] * p.goal_scale[client.goal]
    out = {}
    for m, (lo, hi) in p.ranges.items():
        top = math.ceil(2 * hi * scale - 1e-9)
        if m in TRAINED:
            top = max(top, math.ceil(2 * min(hi, p.max_floor) - 1e-9))
        bottom = math.floor(2 * lo * scale + 1e-9)
        if capped and m in TRAINED and (lo, hi) == DEFAULT_RANGES[m]:  # written: stands
            bottom = min(bottom, math.floor(2 * p.min_cap + 1e-9))
            if m in p.no_minimum.get(client.back_status, ()):
                bottom = 0
        out[m] = (min(bottom, top), top)
    return out


def encode_muscle_sets(ctx: EncodeContext, p: MuscleSets) -> None:
    """min <= weekly sets of muscle m <= max, one literal per muscle and bound."""
    limits = muscle_limits(p, ctx.data.client)
    for w in ctx.data.volume_weeks():
        for m, (lo, hi) in limits.items():
            hs = ctx.v.halfsets[w][m]
            if lo > 0:
                ctx.hard(ctx.model.add(hs >= lo), f"{m}>={lo / 2:g}")
            ctx.hard(ctx.model.add(hs <= hi), f"{m}<={hi / 2:g}")


def check_muscle_sets(view, p: MuscleSets) -> list[Violation]:
    limits = muscle_limits(p, view.client)
    out = []
    for w in view.volume_weeks():
        counts = view.halfsets(w)
        for m, (lo, hi) in limits.items():
            got = counts.get(m, 0)
            if not lo <= got <= hi:
                out.append(
                    Violation(
                        "muscle-sets",
                        f"{m} gets {got / 2:g} weekly sets (range {lo / 2:g}-{hi / 2:g})",
                        f"week {w + 1}",
                    )
                )
    return out


class BeginnerVolume(Params):
    fraction: float = Field(0.6, gt=0, le=1)
    muscles: tuple[str, ...] = TRAINED
    # The week-1 cap never sits below what `sessions` minimum-shape sessions force on a
    # muscle: two main lifts on it (a squat and the hinge bridge both load the glutes; a
    # row and a pull both load the lats) at session-shape's minimum main sets.
    sessions: int = Field(2, ge=0, le=7)

    @field_validator("muscles")
    @classmethod
    def _known(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for m in v:
            if m not in MUSCLES:
                raise ValueError(f"{m!r} is not a muscle (use {', '.join(MUSCLES)})")
        return v


MAIN_LIFTS_PER_SESSION = 2  # per muscle of the trained groups (002 "2-3 primary exercises")


def beginner_caps(
    p: BeginnerVolume, ms: MuscleSets, client: Client, sets_main_min: int = 3
) -> dict[str, int]:
    """Week-1 cap per trained muscle (``muscles``) for a beginner, in half sets: fraction
    x the intermediate target (the middle of the intermediate range), never below the
    beginner's own minimum, nor below what ``sessions`` minimum sessions force
    (2 main lifts x ``sets_main_min`` sets each). "Start with 60% of the volume" (000)
    is the volume a beginner does, not a trap: the cap cannot forbid the minimum week.
    Minor muscles are not capped: they collect secondary half sets from the main lifts."""
    ref = client.model_copy(update={"experience": "intermediate"})
    own = muscle_limits(ms, client)
    targets = muscle_limits(ms, ref, capped=False)
    shape = 2 * p.sessions * MAIN_LIFTS_PER_SESSION * sets_main_min
    return {
        m: max(own[m][0], shape, math.floor(p.fraction * (lo + hi) / 2 + 1e-9))
        for m, (lo, hi) in targets.items()
        if m in p.muscles
    }


def encode_beginner_volume(ctx: EncodeContext, p: BeginnerVolume) -> None:
    """For a beginner, week-1 sets of muscle m <= fraction x intermediate target(m)."""
    if ctx.data.client.experience != "beginner":
        return
    caps = beginner_caps(
        p,
        ctx.data.params("muscle-sets"),
        ctx.data.client,
        ctx.data.params("session-shape").sets_main[0],
    )
    for m, cap in caps.items():
        ctx.hard(ctx.model.add(ctx.v.halfsets[0][m] <= cap), f"{m}<={cap / 2:g}")


def view_caps(view, p: BeginnerVolume) -> dict[str, int]:
    """The week-1 caps in half sets for the plan's client, under the plan's rulebook."""
    return beginner_caps(
        p,
        view.rulebook.params("muscle-sets"),
        view.client,
        view.rulebook.params("session-shape").sets_main[0],
    )


def check_beginner_volume(view, p: BeginnerVolume) -> list[Violation]:
    if view.client.experience != "beginner" or not view.weeks:
        return []
    caps = view_caps(view, p)
    counts = view.halfsets(0)
    return [
        Violation(
            "beginner-volume",
            f"{m} gets {counts.get(m, 0) / 2:g} sets, over {p.fraction:g} x the intermediate target = {cap / 2:g}",
            "week 1",
        )
        for m, cap in caps.items()
        if counts.get(m, 0) > cap
    ]


# --------------------------------------------------------------------------- explain, report


def muscle_sets_words(data, p: MuscleSets, details: list[str]) -> str:
    return "muscle-sets " + ", ".join(bound_words(d) for d in details)


def drop_muscle_sets(data, p: MuscleSets, detail: str):
    if not (m := BOUND.match(detail)):
        return None
    muscle = m.group(1)
    lo, hi = p.ranges[muscle]
    if m.group(2) == ">=":
        return {"muscle-sets": {"ranges": {muscle: [0, hi]}}}, {}
    # A written range is taken as written (no min_cap): keep the minimum in force, the
    # capped one included, by writing it before the client's scaling.
    bottom = muscle_limits(p, data.client)[muscle][0]
    scale = p.experience_scale[data.client.experience] * p.goal_scale[data.client.goal]
    return {"muscle-sets": {"ranges": {muscle: [bottom / (2 * scale) if scale else 0, 10_000]}}}, {}


def relax_muscle_sets(m: Measure, detail: str) -> list[Candidate]:
    """A range [lo, hi] becomes floor(2 lo s) .. ceil(2 hi s) half sets, s the client's
    experience x goal scale (muscle_limits): pick the nearest bound that admits the
    measured half sets."""
    p, c = m.params, m.data.client
    bound = BOUND.match(detail)
    if not bound:
        return []
    muscle, op = bound.group(1), bound.group(2)
    lo, hi = p.ranges[muscle]
    scale = p.experience_scale[c.experience] * p.goal_scale[c.goal]
    y = m.var(m.v.halfsets_ub[muscle], muscle)
    for w in m.data.volume_weeks():
        hs = m.v.halfsets[w][muscle]
        m.model.add(y <= hs) if op == ">=" else m.model.add(y >= hs)
    got = m.solve(y, maximize=op == ">=")
    if got is None:
        return []
    solver, reached = got  # in half sets, after scaling
    if op == ">=":  # the largest minimum (in steps of 0.5) whose scaled limit <= reached
        new = math.floor(reached / scale + 1e-9) / 2 if scale else 0.0
        while new > 0 and math.floor(2 * new * scale + 1e-9) > reached:
            new -= 0.5
        new = max(0.0, new)
        rng = [new, hi]
        got_sets = math.floor(2 * new * scale + 1e-9) / 2
        words = f"lower the {muscle} minimum to {got_sets:g} sets a week"
    else:  # the smallest maximum whose scaled limit >= reached
        new = math.ceil(reached / scale - 1e-9) / 2 if scale else hi
        while math.ceil(2 * new * scale - 1e-9) < reached:
            new += 0.5
        new = max(lo, new)
        rng = [lo, new]
        got_sets = math.ceil(2 * new * scale - 1e-9) / 2
        words = f"raise the {muscle} maximum to {got_sets:g} sets a week"
    if abs(scale - 1) > 1e-9:  # the override is the range before the client's scaling
        words += f" (range [{rng[0]:g}, {rng[1]:g}] x {scale:g} for {c.experience} {c.goal})"
    return [m.candidate(solver, "muscle-sets", words, {"muscle-sets": {"ranges": {muscle: rng}}})]


def muscle_sets_slack(view, p: MuscleSets) -> list[Slack]:
    """Weekly sets per muscle against [min, max]."""
    limits = muscle_limits(p, view.client)
    rows = []
    for w in view.volume_weeks():
        counts = view.halfsets(w)
        for mu, (lo, hi) in limits.items():
            got = counts.get(mu, 0) / 2
            rows.append(
                Slack("muscle-sets", f"week {w + 1}", f"{mu} weekly sets", got, lo / 2, hi / 2, "")
            )
    return rows


def beginner_volume_words(data, p: BeginnerVolume, details: list[str]) -> str:
    return "beginner-volume " + ", ".join(bound_words(d) for d in details) + " in week 1"


def drop_beginner_volume(data, p: BeginnerVolume, detail: str):
    if not (m := BOUND.match(detail)):
        return None
    return {"beginner-volume": {"muscles": [x for x in p.muscles if x != m.group(1)]}}, {}


def relax_beginner_volume(m: Measure, detail: str) -> list[Candidate]:
    """A larger week-1 fraction, else leave the muscle out."""
    bound = BOUND.match(detail)
    if not bound:
        return []
    muscle = bound.group(1)
    got = m.solve(m.v.halfsets[0][muscle])
    if got is None:
        return []
    solver, need = got
    c = m.data.client
    lo, hi = muscle_limits(
        m.data.params("muscle-sets"),
        c.model_copy(update={"experience": "intermediate"}),
        capped=False,
    )[muscle]
    f = m.params.fraction
    while f < 1 and math.floor(f * (lo + hi) / 2 + 1e-9) < need:
        f = round(f + 0.05, 2)
    if math.floor(f * (lo + hi) / 2 + 1e-9) >= need:
        rules = {"beginner-volume": {"fraction": f}}
        return [
            m.candidate(solver, "beginner-volume", f"raise the week-1 fraction to {f:g}", rules)
        ]
    rules = {"beginner-volume": {"muscles": [x for x in m.params.muscles if x != muscle]}}
    return [m.candidate(solver, "beginner-volume", f"leave {muscle} out of beginner-volume", rules)]


def beginner_volume_slack(view, p: BeginnerVolume) -> list[Slack]:
    """A beginner's week-1 sets per trained muscle against its cap."""
    if view.client.experience != "beginner" or not view.weeks:
        return []
    caps = view_caps(view, p)
    counts = view.halfsets(0)
    return [
        Slack(
            "beginner-volume",
            "week 1",
            f"{mu} weekly sets",
            counts.get(mu, 0) / 2,
            None,
            cap / 2,
            "",
        )
        for mu, cap in caps.items()
    ]


def _is_minimum(detail: str) -> bool:
    return ">=" in detail


RULES = [
    Rule(
        "muscle-sets",
        "hard",
        MuscleSets,
        encode_muscle_sets,
        check_muscle_sets,
        explaining=Explaining(
            words=muscle_sets_words,
            drop=drop_muscle_sets,
            relax=relax_muscle_sets,
            needs_volume=_is_minimum,
        ),
        reporting=Reporting(slack=muscle_sets_slack, rank=13),
    ),
    Rule(
        "beginner-volume",
        "hard",
        BeginnerVolume,
        encode_beginner_volume,
        check_beginner_volume,
        explaining=Explaining(
            words=beginner_volume_words, drop=drop_beginner_volume, relax=relax_beginner_volume
        ),
        reporting=Reporting(slack=beginner_volume_slack, rank=14),
    ),
]
