"""A plain-Python view of a finished plan, for the independent checker.

Nothing here touches the solver: the checker reads the plan as written (its order,
sets, straps, days and times) and recomputes every quantity a rule speaks about.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .models import DAYS, Client, Exercise, Plan, PlanExercise, Session, parse_reps
from .rulebook import Rulebook
from .schedule import WeekSpec, plan_specs, schedule, set_seconds
from .timeline import WEEK_HOURS


@dataclass(frozen=True)
class Item:
    pe: PlanExercise
    ex: Exercise


@dataclass(frozen=True)
class SessionView:
    week: int  # 0-based
    session: Session
    items: tuple[Item, ...]  # in the plan's order

    @property
    def hour(self) -> float:
        """Hours from the plan's first Monday 00:00 to the start."""
        return self.week * WEEK_HOURS + self.session.hour_of_week

    @property
    def day(self) -> int:
        return self.week * 7 + DAYS.index(self.session.day)

    @property
    def where(self) -> str:
        s = self.session
        return f"week {self.week + 1} {s.day} {s.start}"

    @property
    def legs(self) -> bool:
        return any(i.ex.counts_legs for i in self.items)

    @property
    def back(self) -> bool:
        return any(i.ex.counts_back for i in self.items)

    @property
    def combined(self) -> bool:
        return self.legs and self.back

    @property
    def focus(self) -> str:
        return "combined" if self.combined else "legs" if self.legs else "back"

    @property
    def loading(self) -> bool:
        return any(i.ex.back_loading for i in self.items)

    @property
    def alpha_side(self) -> str:
        """'legs' or 'back' for the first max-effort lift in the session, else ''."""
        for i in self.items:
            if i.ex.max_effort:
                return i.ex.alpha_side
        return ""


@dataclass
class PlanView:
    plan: Plan
    client: Client
    rulebook: Rulebook
    catalogue: dict[str, Exercise]

    @property
    def weeks(self) -> int:
        return len(self.plan.weeks)

    @property
    def cyclic(self) -> bool:
        return self.weeks == 1

    @cached_property
    def sessions(self) -> list[SessionView]:
        """Every session, in time order."""
        out = []
        for w, week in enumerate(self.plan.weeks):
            for s in week.sessions:
                items = tuple(
                    Item(pe, self.catalogue[pe.exercise])
                    for pe in sorted(s.exercises, key=lambda p: p.order)
                )
                out.append(SessionView(w, s, items))
        return sorted(out, key=lambda sv: sv.hour)

    def volume_weeks(self) -> list[int]:
        """Weeks the weekly set ranges govern: all but deload weeks."""
        return [w for w, week in enumerate(self.plan.weeks) if week.phase != "deload"]

    @cached_property
    def specs(self) -> list[WeekSpec]:
        """The plan's own weeks (a week labelled intensification rests main lifts
        longer), as an audit reads them."""
        return plan_specs(self.plan) or schedule(self.rulebook, self.client, 1)

    def is_history(self, sv: SessionView) -> bool:
        """A session already done before a re-plan (not re-audited for exercise choice)."""
        return self.is_history_day(sv.week, sv.session.day)

    def is_history_day(self, week: int, day: str) -> bool:
        """DAY of 0-based WEEK lies on or before the re-plan cut (done already)."""
        done = self.plan.done_through
        if done is None:
            return False
        return (week, DAYS.index(day)) <= (done.week - 1, DAYS.index(done.day))

    def _first_week_after_cut(self, every: bool) -> int:
        """The first week whose client slot days all (EVERY) or any fall after the
        re-plan cut; 0 without a re-plan."""
        done = self.plan.done_through
        if done is None:
            return 0
        cut = (done.week - 1, DAYS.index(done.day))
        days = {DAYS.index(s.day) for s in self.client.availability}
        test = all if every else any
        return next((w for w in range(self.weeks) if test((w, d) > cut for d in days)), self.weeks)

    @property
    def first_open_week(self) -> int:
        """No session done before the re-plan (as ProblemData.first_open_week)."""
        return self._first_week_after_cut(every=True)

    @property
    def first_free_week(self) -> int:
        """Some session still to plan (as ProblemData.first_free_week)."""
        return self._first_week_after_cut(every=False)

    def week_sessions(self, w: int) -> list[SessionView]:
        return [sv for sv in self.sessions if sv.week == w]

    def halfsets(self, w: int) -> dict[str, int]:
        """Weekly hard sets per muscle in half sets (primary 2, secondary 1 per set)."""
        out: dict[str, int] = {}
        for sv in self.week_sessions(w):
            for it in sv.items:
                if it.ex.is_drill:  # a dose, no hard set
                    continue
                for m in it.ex.primary:
                    out[m] = out.get(m, 0) + 2 * it.pe.sets
                for m in it.ex.secondary:
                    out[m] = out.get(m, 0) + it.pe.sets
        return out

    def set_seconds(self, sv: SessionView, it: Item) -> int:
        """Seconds per set of a prescribed exercise, from the plan's own rep range."""
        reps = it.pe.reps
        try:
            parse_reps(reps)
        except ValueError:
            reps = it.ex.reps[self.client.goal]
        spec = self.specs[sv.week] if sv.week < len(self.specs) else self.specs[-1]
        return set_seconds(it.ex, self.client.goal, reps, spec)
