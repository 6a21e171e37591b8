"""grip-order: grip fatigue before a grip-limited lift stays within capacity.

Sources: 000_3a0f1a209196565a.txt ("Your grip strength will often fail on back movements
before your lats actually give up ... Use straps for your heavy rowing sets");
001_ebca099578b35a0a.txt ("Grip Strength is the Limiting Factor ... Use straps if
necessary for the later movements").

Fatigue before exercise e = sum of grip_demand x sets over the exercises before e in the
session. For a grip-limited e done without straps it must be <= capacity. Straps only
where the client has them and the exercise allows them.
"""

from __future__ import annotations

from pydantic import Field

from ..models import MAX_SETS, Experience
from .base import (
    Candidate,
    EncodeContext,
    Explaining,
    Measure,
    NonNegInt,
    Params,
    Reporting,
    Rule,
    Slack,
    Violation,
)


class GripOrder(Params):
    capacity: dict[Experience, NonNegInt] = Field(
        default_factory=lambda: {"beginner": 10, "intermediate": 14, "advanced": 18}
    )


def encode_grip_order(ctx: EncodeContext, p: GripOrder) -> None:
    data, v, model = ctx.data, ctx.v, ctx.model
    cap = p.capacity[data.client.experience]
    has_straps = "straps" in data.client.equipment
    exs = data.exercises
    for w in range(v.W):
        for s in range(v.S):
            order = data.session_order(w, s)
            for pos, e in enumerate(order):
                strap = v.straps[w][s].get(e)
                if strap is not None and not has_straps:
                    ctx.hard(model.add(strap == 0), "straps")
                if not exs[e].grip_limited:
                    continue
                before = [
                    (exs[b].grip_demand, v.n[w][s][b]) for b in order[:pos] if exs[b].grip_demand
                ]
                if not before or sum(g for g, _ in before) * MAX_SETS <= cap:
                    continue
                ct = model.add(sum(g * n for g, n in before) <= cap)
                ct.only_enforce_if(v.x[w][s][e])
                if strap is not None:
                    ct.only_enforce_if(~strap)
                ctx.hard(ct)


def check_grip_order(view, p: GripOrder) -> list[Violation]:
    cap = p.capacity[view.client.experience]
    has_straps = "straps" in view.client.equipment
    out = []
    for sv in view.sessions:
        fatigue = 0
        for it in sv.items:
            if it.pe.straps and not (has_straps and it.ex.strappable):
                why = "the client has no straps" if not has_straps else "it is not strappable"
                out.append(
                    Violation("grip-order", f"{it.ex.id} done with straps but {why}", sv.where)
                )
            if it.ex.grip_limited and not it.pe.straps and fatigue > cap:
                out.append(
                    Violation(
                        "grip-order",
                        f"{it.ex.id} starts with grip fatigue {fatigue} over capacity {cap} (no straps)",
                        sv.where,
                    )
                )
            fatigue += it.ex.grip_demand * it.pe.sets
    return out


# --------------------------------------------------------------------------- explain, report


def grip_order_words(data, p: GripOrder, details: list[str]) -> str:
    bits = []
    if "" in details:
        bits.append(f"grip-order capacity {p.capacity[data.client.experience]}")
    if "straps" in details:
        bits.append("no straps")
    return " + ".join(bits)


def drop_grip_order(data, p: GripOrder, detail: str):
    c = data.client
    if detail == "straps":
        return {}, {"equipment": sorted({*c.equipment, "straps"})}
    return {"grip-order": {"capacity": {c.experience: 100_000}}}, {}


def relax_grip_order(m: Measure, detail: str) -> list[Candidate]:
    """Straps, or the smallest capacity the other rules' plans need."""
    c = m.data.client
    if detail == "straps":
        got = m.solve()
        if got is None:
            return []
        eq = sorted({*c.equipment, "straps"})
        return [m.candidate(got[0], "grip-order", "add straps", client={"equipment": eq})]
    data, v = m.data, m.v
    exs, order = data.exercises, data.session_order()
    y = m.var(1000, "grip")
    for w in range(v.W):
        for s in range(v.S):
            for pos, e in enumerate(order):
                before = [
                    (exs[b].grip_demand, v.n[w][s][b]) for b in order[:pos] if exs[b].grip_demand
                ]
                if not exs[e].grip_limited or not before:
                    continue
                gate = [v.x[w][s][e]]
                if e in v.straps[w][s]:
                    gate.append(~v.straps[w][s][e])
                m.model.add(y >= sum(g * n for g, n in before)).only_enforce_if(gate)
    got = m.solve(y)
    if got is None:
        return []
    solver, need = got
    need = max(need, m.params.capacity[c.experience] + 1)
    rules = {"grip-order": {"capacity": {c.experience: need}}}
    return [m.candidate(solver, "grip-order", f"raise the grip capacity to {need}", rules)]


def grip_order_slack(view, p: GripOrder) -> list[Slack]:
    """Grip fatigue before each grip-limited lift done without straps, against capacity."""
    cap = p.capacity[view.client.experience]
    rows = []
    for sv in view.sessions:
        fatigue = 0
        for it in sv.items:
            if it.ex.grip_limited and not it.pe.straps:
                where = f"{sv.where} before {it.ex.id}"
                rows.append(Slack("grip-order", where, "grip fatigue", fatigue, None, cap, ""))
            fatigue += it.ex.grip_demand * it.pe.sets
    return rows


def grip_order_figure(p: GripOrder, client) -> tuple[str, str] | None:
    if client is None:
        return None
    return "Grip", f"capacity {p.capacity[client.experience]} per session; straps where it runs out"


RULES = [
    Rule(
        "grip-order",
        "hard",
        GripOrder,
        encode_grip_order,
        check_grip_order,
        explaining=Explaining(
            words=grip_order_words, drop=drop_grip_order, relax=relax_grip_order, drop_rank=4
        ),
        reporting=Reporting(
            slack=grip_order_slack, rank=12, figure=grip_order_figure, figure_rank=5
        ),
    )
]
