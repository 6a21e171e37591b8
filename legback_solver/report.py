"""What shapes a feasible plan: which hard rules bind, how much slack the others have,
and the objective broken down by term.

Slack is recomputed from the plan in plain Python (the same quantities the checker
reads, see view.py), so it holds for any plan, hand-edited ones included:

* spinal-budget: spinal load per session against the session cap, per week against
  the weekly budget; back-status: the heaviest lift's units per set against the limit,
* grip-order: grip fatigue accumulated before each grip-limited lift done without straps,
  against the capacity,
* muscle-sets: weekly sets per muscle against [min, max] (beginner-volume: week 1 caps),
* back-loading-gap: hours between consecutive back-loading sessions against the gap,
* session-time: minutes used against the slot; session-shape: exercises, compound
  lifts, exercises per pattern and sets per exercise against their ranges,
* combined-days-max / -gap, one-alpha, volume-progression.

Each rule computes its own rows (``Reporting.slack``, in its rule module); this module
walks the registry. A row binds when its slack is zero. Rules without a quantity
(availability, order, alternation...) are listed as holding (``Reporting.holds``).

The objective terms come from the model's reward list (``Built.ctx.rewards``) evaluated
at the solver's values; for a plan on its own (``plan_report``) the plan is fixed in a
fresh model and the same terms are read back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .models import Plan
from .rules import REGISTRY
from .rules.base import Reporting, Slack
from .view import PlanView

if TYPE_CHECKING:
    import pandas as pd
    from ortools.sat.python import cp_model

    from .cpsat import Built
    from .data import ProblemData
    from .rulebook import Rulebook


@dataclass
class Term:
    """One objective term: its name (e.g. 'stimulus quads'), group and value."""

    name: str
    group: str  # stimulus | bonus | preferences | penalty
    value: int

    def to_dict(self) -> dict[str, Any]:
        return {"term": self.name, "group": self.group, "value": self.value}


@dataclass
class Report:
    client: str
    status: str
    objective: int | None
    slack: list[Slack] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    holds: list[str] = field(default_factory=list)  # rules without a quantity
    notes: list[str] = field(default_factory=list)  # rules' sentences (Reporting.notes)

    @property
    def binding(self) -> list[str]:
        """Rules with at least one zero-slack quantity, in report order."""
        return list(dict.fromkeys(s.rule for s in self.slack if s.binding))

    def min_slack(self) -> dict[str, float]:
        """The smallest slack per rule (how close each rule is to binding)."""
        out: dict[str, float] = {}
        for s in self.slack:
            out[s.rule] = min(out.get(s.rule, s.slack), s.slack)
        return out

    def groups(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for t in self.terms:
            out[t.group] = out.get(t.group, 0) + t.value
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable (this is what goes into the plan's `report`)."""
        return {
            "client": self.client,
            "status": self.status,
            "objective": self.objective,
            "binding": self.binding,
            "min_slack": self.min_slack(),
            "holds": list(self.holds),
            "notes": list(self.notes),
            "slack": [s.to_dict() for s in self.slack],
            "objective_terms": [t.to_dict() for t in self.terms],
            "objective_groups": self.groups(),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Report:
        """Back from the JSON form (a plan's `report`)."""
        slack = [
            Slack(r["rule"], r["where"], r["what"], r["used"], r["min"], r["max"], r["unit"])
            for r in d.get("slack", [])
        ]
        terms = [Term(t["term"], t["group"], t["value"]) for t in d.get("objective_terms", [])]
        holds, notes = list(d.get("holds", [])), list(d.get("notes", []))
        return cls(d["client"], d["status"], d["objective"], slack, terms, holds, notes)

    def to_frame(self) -> pd.DataFrame:
        """One row per measured quantity (rule, where, what, used, min, max, slack...)."""
        import pandas as pd

        cols = ["rule", "where", "what", "used", "min", "max", "unit", "slack", "binding"]
        return pd.DataFrame([s.to_dict() for s in self.slack], columns=cols)

    def terms_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([t.to_dict() for t in self.terms], columns=["term", "group", "value"])

    def lines(self, all_rows: bool = False) -> list[str]:
        """Plain words: binding rules, the tightest quantity per rule, the objective."""
        out = [f"{self.client}: {self.status}, objective {self.objective}"]
        out.append("Binding rules (zero slack): " + (", ".join(self.binding) or "none"))
        out.append("Slack per rule (tightest quantity):")
        tightest: dict[str, Slack] = {}
        for s in self.slack:
            if s.rule not in tightest or s.slack < tightest[s.rule].slack:
                tightest[s.rule] = s
        rows = self.slack if all_rows else list(tightest.values())
        for s in rows:
            flag = "BINDS" if s.binding else f"slack {s.slack:g}"
            used = f"{s.used:g} {s.unit}".strip()
            out.append(f"  - {s.rule}: {s.what} {used} vs {s.limit_words()} ({s.where}) {flag}")
        if self.holds:
            out.append("Hold (no quantity): " + ", ".join(self.holds))
        if self.notes:
            out.append("Notes:")
            out += [f"  - {n}" for n in self.notes]
        if self.terms:
            out.append("Objective by term:")
            for group, total in self.groups().items():
                parts = [t for t in self.terms if t.group == group and t.value]
                detail = ", ".join(f"{t.name.removeprefix('stimulus ')} {t.value}" for t in parts)
                if len(parts) == 1 and parts[0].name == group:
                    detail = ""
                out.append(f"  - {group} {total}" + (f": {detail}" if detail else ""))
        return out


# --------------------------------------------------------------------------- slack


def _slack_rows(view: PlanView) -> tuple[list[Slack], list[str], list[str]]:
    """Every active hard rule's slack rows (its ``slack`` hook), the rules with no
    quantity that hold (its ``holds`` hook) and the rules' notes (its ``notes`` hook),
    all in report order (``Reporting.rank``)."""
    book = view.rulebook
    meso = view.weeks > 1
    ranked = sorted(REGISTRY.items(), key=lambda kv: kv[1].reporting.rank)
    rows: list[Slack] = []
    holds: list[str] = []
    notes: list[str] = []
    for rid, rule in ranked:
        if rid not in book.rules or not book.active(rid):
            continue
        hooks = rule.reporting
        if hooks.slack is not None:
            rows += hooks.slack(view, book.params(rid))
        logical = book.rules[rid].kind == "hard" and (meso or rule.weekly)
        if hooks.holds is not None and logical and hooks.holds(view):
            holds.append(rid)
        if hooks.notes is not None:
            notes += hooks.notes(view, book.params(rid))
    return rows, holds, notes


def _view(plan: Plan, data: ProblemData | None = None) -> PlanView:
    if data is not None:
        catalogue = {ex.id: ex for ex in data.exercises}
        return PlanView(plan=plan, client=data.client, rulebook=data.rulebook, catalogue=catalogue)
    from .check import plan_view

    return plan_view(plan)


# --------------------------------------------------------------------------- objective terms


def objective_terms(built: Built, solver: cp_model.CpSolver) -> list[Term]:
    """Every reward term of BUILT at the solver's values, summed by term name."""
    totals: dict[str, int] = {}
    order: list[str] = []
    for expr, weight, name in built.ctx.rewards:
        value = weight * int(solver.value(expr))
        if name not in totals:
            order.append(name)
            totals[name] = 0
        totals[name] += value
    # Each term's group comes from its rule (Reporting.term_group); a rule may report
    # its negative rewards apart (preferences: favoured and avoided exercises).
    out = []
    for name in order:
        rid = built.ctx.term_rules.get(name, "")
        hooks = REGISTRY[rid].reporting if rid in REGISTRY else Reporting()
        if hooks.split_negative:
            plus = sum(
                w * int(solver.value(e)) for e, w, n in built.ctx.rewards if n == name and w > 0
            )
            minus = totals[name] - plus
            out.append(Term(name, hooks.term_group, plus))
            if minus:
                out.append(Term(hooks.split_negative, "penalty", minus))
            continue
        out.append(Term(name, hooks.term_group, totals[name]))
    return out


# --------------------------------------------------------------------------- entry points


def make_report(
    plan: Plan,
    built: Built | None = None,
    solver: cp_model.CpSolver | None = None,
    data: ProblemData | None = None,
) -> Report:
    """The Report of PLAN; with BUILT and SOLVER the objective terms are read from them."""
    data = data or (built.data if built is not None else None)
    view = _view(plan, data)
    rows, holds, notes = _slack_rows(view)
    terms = objective_terms(built, solver) if built is not None and solver is not None else []
    return Report(plan.client, plan.status, plan.objective, rows, terms, holds, notes)


def build_report(built: Built, solver: cp_model.CpSolver, plan: Plan) -> dict[str, Any]:
    """The JSON form that solve_data stores in ``plan.report``."""
    return make_report(plan, built, solver).to_dict()


def plan_report(plan: Plan, rulebook: Rulebook | None = None, time_limit: float = 10.0) -> Report:
    """The Report of any plan with a client profile (a saved or hand-edited one): slack
    from the plan; objective terms by fixing the plan's choices in a fresh model."""
    from .cpsat import STATUS, build, fix_sessions, make_solver
    from .data import ProblemData
    from .rulebook import rulebook_from_plan

    client = plan.client_profile
    view = _view(plan)
    book = rulebook or rulebook_from_plan(plan.rulebook.name, plan.rulebook.rules)
    rows, holds, notes = _slack_rows(view)
    report = Report(plan.client, plan.status, plan.objective, rows, [], holds, notes)
    if client is None or not plan.weeks:
        return report
    data = ProblemData(client=client, rulebook=book, weeks=len(plan.weeks))
    # Explain mode: every hard rule hangs on a free literal, so a plan that breaks one
    # still gets its objective terms evaluated.
    built = build(data, explain=True, tiebreak=False)
    sessions = {}
    for w, week in enumerate(plan.weeks):
        held = {(s.day, s.start): s for s in week.sessions}
        for s, slot in enumerate(data.slots):
            sessions[(w, s)] = held.get((slot.day, slot.start))
    fix_sessions(built.model, data, built.v, sessions)
    solver = make_solver(time_limit=time_limit)
    if STATUS[solver.solve(built.model)] in ("optimal", "feasible"):
        report.terms = objective_terms(built, solver)
    return report
