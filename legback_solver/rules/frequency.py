"""frequency (soft) and light-third-session (hard): 2-3 leg-and-back sessions a week,
the third a lighter one; and why a slot is left free (the plan's rest days).

Sources: 002_6d64b2955e625f57.txt ("Those who can only commit to 2-3 gym sessions per
week"); 001_ebca099578b35a0a.txt ("no more than twice a week, with at least two rest days
or upper-body days in between"); 003_402cb0885ffe8844.txt ("If you're doing heavy leg and
back exercises three times a week, you're probably overtraining").

* frequency: reward ``weight`` for each leg-and-back session of a week up to ``sessions``
  (3): min(sessions used in week w, sessions) x weight.
* light-third-session: in every week at most ``heavy_max`` (2) sessions are heavy; a
  session is heavy when it holds a max-effort lift (heavy squat or deadlift variant) or
  more than ``light_sets`` hard sets (drills aside). So a third session is a light one:
  no max-effort alpha and at most 12 sets (about two thirds of a 4 x 4 main session).

An unused slot is a rest or upper-body day; ``rest_days`` names the rule that keeps it
free: muscle-recovery (a session < 24 h away), back-loading-gap (a back-loading session
< 48 h away), combined-days-gap (inside the rest days between two combined sessions), or
frequency (the week already has its leg-and-back sessions).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ..models import DAYS, RestDay, Session, Slot, Week
from ..timeline import WEEK_HOURS, hours_between
from .base import EncodeContext, Params, Rule, Violation


class Frequency(Params):
    weight: int = Field(40, ge=0)
    sessions: int = Field(3, ge=0, le=14)


def encode_frequency(ctx: EncodeContext, p: Frequency) -> None:
    """reward weight x f_w with f_w <= sum_s use[w][s] and f_w <= sessions."""
    model, v = ctx.model, ctx.v
    for w in range(v.W):
        f = model.new_int_var(0, min(p.sessions, v.S), f"frequency_{w}")
        model.add(f <= sum(v.use[w][s] for s in range(v.S)))
        ctx.reward(f, p.weight, "frequency")


class LightThirdSession(Params):
    heavy_max: int = Field(2, ge=0, le=14)
    light_sets: int = Field(12, ge=0, le=100)


def encode_light_third(ctx: EncodeContext, p: LightThirdSession) -> None:
    """sum_s heavy[w][s] <= heavy_max, heavy >= x(max-effort e), sets <= light_sets unless heavy."""
    model, v, exs = ctx.model, ctx.v, ctx.data.exercises
    for w in range(v.W):
        heavy = []
        for s in range(v.S):
            h = model.new_bool_var(f"heavy_{w}_{s}")
            for e, ex in enumerate(exs):
                if ex.max_effort:
                    model.add_implication(v.x[w][s][e], h)
            sets = sum(v.n[w][s][e] for e, ex in enumerate(exs) if not ex.is_drill)
            model.add(sets <= p.light_sets).only_enforce_if(~h)
            heavy.append(h)
        ctx.hard(model.add(sum(heavy) <= p.heavy_max))


def session_is_heavy(items: Any, p: LightThirdSession) -> bool:
    """A max-effort lift, or more than light_sets hard sets (drills aside)."""
    return any(i.ex.max_effort for i in items) or (
        sum(i.pe.sets for i in items if not i.ex.is_drill) > p.light_sets
    )


def check_light_third(view, p: LightThirdSession) -> list[Violation]:
    out = []
    for w in range(view.weeks):
        heavy = [sv for sv in view.sessions if sv.week == w and session_is_heavy(sv.items, p)]
        if len(heavy) > p.heavy_max:
            out.append(
                Violation(
                    "light-third-session",
                    f"{len(heavy)} heavy sessions (a max-effort lift or more than "
                    f"{p.light_sets} sets), at most {p.heavy_max}",
                    f"week {w + 1}",
                )
            )
    return out


# --------------------------------------------------------------------------- rest days


def _facts(s: Session, catalogue: dict[str, Any]) -> tuple[bool, bool, bool, bool]:
    """(legs, back, back-loading, combined) of a planned session, from its exercises."""
    exs = [catalogue[pe.exercise] for pe in s.exercises if pe.exercise in catalogue]
    legs = any(e.counts_legs for e in exs)
    back = any(e.counts_back for e in exs)
    return legs, back, any(e.back_loading for e in exs), legs and back


def rest_days(
    weeks: list[Week], slots: list[Slot], rules: dict[str, dict[str, Any]], catalogue: dict
) -> list[list[RestDay]]:
    """For each week, the client's slots left free, each with the rule that keeps it free."""
    cyclic = len(weeks) == 1

    def on(rid: str) -> bool:
        return rid in rules and rules[rid].get("kind", "hard") != "off"

    planned = [
        (w * WEEK_HOURS + s.hour_of_week, w * 7 + DAYS.index(s.day), s, _facts(s, catalogue))
        for w, week in enumerate(weeks)
        for s in week.sessions
    ]
    recovery = float(rules.get("muscle-recovery", {}).get("hours", 24))
    gap_hours = float(rules.get("back-loading-gap", {}).get("hours", 48))
    gap_days = int(rules.get("combined-days-gap", {}).get("days", 2))
    combined_days = sorted(d for _, d, _, f in planned if f[3])
    span = 7 if cyclic else 7 * len(weeks)
    out = []
    for w, week in enumerate(weeks):
        used = {(s.day, s.start) for s in week.sessions}
        free = []
        for slot in slots:
            if (slot.day, slot.start) in used:
                continue
            hour = w * WEEK_HOURS + slot.hour_of_week
            day = w * 7 + slot.day_index

            rule, why = "frequency", ""
            if on("muscle-recovery") and (
                hit := _near(hour, planned, cyclic, recovery, lambda f: f[0] or f[1])
            ):
                rule = "muscle-recovery"
                why = f"{hit[0]:g} h from the {hit[1].day} {hit[1].start} session (need {recovery:g} h)"
            elif on("back-loading-gap") and (
                hit := _near(hour, planned, cyclic, gap_hours, lambda f: f[2])
            ):
                rule = "back-loading-gap"
                why = (
                    f"{hit[0]:g} h from the back-loading {hit[1].day} {hit[1].start} session "
                    f"(need {gap_hours:g} h)"
                )
            elif on("combined-days-gap") and _inside_gap(
                day, combined_days, gap_days, span, cyclic
            ):
                rule = "combined-days-gap"
                why = f"one of the {gap_days} rest days between two combined sessions"
            else:
                n = len(week.sessions)
                why = f"{n} leg-and-back session{'s' if n != 1 else ''} this week already"
            free.append(
                RestDay(day=slot.day, start=slot.start, minutes=slot.minutes, rule=rule, why=why)
            )
        out.append(free)
    return out


def _near(hour: float, planned: list, cyclic: bool, limit: float, test: Any) -> Any:
    """The closest planned session (hours, Session) < LIMIT hours from HOUR passing TEST."""
    hits = [
        (hours_between(hour, h, cyclic), s)
        for h, _, s, f in planned
        if test(f) and hours_between(hour, h, cyclic) < limit
    ]
    return min(hits, key=lambda t: t[0]) if hits else None


def _inside_gap(day: int, combined: list[int], gap: int, span: int, cyclic: bool) -> bool:
    """DAY lies strictly between two consecutive combined sessions whose free days a
    session there would bring below GAP."""
    if len(combined) < 2 and not (cyclic and len(combined) == 1):
        return False
    ring = combined + ([combined[0] + span] if cyclic else [])
    for a, b in zip(ring, ring[1:], strict=False):
        for d in (day, day + span) if cyclic else (day,):
            if a < d < b and (b - a - 1) - 1 < gap:
                return True
    return False


RULES = [
    Rule("frequency", "soft", Frequency, encode_frequency),
    Rule(
        "light-third-session",
        "hard",
        LightThirdSession,
        encode_light_third,
        check_light_third,
    ),
]
