"""availability: sessions only on the client's slots, only exercises the client's
equipment (and experience) allows, never an excluded exercise. Source: client input.
"""

from __future__ import annotations

from ..models import EXPERIENCE, Client, Exercise
from .base import (
    Candidate,
    EncodeContext,
    Explaining,
    Measure,
    Params,
    Reporting,
    Rule,
    Violation,
    always,
    ids,
)


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


# --------------------------------------------------------------------------- explain, report
#
# A conflict names availability by client change, not by exercise: "needs ghd" (add the
# item), an excluded exercise's id (stop excluding it), "skill" (allow exercises above
# the client's level). Each such unit forbids every exercise needing that change.


def availability_units(data) -> dict[str, list[int]]:
    """The client changes that free unavailable exercises, each with the exercises it
    is needed for. An exercise is free once every change it needs is made."""
    c = data.client
    p = data.params("availability")
    out: dict[str, list[int]] = {}
    for e, ex in enumerate(data.exercises):
        needs = [f"needs {i}" for i in ex.equipment if i not in c.equipment]
        if ex.id in c.exclude:
            needs.append(ex.id)
        if p.skill_gate and EXPERIENCE.index(ex.skill) > EXPERIENCE.index(c.experience):
            needs.append("skill")
        for unit in needs:
            out.setdefault(unit, []).append(e)
    return out


def _unit_group(unit: str) -> str:
    return "equipment" if unit.startswith("needs ") else "skill" if unit == "skill" else "excluded"


def _unit_parts(data, units: list[str]) -> list[tuple[list[str], str]]:
    """Missing equipment as one part, excluded exercises as one, the skill gate as one."""
    out = []
    needs = [u for u in units if u.startswith("needs ")]
    if needs:
        out.append((needs, f"no {', '.join(u.removeprefix('needs ') for u in needs)}"))
    excluded = [u for u in units if not u.startswith("needs ") and u != "skill"]
    if excluded:
        out.append((excluded, f"excluded {ids(excluded)}"))
    if "skill" in units:
        above = [data.exercises[e].id for e in availability_units(data).get("skill", [])]
        out.append((["skill"], f"{data.client.experience} level (no {ids(above, 3)})"))
    return out


def drop_availability(data, p: Availability, detail: str):
    """The client change that this unit stands for."""
    c = data.client
    if detail == "skill":
        return {"availability": {"skill_gate": False}}, {}
    if detail.startswith("needs "):
        return {}, {"equipment": [*c.equipment, detail.removeprefix("needs ")]}
    return {}, {"exclude": [x for x in c.exclude if x != detail]}


def relax_availability(m: Measure, units: list[str]) -> list[Candidate]:
    """The fewest client changes (an equipment item, an exclusion, the skill gate) among
    the conflicting ones that make every other rule hold."""
    lits = m.unit_literals(units)
    got = m.solve(sum(lits.values()), maximize=True)  # keep as many as possible
    if got is None:
        return []
    solver = got[0]
    made = [u for u, lit in lits.items() if not solver.boolean_value(lit)]
    if not made:
        return []
    c = m.data.client
    rules: dict = {}
    client: dict = {}
    steps = []
    items = [u.removeprefix("needs ") for u in made if u.startswith("needs ")]
    unexclude = [u for u in made if not u.startswith("needs ") and u != "skill"]
    if items:
        client["equipment"] = [*c.equipment, *items]
        steps.append(f"add {', '.join(items)} to the equipment")
    if unexclude:
        client["exclude"] = [x for x in c.exclude if x not in unexclude]
        steps.append(f"stop excluding {', '.join(unexclude)}")
    if "skill" in made:
        rules["availability"] = {"skill_gate": False}
        steps.append(f"allow exercises above the {c.experience} level")
    return [m.candidate(solver, "availability", " and ".join(steps), rules, client)]


RULES = [
    Rule(
        "availability",
        "hard",
        Availability,
        encode_availability,
        check_availability,
        explaining=Explaining(
            drop=drop_availability,
            units=availability_units,
            unit_group=_unit_group,
            unit_parts=_unit_parts,
            relax_units=relax_availability,
        ),
        reporting=Reporting(holds=always, rank=30),
    )
]
