"""The independent plan checker: every hard rule in plain Python, no solver.

It audits any plan (one the solver wrote, or one a coach wrote or edited by hand)
against the rulebook recorded in the plan itself, and compares that rulebook with the
one it names (plus the client's overrides): a rule switched off in the plan is a
``rulebook`` violation, so an edited rulebook cannot pass a plan as clean.
A plan without weeks is an InputError, not "ok".
"""

from __future__ import annotations

from .catalogue import catalogue_by_id, unknown_exercise
from .errors import InputError, shorten
from .models import Client, Plan
from .rulebook import Rulebook, load_rulebook, rulebook_from_plan
from .rules import REGISTRY, Violation
from .view import PlanView


def plan_view(plan: Plan, client: Client | None = None) -> PlanView:
    client = client or plan.client_profile
    if client is None:
        raise InputError("plan", ["has no client_profile; pass the client file with --client"])
    if not plan.weeks:
        raise InputError(
            "plan",
            [
                f"has no weeks, so there is nothing to check (status {plan.status}); "
                "check a solved plan"
            ],
        )
    catalogue = catalogue_by_id()
    problems = []
    for w in plan.weeks:
        seen: set[tuple[str, str]] = set()
        for s in w.sessions:
            if (s.day, s.start) in seen:
                problems.append(
                    f"weeks[{w.week}] {s.day} {s.start}: the session appears twice (keep one)"
                )
            seen.add((s.day, s.start))
            for pe in s.exercises:
                if pe.exercise not in catalogue:
                    problems.append(
                        f"weeks[{w.week}] {s.day} {s.start}: {unknown_exercise(pe.exercise)}"
                    )
    if problems:
        raise InputError("plan", problems)
    rulebook = rulebook_from_plan(plan.rulebook.name, plan.rulebook.rules)
    return PlanView(plan=plan, client=client, rulebook=rulebook, catalogue=catalogue)


def reference_rulebook(plan: Plan, client: Client | None = None) -> Rulebook | None:
    """The rulebook PLAN names, with the client's overrides: what the plan should have
    been made under (None when the name is not a rulebook known here)."""
    client = client or plan.client_profile
    try:
        book = load_rulebook(plan.rulebook.name)
        if client is not None and client.rulebook == plan.rulebook.name and client.rules:
            book = book.with_overrides(client.rules, source="client rules")
    except InputError:
        return None
    return book


def judged_by(plan: Plan, client: Client | None = None) -> str:
    """One line saying which rulebook judged PLAN."""
    ref = reference_rulebook(plan, client)
    recorded = f"the rules recorded in the plan (rulebook {shorten(plan.rulebook.name)})"
    if ref is None:
        return f"judged by {recorded}; that rulebook is not known here, so it is not compared"
    return f"judged by {recorded}, compared with rulebook {shorten(ref.name)}"


def rulebook_violations(plan: Plan, view: PlanView, client: Client | None) -> list[Violation]:
    """Rules the plan's rulebook switched off although the named rulebook (with the
    client's overrides) has them on. (Changed parameters are not flagged: a stricter
    parameter is a legitimate choice, and the checker judges by the plan's values.)"""
    ref = reference_rulebook(plan, client)
    if ref is None:
        return []
    out = []
    for rid, setting in ref.rules.items():
        mine = view.rulebook.rules.get(rid)
        if mine is None:
            continue
        if setting.kind != "off" and mine.kind == "off":
            out.append(
                Violation(
                    "rulebook",
                    f"{rid} is switched off in the plan but {setting.kind} in rulebook "
                    f"{shorten(ref.name)}",
                    "plan.rulebook",
                )
            )
    return out


def check_plan(plan: Plan, client: Client | None = None) -> list[Violation]:
    """Every violation of every active hard rule, in registry order, then every rule
    the plan's own rulebook switched off or changed against the rulebook it names."""
    view = plan_view(plan, client)
    out: list[Violation] = []
    for rid, rule in REGISTRY.items():
        if rule.check is None or not view.rulebook.active(rid):
            continue
        out.extend(rule.check(view, view.rulebook.params(rid)))
    return out + rulebook_violations(plan, view, client)
