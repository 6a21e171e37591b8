"""Spinal load: spinal-budget and back-status.

Sources: 001_ebca099578b35a0a.txt (structure balancing "compressive spinal loading";
FAQ: with a bad lower back use "chest-supported rows and leg presses to minimize spinal
compression"); 003_402cb0885ffe8844.txt (the trap-bar deadlift "reduces the shear force
on your lumbar spine").

Each catalogue exercise carries spinal-compression units per working set (0..10).
"""

from __future__ import annotations

from pydantic import Field

from ..models import MAX_SETS, BackStatus
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
    fresh_sessions,
    ids,
)


class SpinalBudget(Params):
    weekly: dict[BackStatus, NonNegInt] = Field(
        default_factory=lambda: {"healthy": 180, "sensitive": 110, "injured": 60}
    )
    session: dict[BackStatus, NonNegInt] = Field(
        default_factory=lambda: {"healthy": 70, "sensitive": 40, "injured": 22}
    )


def _session_load(ctx: EncodeContext, w: int, s: int):
    exs = ctx.data.exercises
    return sum(
        exs[e].spinal_units * ctx.v.n[w][s][e] for e in range(ctx.v.E) if exs[e].spinal_units
    )


def _history_load(data, w: int) -> int:
    """Spinal units already lifted in week W's sessions done before a re-plan."""
    by_id = {ex.id: ex for ex in data.exercises}
    return sum(
        by_id[pe.exercise].spinal_units * pe.sets
        for (fw, _), session in data.frozen.items()
        if fw == w and session is not None
        for pe in session.exercises
    )


def encode_spinal_budget(ctx: EncodeContext, p: SpinalBudget) -> None:
    """sum(units x sets) <= session cap in every session and <= weekly budget each week.

    Sessions already done before a re-plan were judged under the back status of their
    day: the session cap of the current status binds only the sessions still to plan,
    and in a week partly done they get what is left of the weekly budget (never < 0)."""
    status = ctx.data.client.back_status
    frozen = ctx.data.frozen
    for w in range(ctx.v.W):
        loads = [_session_load(ctx, w, s) for s in range(ctx.v.S) if (w, s) not in frozen]
        for load in loads:
            ctx.hard(ctx.model.add(load <= p.session[status]), "session")
        if loads:
            done = _history_load(ctx.data, w)
            ctx.hard(ctx.model.add(sum(loads) <= max(0, p.weekly[status] - done)), "weekly")


def check_spinal_budget(view, p: SpinalBudget) -> list[Violation]:
    status = view.client.back_status
    out = []
    for w in range(view.weeks):
        total = done = 0
        planned = False
        for sv in view.week_sessions(w):
            load = sum(i.ex.spinal_units * i.pe.sets for i in sv.items)
            if view.is_history(sv):
                done += load
                continue
            planned = True
            total += load
            if load > p.session[status]:
                out.append(
                    Violation(
                        "spinal-budget",
                        f"session spinal load {load} over the {status}-back cap {p.session[status]}",
                        sv.where,
                    )
                )
        if planned and total > max(0, p.weekly[status] - done):
            left = f" ({max(0, p.weekly[status] - done)} left after {done} done)" if done else ""
            out.append(
                Violation(
                    "spinal-budget",
                    f"weekly spinal load {total} over the {status}-back budget {p.weekly[status]}{left}",
                    f"week {w + 1}",
                )
            )
    return out


class BackStatusRule(Params):
    max_units: dict[BackStatus, NonNegInt] = Field(
        default_factory=lambda: {"healthy": 10, "sensitive": 6, "injured": 3}
    )
    favour_weight: int = Field(3, ge=0)


def encode_back_status(ctx: EncodeContext, p: BackStatusRule) -> None:
    """x = 0 for exercises above the back status's spinal threshold; with a sensitive or
    injured back, each set of a back-friendly exercise (chest-supported row, leg press)
    earns favour_weight in the objective."""
    status = ctx.data.client.back_status
    limit = p.max_units[status]
    exs = ctx.data.exercises
    for w in range(ctx.v.W):
        for s in range(ctx.v.S):
            if (w, s) in ctx.data.frozen:
                continue
            for e, ex in enumerate(exs):
                if ex.spinal_units > limit:
                    ctx.hard(ctx.model.add(ctx.v.x[w][s][e] == 0))
                elif status != "healthy" and ex.back_friendly:
                    ctx.reward(ctx.v.n[w][s][e], p.favour_weight, "back-status favour")


def check_back_status(view, p: BackStatusRule) -> list[Violation]:
    status = view.client.back_status
    limit = p.max_units[status]
    return [
        Violation(
            "back-status",
            f"{i.ex.id} loads the spine {i.ex.spinal_units} units per set, over the {status}-back limit {limit}",
            sv.where,
        )
        for sv in view.sessions
        if not view.is_history(sv)
        for i in sv.items
        if i.ex.spinal_units > limit
    ]


# --------------------------------------------------------------------------- explain, report


