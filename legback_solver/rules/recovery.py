"""muscle-recovery: no major group trained hard in two sessions less than 24 h apart.

Sources: 003_402cb0885ffe8844.txt ("Your back takes a long time to recover"; "separated
by less than 48 hours ... your lower back is involved in both"). The lower back keeps
its 48 h through back-loading-gap; this rule covers every major group, e.g. a morning
and an evening session on one day.

A session trains a group hard when a lift in it (drills aside) has a primary muscle in
the group: legs = quads, hamstrings, glutes; back = lats, upper back, erectors.
Hours run start to start on the real clock and wrap in a repeating week.
"""

from __future__ import annotations

from pydantic import Field

from ..timeline import hours_between
from .base import EncodeContext, Explaining, Params, Reporting, Rule, Violation, always, pairs

GROUPS = {
    "legs": ("quads", "hamstrings", "glutes"),
    "back": ("lats", "upper_back", "erectors"),
}


class MuscleRecovery(Params):
    hours: float = Field(24, ge=0, le=96)


def hard_group(ex, group: str) -> bool:
    return not ex.is_drill and bool(set(ex.primary) & set(GROUPS[group]))


def encode_muscle_recovery(ctx: EncodeContext, p: MuscleRecovery) -> None:
    """hard_g[a] + hard_g[b] <= 1 for each group g and sessions a, b < hours apart."""
    v, data = ctx.v, ctx.data
    for a, b in pairs(data.events):
        if hours_between(a.hour, b.hour, data.cyclic) < p.hours:
            for ind in (v.hard_legs, v.hard_back):
                ctx.hard(ctx.model.add_bool_or([~ind[a.w][a.s], ~ind[b.w][b.s]]))


def check_muscle_recovery(view, p: MuscleRecovery) -> list[Violation]:
    out = []
    for a, b in pairs(view.sessions):
        h = hours_between(a.hour, b.hour, view.cyclic)
        if h >= p.hours:
            continue
        for group in GROUPS:
            if any(hard_group(i.ex, group) for i in a.items) and any(
                hard_group(i.ex, group) for i in b.items
            ):
                out.append(
                    Violation(
                        "muscle-recovery",
                        f"{group} trained hard in sessions {h:g} h apart (need {p.hours:g} h)",
                        f"{a.where} and {b.where}",
                    )
                )
    return out


def muscle_recovery_words(data, p: MuscleRecovery, details: list[str]) -> str:
    return f"muscle-recovery: no major group trained hard twice within {p.hours:g} h"


RULES = [
    Rule(
        "muscle-recovery",
        "hard",
        MuscleRecovery,
        encode_muscle_recovery,
        check_muscle_recovery,
        explaining=Explaining(words=muscle_recovery_words, slots="times"),
        reporting=Reporting(holds=always, rank=45),
    )
]
