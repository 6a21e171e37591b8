"""availability: sessions only on the client's slots, only exercises the client's
equipment (and experience) allows, never an excluded exercise. Source: client input.
"""

from __future__ import annotations

from ..models import EXPERIENCE, Client, Exercise
from .base import EncodeContext, Params, Rule, Violation


class Availability(Params):
    skill_gate: bool = True  # no exercise above the client's experience


def why_unavailable(ex: Exercise, client: Client, p: Availability) -> str:
    """Empty if the client may do EX, else the reason in words."""
    if ex.id in client.exclude:
        return "excluded by the client"
    missing = [item for item in ex.equipment if item not in client.equipment]
    if missing:
        return f"needs {', '.join(missing)}"
    if p.skill_gate and EXPERIENCE.index(ex.skill) > EXPERIENCE.index(client.experience):
        return f"is {ex.skill}-level, the client is {client.experience}"
    return ""


def encode_availability(ctx: EncodeContext, p: Availability) -> None:
    """x = 0 for every exercise the client cannot do (slots are structural; an audited
    session books at most its slot's minutes)."""
    client, frozen = ctx.data.client, ctx.data.frozen
    for (w, s), session in (ctx.data.audit or {}).items():
        if session.minutes > ctx.data.slots[s].minutes:
            ctx.fail(f"week {w + 1} slot {s}")
    for e, ex in enumerate(ctx.data.exercises):
        if why_unavailable(ex, client, p):
            for w in range(ctx.v.W):
                for s in range(ctx.v.S):
                    if (w, s) not in frozen:
                        ctx.hard(ctx.model.add(ctx.v.x[w][s][e] == 0), ex.id)


def check_availability(view, p: Availability) -> list[Violation]:
    out = []
    slots = {(s.day, s.start): s.minutes for s in view.client.availability}
    for w in range(view.weeks):
        seen = set()
        for sv in view.week_sessions(w):
            key = (sv.session.day, sv.session.start)
            if key not in slots:
                out.append(
                    Violation("availability", "session outside the client's slots", sv.where)
                )
            elif sv.session.minutes > slots[key]:
                out.append(
                    Violation(
                        "availability",
                        f"session booked for {sv.session.minutes} min, slot has {slots[key]}",
                        sv.where,
                    )
                )
            if key in seen:
                out.append(Violation("availability", "two sessions in one slot", sv.where))
            seen.add(key)
    for sv in view.sessions:
        if view.is_history(sv):
            continue
        for it in sv.items:
            why = why_unavailable(it.ex, view.client, p)
            if why:
                out.append(Violation("availability", f"{it.ex.id} {why}", sv.where))
    return out


RULES = [Rule("availability", "hard", Availability, encode_availability, check_availability)]
