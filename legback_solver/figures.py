"""What a plan's overview shows: weekly sets per muscle against their range, spinal load
per session against its cap, and the rulebook's key figures for the client."""

from __future__ import annotations

from dataclasses import dataclass

from .catalogue import catalogue_by_id
from .errors import InputError
from .models import MUSCLES, Client, Plan
from .rulebook import Rulebook, rulebook_from_plan
from .rules import REGISTRY
from .rules.volume import muscle_limits


@dataclass(frozen=True)
class SessionLoad:
    week: int  # 1-based
    day: str
    start: str
    date: str | None
    load: int
    cap: int | None

    @property
    def label(self) -> str:
        return f"W{self.week} {self.day.capitalize()}"


@dataclass(frozen=True)
class Figures:
    """What a plan's overview shows, computed from the plan and its own rulebook."""

    weeks: list[int]
    phases: list[str]
    sets: dict[str, list[float]]  # muscle -> weekly hard sets (secondary counts 1/2)
    ranges: dict[str, tuple[float, float]] | None  # muscle -> weekly target range
    sessions: list[SessionLoad]
    session_cap: int | None
    weekly_load: list[int]
    weekly_budget: int | None
    back_status: str | None


def _rulebook(plan: Plan) -> Rulebook | None:
    try:
        return rulebook_from_plan(plan.rulebook.name, plan.rulebook.rules)
    except InputError:
        return None


def plan_figures(plan: Plan, client: Client | None = None) -> Figures:
    """Weekly sets per muscle (primary 1, secondary 1/2 per set) against the muscle-sets
    range, and spinal load per session (units x sets) against the spinal-budget cap."""
    cat = catalogue_by_id()
    client = client or plan.client_profile
    book = _rulebook(plan)
    ranges = None
    if client is not None and book is not None and book.active("muscle-sets"):
        ranges = {
            m: (lo / 2, hi / 2)
            for m, (lo, hi) in muscle_limits(book.params("muscle-sets"), client).items()
        }
    cap = budget = None
    status = client.back_status if client is not None else None
    if status is not None and book is not None and book.active("spinal-budget"):
        p = book.params("spinal-budget")
        cap, budget = p.session[status], p.weekly[status]
    sets: dict[str, list[float]] = {m: [0.0] * len(plan.weeks) for m in MUSCLES}
    sessions: list[SessionLoad] = []
    weekly: list[int] = []
    for k, w in enumerate(plan.weeks):
        total = 0
        for s in sorted(w.sessions, key=lambda s: s.hour_of_week):
            load = 0
            for pe in s.exercises:
                ex = cat.get(pe.exercise)
                if ex is None:
                    continue
                load += ex.spinal_units * pe.sets
                for m in ex.primary:
                    sets[m][k] += pe.sets
                for m in ex.secondary:
                    sets[m][k] += pe.sets / 2
            total += load
            sessions.append(SessionLoad(w.week, s.day, s.start, s.date, load, cap))
        weekly.append(total)
    return Figures(
        weeks=[w.week for w in plan.weeks],
        phases=[w.phase for w in plan.weeks],
        sets=sets,
        ranges=ranges,
        sessions=sessions,
        session_cap=cap,
        weekly_load=weekly,
        weekly_budget=budget,
        back_status=status,
    )


def key_figures(plan: Plan, client: Client | None = None) -> list[tuple[str, str]]:
    """The rulebook's headline parameters for this client, as (label, value) pairs: the
    client, then each active rule's ``figure`` hook (in ``Reporting.figure_rank`` order)."""
    client = client or plan.client_profile
    book = _rulebook(plan)
    out: list[tuple[str, str]] = []
    if client is not None:
        out.append(
            (
                "Client",
                f"{client.experience}, {client.goal}, {client.back_status} back, "
                f"priority {client.priority}",
            )
        )
    if book is None:
        return out
    ranked = sorted(REGISTRY.items(), key=lambda kv: kv[1].reporting.figure_rank)
    for rid, rule in ranked:
        hook = rule.reporting.figure
        if hook is None or rid not in book.rules or not book.active(rid):
            continue
        figure = hook(book.params(rid), client)
        if figure is not None:
            out.append(figure)
    return out
