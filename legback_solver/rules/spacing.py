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

import math

from pydantic import Field

from ..timeline import WEEK_HOURS, forward_days, hours_between
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
    pairs,
    relax_max_count,
)


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
    out: list[Violation] = []
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


# --------------------------------------------------------------------------- explain, report


def back_loading_gap_words(data, p: BackLoadingGap, details: list[str]) -> str:
    return f"back-loading-gap {p.hours:g} h"


def relax_back_loading_gap(m: Measure, detail: str) -> list[Candidate]:
    """The widest gap between back-loading sessions a plan of the other rules reaches."""
    data, v, p = m.data, m.v, m.params
    y = m.var(168, "gap")
    m.model.add(y <= math.ceil(p.hours))
    for a, b in pairs(data.events):
        h = hours_between(a.hour, b.hour, data.cyclic)
        if h < p.hours:
            both = [v.loading[a.w][a.s], v.loading[b.w][b.s]]
            m.model.add(y <= math.floor(h)).only_enforce_if(both)
    got = m.solve(y, maximize=True)
    if got is None or got[1] >= p.hours:
        return []
    solver, hours = got
    words = f"lower back-loading-gap to {hours} h"
    return [m.candidate(solver, "back-loading-gap", words, {"back-loading-gap": {"hours": hours}})]


def back_loading_gap_slack(view, p: BackLoadingGap) -> list[Slack]:
    """Hours between consecutive back-loading sessions (forward, start to start; a
    repeating week wraps) against the gap."""
    loading = [sv for sv in view.sessions if sv.loading]
    steps = list(zip(loading, loading[1:], strict=False))
    if view.cyclic and loading:
        steps.append((loading[-1], loading[0]))
    rows = []
    for a, b in steps:
        h = (b.hour - a.hour) % WEEK_HOURS or WEEK_HOURS if view.cyclic else b.hour - a.hour
        what = "hours between back-loading sessions"
        rows.append(
            Slack("back-loading-gap", f"{a.where} to {b.where}", what, h, p.hours, None, "h")
        )
    return rows


def back_loading_gap_figure(p: BackLoadingGap, client) -> tuple[str, str]:
    return "Back-loading gap", f"{p.hours:g} h between sessions"


def combined_days_max_words(data, p: CombinedDaysMax, details: list[str]) -> str:
    return f"combined-days-max {p.max} per week"


def relax_combined_days_max(m: Measure, detail: str) -> list[Candidate]:
    """The fewest combined sessions a week the other rules need."""
    counts = [sum(m.v.combined[w]) for w in range(m.v.W)]
    return relax_max_count(m, "combined-days-max", counts, "combined sessions a week")


def combined_days_max_slack(view, p: CombinedDaysMax) -> list[Slack]:
    return [
        Slack(
            "combined-days-max",
            f"week {w + 1}",
            "combined sessions",
            sum(1 for sv in view.week_sessions(w) if sv.combined),
            None,
            p.max,
            "",
        )
        for w in range(view.weeks)
    ]


def combined_days_max_figure(p: CombinedDaysMax, client) -> tuple[str, str]:
    return "Combined days", f"at most {p.max} per week"


def combined_days_gap_words(data, p: CombinedDaysGap, details: list[str]) -> str:
    return f"combined-days-gap {p.days} free days"


def relax_combined_days_gap(m: Measure, detail: str) -> list[Candidate]:
    """Each smaller number of free days, largest first (the verifying re-solve picks)."""
    got = m.solve()
    if got is None:
        return []
    return [
        m.candidate(
            got[0],
            "combined-days-gap",
            f"lower combined-days-gap to {d} free day{'' if d == 1 else 's'}",
            {"combined-days-gap": {"days": d}},
        )
        for d in range(m.params.days - 1, -1, -1)
    ]


def combined_days_gap_slack(view, p: CombinedDaysGap) -> list[Slack]:
    """Free days between consecutive combined sessions against the gap."""
    combined = [sv for sv in view.sessions if sv.combined]
    busy = {(sv.day % 7 if view.cyclic else sv.day) for sv in view.sessions}
    steps = list(zip(combined, combined[1:], strict=False))
    if view.cyclic and combined:
        steps.append((combined[-1], combined[0]))
    rows = []
    for a, b in steps:
        days = forward_days(a.hour, b.hour, a is b, view.cyclic)
        free = sum(1 for d in days if d not in busy)
        what = "free days between combined sessions"
        rows.append(
            Slack("combined-days-gap", f"{a.where} to {b.where}", what, free, p.days, None, "days")
        )
    return rows


RULES = [
    Rule(
        "back-loading-gap",
        "hard",
        BackLoadingGap,
        encode_back_loading_gap,
        check_back_loading_gap,
        explaining=Explaining(
            words=back_loading_gap_words,
            relax=relax_back_loading_gap,
            short_rank=0,
            slots="times",
        ),
        reporting=Reporting(
            slack=back_loading_gap_slack, rank=15, figure=back_loading_gap_figure, figure_rank=2
        ),
    ),
    Rule(
        "combined-days-max",
        "hard",
        CombinedDaysMax,
        encode_combined_days_max,
        check_combined_days_max,
        explaining=Explaining(
            words=combined_days_max_words,
            relax=relax_combined_days_max,
            drop_rank=7,
            short_rank=2,
            slots="times",
        ),
        reporting=Reporting(
            slack=combined_days_max_slack, rank=18, figure=combined_days_max_figure, figure_rank=3
        ),
    ),
    Rule(
        "combined-days-gap",
        "hard",
        CombinedDaysGap,
        encode_combined_days_gap,
        check_combined_days_gap,
        explaining=Explaining(
            words=combined_days_gap_words,
            relax=relax_combined_days_gap,
            drop_rank=6,
            short_rank=1,
            slots="times",
        ),
        reporting=Reporting(slack=combined_days_gap_slack, rank=19),
    ),
]
