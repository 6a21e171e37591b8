"""The independent plan checker: every hard rule in plain Python, no solver.

It audits any plan (one the solver wrote, or one a coach wrote or edited by hand)
against the rulebook recorded in the plan itself.
"""

from __future__ import annotations

from .catalogue import catalogue_by_id
from .errors import InputError
from .models import Client, Plan
from .rulebook import rulebook_from_plan
from .rules import REGISTRY, Violation
from .view import PlanView


def plan_view(plan: Plan, client: Client | None = None) -> PlanView:
    client = client or plan.client_profile
    if client is None:
        raise InputError("plan", ["has no client_profile; pass the client file with --client"])
    catalogue = catalogue_by_id()
    problems = []
    for w in plan.weeks:
        for s in w.sessions:
            for pe in s.exercises:
                if pe.exercise not in catalogue:
                    problems.append(
                        f"weeks[{w.week}] {s.day} {s.start}: {pe.exercise!r} is not a catalogue "
                        "exercise (see `legback exercises`)"
                    )
    if problems:
        raise InputError("plan", problems)
    rulebook = rulebook_from_plan(plan.rulebook.name, plan.rulebook.rules)
    return PlanView(plan=plan, client=client, rulebook=rulebook, catalogue=catalogue)


def check_plan(plan: Plan, client: Client | None = None) -> list[Violation]:
    """Every violation of every active hard rule, in registry order."""
    view = plan_view(plan, client)
    out: list[Violation] = []
    for rid, rule in REGISTRY.items():
        if rule.check is None or not view.rulebook.active(rid):
            continue
        out.extend(rule.check(view, view.rulebook.params(rid)))
    return out
