"""The alpha lift: one-alpha, alpha-alternation and after-heavy-hinge.

Sources: 000_3a0f1a209196565a.txt ("trying to do 'Max Effort' on both a heavy squat and
a heavy deadlift in the same session. Don't do that ... pick one primary 'Alpha' lift
... Next time you hit this split, flip it"); 002_6d64b2955e625f57.txt ("Legs First, Then
Back: Often preferred if leg development is the primary goal"; "Back First, Then Legs:
Viable if back development is prioritized"); 001_ebca099578b35a0a.txt steps 3 and 4
("opt for a variation that is easier on the spine"; "doing a bent-over barbell row
after deadlifting is a recipe for a lower back injury").
"""

from __future__ import annotations

from pydantic import Field

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
    relax_max_count,
)


class OneAlpha(Params):
    max: int = Field(1, ge=0, le=3)


def encode_one_alpha(ctx: EncodeContext, p: OneAlpha) -> None:
    """sum of max-effort lifts in a session <= max."""
    alphas = [e for e, ex in enumerate(ctx.data.exercises) if ex.max_effort]
    for w in range(ctx.v.W):
        for s in range(ctx.v.S):
            ctx.hard(ctx.model.add(sum(ctx.v.x[w][s][e] for e in alphas) <= p.max))


def check_one_alpha(view, p: OneAlpha) -> list[Violation]:
    out = []
    for sv in view.sessions:
        alphas = [it.ex.id for it in sv.items if it.ex.max_effort]
        if len(alphas) > p.max:
            out.append(
                Violation(
                    "one-alpha", f"{len(alphas)} max-effort lifts ({', '.join(alphas)})", sv.where
                )
            )
    return out


class AlphaAlternation(Params):
    # A legs- or back-priority client's side may open consecutive combined sessions; the
    # other side never opens two in a row (002: "Legs First, Then Back: Often preferred
    # if leg development is the primary goal"; "Back First ... if back development is
    # prioritized"). Off: every client alternates, as a balanced one does (000 "flip it").
    priority_repeats: bool = True


def _consecutive_pairs(data):
    """Ordered event pairs (a, b, between): b follows a in time, `between` lies strictly
    between them. In a repeating week the order wraps (a single event is not paired)."""
    events = sorted(data.events, key=lambda ev: ev.hour)
    k = len(events)
    for i, a in enumerate(events):
        if data.cyclic:
            for step in range(1, k):
                yield a, events[(i + step) % k], [events[(i + j) % k] for j in range(1, step)]
        else:
            for j in range(i + 1, k):
                yield a, events[j], events[i + 1 : j]


def repeatable_side(client, p: AlphaAlternation) -> str:
    """The alpha side that may open consecutive combined sessions: the client's priority
    side (legs or back) while ``priority_repeats`` is on, else none."""
    return client.priority if p.priority_repeats and client.priority != "balanced" else ""


def encode_alpha_alternation(ctx: EncodeContext, p: AlphaAlternation) -> None:
    """Consecutive combined sessions never share the alpha side, where a session's alpha
    is its first max-effort lift in session order (Variables.alpha_legs / alpha_back):
    combined[a] & combined[b] & no combined between => not (alpha side a == side b),
    for both sides, or only for the non-priority side of a priority client."""
    v = ctx.v
    free = repeatable_side(ctx.data.client, p)
    sides = [
        side for name, side in (("legs", v.alpha_legs), ("back", v.alpha_back)) if name != free
    ]
    for a, b, between in _consecutive_pairs(ctx.data):
        gate = [~v.combined[a.w][a.s], ~v.combined[b.w][b.s]]
        gate += [v.combined[u.w][u.s] for u in between]
        for side in sides:
            ctx.hard(ctx.model.add_bool_or([*gate, ~side[a.w][a.s], ~side[b.w][b.s]]))


