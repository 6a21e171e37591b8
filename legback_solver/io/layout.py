"""What every human-readable export shares: names, titles, loads and key figures of a
plan, laid out the same way in markdown, html and pdf."""

from __future__ import annotations

from ..catalogue import catalogue_by_id
from ..figures import Figures
from ..loads import shown_load
from ..models import MUSCLES, Plan, PlanExercise, RestDay, Session, Week

# --------------------------------------------------------------------------- helpers


def exercise_name(exercise: str) -> str:
    ex = catalogue_by_id().get(exercise)
    return ex.name if ex else exercise


def num(x: float) -> str:
    return f"{x:g}"


def week_title(week: Week, weeks: int) -> str:
    title = f"Week {week.week}"
    if weeks > 1 or week.phase != "accumulation":
        title += f" · {week.phase}" + (f" (block {week.block})" if week.block else "")
    if week.rir is not None:
        title += f" · RIR {week.rir}"
    return title


def session_title(s: Session) -> str:
    when = s.day.capitalize() + (f" {s.date}" if s.date else "")
    return f"{when} · {s.start} · {s.minutes} min · {s.focus}"


def rest_text(r: RestDay) -> str:
    """'Wed · 18:00 · 60 min · rest or upper body (frequency: 2 sessions this week already)'."""
    why = f"{r.rule}: {r.why}" if r.why else r.rule
    return f"{r.day.capitalize()} · {r.start} · {r.minutes} min · {r.use}" + (
        f" ({why})" if why else ""
    )


def rir_text(pe: PlanExercise) -> str:
    """A drill is a dose: no RIR."""
    return "" if pe.rir is None else str(pe.rir)


def load_text(pe: PlanExercise) -> str:
    return shown_load(pe)


def headline(plan: Plan) -> list[tuple[str, str]]:
    out = [("Rulebook", plan.rulebook.name), ("Status", plan.status)]
    if plan.objective is not None:
        out.append(("Objective", str(plan.objective)))
    weeks = len(plan.weeks)
    if not weeks:
        return out
    span = f"{weeks} week{'s' if weeks != 1 else ''}"
    if weeks == 1:
        span = "1 repeating week"
    if plan.start_date:
        span += f" from {plan.start_date}"
    out.append(("Plan", span))
    return out


def muscle_rows(fig: Figures) -> list[str]:
    """Muscles worth a row: trained in some week or with a minimum above zero."""
    return [
        m for m in MUSCLES if any(fig.sets[m]) or (fig.ranges is not None and fig.ranges[m][0] > 0)
    ]


def range_text(fig: Figures, m: str) -> str:
    if fig.ranges is None:
        return "-"
    lo, hi = fig.ranges[m]
    return f"{num(lo)}-{num(hi)}"


def out_of_range(fig: Figures, m: str, k: int) -> bool:
    if fig.ranges is None or fig.phases[k] == "deload":
        return False
    lo, hi = fig.ranges[m]
    return not lo <= fig.sets[m][k] <= hi


def week_loads(fig: Figures, week: int) -> str:
    parts = [
        f"{sl.day.capitalize()} {sl.load}" + (f"/{sl.cap}" if sl.cap is not None else "")
        for sl in fig.sessions
        if sl.week == week
    ]
    k = fig.weeks.index(week)
    total = f"week {fig.weekly_load[k]}" + (
        f"/{fig.weekly_budget}" if fig.weekly_budget is not None else ""
    )
    return ", ".join([*parts, total])


# --------------------------------------------------------------------------- csv
