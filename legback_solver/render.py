"""Terminal views (rich): the plan, the catalogue, the rulebook."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from .catalogue import catalogue_by_id
from .io.layout import rest_text
from .io.text import rich_text, terminal
from .loads import shown_load
from .models import Exercise, Plan
from .rulebook import Rulebook


def plan_renderable(plan: Plan) -> Group:
    names = catalogue_by_id()
    head = Text()
    head.append(terminal(plan.client), style="bold")
    head.append(f"  rulebook {terminal(plan.rulebook.name)}  status {plan.status}")
    if plan.objective is not None:
        head.append(f"  objective {plan.objective}")
        if plan.bound is not None and plan.bound != plan.objective:
            head.append(f" (bound {plan.bound}, gap {plan.gap or 0:.2%})")
    head.append(f"  {plan.build_seconds + plan.solve_seconds:.2f} s")
    parts: list[Any] = [head]
    for week in plan.weeks:
        title = f"Week {week.week}"
        if len(plan.weeks) > 1 or week.phase != "accumulation":
            title += f" · {week.phase}" + (f" (block {week.block})" if week.block else "")
        if week.rir is not None:
            title += f" · RIR {week.rir}"
        table = Table(title=title, title_justify="left", expand=False, pad_edge=False)
        for col, kw in (
            ("Day", {}),
            ("Start", {}),
            ("Focus", {}),
            ("#", {"justify": "right"}),
            ("Exercise", {"max_width": 34}),
            ("Sets", {"justify": "right"}),
            ("Reps", {}),
            ("RIR", {"justify": "right"}),
            ("Load", {"justify": "right"}),
            ("Straps", {}),
        ):
            table.add_column(col, **kw)
        for s in week.sessions:
            for i, pe in enumerate(s.exercises):
                first = i == 0
                ex = names.get(pe.exercise)
                table.add_row(
                    (s.day.capitalize() + (f" {s.date}" if s.date else "")) if first else "",
                    s.start if first else "",
                    s.focus if first else "",
                    str(pe.order),
                    rich_text(ex.name if ex else pe.exercise),
                    str(pe.sets),
                    rich_text(pe.reps),
                    "" if pe.rir is None else str(pe.rir),
                    shown_load(pe),
                    "straps" if pe.straps else "",
                    end_section=i == len(s.exercises) - 1,
                )
        parts.append(table)
        for r in week.rest:  # free slots: rest or upper body, and the rule that keeps them free
            parts.append(Text(terminal(rest_text(r)), style="dim"))
    for line in plan.explanation:
        parts.append(Text(terminal(line)))
    for note in (plan.report or {}).get("notes", []):  # e.g. a known lift a rule keeps out
        parts.append(Text("Note: " + terminal(str(note))))
    return Group(*parts)


def print_plan(plan: Plan, console: Console | None = None) -> None:
    (console or Console(width=100)).print(plan_renderable(plan))


def exercises_table(exercises: tuple[Exercise, ...]) -> Table:
    table = Table(title="Exercise catalogue", title_justify="left")
    for col in (
        "id",
        "tier",
        "pattern",
        "region",
        "primary",
        "spine",
        "grip",
        "flags",
        "equipment",
    ):
        table.add_column(col)
    for ex in exercises:
        flags = [
            name
            for name, on in (
                ("loading", ex.back_loading),
                ("alpha-" + ex.alpha_side, ex.max_effort),
                ("hinge", ex.heavy_hinge),
                ("grip-limited", ex.grip_limited),
                ("strappable", ex.strappable),
                ("back-friendly", ex.back_friendly),
            )
            if on
        ]
        table.add_row(
            ex.id,
            ex.tier,
            ex.pattern,
            ex.region,
            ", ".join(ex.primary),
            str(ex.spinal_units),
            str(ex.grip_demand),
            " ".join(flags),
            ", ".join(ex.equipment) or "-",
        )
    return table


def rules_table(book: Rulebook) -> Table:
    table = Table(
        title=Text(terminal(f"Rulebook {book.name}: {book.description}")), title_justify="left"
    )
    for col in ("id", "kind", "parameters", "source"):
        table.add_column(col, overflow="fold")
    for rid, s in book.rules.items():
        params = ", ".join(f"{k}={v}" for k, v in s.params.model_dump(mode="json").items())
        table.add_row(rid, s.kind, rich_text(params or "-"), rich_text(", ".join(s.source)))
    return table