def check_alpha_alternation(view, p: AlphaAlternation) -> list[Violation]:
    combined = [sv for sv in view.sessions if sv.combined]
    steps = list(zip(combined, combined[1:], strict=False))
    if view.cyclic and len(combined) > 2:
        steps.append((combined[-1], combined[0]))
    free = repeatable_side(view.client, p)
    out = []
    for a, b in steps:
        if a.alpha_side and a.alpha_side == b.alpha_side and a.alpha_side != free:
            out.append(
                Violation(
                    "alpha-alternation",
                    f"consecutive combined sessions both start {a.alpha_side}-first",
                    f"{a.where} and {b.where}",
                )
            )
    return out


class AfterHeavyHinge(Params):
    pass


def _unsafe_after_hinge(ex) -> bool:
    return ex.unsupported_row or (ex.pattern == "squat" and not ex.spine_friendly)


def encode_after_heavy_hinge(ctx: EncodeContext, p: AfterHeavyHinge) -> None:
    """x[hinge] + x[e] <= 1 for every unsupported row or spine-unfriendly squat e that
    the session order places after a heavy hinge."""
    exs = ctx.data.exercises
    for w in range(ctx.v.W):
        for s in range(ctx.v.S):
            order = ctx.data.session_order(w, s)
            for pos, h in enumerate(order):
                if not exs[h].heavy_hinge:
                    continue
                for e in order[pos + 1 :]:
                    if _unsafe_after_hinge(exs[e]):
                        ctx.hard(ctx.model.add_bool_or([~ctx.v.x[w][s][h], ~ctx.v.x[w][s][e]]))


def check_after_heavy_hinge(view, p: AfterHeavyHinge) -> list[Violation]:
    out = []
    for sv in view.sessions:
        hinge = None
        for it in sv.items:
            if hinge and _unsafe_after_hinge(it.ex):
                what = "unsupported row" if it.ex.unsupported_row else "spine-unfriendly squat"
                out.append(
                    Violation("after-heavy-hinge", f"{it.ex.id} ({what}) after {hinge}", sv.where)
                )
            if it.ex.heavy_hinge and hinge is None:
                hinge = it.ex.id
    return out


# --------------------------------------------------------------------------- explain, report


def one_alpha_words(data, p: OneAlpha, details: list[str]) -> str:
    return f"one-alpha (at most {p.max} max-effort lift per session)"


def relax_one_alpha(m: Measure, detail: str) -> list[Candidate]:
    """The fewest max-effort lifts per session the other rules need."""
    v = m.v
    alphas = [e for e, ex in enumerate(m.data.exercises) if ex.max_effort]
    counts = [sum(v.x[w][s][e] for e in alphas) for w in range(v.W) for s in range(v.S)]
    return relax_max_count(m, "one-alpha", counts, "max-effort lifts per session")


def one_alpha_slack(view, p: OneAlpha) -> list[Slack]:
    return [
        Slack(
            "one-alpha",
            sv.where,
            "max-effort lifts",
            sum(1 for it in sv.items if it.ex.max_effort),
            None,
            p.max,
            "",
        )
        for sv in fresh_sessions(view)
    ]


RULES = [
    Rule(
        "one-alpha",
        "hard",
        OneAlpha,
        encode_one_alpha,
        check_one_alpha,
        explaining=Explaining(words=one_alpha_words, relax=relax_one_alpha, drop_rank=2),
        reporting=Reporting(slack=one_alpha_slack, rank=20),
    ),
    Rule(
        "alpha-alternation",
        "hard",
        AlphaAlternation,
        encode_alpha_alternation,
        check_alpha_alternation,
        explaining=Explaining(drop_rank=0, short_rank=3, slots="times"),
        reporting=Reporting(holds=always, rank=32),
    ),
    Rule(
        "after-heavy-hinge",
        "hard",
        AfterHeavyHinge,
        encode_after_heavy_hinge,
        check_after_heavy_hinge,
        explaining=Explaining(drop_rank=1),
        reporting=Reporting(holds=always, rank=33),
    ),
]
