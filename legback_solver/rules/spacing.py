"""Spacing between sessions: back-loading-gap and the combined-day rules.

Sources: 003_402cb0885ffe8844.txt ("separated by less than 48 hours ... your lower back
is involved in both"); 001_ebca099578b35a0a.txt FAQ ("no more than twice a week, with
at least two rest days or upper-body days in between"); 000_3a0f1a209196565a.txt
("once or twice a week").

Time runs on the real clock, start to start. A weekly plan repeats, so Sunday 18:00
and Monday 18:00 are 24 h apart; in a mesocycle week k's Sunday precedes week k+1's
Monday.
"""

from __future__ import annotations

from pydantic import Field

from ..timeline import forward_days, hours_between
from .base import EncodeContext, Params, Rule, Violation, pairs


class BackLoadingGap(Params):
    hours: float = Field(48, ge=0, le=168)


def encode_back_loading_gap(ctx: EncodeContext, p: BackLoadingGap) -> None:
    """loading[a] + loading[b] <= 1 for any two sessions starting < hours apart."""
    v, data = ctx.v, ctx.data
    for a, b in pairs(data.events):
        if hours_between(a.hour, b.hour, data.cyclic) < p.hours:
            ctx.hard(ctx.model.add_bool_or([~v.loading[a.w][a.s], ~v.loading[b.w][b.s]]))


def check_back_loading_gap(view, p: BackLoadingGap) -> list[Violation]:
    out = []
    loading = [sv for sv in view.sessions if sv.loading]
    for a, b in pairs(loading):
        h = hours_between(a.hour, b.hour, view.cyclic)
        if h < p.hours:
            out.append(
                Violation(
                    "back-loading-gap",
                    f"back-loading sessions {h:g} h apart (need {p.hours:g} h)",
                    f"{a.where} and {b.where}",
                )
            )
    return out


class CombinedDaysMax(Params):
    max: int = Field(2, ge=0, le=7)


def encode_combined_days_max(ctx: EncodeContext, p: CombinedDaysMax) -> None:
    """sum_s combined[w][s] <= max for every week w."""
    for w in range(ctx.v.W):
        ctx.hard(ctx.model.add(sum(ctx.v.combined[w]) <= p.max))


def check_combined_days_max(view, p: CombinedDaysMax) -> list[Violation]:
    out = []
    for w in range(view.weeks):
        combined = [sv for sv in view.week_sessions(w) if sv.combined]
        if len(combined) > p.max:
            out.append(
                Violation(
                    "combined-days-max",
                    f"{len(combined)} combined sessions (at most {p.max})",
                    f"week {w + 1}",
                )
            )
    return out


class CombinedDaysGap(Params):
    days: int = Field(2, ge=0, le=6)


def encode_combined_days_gap(ctx: EncodeContext, p: CombinedDaysGap) -> None:
    """combined[a] and combined[b] => at least `days` free days strictly between them.

    Stated for every ordered pair, not only consecutive ones: a longer interval holds
    the shorter one's free days, so this is the same rule without a "consecutive" var.
    """
    v, data, model = ctx.v, ctx.data, ctx.model
    if p.days == 0:
        return
    events = data.events
    ordered = []
    for a in events:
        for b in events:
            if data.cyclic:
                ordered.append((a, b, a is b))
            elif b.hour > a.hour:
                ordered.append((a, b, False))
    for a, b, same in ordered:
        days = forward_days(a.hour, b.hour, same, data.cyclic)
        free_const = 0
        used = []
        for d in days:
            uvars = v.day_used.get(d)
            if uvars is None:
                free_const += 1
            else:
                used.append(uvars)
        if free_const >= p.days:
            continue
        ct = model.add(len(used) - sum(used) + free_const >= p.days)
        ct.only_enforce_if([v.combined[a.w][a.s], v.combined[b.w][b.s]])
        ctx.hard(ct)


def check_combined_days_gap(view, p: CombinedDaysGap) -> list[Violation]:
    out = []
    combined = [sv for sv in view.sessions if sv.combined]
    if not combined:
        return out
    busy = {(sv.day % 7 if view.cyclic else sv.day) for sv in view.sessions}
    steps = list(zip(combined, combined[1:], strict=False))
    if view.cyclic:
        steps.append((combined[-1], combined[0]))
    for a, b in steps:
        days = forward_days(a.hour, b.hour, a is b, view.cyclic)
        free = sum(1 for d in days if d not in busy)
        if free < p.days:
            out.append(
                Violation(
                    "combined-days-gap",
                    f"{free} free day(s) between combined sessions (need {p.days})",
                    f"{a.where} to {b.where}",
                )
            )
    return out


RULES = [
    Rule(
        "back-loading-gap", "hard", BackLoadingGap, encode_back_loading_gap, check_back_loading_gap
    ),
    Rule(
        "combined-days-max",
        "hard",
        CombinedDaysMax,
        encode_combined_days_max,
        check_combined_days_max,
    ),
    Rule(
        "combined-days-gap",
        "hard",
        CombinedDaysGap,
        encode_combined_days_gap,
        check_combined_days_gap,
    ),
]