def spinal_budget_words(data, p: SpinalBudget, details: list[str]) -> str:
    status = data.client.back_status
    bits = {
        "session": f"session cap {p.session[status]}",
        "weekly": f"weekly budget {p.weekly[status]}",
    }
    what = " and ".join(bits.get(d, d) for d in details)
    return f"spinal-budget {what} units ({status} back)"


def drop_spinal_budget(data, p: SpinalBudget, detail: str):
    if detail in ("session", "weekly"):
        return {"spinal-budget": {detail: {data.client.back_status: 100_000}}}, {}
    return None


def relax_spinal_budget(m: Measure, detail: str) -> list[Candidate]:
    """The smallest session cap (or weekly budget) any plan of the other rules needs."""
    status = m.data.client.back_status
    p, v = m.params, m.v
    y = m.var(10 * MAX_SETS * v.E * max(1, v.S) * v.W, f"spinal_{detail}")
    for w in range(v.W):
        loads = [_session_load(m.ctx, w, s) for s in range(v.S)]
        if detail == "session":
            for s, load in enumerate(loads):
                if (w, s) not in m.data.frozen and not isinstance(load, int):
                    m.model.add(y >= load)
        else:
            m.model.add(y >= sum(loads))
    got = m.solve(y)
    if got is None:
        return []
    solver, need = got
    cap = p.session[status] if detail == "session" else p.weekly[status]
    need = max(need, cap + 1)
    what = "session cap" if detail == "session" else "weekly budget"
    rules = {"spinal-budget": {detail: {status: need}}}
    words = f"raise the spinal {what} to {need} units ({status} back)"
    return [m.candidate(solver, "spinal-budget", words, rules)]


def spinal_budget_slack(view, p: SpinalBudget) -> list[Slack]:
    """Spinal load per session against the session cap, per week against the budget."""
    status = view.client.back_status
    rows = [
        Slack(
            "spinal-budget",
            sv.where,
            "session spinal load",
            sum(i.ex.spinal_units * i.pe.sets for i in sv.items),
            None,
            p.session[status],
            "units",
        )
        for sv in fresh_sessions(view)
    ]
    for w in range(view.first_free_week, view.weeks):
        total = sum(i.ex.spinal_units * i.pe.sets for sv in view.week_sessions(w) for i in sv.items)
        rows.append(
            Slack(
                "spinal-budget",
                f"week {w + 1}",
                "weekly spinal load",
                total,
                None,
                p.weekly[status],
                "units",
            )
        )
    return rows


def spinal_budget_figure(p: SpinalBudget, client) -> tuple[str, str] | None:
    if client is None:
        return None
    status = client.back_status
    return (
        "Spinal load",
        f"at most {p.session[status]} units per session, {p.weekly[status]} per week",
    )


def back_status_words(data, p: BackStatusRule, details: list[str]) -> str:
    status = data.client.back_status
    return f"{status} back: at most {p.max_units[status]} spinal units per set"


def relax_back_status(m: Measure, detail: str) -> list[Candidate]:
    """The smallest per-set limit that admits what the other rules need."""
    status, limit = m.data.client.back_status, m.params.max_units[m.data.client.back_status]
    v = m.v
    y = m.var(10, "units")
    for w in range(v.W):
        for s in range(v.S):
            for e, ex in enumerate(m.data.exercises):
                if ex.spinal_units > limit:
                    m.model.add(y >= ex.spinal_units).only_enforce_if(v.x[w][s][e])
    got = m.solve(y)
    if got is None:
        return []
    solver, need = got
    need = max(need, limit + 1)
    allowed = [ex.id for ex in m.data.exercises if limit < ex.spinal_units <= need]
    words = f"allow {need} spinal units per set for the {status} back ({ids(allowed, 3)})"
    rules = {"back-status": {"max_units": {status: need}}}
    return [m.candidate(solver, "back-status", words, rules)]


def back_status_slack(view, p: BackStatusRule) -> list[Slack]:
    """The heaviest lift's units per set against the limit."""
    fresh = fresh_sessions(view)
    heaviest = max(
        (i for sv in fresh for i in sv.items), key=lambda i: i.ex.spinal_units, default=None
    )
    if heaviest is None:
        return []
    limit = p.max_units[view.client.back_status]
    return [
        Slack(
            "back-status",
            heaviest.ex.id,
            "heaviest lift, units per set",
            heaviest.ex.spinal_units,
            None,
            limit,
            "units",
        )
    ]


RULES = [
    Rule(
        "spinal-budget",
        "hard",
        SpinalBudget,
        encode_spinal_budget,
        check_spinal_budget,
        explaining=Explaining(
            words=spinal_budget_words, drop=drop_spinal_budget, relax=relax_spinal_budget
        ),
        reporting=Reporting(
            slack=spinal_budget_slack, rank=10, figure=spinal_budget_figure, figure_rank=1
        ),
    ),
    Rule(
        "back-status",
        "hard",
        BackStatusRule,
        encode_back_status,
        check_back_status,
        explaining=Explaining(words=back_status_words, relax=relax_back_status),
        reporting=Reporting(slack=back_status_slack, rank=11),
    ),
]
